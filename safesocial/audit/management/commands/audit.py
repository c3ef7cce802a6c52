from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safesocial.audit.services import NotIntact, audit_checkpoint, audit_verify
from safesocial.ops.services import job_run_record


class Command(BaseCommand):
    help = (
        "Work with the audit trail. `safesocial audit verify` checks the keyed hash chain against its checkpoints; "
        "`safesocial audit checkpoint` (daily, from cron) records the chain's head in a file outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report any entry altered or removed; exit 1 if one is found.")
        sub.add_parser(
            "checkpoint",
            help="Verify the chain, then append its head to AUDIT_CHECKPOINT_FILE; exit 1 if it does not verify.",
        )

    def handle(self, *args, action, **options):
        try:
            if action == "checkpoint":
                checkpoint = audit_checkpoint()
                job_run_record(name="audit_checkpoint")
                self.stdout.write(
                    f"checkpoint of entry #{checkpoint.seq} ({checkpoint.hash[:16]}…) appended to "
                    f"{settings.AUDIT_CHECKPOINT_FILE}"
                )
                return
            count, problems = audit_verify()
            if problems:
                raise NotIntact(count, problems)
        except NotIntact as failure:
            for problem in failure.problems:
                self.stderr.write(f"TAMPERED {problem}")
            raise CommandError(str(failure)) from None
        self.stdout.write(f"audit trail intact: {count} entries, hash chain verified")
