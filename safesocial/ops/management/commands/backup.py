import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from safesocial.ops.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) of the database, media and evidence, audit checkpoints and generated keys, with a "
        "manifest of SHA-256 hashes. It holds the keys: keep it as safe as the server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="default: DATA_DIR/backups/safesocial-TIME.tar.gz"
        )

    def handle(self, *args, output, **options):
        output = output or settings.DATA_DIR / "backups" / f"safesocial-{dt.datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        self.stdout.write(f"backup written to {backup_create(output)}")
