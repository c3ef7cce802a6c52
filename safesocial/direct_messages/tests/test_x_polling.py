"""X direct messages, read by polling GET /2/dm_events (X has no DM webhook on its self-serve plans) and answered with
the policy's standard reply through POST /2/dm_conversations/with/:participant_id/messages, against the X stand-in
and the failures X's docs describe."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from safesocial.concerns.models import ConcernKind
from safesocial.direct_messages.models import DirectMessage, ReplyStatus
from safesocial.direct_messages.services import messages_poll, poll_all, reply_text
from safesocial.platforms.base import Account, PermissionDenied, RateLimited, TemporaryError, TokenExpired
from safesocial.platforms.messaging import XMessenger
from safesocial.testing.standins.messaging import X_SENDER
from safesocial.testing.standins.x import X_TOKEN, XStandIn

pytestmark = pytest.mark.django_db

DISCLOSURE = "I'm scared to go home because my stepdad hits me"


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    """One round of the scheduled poll, with the background reading run as each message is committed."""

    def run() -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return poll_all()

    return run


def test_polling_reads_new_messages_and_answers_each_conversation_with_the_policy_text(poll, x_dm_api, x_channel):
    x_dm_api.add_dm("What time does the school fair start on Saturday?", created=time.time() - 60)
    assert poll() == {"channels": 1, "new": 1, "failed": 0}
    message = DirectMessage.objects.get()
    assert (message.sender_id, message.sender_name) == (X_SENDER[0], "Pat Pupil (@patpupil)")
    assert message.action == "allow" and message.reply_status == ReplyStatus.SENT
    assert x_dm_api.sent_to(X_SENDER[0]) == [reply_text(x_channel)]
    # The reply is the account's own message: the next poll passes over it and finds nothing new.
    assert poll() == {"channels": 1, "new": 0, "failed": 0}
    x_dm_api.add_dm("Thank you")
    assert poll()["new"] == 1
    assert len(x_dm_api.sent_to(X_SENDER[0])) == 1  # once a day, however many messages


def test_a_disclosure_by_x_message_reaches_the_dsl(poll, x_dm_api, x_channel, mailoutbox, head):
    x_dm_api.add_dm(DISCLOSURE)
    poll()
    message = DirectMessage.objects.get()
    assert message.concern is not None and message.concern.kind == ConcernKind.COMMENT_DISCLOSURE
    assert DISCLOSURE in message.concern.summary and "direct message to Seabright on X" in message.concern.summary
    assert message.concern.account_handle == "Pat Pupil (@patpupil)"
    assert any(head.email in m.to for m in mailoutbox) and all("stepdad" not in m.body for m in mailoutbox)
    assert x_dm_api.sent_to(X_SENDER[0]) == [reply_text(x_channel)]


def test_reading_goes_back_page_by_page_only_as_far_as_the_last_message_already_kept(x_dm_api):
    now = time.time()
    for n in range(5):
        x_dm_api.add_dm(f"Question {n}", created=now - 500 + n * 100)
    x_dm_api.add_dm("The account's own", sender=(XStandIn.user_id, "Seabright Primary", "SeabrightPri"))
    account = Account(XStandIn.user_id, X_TOKEN)
    everything = XMessenger().fetch_messages(account, per_page=2)
    assert [m.text for m in everything] == [f"Question {n}" for n in range(5)]
    assert [r.query.get("pagination_token", "") for r in x_dm_api.calls("GET", "/2/dm_events")] == ["", "2", "4"]
    x_dm_api.received.clear()
    since = everything[2].created_at
    assert [m.text for m in XMessenger().fetch_messages(account, since=since, per_page=2)] == [
        "Question 3",
        "Question 4",
    ]
    assert len(x_dm_api.calls("GET", "/2/dm_events")) == 2  # the second page reaches `since`: no third


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ("expired_token", TokenExpired),
        ("rate_limit", RateLimited),
        ("server_error", TemporaryError),
        ("no_dm_access", PermissionDenied),
    ],
)
def test_a_refusal_from_x_stops_nothing_else_and_stores_nothing(poll, x_dm_api, x_channel, failure, error):
    x_dm_api.add_dm("Hello")
    if failure == "no_dm_access":
        x_dm_api.dm_access = False  # the app's API plan does not include Direct Messages
    else:
        x_dm_api.fail(failure)
    with pytest.raises(error) as raised:
        XMessenger().fetch_messages(Account(XStandIn.user_id, X_TOKEN))
    if failure == "rate_limit":
        assert raised.value.retry_after and raised.value.retry_after > 800
    if failure == "no_dm_access":
        assert raised.value.code == "client-not-enrolled"
    assert poll() == {"channels": 1, "new": 0, "failed": 1}
    assert not DirectMessage.objects.exists()
    with pytest.raises(error):
        messages_poll(x_channel)


def test_a_person_who_refuses_messages_from_the_account_is_recorded_as_not_answered(poll, x_dm_api, x_channel):
    x_dm_api.add_dm("Hello")
    x_dm_api.refuses_dms.add(X_SENDER[0])
    poll()
    assert DirectMessage.objects.get().reply_status == ReplyStatus.FAILED
    assert x_dm_api.sent_to(X_SENDER[0]) == []


def test_the_poll_command_says_what_it_found(x_dm_api, x_channel, capsys, django_capture_on_commit_callbacks):
    x_dm_api.add_dm("Hello")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("poll_direct_messages")
    assert capsys.readouterr().out.strip() == "channels=1 new=1 failed=0"
