"""Comment moderation on an Instagram professional account against the local Graph API stand-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from safesocial.platforms.base import Moderator, NotFound, PermissionDenied, PlatformError, TokenExpired, Unsupported
from safesocial.platforms.instagram import InstagramAdapter
from safesocial.platforms.registry import moderator_for

IG_USER = "17841400000000001"  # the stand-in's Instagram account
adapter = InstagramAdapter(seconds_between_checks=0)


def test_the_instagram_adapter_is_a_moderator():
    assert isinstance(moderator_for("instagram"), InstagramAdapter)
    assert isinstance(adapter, Moderator)


def test_polling_reads_comments_and_their_replies_on_recent_media(graph, instagram_account):
    quiet = graph.add_media("No comments here")
    media = graph.add_media("Sports day!")
    now = time.time()
    top = graph.add_comment(media, "Brilliant day", author=("17841411111111111", "jo.parent"), created=now - 120)
    reply = graph.add_comment(media, "Agreed!", author=("17841422222222222", "sam.carer"), parent=top, created=now)

    comments = adapter.fetch_comments(instagram_account)

    listing, read = graph.received
    assert (listing.method, listing.path) == ("GET", f"/v21.0/{IG_USER}/media")
    assert "comments_count" in listing.query["fields"]
    assert (read.method, read.path) == ("GET", f"/v21.0/{media}/comments")  # none for the media without comments
    assert "replies{" in read.query["fields"]
    assert all(r.bearer == instagram_account.access_token and "access_token" not in r.query for r in graph.received)
    assert quiet not in {c.post_external_id for c in comments}
    first, second = comments
    assert (first.external_id, first.parent_external_id, first.post_external_id) == (top, media, media)
    assert (second.external_id, second.parent_external_id, second.is_reply) == (reply, top, True)
    assert (first.author_id, first.author_name, first.text) == ("17841411111111111", "jo.parent", "Brilliant day")
    assert first.url == graph.ig_media[0]["permalink"]  # Instagram comments have no address of their own
    assert first.created_at.tzinfo is not None


def test_polling_since_leaves_out_older_comments_and_follows_the_cursor(graph, instagram_account):
    media = graph.add_media()
    now = time.time()
    graph.add_comment(media, "Last month", created=now - 30 * 24 * 3600)
    fresh = [graph.add_comment(media, f"Comment {n}", created=now - 600 + n) for n in range(60)]

    comments = adapter.fetch_comments(instagram_account, since=dt.datetime.fromtimestamp(now - 3600, dt.UTC))

    assert [c.external_id for c in comments] == fresh
    pages = graph.calls("GET", f"/{media}/comments")
    assert [p.query.get("after") for p in pages] == [None, "50"]


def test_hide_and_unhide_use_instagrams_hide_parameter(graph, instagram_account):
    comment = graph.add_comment(graph.add_media(), "Follow me for free followers!!!")

    adapter.hide(instagram_account, comment)

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{comment}")
    assert call.form == {"hide": "true", "access_token": instagram_account.access_token}
    assert graph.comments[comment]["hidden"] is True

    adapter.unhide(instagram_account, comment)

    assert graph.received[-1].form["hide"] == "false"
    assert graph.comments[comment]["hidden"] is False


def test_delete_removes_the_comment(graph, instagram_account):
    comment = graph.add_comment(graph.add_media(), "Buy cheap trainers at ...")

    adapter.delete(instagram_account, comment)

    [call] = graph.received
    assert (call.method, call.path, call.form) == ("DELETE", f"/v21.0/{comment}", {})
    assert call.bearer == instagram_account.access_token
    assert comment not in graph.comments


def test_a_reply_to_a_reply_lands_under_the_top_level_comment(graph, instagram_account):
    media = graph.add_media()
    top = graph.add_comment(media, "When is the next open day?")
    nested = graph.add_comment(media, "Me too, when?", parent=top)

    reply_id = adapter.reply(instagram_account, nested, "Saturday 10am: see you there!")

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{nested}/replies")
    assert call.form == {"message": "Saturday 10am: see you there!", "access_token": instagram_account.access_token}
    assert graph.comments[reply_id]["parent"] == top
    assert graph.comments[reply_id]["author"][0] == IG_USER


def test_instagram_will_not_take_a_reply_to_a_hidden_comment(graph, instagram_account):
    comment = graph.add_comment(graph.add_media(), "Hidden already", hidden=True)

    with pytest.raises(PlatformError, match="cannot reply to a hidden comment") as raised:
        adapter.reply(instagram_account, comment, "Thanks")

    assert not raised.value.retryable


def test_blocking_says_plainly_that_instagrams_api_cannot(graph, instagram_account):
    with pytest.raises(Unsupported) as raised:
        adapter.block(instagram_account, "17841411111111111", comment_id="1790200000000001")

    assert "Instagram's API has no way to block an account" in str(raised.value)
    assert "in the Instagram app" in str(raised.value)
    assert raised.value.code == "instagram_cannot_block"
    assert graph.received == []


def test_a_comment_that_is_gone_is_not_found(graph, instagram_account):
    with pytest.raises(NotFound):
        adapter.hide(instagram_account, "17800000000000000")


@pytest.mark.parametrize(("failure", "error"), [("expired_token", TokenExpired), ("unknown", PermissionDenied)])
def test_graph_errors_reach_instagram_moderation_as_the_right_exception(graph, instagram_account, failure, error):
    media = graph.add_media()
    graph.add_comment(media, "Hello")
    graph.fail(failure)

    with pytest.raises(error) as raised:
        adapter.fetch_comments(instagram_account)

    assert type(raised.value) is error
    assert instagram_account.access_token not in str(raised.value)
