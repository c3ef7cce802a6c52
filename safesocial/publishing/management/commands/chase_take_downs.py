from django.core.management.base import BaseCommand

from safesocial.ops.services import job_run_record
from safesocial.publishing.delivery import chase_manual_take_downs


class Command(BaseCommand):
    help = "Remind, once a day, whoever must still remove a post by hand and confirm it is gone."

    def handle(self, *args, **options):
        chased = chase_manual_take_downs()
        job_run_record(name="chase_take_downs")
        self.stdout.write(f"chased={chased}")
