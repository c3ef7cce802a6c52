"""Finding 5: acknowledgement links and the codes printed on letters depend on the link-signing keys
(settings.SIGNING_KEYS), never on the published demo key nor on Django's SECRET_KEY; both survive a key rotation."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safesocial.compliance import services
from safesocial.compliance.models import Acknowledgement, AcknowledgementCode

pytestmark = pytest.mark.django_db

PUBLISHED_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"


def _link_signed_with(key: str, person, version) -> str:
    return signing.dumps(
        {"k": "parent", "i": person.pk, "v": version.number, "m": "link"}, key=key, salt=services.LINK_SALT
    )


def _code_under(key: str, nonce: str) -> str:
    """What an attacker holding KEY and a leaked nonce would type (the letter's code is an HMAC of the nonce)."""
    number = int.from_bytes(hmac.new(key.encode(), f"ack-code:{nonce}".encode(), hashlib.sha256).digest(), "big")
    chars = []
    for _ in range(services.CODE_LENGTH):
        number, i = divmod(number, len(services.ALPHABET))
        chars.append(services.ALPHABET[i])
    return "".join(chars)


def test_an_acknowledgement_link_forged_with_the_published_demo_key_is_refused_and_records_nothing(
    client, settings, trust, owls
):
    settings.SECRET_KEY = PUBLISHED_KEY  # an install still running on the published key
    forged = _link_signed_with(PUBLISHED_KEY, owls[0].parents[0], trust.policy_version)
    for method in (client.get, client.post):
        page = method(reverse("compliance_public:acknowledge", args=[forged]))
        assert page.status_code == 403 and b"This link is not valid" in page.content
    assert not Acknowledgement.objects.exists()


def test_an_acknowledgement_link_signed_with_djangos_secret_key_is_refused(client, settings, trust, owls):
    forged = _link_signed_with(settings.SECRET_KEY, owls[0].parents[0], trust.policy_version)
    assert client.post(reverse("compliance_public:acknowledge", args=[forged])).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_an_acknowledgement_link_made_before_a_key_rotation_still_works_until_the_key_is_retired(settings, trust, owls):
    parent = owls[0].parents[0]
    settings.SIGNING_KEYS = ["old-signing-key"]
    token = services.link_token(parent, trust.policy_version)
    settings.SIGNING_KEYS = ["new-signing-key", "old-signing-key"]
    assert services.link_open(token).person == parent
    fresh = services.link_token(parent, trust.policy_version)
    assert signing.loads(fresh, key="new-signing-key", salt=services.LINK_SALT)["i"] == parent.pk
    settings.SIGNING_KEYS = ["new-signing-key"]
    with pytest.raises(PermissionDenied, match="not valid"):
        services.acknowledgement_family(token=token)
    assert services.acknowledgement_family(token=fresh)[1]


def test_a_printed_code_cannot_be_worked_out_from_its_nonce_with_the_published_or_djangos_key(
    settings, seabright, owls
):
    settings.SECRET_KEY = PUBLISHED_KEY
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    stored = AcknowledgementCode.objects.get(parent=owls[0].parents[0])
    for key in (PUBLISHED_KEY, "a-later-secret-key"):
        settings.SECRET_KEY = key
        with pytest.raises(ValidationError, match="could not find that code"):
            services.code_check(code=_code_under(key, stored.nonce), client="10.0.0.9")


def test_a_reprinted_letter_keeps_its_code_across_a_key_rotation_and_the_code_still_opens(settings, seabright, owls):
    parent = owls[0].parents[0]
    settings.SIGNING_KEYS = ["old-signing-key"]
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    printed = services.letter_code(AcknowledgementCode.objects.get(parent=parent))
    settings.SIGNING_KEYS = ["new-signing-key", "old-signing-key"]
    settings.SECRET_KEY = "django-rotated-its-own-key"
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    assert services.letter_code(AcknowledgementCode.objects.get(parent=parent)) == printed
    assert services.link_open(services.code_check(code=printed, client="10.0.0.8")).person == parent


def test_once_a_codes_key_is_retired_printing_the_letters_again_gives_a_new_code_that_opens(settings, seabright, owls):
    parent = owls[0].parents[0]
    settings.SIGNING_KEYS = ["old-signing-key"]
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    printed = services.letter_code(AcknowledgementCode.objects.get(parent=parent))
    settings.SIGNING_KEYS = ["new-signing-key"]
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    reprinted = services.letter_code(AcknowledgementCode.objects.get(parent=parent))
    assert reprinted != printed
    assert services.link_open(services.code_check(code=reprinted, client="10.0.0.7")).person == parent
