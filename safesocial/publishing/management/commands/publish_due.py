import time

from django.core.management.base import BaseCommand

from safesocial.ops.services import job_run_record
from safesocial.publishing.delivery import deliver_due


class Command(BaseCommand):
    help = "Publish every post that is due, retry temporary failures and recover sends a dead worker left behind."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="keep sweeping every N seconds (0: once)")

    def handle(self, *args, every, **options):
        while True:
            outcome = deliver_due()
            job_run_record(name="publish_due")
            if any(outcome.values()) or not every:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in outcome.items()))
            if not every:
                return
            time.sleep(every)
