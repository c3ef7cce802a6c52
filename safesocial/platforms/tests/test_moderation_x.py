"""Comment (reply) moderation on X against the local X API v2 stand-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from safesocial.platforms.base import (
    Moderator,
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishRequest,
    RateLimited,
    TokenExpired,
    Unsupported,
)
from safesocial.platforms.registry import moderator_for
from safesocial.platforms.x import XAdapter

USER = "1500000000000000001"  # the stand-in's X account
TROLL = ("1600000000000000666", "Not A Parent", "notaparent")
adapter = XAdapter()


def post(x_account, text: str) -> str:
    return adapter.publish(x_account, PublishRequest(text)).external_id


def test_the_x_adapter_is_a_moderator():
    assert isinstance(moderator_for("x"), XAdapter)
    assert isinstance(adapter, Moderator)


def test_polling_searches_the_conversations_of_recent_posts_for_other_peoples_replies(x_api, x_account):
    netball = post(x_account, "Well done to our netball team!")
    choir = post(x_account, "Choir tonight at 6pm")
    now = time.time()
    first = x_api.add_reply(netball, "Fish & chips <3 to celebrate?", created=now - 300)
    nested = x_api.add_reply(first, "Reply to a reply", author=TROLL, created=now - 200)
    ours = adapter.reply(x_account, first, "Thank you!")
    elsewhere = x_api.add_reply(choir, "What time does it finish?", created=now - 100)
    x_api.received.clear()

    comments = adapter.fetch_comments(x_account)

    timeline, search = x_api.received
    assert (timeline.method, timeline.path) == ("GET", f"/2/users/{USER}/tweets")
    assert timeline.query["exclude"] == "replies,retweets"
    assert (search.method, search.path) == ("GET", "/2/tweets/search/recent")
    assert search.query["query"] == f"-from:{USER} (conversation_id:{choir} OR conversation_id:{netball})"
    assert search.query["expansions"] == "author_id"
    assert "start_time" not in search.query
    assert search.bearer == x_account.access_token
    assert [c.external_id for c in comments] == [first, nested, elsewhere]  # oldest first, ours left out
    assert ours not in {c.external_id for c in comments}
    top, reply_to_reply, other = comments
    assert (top.parent_external_id, top.post_external_id) == (netball, netball)
    assert (reply_to_reply.parent_external_id, reply_to_reply.post_external_id) == (first, netball)
    assert other.post_external_id == choir
    assert top.text == "Fish & chips <3 to celebrate?"  # X's HTML escaping undone
    assert (top.author_id, top.author_name) == ("1600000000000000001", "Jo Parent (@joparent)")
    assert top.url == f"https://x.com/joparent/status/{first}"
    assert top.created_at.tzinfo is not None


def test_polling_since_asks_for_a_start_time_and_never_one_older_than_a_week(x_api, x_account):
    root = post(x_account, "Sports day photos")
    now = time.time()
    x_api.add_reply(root, "Older", created=now - 7200)
    newer = x_api.add_reply(root, "Newer", created=now - 60)

    recent = adapter.fetch_comments(x_account, since=dt.datetime.fromtimestamp(now - 3600, dt.UTC))
    long_ago = adapter.fetch_comments(x_account, since=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert [c.external_id for c in recent] == [newer]
    assert len(long_ago) == 2  # X would refuse a start_time in 2020; the adapter asks from a week ago
    searches = x_api.calls("GET", "/2/tweets/search/recent")
    assert searches[0].query["start_time"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3600))
    earliest = dt.datetime.strptime(searches[1].query["start_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert dt.timedelta(days=6, hours=23) < dt.datetime.now(dt.UTC) - earliest < dt.timedelta(days=7)


def test_many_conversations_are_split_into_queries_x_will_take(x_api, x_account):
    roots = [post(x_account, f"Post number {n}") for n in range(20)]
    for root in roots:
        x_api.add_reply(root, f"Reply to {root}")
    x_api.received.clear()

    comments = adapter.fetch_comments(x_account)

    queries = [r.query["query"] for r in x_api.calls("GET", "/2/tweets/search/recent")]
    assert len(queries) > 1
    assert all(len(q) <= 512 for q in queries)
    assert {c.post_external_id for c in comments} == set(roots)


def test_polling_follows_next_token_through_a_busy_conversation(x_api, x_account):
    root = post(x_account, "Snow day: school is closed.")
    for n in range(150):
        x_api.add_reply(root, f"Thank you {n}", created=time.time() - 1000 + n)

    comments = adapter.fetch_comments(x_account)

    assert len(comments) == 150
    first, second = x_api.calls("GET", "/2/tweets/search/recent")
    assert "next_token" not in first.query
    assert second.query["next_token"] == "100"


def test_an_account_with_no_posts_needs_no_search(x_api, x_account):
    assert adapter.fetch_comments(x_account) == []
    assert x_api.calls("GET", "/2/tweets/search/recent") == []


def test_hide_and_unhide_put_hidden_on_the_reply(x_api, x_account):
    reply = x_api.add_reply(post(x_account, "Parents' evening"), "You are all useless", author=TROLL)
    x_api.received.clear()

    adapter.hide(x_account, reply)

    [call] = x_api.received
    assert (call.method, call.path, call.json) == ("PUT", f"/2/tweets/{reply}/hidden", {"hidden": True})
    assert call.bearer == x_account.access_token
    assert x_api.everything[reply]["hidden"] is True

    adapter.unhide(x_account, reply)

    assert x_api.received[-1].json == {"hidden": False}
    assert x_api.everything[reply]["hidden"] is False


def test_x_refuses_to_hide_a_reply_outside_the_accounts_own_conversations(x_api, x_account):
    someone_elses = "1880000000000000001"
    x_api.everything[someone_elses] = {
        "id": someone_elses,
        "text": "Someone else's post",
        "author_id": TROLL[0],
        "conversation_id": someone_elses,
        "in_reply_to": None,
        "created": time.time(),
        "hidden": False,
    }
    reply = x_api.add_reply(someone_elses, "A reply there")

    with pytest.raises(PermissionDenied, match="not a reply in a conversation you started"):
        adapter.hide(x_account, reply)


def test_hiding_a_reply_that_is_gone_is_not_found(x_api, x_account):
    with pytest.raises(NotFound, match="Could not find tweet"):
        adapter.hide(x_account, "1880099999999999999")


def test_deleting_someone_elses_reply_says_plainly_that_x_cannot(x_api, x_account):
    with pytest.raises(Unsupported) as raised:
        adapter.delete(x_account, "1880040000000000001")

    assert "X lets an account delete only its own posts" in str(raised.value)
    assert "Hide it instead" in str(raised.value)
    assert x_api.received == []


def test_reply_creates_a_post_in_reply_to_the_comment(x_api, x_account):
    comment = x_api.add_reply(post(x_account, "Trip to the farm"), "Do they need wellies?")
    x_api.received.clear()

    reply_id = adapter.reply(x_account, comment, "Yes please, and a packed lunch.")

    [call] = x_api.received
    assert (call.method, call.path) == ("POST", "/2/tweets")
    assert call.json == {"text": "Yes please, and a packed lunch.", "reply": {"in_reply_to_tweet_id": comment}}
    assert x_api.everything[reply_id]["in_reply_to"] == comment


def test_a_reply_over_280_characters_is_stopped_before_any_call(x_api, x_account):
    with pytest.raises(PlatformError, match="X takes 280") as raised:
        adapter.reply(x_account, "1880040000000000001", "x" * 281)

    assert raised.value.code == "too_long"
    assert x_api.received == []


def test_replying_to_a_deleted_post_is_refused(x_api, x_account):
    with pytest.raises(PermissionDenied, match="deleted or not visible"):
        adapter.reply(x_account, "1880040000000009999", "Thanks")


def test_blocking_without_the_enterprise_plan_is_refused_with_a_clear_reason(x_api, x_account):
    x_api.add_reply(post(x_account, "Hello"), "Abuse", author=TROLL)

    with pytest.raises(PermissionDenied) as raised:
        adapter.block(x_account, TROLL[0])

    message = str(raised.value)
    assert "only on the Enterprise plan" in message
    assert "Block the account in the X app" in message
    assert "you may need a different access level" in message  # X's own words, kept for whoever reads the log
    assert raised.value.code == "client-not-enrolled"
    assert not raised.value.retryable
    assert x_api.blocks == []


def test_blocking_with_the_enterprise_plan_blocks_the_author(x_api, x_account):
    x_api.enterprise = True
    x_api.add_reply(post(x_account, "Hello"), "Abuse", author=TROLL)
    x_api.received.clear()

    adapter.block(x_account, TROLL[0])

    [call] = x_api.received
    assert (call.method, call.path, call.json) == ("POST", f"/2/users/{USER}/blocking", {"target_user_id": TROLL[0]})
    assert x_api.blocks == [(USER, TROLL[0])]


@pytest.mark.parametrize(("failure", "error"), [("expired_token", TokenExpired), ("rate_limit", RateLimited)])
@pytest.mark.parametrize("action", ["fetch", "hide", "reply", "block"])
def test_x_errors_on_moderation_calls_become_the_right_exception(x_api, x_account, failure, error, action):
    reply = x_api.add_reply(post(x_account, "Hello"), "Hi")
    x_api.fail(failure)
    calls = {
        "fetch": lambda: adapter.fetch_comments(x_account),
        "hide": lambda: adapter.hide(x_account, reply),
        "reply": lambda: adapter.reply(x_account, reply, "Thanks"),
        "block": lambda: adapter.block(x_account, "1600000000000000001"),
    }

    with pytest.raises(error) as raised:
        calls[action]()

    assert type(raised.value) is error
    assert x_account.access_token not in str(raised.value)
