from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safesocial.ops.views import storage_check


class Command(BaseCommand):
    help = (
        "Where SafeSocial keeps its files. `check` writes, reads and deletes a small file there; `create-bucket` "
        "makes the S3 bucket of STORAGE_BACKEND=s3 if it does not exist yet, private, with public access blocked."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "create-bucket"])

    def handle(self, *args, action, **options):
        if action == "create-bucket":
            self._create_bucket()
        where = (
            f"the S3 bucket {settings.AWS_STORAGE_BUCKET_NAME}"
            if settings.STORAGE_BACKEND == "s3"
            else f"{settings.MEDIA_ROOT} on this machine's disk"
        )
        try:
            storage_check()
        except Exception as exc:
            raise CommandError(f"files cannot be kept in {where}: {exc}") from None
        self.stdout.write(f"files are kept in {where}: written, read back and deleted")

    def _create_bucket(self) -> None:
        from botocore.exceptions import ClientError
        from django.core.files.storage import default_storage

        if settings.STORAGE_BACKEND != "s3":
            raise CommandError("STORAGE_BACKEND is not s3: files are kept on this machine's disk, no bucket to create")
        s3: Any = default_storage  # django-storages' S3Storage, with its boto3 connection
        client, bucket = s3.connection.meta.client, settings.AWS_STORAGE_BUCKET_NAME
        try:
            client.head_bucket(Bucket=bucket)
            self.stdout.write(f"the bucket {bucket} exists")
        except ClientError:
            region = client.meta.region_name
            where = {"CreateBucketConfiguration": {"LocationConstraint": region}} if region != "us-east-1" else {}
            client.create_bucket(Bucket=bucket, **where)
            self.stdout.write(f"created the bucket {bucket}")
        try:
            client.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        except ClientError as exc:  # a store without the setting (MinIO): its buckets are private unless made public
            self.stdout.write(
                f"public access not blocked by setting ({exc.response['Error'].get('Code')}): "
                "the store keeps buckets private unless someone gives them a public policy"
            )
