from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from safesocial.concerns.exports import verify_export
from safesocial.concerns.selectors import retention_due_in_trust
from safesocial.concerns.services import concerns_chase
from safesocial.ops.services import job_run_record
from safesocial.people.models import Trust


class Command(BaseCommand):
    help = (
        "concerns chase: send an immediate-risk concern that nobody has acknowledged within the policy's "
        "concerns.chase_unacknowledged_minutes to every receiver again (once each). Run it every few minutes. "
        "concerns verify-export FILE: check a case export (zip) against its manifest of SHA-256 hashes. "
        "concerns retention-due: list the records past their retention date, for the DSL's review (run it weekly "
        "from cron; it names references and schools, never people)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["chase", "verify-export", "retention-due"])
        parser.add_argument("file", nargs="?", help="verify-export: the exported zip")

    def handle(self, *args, action, file=None, **options):
        if action == "verify-export":
            self._verify(file)
            return
        if action == "retention-due":
            self._retention_due()
            return
        chased = concerns_chase()
        job_run_record(name="concerns_chase")
        self.stdout.write(f"chased {len(chased)} urgent concern(s) nobody had acknowledged.")

    def _verify(self, file: str | None) -> None:
        if not file:
            raise CommandError("verify-export needs the exported zip: safesocial concerns verify-export FILE")
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        problems = verify_export(data)
        if problems:
            raise CommandError(f"{file} does not verify:\n" + "\n".join(f"- {p}" for p in problems))
        self.stdout.write(f"{file}: intact. Every file matches its SHA-256 in the manifest.")

    def _retention_due(self) -> None:
        review = settings.SITE_ROOT + reverse("concerns:retention_list")
        for trust in Trust.objects.order_by("pk"):
            due = list(retention_due_in_trust(trust))
            if not due:
                continue
            self.stdout.write(f"{trust.name}: {len(due)} record(s) past their retention date. Review: {review}")
            for c in due:
                held = " (legal hold)" if c.legal_hold_at else ""
                school = c.school.name if c.school else trust.name
                self.stdout.write(f"  {c.reference}  {school}  due {c.retain_until:%d/%m/%Y}  {c.status}{held}")
