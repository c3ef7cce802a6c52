from django.core.management.base import BaseCommand

from safesocial.concerns.services import concerns_chase
from safesocial.ops.services import job_run_record


class Command(BaseCommand):
    help = (
        "concerns chase: send an immediate-risk concern that nobody has acknowledged within the policy's "
        "concerns.chase_unacknowledged_minutes to every receiver again (once each). Run it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["chase"])

    def handle(self, *args, action, **options):
        chased = concerns_chase()
        job_run_record(name="concerns_chase")
        self.stdout.write(f"chased {len(chased)} urgent concern(s) nobody had acknowledged.")
