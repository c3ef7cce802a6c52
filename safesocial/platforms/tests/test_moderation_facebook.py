"""Comment moderation on a Facebook Page against the local Graph API stand-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from safesocial.platforms.base import (
    Moderator,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    TemporaryError,
    TokenExpired,
    Unsupported,
)
from safesocial.platforms.facebook import FacebookGroupAdapter, FacebookPageAdapter
from safesocial.platforms.registry import moderator_for

PAGE = "104000000000001"  # the stand-in's Page
adapter = FacebookPageAdapter()


def test_the_page_adapter_is_a_moderator():
    assert isinstance(adapter, Moderator)
    assert moderator_for("facebook_page") is not None


def test_polling_reads_comments_and_replies_on_recent_posts_in_one_call(graph, facebook_page):
    post = graph.add_post("Harvest festival this Friday")
    now = time.time()
    first = graph.add_comment(post, "Can we bring tins?", author=("7100000000000001", "Jo Parent"), created=now - 60)
    reply = graph.add_comment(post, "Yes please!", author=("7100000000000002", "Sam Carer"), parent=first, created=now)

    comments = adapter.fetch_comments(facebook_page)

    [call] = graph.received
    assert (call.method, call.path) == ("GET", f"/v21.0/{PAGE}/feed")
    assert call.bearer == facebook_page.access_token
    assert "access_token" not in call.query
    assert "comments.filter(stream)" in call.query["fields"]  # replies too, not only top-level comments
    assert [c.external_id for c in comments] == [first, reply]  # oldest first
    top, answer = comments
    assert (top.parent_external_id, top.post_external_id, top.is_reply) == (post, post, False)
    assert (answer.parent_external_id, answer.post_external_id, answer.is_reply) == (first, post, True)
    assert (top.author_id, top.author_name, top.text) == ("7100000000000001", "Jo Parent", "Can we bring tins?")
    assert top.created_at.tzinfo is not None
    assert abs(top.created_at.timestamp() - (now - 60)) < 1
    assert top.url.startswith("https://www.facebook.com/")
    assert not top.hidden


def test_polling_since_leaves_out_older_comments_and_reads_on_through_a_busy_post(graph, facebook_page):
    post = graph.add_post()
    now = time.time()
    old = graph.add_comment(post, "From last week", created=now - 7 * 24 * 3600)
    fresh = [graph.add_comment(post, f"Comment {n}", created=now - 3000 + n) for n in range(130)]
    since = dt.datetime.fromtimestamp(now - 3600, dt.UTC)

    comments = adapter.fetch_comments(facebook_page, since=since)

    assert [c.external_id for c in comments] == fresh
    assert old not in {c.external_id for c in comments}
    _feed, more = graph.received
    assert (more.method, more.path) == ("GET", f"/v21.0/{post}/comments")
    assert more.query["after"] == "100"  # the cursor, not the paging.next URL that carries the token
    assert more.query["filter"] == "stream"
    assert all("access_token" not in r.query for r in graph.received)


def test_without_since_polling_reads_one_page_per_post(graph, facebook_page):
    post = graph.add_post()
    for n in range(120):
        graph.add_comment(post, f"Comment {n}", created=time.time() - 1000 + n)

    comments = adapter.fetch_comments(facebook_page)

    assert len(comments) == 100  # the newest hundred
    assert len(graph.received) == 1


def test_hide_and_unhide_set_is_hidden_on_the_comment_with_the_page_token(graph, facebook_page):
    comment = graph.add_comment(graph.add_post(), "Ring me on 07700 900123")

    adapter.hide(facebook_page, comment)

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{comment}")
    assert call.form == {"is_hidden": "true", "access_token": facebook_page.access_token}
    assert graph.comments[comment]["hidden"] is True
    assert adapter.fetch_comments(facebook_page)[0].hidden

    adapter.unhide(facebook_page, comment)

    assert graph.received[-1].form["is_hidden"] == "false"
    assert graph.comments[comment]["hidden"] is False


def test_delete_removes_the_comment_and_its_replies_sending_the_token_in_a_header(graph, facebook_page):
    post = graph.add_post()
    comment = graph.add_comment(post, "Spam spam spam")
    graph.add_comment(post, "Reply to spam", parent=comment)

    adapter.delete(facebook_page, comment)

    [call] = graph.received
    assert (call.method, call.path, call.form, call.query) == ("DELETE", f"/v21.0/{comment}", {}, {})
    assert call.bearer == facebook_page.access_token
    assert graph.comments == {}


def test_deleting_a_comment_that_is_already_gone_is_not_found(graph, facebook_page):
    comment = graph.add_comment(graph.add_post(), "Gone soon")
    adapter.delete(facebook_page, comment)

    with pytest.raises(NotFound) as raised:
        adapter.delete(facebook_page, comment)

    assert "does not exist" in str(raised.value)
    assert raised.value.code == "100/33"
    assert not raised.value.retryable


def test_reply_posts_the_message_under_the_comment_as_the_page(graph, facebook_page):
    post = graph.add_post()
    comment = graph.add_comment(post, "Who do I complain to about the car park?")

    reply_id = adapter.reply(
        facebook_page, comment, "Please see our complaints procedure: seabright.example/complaints"
    )

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{comment}/comments")
    assert call.form == {
        "message": "Please see our complaints procedure: seabright.example/complaints",
        "access_token": facebook_page.access_token,
    }
    stored = graph.comments[reply_id]
    assert (stored["parent"], stored["author"][0]) == (comment, PAGE)


def test_block_adds_the_author_to_the_pages_blocked_list(graph, facebook_page):
    graph.add_comment(graph.add_post(), "Abuse", author=("7100000000000009", "Troll"))

    adapter.block(facebook_page, "7100000000000009")

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{PAGE}/blocked")
    assert call.form == {"user": "7100000000000009", "access_token": facebook_page.access_token}
    assert graph.blocked == ["7100000000000009"]


def test_blocking_someone_facebook_does_not_know_is_a_permanent_error(graph, facebook_page):
    with pytest.raises(PlatformError, match="Invalid user id") as raised:
        adapter.block(facebook_page, "7199999999999999")

    assert not raised.value.retryable
    assert graph.blocked == []


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Session has expired"),
        ("rate_limit", RateLimited, "(#4) Application request limit reached"),
        ("server_error", TemporaryError, "Please retry your request later"),
        ("bad_gateway", TemporaryError, "502"),
        ("unknown", PermissionDenied, "(#200) The user hasn't authorized the application"),
    ],
)
@pytest.mark.parametrize("action", ["fetch", "hide", "delete", "reply", "block"])
def test_each_graph_error_on_a_moderation_call_becomes_the_right_exception(
    graph, facebook_page, failure, error, message, action
):
    comment = graph.add_comment(graph.add_post(), "Hello", author=("7100000000000001", "Jo Parent"))
    graph.fail(failure)
    calls = {
        "fetch": lambda: adapter.fetch_comments(facebook_page),
        "hide": lambda: adapter.hide(facebook_page, comment),
        "delete": lambda: adapter.delete(facebook_page, comment),
        "reply": lambda: adapter.reply(facebook_page, comment, "Thanks"),
        "block": lambda: adapter.block(facebook_page, "7100000000000001"),
    }

    with pytest.raises(error) as raised:
        calls[action]()

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert facebook_page.access_token not in str(raised.value)
    assert graph.comments[comment]["hidden"] is False


@pytest.mark.parametrize("bad_id", ["../me/feed", "..", "104000000000001/feed", "", "a b"])
def test_an_id_that_could_climb_the_path_is_refused_before_any_call(graph, facebook_page, bad_id):
    with pytest.raises(PlatformError) as raised:
        adapter.hide(facebook_page, bad_id)

    assert raised.value.code == "invalid_id"
    assert graph.received == []


def test_groups_cannot_be_moderated_because_facebook_removed_the_api(graph, facebook_page):
    groups = moderator_for("facebook_group")
    assert isinstance(groups, FacebookGroupAdapter)

    for action in (
        lambda: groups.fetch_comments(facebook_page),
        lambda: groups.hide(facebook_page, "1_2"),
        lambda: groups.unhide(facebook_page, "1_2"),
        lambda: groups.delete(facebook_page, "1_2"),
        lambda: groups.reply(facebook_page, "1_2", "Hi"),
        lambda: groups.block(facebook_page, "7100000000000001"),
    ):
        with pytest.raises(Unsupported, match="removed the Groups API in April 2024"):
            action()
    assert graph.received == []


@pytest.mark.parametrize(
    ("platform", "message"),
    [
        ("linkedin", "SafeSocial cannot moderate comments on LinkedIn"),
        ("myspace", "'myspace' is not a platform SafeSocial knows."),
    ],
)
def test_the_registry_says_clearly_where_safesocial_cannot_moderate(platform, message):
    with pytest.raises(Unsupported, match=message):
        moderator_for(platform)
