"""`safesocial backup` and `safesocial restore`: a trust comes back whole, and a damaged archive changes nothing."""

from __future__ import annotations

import io
import shutil
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from safesocial.audit.models import AuditEntry
from safesocial.concerns.models import Concern, Evidence
from safesocial.concerns.services import concern_report
from safesocial.people.roles import Role
from safesocial.testing.files import png_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and not shutil.which("pg_dump"), reason="pg_dump is not installed"
    ),
]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECRETS_DIR = tmp_path / "secrets"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    settings.SECRETS_DIR.mkdir()
    (settings.SECRETS_DIR / "signing_keys").write_text("a-generated-key")
    return tmp_path


@pytest.fixture
def concern(make_staff, seabright, data_dir):
    reporter = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    screenshot = SimpleUploadedFile("friend-request.png", png_bytes(), content_type="image/png")
    result = concern_report(
        actor=reporter, school=seabright, kind="friend_request", summary="A friend request.", files=[screenshot]
    )
    call_command("audit", "checkpoint", stdout=io.StringIO())
    return result.concern


def test_a_trust_with_its_audit_trail_and_evidence_comes_back_from_a_backup(concern, data_dir, seabright):
    archive = data_dir / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    evidence = Evidence.objects.get(concern=concern)
    with default_storage.open(evidence.file.name) as stored:
        evidence_bytes = stored.read()
    entries = AuditEntry.objects.count()
    # After the backup: the files are lost, and the database moves on.
    shutil.rmtree(data_dir / "media")
    shutil.rmtree(data_dir / "secrets")
    (data_dir / "audit-checkpoints.jsonl").unlink()
    Concern.objects.all().update(summary="Changed after the backup.")
    concern_report(actor=concern.reported_by, school=seabright, kind="friend_request", summary="A second concern.")

    call_command("restore", str(archive), stdout=io.StringIO())

    restored = Concern.objects.get()
    assert (restored.reference, restored.summary) == (concern.reference, "A friend request.")
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == evidence_bytes
    assert AuditEntry.objects.count() == entries
    assert (data_dir / "secrets" / "signing_keys").read_text() == "a-generated-key"
    assert (data_dir / "audit-checkpoints.jsonl").exists()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_a_damaged_archive_is_refused_and_nothing_is_changed(concern, data_dir, seabright):
    archive, damaged = data_dir / "backup.tar.gz", data_dir / "damaged.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    # One byte of the evidence changed in the archive, the manifest left as it was.
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/private/concerns/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    Concern.objects.all().update(summary="Changed after the backup.")

    with pytest.raises(CommandError, match=r"damaged, nothing was restored: altered: media/"):
        call_command("restore", str(damaged), stdout=io.StringIO())

    assert Concern.objects.get().summary == "Changed after the backup."


def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_error(data_dir):
    not_a_backup = data_dir / "holiday.tar.gz"
    not_a_backup.write_bytes(b"not an archive at all")

    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(not_a_backup), stdout=io.StringIO())
