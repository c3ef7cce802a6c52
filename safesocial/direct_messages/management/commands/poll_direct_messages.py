import time

from django.core.management.base import BaseCommand

from safesocial.direct_messages.services import poll_all
from safesocial.ops.services import job_run_record


class Command(BaseCommand):
    help = "Fetch new direct messages to every active live X account (X has no DM webhook) and read each."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="keep polling every N seconds (0: once)")

    def handle(self, *args, every, **options):
        while True:
            outcome = poll_all()
            job_run_record(name="poll_direct_messages")
            self.stdout.write(" ".join(f"{k}={v}" for k, v in outcome.items()))
            if not every:
                return
            time.sleep(every)
