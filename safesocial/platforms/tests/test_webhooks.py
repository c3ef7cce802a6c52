"""Meta webhook deliveries: signatures, subscription verification, and reading comments out of Page `feed` and
Instagram `comments` changes. The bodies follow the examples in Meta's Webhooks for Pages and Instagram webhook
docs, with made-up ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

import pytest

from safesocial.platforms.webhooks import (
    WebhookPayloadError,
    is_stale,
    parse_meta_webhook,
    subscription_challenge,
    verify_meta_signature,
)
from safesocial.policy.schema import Platform

SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PAGE = "104000000000001"
IG_USER = "17841400000000001"
SENT = 1_764_000_000  # entry.time, Unix seconds


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def feed_change(verb: str = "add", **value: object) -> dict:
    base = {
        "from": {"id": "7100000000000001", "name": "Jo Parent"},
        "post_id": f"{PAGE}_900001",
        "comment_id": "900001_300001",
        "parent_id": f"{PAGE}_900001",
        "created_time": SENT - 5,
        "item": "comment",
        "message": "Can we bring tins for the harvest festival?",
        "verb": verb,
    }
    return {"field": "feed", "value": base | value}


def page_delivery(*changes: dict, time: object = SENT) -> dict:
    return {"object": "page", "entry": [{"id": PAGE, "time": time, "changes": list(changes)}]}


def instagram_delivery(**value: object) -> dict:
    base = {
        "from": {"id": "17841411111111111", "username": "jo.parent"},
        "media": {"id": "17900000000000001", "media_product_type": "FEED"},
        "id": "17865799348089039",
        "text": "Brilliant sports day!",
    }
    return {
        "object": "instagram",
        "entry": [{"id": IG_USER, "time": SENT, "changes": [{"field": "comments", "value": base | value}]}],
    }


# --- Signatures ------------------------------------------------------------------------------------------------------

BODY = json.dumps(page_delivery(feed_change())).encode()


def test_a_delivery_signed_with_the_app_secret_is_accepted():
    assert verify_meta_signature(SECRET, BODY, sign(BODY))


def test_the_signature_is_checked_on_the_raw_bytes_as_they_arrived():
    spaced = b'{\n  "object": "page",\n  "entry": []\n}'
    assert verify_meta_signature(SECRET, spaced, sign(spaced))
    assert not verify_meta_signature(SECRET, json.dumps(json.loads(spaced)).encode(), sign(spaced))


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "missing"),
        ("", "empty"),
        (sign(BODY, "not-the-app-secret"), "forged with another secret"),
        (sign(BODY + b" "), "signed for a different body"),
        ("sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(), "the old SHA-1 header"),
        ("sha512=" + hmac.new(SECRET.encode(), BODY, hashlib.sha512).hexdigest(), "another algorithm"),
        (hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest(), "no sha256= prefix"),
        (sign(BODY)[:-1], "truncated by one character"),
        (sign(BODY)[:39], "truncated to half"),
        (sign(BODY) + "00", "padded"),
        ("sha256=", "prefix only"),
        ("sha256=" + "é" * 64, "not hex"),
    ],
)
def test_a_forged_missing_or_malformed_signature_is_refused(header, why):
    assert not verify_meta_signature(SECRET, BODY, header), why


def test_a_tampered_body_is_refused():
    tampered = BODY.replace(b"tins", b"cans")
    assert not verify_meta_signature(SECRET, tampered, sign(BODY))


def test_without_an_app_secret_nothing_is_accepted():
    assert not verify_meta_signature("", BODY, sign(BODY, ""))


# --- Subscription verification ---------------------------------------------------------------------------------------


def test_the_subscription_check_answers_the_challenge_for_the_right_verify_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "seabright-webhooks", "hub.challenge": "1158201444"}
    assert subscription_challenge(params, "seabright-webhooks") == "1158201444"


@pytest.mark.parametrize(
    ("params", "configured"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}, "seabright-webhooks"),
        (
            {"hub.mode": "unsubscribe", "hub.verify_token": "seabright-webhooks", "hub.challenge": "1"},
            "seabright-webhooks",
        ),
        ({"hub.mode": "subscribe", "hub.verify_token": "seabright-webhooks"}, "seabright-webhooks"),
        ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, ""),
        ({}, "seabright-webhooks"),
    ],
)
def test_the_subscription_check_refuses_anything_else(params, configured):
    assert subscription_challenge(params, configured) is None


# --- Facebook Page feed ----------------------------------------------------------------------------------------------


def test_a_new_page_comment_is_read_from_the_feed_change():
    [event] = parse_meta_webhook(page_delivery(feed_change()))

    assert (event.platform, event.account_id, event.verb) == (Platform.FACEBOOK_PAGE, PAGE, "add")
    comment = event.comment
    assert comment.external_id == "900001_300001"
    assert (comment.parent_external_id, comment.post_external_id) == (f"{PAGE}_900001", f"{PAGE}_900001")
    assert not comment.is_reply
    assert (comment.author_id, comment.author_name) == ("7100000000000001", "Jo Parent")
    assert comment.text == "Can we bring tins for the harvest festival?"
    assert comment.created_at == dt.datetime.fromtimestamp(SENT - 5, dt.UTC)
    assert event.sent_at == dt.datetime.fromtimestamp(SENT, dt.UTC)
    assert comment.url == "https://www.facebook.com/900001_300001"
    assert not event.by_account


def test_a_reply_has_the_comment_it_answers_as_parent():
    [event] = parse_meta_webhook(page_delivery(feed_change(comment_id="900001_300002", parent_id="900001_300001")))

    assert event.comment.parent_external_id == "900001_300001"
    assert event.comment.post_external_id == f"{PAGE}_900001"
    assert event.comment.is_reply


def test_the_pages_own_reply_is_marked_as_by_the_account():
    [event] = parse_meta_webhook(page_delivery(feed_change(**{"from": {"id": PAGE, "name": "Seabright Primary"}})))
    assert event.by_account


def test_an_iso_created_time_is_read_too():
    [event] = parse_meta_webhook(page_delivery(feed_change(created_time="2025-11-24T15:59:55+0000")))
    assert event.comment.created_at == dt.datetime(2025, 11, 24, 15, 59, 55, tzinfo=dt.UTC)


def test_edits_and_removals_are_read_with_their_verbs():
    edited, removed = parse_meta_webhook(
        page_delivery(
            feed_change("edited", message="Can we bring tins or packets?"),
            {
                "field": "feed",
                "value": {
                    "item": "comment",
                    "verb": "remove",
                    "comment_id": "900001_300001",
                    "post_id": f"{PAGE}_900001",
                    "parent_id": f"{PAGE}_900001",
                    "created_time": SENT - 5,
                    "from": {"id": "7100000000000001"},
                },
            },
        )
    )

    assert (edited.verb, edited.comment.text) == ("edited", "Can we bring tins or packets?")
    assert (removed.verb, removed.comment.external_id, removed.comment.text) == ("remove", "900001_300001", "")
    assert removed.comment.author_id == "7100000000000001"


def test_hide_events_from_facebook_itself_are_read():
    hidden, shown = parse_meta_webhook(page_delivery(feed_change("hide"), feed_change("unhide")))
    assert (hidden.verb, hidden.comment.hidden) == ("hide", True)
    assert (shown.verb, shown.comment.hidden) == ("unhide", False)


def test_the_same_delivery_twice_gives_the_same_keys_and_different_events_different_ones():
    delivery = page_delivery(feed_change(), feed_change("edited", message="v2"), feed_change("edited", message="v3"))

    first = [e.delivery_key for e in parse_meta_webhook(delivery)]
    again = [e.delivery_key for e in parse_meta_webhook(json.loads(json.dumps(delivery)))]

    assert first == again
    assert len(set(first)) == 3  # two edits keep the comment's created_time; their text tells them apart
    assert all("v2" not in key and "tins" not in key for key in first)  # keys carry a digest, never the text


def test_posts_reactions_and_other_fields_are_passed_over():
    delivery = page_delivery(
        {"field": "feed", "value": {"item": "post", "verb": "add", "post_id": f"{PAGE}_900002"}},
        {
            "field": "feed",
            "value": {
                "item": "reaction",
                "verb": "add",
                "post_id": f"{PAGE}_900002",
                "reaction_type": "like",
                "from": {"id": "1"},
            },
        },
        {"field": "mention", "value": {"item": "comment", "verb": "add", "comment_id": "1_2", "post_id": "1"}},
        feed_change("unknown-verb"),
        feed_change(),
    )

    assert [e.comment.external_id for e in parse_meta_webhook(delivery)] == ["900001_300001"]


def test_a_malformed_change_is_skipped_and_logged_without_its_content_and_the_rest_kept(caplog):
    caplog.set_level(logging.WARNING)
    broken = feed_change(message="Secret phone 07700 900123")
    del broken["value"]["comment_id"]

    events = parse_meta_webhook(page_delivery(broken, feed_change(created_time="not a time"), feed_change()))

    assert [e.comment.external_id for e in events] == ["900001_300001"]
    assert "malformed" in caplog.text
    assert "07700" not in caplog.text


def test_entry_time_in_milliseconds_is_read():
    [event] = parse_meta_webhook(page_delivery(feed_change(), time=SENT * 1000))
    assert event.sent_at == dt.datetime.fromtimestamp(SENT, dt.UTC)


# --- Instagram comments ----------------------------------------------------------------------------------------------


def test_a_new_instagram_comment_is_read_from_the_comments_change():
    [event] = parse_meta_webhook(instagram_delivery())

    assert (event.platform, event.account_id, event.verb) == (Platform.INSTAGRAM, IG_USER, "add")
    comment = event.comment
    assert comment.external_id == "17865799348089039"
    assert (comment.parent_external_id, comment.post_external_id) == ("17900000000000001", "17900000000000001")
    assert (comment.author_id, comment.author_name, comment.text) == (
        "17841411111111111",
        "jo.parent",
        "Brilliant sports day!",
    )
    assert comment.created_at == event.sent_at == dt.datetime.fromtimestamp(SENT, dt.UTC)
    assert event.delivery_key == f"instagram:{IG_USER}:17865799348089039:add"


def test_an_instagram_reply_has_its_parent_comment():
    [event] = parse_meta_webhook(instagram_delivery(id="17865799348089040", parent_id="17865799348089039"))
    assert event.comment.parent_external_id == "17865799348089039"
    assert event.comment.is_reply


def test_an_instagram_comment_without_a_time_is_skipped():
    delivery = instagram_delivery()
    del delivery["entry"][0]["time"]
    assert parse_meta_webhook(delivery) == []


def test_instagram_mentions_are_passed_over():
    delivery = instagram_delivery()
    delivery["entry"][0]["changes"][0]["field"] = "mentions"
    assert parse_meta_webhook(delivery) == []


@pytest.mark.parametrize("payload", [None, [], "{}", {"object": "page"}, {"object": "page", "entry": "x"}])
def test_a_body_that_is_not_a_delivery_is_a_clear_error(payload):
    with pytest.raises(WebhookPayloadError):
        parse_meta_webhook(payload)


def test_entries_without_an_id_or_changes_are_passed_over():
    delivery = {"object": "page", "entry": [{"time": SENT, "changes": [feed_change()]}, {"id": PAGE, "time": SENT}]}
    assert parse_meta_webhook(delivery) == []


# --- Replay ----------------------------------------------------------------------------------------------------------


def test_a_delivery_sent_long_ago_is_stale_however_well_signed():
    [event] = parse_meta_webhook(page_delivery(feed_change()))
    sent = dt.datetime.fromtimestamp(SENT, dt.UTC)

    assert not is_stale(event, now=sent + dt.timedelta(minutes=2))
    assert is_stale(event, now=sent + dt.timedelta(minutes=11))
    assert not is_stale(event, now=sent + dt.timedelta(minutes=11), max_age=dt.timedelta(minutes=15))
    assert is_stale(event, now=sent - dt.timedelta(minutes=5))  # from the future


def test_without_entry_time_staleness_falls_back_on_the_comments_created_time():
    delivery = page_delivery(feed_change())
    del delivery["entry"][0]["time"]
    [event] = parse_meta_webhook(delivery)
    created = dt.datetime.fromtimestamp(SENT - 5, dt.UTC)

    assert event.sent_at is None
    assert not is_stale(event, now=created + dt.timedelta(minutes=1))
    assert is_stale(event, now=created + dt.timedelta(hours=1))
