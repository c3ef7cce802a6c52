from django.core.management.base import BaseCommand

from safesocial.ops.services import job_run_record
from safesocial.publishing.delivery import chase_publishing_by_hand


class Command(BaseCommand):
    help = "Remind, once a day, the posters of a channel published by hand of each approved post nobody has recorded."

    def handle(self, *args, **options):
        chased = chase_publishing_by_hand()
        job_run_record(name="chase_by_hand")
        self.stdout.write(f"chased={chased}")
