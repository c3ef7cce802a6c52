"""Wrong acknowledgement codes (issue 12, finding 7) count against the real client, not the reverse proxy every
family's request comes through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safesocial.compliance import services

pytestmark = [pytest.mark.django_db]


def test_behind_the_proxy_one_guesser_does_not_lock_every_family_out(client, settings, seabright):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("compliance_public:code")
    for _ in range(services.CODE_TRIES + 1):
        page = client.post(url, {"code": "QQQQ-QQQQ"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert page.status_code == 429
    family = client.post(url, {"code": "QQQQ-QQQQ"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert family.status_code == 200 and b"could not find that code" in family.content
