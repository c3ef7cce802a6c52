from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safesocial.consent.importer import ImportFailed, import_pupils
from safesocial.people.models import School


class Command(BaseCommand):
    help = "Import pupils, parents and consent from a SIMS, Arbor or Bromcom CSV (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="the school's key")

    def handle(self, *args, file, school, **options):
        target = School.objects.filter(key=school).first()
        if target is None:
            raise CommandError(f"no school with key '{school}'")
        try:
            result = import_pupils(actor=None, school=target, data=Path(file).read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"nothing imported: {len(exc.errors)} problem(s)") from None
        self.stdout.write(
            f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged pupils; "
            f"{result.parents_created} new parents/carers; {result.consents_recorded} consent decisions"
        )
