"""Direct messages to a Facebook Page (the Messenger Platform's `messages` webhook) and an Instagram account (the
Instagram messaging webhook) arrive at the one Meta webhook address, signed like comments; each is read like a
comment, a possible disclosure goes to the DSL, and the account answers only with the policy's standard reply."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns.models import Concern, ConcernKind
from safesocial.direct_messages.models import DirectMessage, ReplyStatus, StandardReply
from safesocial.direct_messages.services import reply_text
from safesocial.testing.standins.messaging import (
    IGSID,
    PSID,
    instagram_messages_delivery,
    messenger_delivery,
    signed,
)

pytestmark = pytest.mark.django_db

KIND = "Hi, is there PE on Friday? thanks"
DISCLOSURE = "please dont tell anyone but my stepdad hurts me when mum is at work"


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post a delivery to the Meta webhook as Meta does, signed unless told otherwise; the background reading runs
    as the request's transaction commits, as it does with the demo's immediate task backend."""

    def post(payload: dict, *, signature: str | None = None, secret: str | None = None):
        body, good = signed(payload, secret) if secret else signed(payload)
        headers = {} if signature == "" else {"HTTP_X_HUB_SIGNATURE_256": signature or good}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("meta_webhook"), data=body, content_type="application/json", **headers)

    return post


def test_a_message_to_the_page_is_kept_read_and_answered_with_the_policy_text_only(
    deliver, messenger_api, facebook_channel
):
    response = deliver(messenger_delivery(KIND))
    assert response.status_code == 200
    assert response.json()["messages"] == {"stored": 1, "duplicates": 0, "refused": 0}
    message = DirectMessage.objects.get()
    assert (message.channel, message.sender_id, message.text) == (facebook_channel, PSID, KIND)
    assert message.sender_name == "Pat Pupil"  # from the User Profile API: the webhook names nobody
    assert message.action == "allow" and message.concern is None
    assert message.reply_status == ReplyStatus.SENT and message.replied_at is not None
    [sent] = messenger_api.sent
    assert sent == {
        "id": sent["id"],
        "by": "facebook",
        "to": PSID,
        "text": reply_text(facebook_channel),
        "messaging_type": "RESPONSE",
    }
    assert "Seabright" in sent["text"] and "999" in sent["text"]
    actions = list(
        AuditEntry.objects.filter(object_type="direct_messages.directmessage", object_id=str(message.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "direct_message.receive",
        "direct_message.classified",
        "direct_message.reply",
    ]
    # The trail never holds the words.
    assert not AuditEntry.objects.filter(changes__icontains="PE on Friday").exists()


@pytest.mark.parametrize("delivery", [messenger_delivery, instagram_messages_delivery], ids=["messenger", "instagram"])
@pytest.mark.parametrize("signature", ["wrong secret", "missing", "sha1", "truncated"])
def test_a_delivery_whose_signature_does_not_match_is_refused_and_nothing_is_stored(
    deliver, messenger_api, facebook_channel, instagram_channel, delivery, signature
):
    payload = delivery(DISCLOSURE)
    _, good = signed(payload)
    header = {
        "wrong secret": signed(payload, "not-the-app-secret")[1],
        "missing": "",
        "sha1": "sha1=" + good.removeprefix("sha256=")[:40],
        "truncated": good[:-2],
    }[signature]
    response = deliver(payload, signature=header)
    assert response.status_code == 403
    assert not DirectMessage.objects.exists() and not Concern.objects.exists()
    assert not messenger_api.sent


def test_a_pupils_disclosure_on_instagram_goes_to_the_dsl_with_its_words_and_gets_only_the_standard_reply(
    deliver, messenger_api, instagram_channel, head, teacher, signed_in, mailoutbox
):
    deliver(instagram_messages_delivery(DISCLOSURE))
    message = DirectMessage.objects.get()
    assert message.action == "escalate"
    concern = message.concern
    assert concern is not None and concern.kind == ConcernKind.COMMENT_DISCLOSURE
    assert concern.school == instagram_channel.school
    assert "direct message to Seabright Instagram" in concern.summary
    assert concern.account_handle == "Pat Pupil (@pat.pupil)"
    # Seabright's DSL (the head) is told, in an email that says only that there is a concern.
    assert any(head.email in m.to for m in mailoutbox)
    assert all("stepdad" not in m.body and "stepdad" not in m.subject for m in mailoutbox)
    # The DSL reads the words on the concern; a teacher cannot even see that it exists.
    page = signed_in(head).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "my stepdad hurts me" in page and "direct message" in page
    assert signed_in(teacher).get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    # The account's only answer: the policy's words, through the Page linked to the Instagram account.
    [sent] = messenger_api.sent
    assert (sent["by"], sent["to"], sent["text"]) == ("instagram", IGSID, reply_text(instagram_channel))
    assert message.reply_status == ReplyStatus.SENT


def test_a_conversation_gets_the_standard_reply_once_a_day_however_many_messages_it_sends(
    deliver, messenger_api, facebook_channel
):
    deliver(messenger_delivery(KIND, mid="m_first"))
    deliver(messenger_delivery("Also, is the library open?", mid="m_second"))
    deliver(messenger_delivery(DISCLOSURE, mid="m_third"))
    first, second, third = DirectMessage.objects.order_by("pk")
    assert len(messenger_api.sent) == 1
    assert first.reply_status == ReplyStatus.SENT
    assert second.reply_status == third.reply_status == ReplyStatus.ALREADY
    assert third.concern is not None  # not answered twice, and still with the DSL
    # Another person writing the same day gets their own reply.
    messenger_api.people["7300000000000002"] = {"name": "Sam Sibling"}
    deliver(messenger_delivery(KIND, mid="m_other", sender="7300000000000002"))
    assert [s["to"] for s in messenger_api.sent] == [PSID, "7300000000000002"]
    # The next day, the first conversation may be answered again.
    StandardReply.objects.filter(recipient_id=PSID).update(day=timezone.localdate() - dt.timedelta(days=1))
    deliver(messenger_delivery("Thanks", mid="m_next_day"))
    assert [s["to"] for s in messenger_api.sent] == [PSID, "7300000000000002", PSID]
    assert {s["text"] for s in messenger_api.sent} == {reply_text(facebook_channel)}


def test_a_reply_the_platform_refuses_is_recorded_and_the_next_message_may_try_again(
    deliver, messenger_api, facebook_channel
):
    messenger_api.fail("outside_window", on="/messages")
    deliver(messenger_delivery(KIND, mid="m_refused"))
    refused = DirectMessage.objects.get()
    assert refused.reply_status == ReplyStatus.FAILED and refused.replied_at is None
    entry = AuditEntry.objects.get(action="direct_message.reply_failed")
    assert "outside of allowed window" in entry.changes["error"]
    assert not StandardReply.objects.exists()  # the day is not used up by a reply that never went
    messenger_api.fail("")
    deliver(messenger_delivery("Hello?", mid="m_again"))
    assert DirectMessage.objects.get(external_id="m_again").reply_status == ReplyStatus.SENT
    assert len(messenger_api.sent) == 1


def test_the_same_message_delivered_twice_is_stored_and_answered_once(deliver, messenger_api, facebook_channel):
    payload = messenger_delivery(KIND)
    deliver(payload)
    response = deliver(payload)
    assert response.json()["messages"] == {"stored": 0, "duplicates": 1, "refused": 0}
    assert DirectMessage.objects.count() == 1 and len(messenger_api.sent) == 1


def test_a_replayed_delivery_and_one_for_an_account_that_is_no_official_channel_are_refused(
    deliver, messenger_api, facebook_channel
):
    replay = messenger_delivery(KIND, at=time.time() - 3 * 3600)
    assert deliver(replay).json()["messages"] == {"stored": 0, "duplicates": 0, "refused": 1}
    elsewhere = messenger_delivery(KIND)
    elsewhere["entry"][0]["id"] = "104999999999999"
    assert deliver(elsewhere).json()["messages"]["refused"] == 1
    assert not DirectMessage.objects.exists() and not messenger_api.sent


def test_the_accounts_own_messages_and_receipts_are_passed_over(deliver, messenger_api, facebook_channel):
    echo = messenger_delivery("Our own message", is_echo=True, app_id=1517776481860111)
    receipt = messenger_delivery(KIND)
    receipt["entry"][0]["messaging"][0] = {
        "sender": {"id": PSID},
        "recipient": {"id": facebook_channel.external_id},
        "timestamp": int(time.time() * 1000),
        "read": {"watermark": int(time.time() * 1000)},
    }
    for payload in (echo, receipt):
        assert deliver(payload).status_code == 200
    assert not DirectMessage.objects.exists() and not messenger_api.sent


def test_a_photo_without_words_is_kept_for_a_person_to_look_at(deliver, messenger_api, facebook_channel):
    photo = {"type": "image", "payload": {"url": "https://lookaside.fbsbx.example/image.jpg"}}
    deliver(messenger_delivery("", attachments=[photo]))
    message = DirectMessage.objects.get()
    assert message.attachments == 1 and message.action == "review"
    assert "does not read" in message.classification["unread"]
    assert message.reply_status == ReplyStatus.SENT
