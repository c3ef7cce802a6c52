from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safesocial.concerns.exports import verify_export
from safesocial.concerns.services import concerns_chase
from safesocial.ops.services import job_run_record


class Command(BaseCommand):
    help = (
        "concerns chase: send an immediate-risk concern that nobody has acknowledged within the policy's "
        "concerns.chase_unacknowledged_minutes to every receiver again (once each). Run it every few minutes. "
        "concerns verify-export FILE: check a case export (zip) against its manifest of SHA-256 hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["chase", "verify-export"])
        parser.add_argument("file", nargs="?", help="verify-export: the exported zip")

    def handle(self, *args, action, file=None, **options):
        if action == "verify-export":
            self._verify(file)
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
