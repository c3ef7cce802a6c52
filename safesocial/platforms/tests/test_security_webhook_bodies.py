"""Hostile webhook bodies: correctly signed JSON nested thousands deep, or larger than any delivery, is refused with a
400 before it is parsed, never a 500; an unsigned one is refused by its signature first. A bounded fuzz holds the
parser and the view to that for any body."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safesocial.platforms.webhooks import MAX_BODY_BYTES, WebhookPayloadError, read_meta_delivery

SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PAGE = "104000000000001"
NOW = int(time.time())  # a delivery sent now is not stale, so the fuzz reaches the channel lookup


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def deliver(client: Client, body: bytes, signature: str | None = None):
    return client.post(
        reverse("meta_webhook"),
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature if signature is not None else sign(body),
    )


@pytest.fixture
def webhook_settings(settings):
    settings.META_APP_SECRET = SECRET


DEEP = b'{"object": "page", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
DEEP_OBJECTS = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECTS], ids=["lists", "objects"])
def test_a_deeply_nested_signed_body_is_refused_with_a_400(client, webhook_settings, body):
    response = deliver(client, body)
    assert response.status_code == 400
    assert "nested" in response.json()["error"].lower()


@pytest.mark.django_db
def test_a_body_larger_than_any_delivery_is_refused_with_a_400(client, webhook_settings):
    padding = "x" * (MAX_BODY_BYTES + 1)
    body = json.dumps({"object": "page", "entry": [], "padding": padding}).encode()
    response = deliver(client, body)
    assert response.status_code == 400
    assert "large" in response.json()["error"].lower()


@pytest.mark.django_db
def test_the_signature_is_still_checked_before_anything_else(client, webhook_settings):
    assert deliver(client, DEEP, signature="sha256=" + "0" * 64).status_code == 403


def test_brackets_inside_strings_are_not_nesting():
    message = "[[[{{{" * 10_000
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": "1_2",
        "post_id": f"{PAGE}_1",
        "created_time": 1_764_000_000,
        "message": message,
        "from": {"id": "7", "name": 'Jo "[[[ Parent\\'},
    }
    body = json.dumps({"object": "page", "entry": [{"id": PAGE, "changes": [{"field": "feed", "value": value}]}]})
    [event] = read_meta_delivery(body.encode())
    assert event.comment.text == message


@pytest.mark.parametrize("changes", [5, "feed", {"field": "feed"}, [None, 7, []]])
def test_changes_of_the_wrong_shape_are_passed_over(changes):
    body = json.dumps({"object": "page", "entry": [{"id": PAGE, "time": 1_764_000_000, "changes": changes}]})
    assert read_meta_delivery(body.encode()) == []


@pytest.mark.parametrize("body", [b"", b"\xff\xfe\x00", b"[1, 2", b"9" * 5000, b"NaN"])
def test_a_body_that_is_not_json_is_a_payload_error(body):
    with pytest.raises(WebhookPayloadError):
        read_meta_delivery(body)


# --- Fuzz ------------------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)
scalar_or_any = st.one_of(json_values, st.sampled_from(["comment", "add", "edited", "feed", "comments", PAGE]))
change = st.fixed_dictionaries(
    {"field": st.sampled_from(["feed", "comments", "mention"]) | scalar_or_any},
    optional={
        "value": st.fixed_dictionaries(
            {},
            optional={
                key: scalar_or_any
                for key in ("item", "verb", "comment_id", "post_id", "id", "created_time", "from", "message", "media")
            },
        )
        | scalar_or_any
    },
)
delivery = st.fixed_dictionaries(
    {
        "object": st.sampled_from(["page", "instagram"]) | scalar_or_any,
        "entry": st.lists(
            st.fixed_dictionaries(
                {"id": st.just(PAGE) | scalar_or_any},
                optional={
                    "time": st.just(NOW) | st.integers() | scalar_or_any,
                    "changes": st.lists(change, max_size=3) | json_values,
                },
            )
            | json_values,
            max_size=3,
        ),
    }
)
bodies = st.one_of(
    st.binary(max_size=200),
    st.text(alphabet='[]{}",:0123456789.eE-+\\ tnulfrsa', max_size=300).map(str.encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    delivery.map(lambda v: json.dumps(v).encode()),
    st.integers(min_value=1, max_value=3000).map(lambda n: b'{"entry":' + b"[" * n + b"]" * n + b"}"),
)
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None)


@FUZZ
@given(body=bodies)
def test_fuzz_any_body_is_read_or_refused_with_a_payload_error(body):
    try:
        events = read_meta_delivery(body)
    except WebhookPayloadError:
        return
    assert isinstance(events, list)


@pytest.mark.django_db
@settings(FUZZ, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_fuzz_any_correctly_signed_body_gets_an_answer_below_500(client, webhook_settings, body):
    assert deliver(client, body).status_code < 500


@pytest.mark.django_db
def test_a_nul_character_in_a_fresh_delivery_is_answered_not_a_500(client, webhook_settings):
    now = int(time.time())
    value = {"item": "comment", "verb": "add", "comment_id": "1_2\u0000", "post_id": "1_1", "created_time": now}
    body = json.dumps(
        {"object": "page", "entry": [{"id": "1\u0000", "time": now, "changes": [{"field": "feed", "value": value}]}]}
    )
    assert deliver(client, body.encode()).status_code == 200
