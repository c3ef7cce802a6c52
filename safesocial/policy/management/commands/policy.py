import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from safesocial import hooks
from safesocial.ops.services import job_run_record
from safesocial.people.models import Trust
from safesocial.policy.explain import explain_text
from safesocial.policy.loader import PolicyInvalid, load_policy_file
from safesocial.policy.services import policy_adopt, review_reminders_send, trust_create_from_policy
from safesocial.policy.undecided import undecided


class Command(BaseCommand):
    help = "Check, explain and adopt policy files, and create a trust from one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="Validate a policy file; exit 1 with each error's field and line.").add_argument(
            "file"
        )
        sub.add_parser("show", help="Explain in plain English what a policy file makes SafeSocial do.").add_argument(
            "file"
        )
        create = sub.add_parser("create-trust", help="Create the trust, its schools and key contacts from a file.")
        create.add_argument("file")
        adopt = sub.add_parser("adopt", help="Adopt a new version of the trust's policy from a file.")
        adopt.add_argument("file")
        adopt.add_argument("--note", default="")
        remind = sub.add_parser(
            "remind",
            help="Send the policy review reminder due today, once (run daily by a scheduler).",
        )
        remind.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (for testing)")

    def handle(self, *args, **options):
        if options["action"] == "remind":
            return self._remind(options["today"])
        path = Path(options["file"])
        try:
            policy, text = load_policy_file(path)
        except PolicyInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{path} is not a valid policy file ({len(exc.errors)} error(s))") from None
        action = options["action"]
        if action == "check":
            self.stdout.write(f"{path}: valid policy for {policy.trust.name} (version {policy.document.version})")
            for line in undecided(policy):
                self.stdout.write(f"warning: {line}")
            for line in self._against_database(policy):
                self.stdout.write(f"warning: {line}")
        elif action == "show":
            self.stdout.write(explain_text(policy))
        else:
            try:
                if action == "create-trust":
                    trust = trust_create_from_policy(actor=None, text=text, source=str(path))
                    self.stdout.write(f"created {trust} with {trust.schools.count()} school(s) from {path}")
                else:
                    trust = Trust.objects.get()
                    version = policy_adopt(actor=None, trust=trust, text=text, note=options["note"], source=str(path))
                    self.stdout.write(f"adopted {path} as version {version.number} of {trust}'s policy")
            except (ValidationError, PolicyInvalid, Trust.DoesNotExist) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise CommandError(message) from None

    def _against_database(self, policy) -> list[str]:
        """How the trust already in the database differs from the file (its channel register, say); nothing where
        there is no trust, or no database yet: checking a file needs neither."""
        try:
            trust = Trust.objects.order_by("pk").first()
        except DatabaseError:
            return []
        if trust is None:
            return []
        return [line for found in hooks.POLICY_CHECKS.call(trust, policy) for line in found]

    def _remind(self, today: dt.date | None) -> None:
        for trust in Trust.objects.all():
            reminder = review_reminders_send(trust=trust, today=today)
            if reminder is None:
                self.stdout.write(f"{trust}: no review reminder due")
            else:
                self.stdout.write(
                    f"{trust}: sent the review reminder ({reminder.days_before} days before "
                    f"{reminder.review_due:%-d %B %Y}) to {reminder.recipients} people"
                )
        job_run_record(name="policy_remind")
