"""A training certificate kept in a private S3 bucket (STORAGE_BACKEND=s3): its owner downloads it through a link
signed for it alone that expires; a colleague at another school gets nothing."""

import datetime as dt
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safesocial.compliance import services
from safesocial.compliance.models import TrainingKind

pytestmark = pytest.mark.django_db

CERTIFICATE = b"%PDF-1.4 a certificate of online safety training"


@pytest.fixture
def certificate(s3, teacher):
    return services.training_record(
        actor=teacher,
        user=teacher,
        topic=teacher.trust.policy.training.topics[0],
        kind=TrainingKind.INDUCTION,
        completed_on=dt.date.today() - dt.timedelta(days=3),
        provider="In-house INSET",
        evidence=SimpleUploadedFile("certificate.pdf", CERTIFICATE),
        note="",
    )


def test_a_training_certificate_is_downloaded_through_a_signed_link_that_expires(s3, certificate, signed_in, teacher):
    assert s3.names() == {certificate.evidence.name}

    response = signed_in(teacher).get(reverse("compliance:evidence", args=[certificate.pk]))

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-disposition"] == ['attachment; filename="certificate.pdf"']
    with urllib.request.urlopen(response["Location"], timeout=10) as download:
        assert download.read() == CERTIFICATE
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"] == 'attachment; filename="certificate.pdf"'


def test_a_certificate_of_someone_at_another_school_is_not_reachable(s3, certificate, signed_in, outsider):
    response = signed_in(outsider).get(reverse("compliance:evidence", args=[certificate.pk]))

    assert response.status_code == 404 and "Location" not in response
