"""Evidence kept in a private S3 bucket (STORAGE_BACKEND=s3), against a real S3 protocol server: the file is stored as
received, every read is checked against the SHA-256 taken on upload, an object altered in the bucket is refused, and
nobody outside the concern reaches it, through SafeSocial or around it."""

import hashlib
import io
import json
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.concerns import services
from safesocial.testing.files import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def concern(s3, assistant, seabright):
    return services.concern_report(
        actor=assistant, school=seabright, kind="friend_request", summary="A friend request from a stranger."
    ).concern


def _add_evidence(client, concern, data: bytes):
    upload = SimpleUploadedFile("friend-request.png", data, content_type="image/png")
    return client.post(reverse("concerns:evidence", args=[concern.pk]), {"files": [upload]})


def test_evidence_added_through_the_page_is_stored_in_the_bucket_as_received(s3, concern, signed_in, assistant, head):
    data = png_bytes()

    assert _add_evidence(signed_in(assistant), concern, data).status_code == 302

    evidence = concern.evidence.get()
    assert s3.names() == {evidence.file.name}
    assert evidence.file.name.startswith(f"private/concerns/{concern.pk}/")
    assert s3.get(evidence.file.name) == data and evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_the_dsl_reads_evidence_from_the_bucket_checked_against_its_sha256(s3, concern, signed_in, assistant, head):
    data = png_bytes()
    _add_evidence(signed_in(assistant), concern, data)
    evidence = concern.evidence.get()

    response = signed_in(head).get(reverse("concerns:evidence_file", args=[concern.pk, evidence.pk]))

    # Sent by SafeSocial after the check, never a link to the bucket: the bytes checked are the bytes sent.
    assert response.status_code == 200 and "Location" not in response
    assert response.content == data and response["X-Evidence-SHA256"] == hashlib.sha256(data).hexdigest()
    assert AuditEntry.objects.filter(action="concern.evidence.view", changes__intact=True).count() == 1


def test_evidence_altered_in_the_bucket_is_refused_and_left_out_of_exports(s3, concern, signed_in, assistant, head):
    _add_evidence(signed_in(assistant), concern, png_bytes())
    evidence = concern.evidence.get()
    s3.put(evidence.file.name, png_bytes(colour=(0, 200, 0)))  # someone with the bucket's keys swaps the file
    client = signed_in(head)

    response = client.get(reverse("concerns:evidence_file", args=[concern.pk, evidence.pk]), follow=True)

    assert "no longer matches the fingerprint (SHA-256)" in response.content.decode()
    assert AuditEntry.objects.filter(action="concern.evidence.view", changes__intact=False).exists()
    export = zipfile.ZipFile(io.BytesIO(client.get(reverse("concerns:export", args=[concern.pk, "zip"])).content))
    [listed] = json.loads(export.read("case.json"))["evidence"]
    assert listed["file"] is None and "no longer matches" in listed["problem"]


def test_evidence_missing_from_the_bucket_is_refused_with_the_same_clear_message(
    s3, concern, signed_in, assistant, head
):
    _add_evidence(signed_in(assistant), concern, png_bytes())
    evidence = concern.evidence.get()
    s3.client.delete_object(Bucket=s3.name, Key=evidence.file.name)

    response = signed_in(head).get(reverse("concerns:evidence_file", args=[concern.pk, evidence.pk]), follow=True)

    assert response.status_code == 200 and "no longer matches the fingerprint" in response.content.decode()


def test_evidence_of_another_schools_concern_is_not_reachable_through_safesocial_or_the_bucket(
    s3, concern, signed_in, assistant, outsider, dsl
):
    _add_evidence(signed_in(assistant), concern, png_bytes())
    evidence = concern.evidence.get()
    url = reverse("concerns:evidence_file", args=[concern.pk, evidence.pk])

    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(dsl).get(url).status_code == 404  # Millbrook's DSL: another school's concern
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(s3.public_url(evidence.file.name), timeout=10)
    assert refused.value.code == 403
