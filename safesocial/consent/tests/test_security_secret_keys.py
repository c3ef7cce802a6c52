"""Finding 5: a parent's consent link is signed with the link-signing keys (settings.SIGNING_KEYS), never with the
published demo key nor with Django's SECRET_KEY; a link made before a key rotation still opens."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safesocial.consent import services
from safesocial.consent.models import Consent

# The key every SafeSocial install used while SECRET_KEY was unset: it is in the public repository's history.
PUBLISHED_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"


def _link_signed_with(key: str, parent) -> str:
    return signing.dumps({"p": parent.pk}, key=key, salt=services.LINK_SALT, compress=True)


def _try_to_give_consent(client, token: str, pupil):
    url = reverse("consent:parent", args=[token])
    return client.get(url), client.post(url, {f"c{pupil.pk}-social_media": "yes", f"c{pupil.pk}-press": "yes"})


def test_a_consent_link_forged_with_the_published_demo_key_is_refused_and_changes_nothing(
    client, settings, pupil, parent
):
    # Even on an install whose SECRET_KEY is still the published one, the link is not signed with it.
    settings.SECRET_KEY = PUBLISHED_KEY
    for response in _try_to_give_consent(client, _link_signed_with(PUBLISHED_KEY, parent), pupil):
        assert response.status_code == 403 and "not valid" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_consent_link_signed_with_djangos_secret_key_is_refused(client, settings, pupil, parent):
    for response in _try_to_give_consent(client, _link_signed_with(settings.SECRET_KEY, parent), pupil):
        assert response.status_code == 403
    assert not Consent.objects.exists()


def test_a_consent_link_made_before_a_key_rotation_still_works_and_new_links_use_the_new_key(
    client, settings, pupil, parent
):
    settings.SIGNING_KEYS = ["old-signing-key"]
    before = services.parent_link_token(parent)
    settings.SIGNING_KEYS = ["new-signing-key", "old-signing-key"]
    assert services.parent_from_token(before) == parent
    client.post(reverse("consent:parent", args=[before]), {f"c{pupil.pk}-social_media": "yes"})
    assert Consent.objects.filter(pupil=pupil, parent=parent, given=True).count() == 1
    after = services.parent_link_token(parent)
    assert signing.loads(after, key="new-signing-key", salt=services.LINK_SALT) == {"p": parent.pk}


def test_a_consent_link_is_refused_once_its_key_is_retired(settings, parent):
    settings.SIGNING_KEYS = ["old-signing-key"]
    token = services.parent_link_token(parent)
    settings.SIGNING_KEYS = ["new-signing-key"]
    with pytest.raises(PermissionDenied, match="not valid"):
        services.parent_from_token(token)
