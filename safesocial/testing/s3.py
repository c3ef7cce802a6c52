"""A real S3 protocol server for the tests: moto's threaded server on 127.0.0.1, spoken to over HTTP by boto3 exactly
as SafeSocial speaks to AWS S3 or MinIO in production. Each test gets a private bucket of its own, and SafeSocial's
storage set as STORAGE_BACKEND=s3 sets it (settings.s3_storage)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from safesocial.settings import s3_storage

REGION = "eu-west-2"
ACCESS_KEY, SECRET_KEY = "AKIAEXAMPLETESTKEY01", "test-secret-not-a-real-key"


@dataclass
class Bucket:
    """The bucket as the store holds it, reached with the keys: what an administrator (or an attacker with the keys)
    sees, past SafeSocial's views."""

    endpoint: str
    name: str
    client: Any

    def names(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {obj["Key"] for page in pages for obj in page.get("Contents", ())}

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=data)

    def public_url(self, key: str) -> str:
        """The object's address with no signature: what anyone on the internet could try."""
        return f"{self.endpoint}/{self.name}/{key}"


def new_bucket(endpoint: str) -> Bucket:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    name = f"safesocial-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    # As a school's provider is told to set it up (README, Production): nothing in it may ever be made public.
    client.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return Bucket(endpoint, name, client)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer  # here, so that only the tests that use it pay for its import

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, tmp_path) -> Bucket:
    """SafeSocial's files in a fresh private bucket on the S3 server, as STORAGE_BACKEND=s3 configures them."""
    bucket = new_bucket(s3_endpoint)
    settings.MEDIA_ROOT = tmp_path / "media-unused"  # nothing may land on this disk
    settings.STORAGE_SIGNED_URL_SECONDS = 60
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=bucket.name,
            endpoint=s3_endpoint,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            signed_url_seconds=60,
        ),
    }
    return bucket
