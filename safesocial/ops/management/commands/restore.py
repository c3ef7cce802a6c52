from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safesocial.ops.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and files from a `safesocial backup` archive, after checking every file's hash against "
        "its manifest (a damaged archive changes nothing). Stop the server first and start it again afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            manifest = backup_restore(archive)
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"restored the backup of {manifest['created']} ({len(manifest['files'])} files verified)")
