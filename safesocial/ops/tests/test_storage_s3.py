"""Operations with files in a private S3 bucket (STORAGE_BACKEND=s3), against a real S3 protocol server: `safesocial
backup` copies every object into the archive and `safesocial restore` puts the bucket back as it was; a backup taken
on disk moves into a bucket; /healthz checks the bucket; settings say clearly what is wrong."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from safesocial.concerns.models import Concern
from safesocial.concerns.services import concern_report
from safesocial.people.roles import Role
from safesocial.settings import bucket_origin, s3_storage
from safesocial.testing.files import png_bytes
from safesocial.testing.s3 import ACCESS_KEY, REGION, SECRET_KEY, new_bucket

needs_pg_dump = pytest.mark.skipif(
    connection.vendor == "postgresql" and not shutil.which("pg_dump"), reason="pg_dump is not installed"
)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.SECRETS_DIR = tmp_path / "secrets"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    return tmp_path


def _report(make_staff, school, summary: str) -> Concern:
    reporter = make_staff(Role.SUPPORT_STAFF, school, "Tara Assistant")
    screenshot = SimpleUploadedFile("friend-request.png", png_bytes(), content_type="image/png")
    return concern_report(
        actor=reporter, school=school, kind="friend_request", summary=summary, files=[screenshot]
    ).concern


@needs_pg_dump
@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_every_object_of_the_bucket_and_a_restore_puts_the_bucket_back(
    s3, data_dir, make_staff, seabright
):
    concern = _report(make_staff, seabright, "A friend request.")
    photo = default_storage.save("posts/1/20261201090000-sports-day.jpg", ContentFile(b"a photo of sports day"))
    before = {key: s3.get(key) for key in s3.names()}
    archive = data_dir / "backup.tar.gz"

    call_command("backup", "--output", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as backup:
        assert {f"media/{key}" for key in before} <= set(backup.getnames())
        for key, data in before.items():
            assert backup.extractfile(f"media/{key}").read() == data
    # After the backup: one object is lost, one arrives that the restored database will not know, a file is swapped.
    evidence_key = concern.evidence.get().file.name
    s3.client.delete_object(Bucket=s3.name, Key=evidence_key)
    s3.put("private/concerns/999/after-the-backup", b"not in the backup")
    s3.put(photo, b"swapped")

    call_command("restore", str(archive), stdout=io.StringIO())

    assert {key: s3.get(key) for key in s3.names()} == before
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


@needs_pg_dump
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_on_disk_restores_into_a_bucket(s3_endpoint, settings, data_dir, make_staff, seabright):
    local = settings.STORAGES
    settings.MEDIA_ROOT = data_dir / "media"
    concern = _report(make_staff, seabright, "A friend request.")
    evidence = concern.evidence.get()
    on_disk = (data_dir / "media" / evidence.file.name).read_bytes()
    archive = data_dir / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    # The trust moves to S3: a new bucket, STORAGE_BACKEND=s3.
    bucket = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **local,
        "default": s3_storage(
            bucket=bucket.name,
            endpoint=s3_endpoint,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        ),
    }

    call_command("restore", str(archive), stdout=io.StringIO())

    assert bucket.names() == {evidence.file.name} and bucket.get(evidence.file.name) == on_disk


@pytest.mark.django_db
def test_healthz_writes_reads_and_deletes_a_file_in_the_bucket(s3, client):
    body = client.get("/healthz").json()

    assert body["checks"]["storage"] == "ok"
    assert s3.names() == set()  # the check's file is gone


@pytest.mark.django_db
def test_healthz_reports_a_bucket_it_cannot_reach_without_taking_the_server_out(s3, s3_endpoint, settings, client):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket="no-such-bucket", endpoint=s3_endpoint, access_key="a", secret_key="b"),
    }

    response = client.get("/healthz")

    assert response.status_code == 200 and response.json()["checks"]["storage"] == "error"


def _settings(tmp_path, code: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "STORAGE_"))}
    env.update({"SAFESOCIAL_DATA_DIR": str(tmp_path), **variables})
    return subprocess.run(
        [sys.executable, "-c", f"import safesocial.settings as s; {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_bucket_name_alone_turns_on_s3_storage_with_private_signed_links(tmp_path):
    result = _settings(
        tmp_path,
        "o = s.STORAGES['default']['OPTIONS']; print(s.STORAGE_BACKEND, o['default_acl'], o['querystring_expire'],"
        " o['file_overwrite'], ' '.join(s.CONTENT_SECURITY_POLICY['img-src']))",
        AWS_STORAGE_BUCKET_NAME="harbourside-safesocial",
        AWS_S3_REGION_NAME="eu-west-2",
        STORAGE_SIGNED_URL_SECONDS="30",
    )

    assert result.stdout.split() == [
        "s3",
        "None",
        "30",
        "False",
        "'self'",
        "data:",
        "https://harbourside-safesocial.s3.eu-west-2.amazonaws.com",
    ], result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "s4"}, "STORAGE_BACKEND='s4' is not local or s3"),
        ({"AWS_STORAGE_BUCKET_NAME": "b-1", "AWS_S3_ADDRESSING_STYLE": "vhost"}, "'vhost' is not path or virtual"),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_start_up_naming_it(tmp_path, variables, message):
    result = _settings(tmp_path, "pass", **variables)

    assert result.returncode != 0 and message in result.stderr


@pytest.mark.parametrize(
    ("endpoint", "region", "style"),
    [
        ("", "eu-west-2", ""),  # AWS S3 in London
        ("", "us-east-1", ""),  # AWS S3's first region, at the global name
        ("", "eu-west-2", "path"),
        ("https://minio.harbourside.example.org:9000", "us-east-1", ""),
        ("https://minio.harbourside.example.org:9000", "us-east-1", "virtual"),
    ],
)
def test_the_csp_allows_exactly_the_origin_of_the_signed_links_boto3_writes(endpoint, region, style):
    options = s3_storage(bucket="harbourside-safesocial", endpoint=endpoint, region=region, addressing_style=style)[
        "OPTIONS"
    ]
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=Config(signature_version="s3v4", s3={"addressing_style": options["addressing_style"]}),
    )
    link = client.generate_presigned_url("get_object", Params={"Bucket": "harbourside-safesocial", "Key": "k"})

    assert link.startswith(bucket_origin(options) + "/")


def test_safesocial_storage_creates_a_private_bucket_and_checks_it(s3_endpoint, settings):
    from safesocial.testing.s3 import Bucket

    name = f"safesocial-new-{os.getpid()}"
    settings.STORAGE_BACKEND, settings.AWS_STORAGE_BUCKET_NAME = "s3", name
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=name, endpoint=s3_endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY
        ),
    }
    out = io.StringIO()

    call_command("storage", "create-bucket", stdout=out)

    assert f"created the bucket {name}" in out.getvalue()
    assert f"files are kept in the S3 bucket {name}: written, read back and deleted" in out.getvalue()
    bucket = Bucket(s3_endpoint, name, new_bucket(s3_endpoint).client)
    assert bucket.names() == set()
    block = bucket.client.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_safesocial_storage_check_says_what_is_wrong(s3_endpoint, settings):
    settings.STORAGE_BACKEND, settings.AWS_STORAGE_BUCKET_NAME = "s3", "no-such-bucket"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket="no-such-bucket", endpoint=s3_endpoint, access_key="a", secret_key="b"),
    }

    with pytest.raises(CommandError, match=r"files cannot be kept in the S3 bucket no-such-bucket: .*NoSuchBucket"):
        call_command("storage", "check", stdout=io.StringIO())
