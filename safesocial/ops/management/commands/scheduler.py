from django.core.management.base import BaseCommand

from safesocial.ops.scheduler import JOBS, scheduler_run, scheduler_tick


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (publish_due, poll_comments, policy remind, compliance remind, audit checkpoint) on "
        "time, in place of cron. Safe on several machines at once: each run is taken by one of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs due now and stop")

    def handle(self, *args, once, **options):
        if once:
            for name in scheduler_tick():
                self.stdout.write(f"ran {name}")
            return
        self.stdout.write("scheduler: " + ", ".join(job.name for job in JOBS))
        scheduler_run()
