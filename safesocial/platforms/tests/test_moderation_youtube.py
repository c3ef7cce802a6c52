"""Comment moderation on a YouTube channel against the local YouTube Data API stand-in."""

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
from safesocial.platforms.registry import moderator_for
from safesocial.platforms.youtube import YouTubeAdapter

VIDEO = "Xq3vB9tZk2E"  # the stand-in's video
CHANNEL = "UCseabrightPrimary00001"
TROLL = ("UCtroll00000000000000666", "Not A Parent")
adapter = YouTubeAdapter()


def test_the_youtube_adapter_is_a_moderator():
    assert isinstance(moderator_for("youtube"), YouTubeAdapter)
    assert isinstance(adapter, Moderator)


def test_polling_reads_published_threads_and_replies_on_the_channels_videos(youtube, youtube_channel):
    now = time.time()
    top = youtube.add_comment("Lovely <b>sports day</b> & well done!", created=now - 300)
    reply = youtube.add_comment("Agreed", parent=top, author=("UCsam000000000000000002", "Sam Carer"), created=now)
    youtube.add_comment("Held by YouTube's spam filter", status="heldForReview", created=now)

    comments = adapter.fetch_comments(youtube_channel)

    [call] = youtube.received
    assert (call.method, call.path) == ("GET", "/youtube/v3/commentThreads")
    assert call.query == {
        "part": "snippet,replies",
        "allThreadsRelatedToChannelId": CHANNEL,
        "maxResults": "100",
        "order": "time",
        "textFormat": "plainText",
    }
    assert call.bearer == youtube_channel.access_token
    first, second = comments
    assert (first.external_id, first.parent_external_id, first.post_external_id) == (top, VIDEO, VIDEO)
    assert (second.external_id, second.parent_external_id, second.is_reply) == (reply, top, True)
    assert first.text == "Lovely <b>sports day</b> & well done!"  # plain text, not YouTube's HTML
    assert (first.author_id, first.author_name) == ("UCjoParent000000000000001", "Jo Parent")
    assert first.url == f"https://www.youtube.com/watch?v={VIDEO}&lc={top}"
    assert first.created_at.tzinfo is not None
    assert not first.hidden


def test_a_thread_with_more_replies_than_it_carries_is_read_in_full(youtube, youtube_channel):
    top = youtube.add_comment("Which day is the concert?", created=time.time() - 100)
    replies = [youtube.add_comment(f"Reply {n}", parent=top, created=time.time() - 50 + n) for n in range(8)]

    comments = adapter.fetch_comments(youtube_channel)

    assert [c.external_id for c in comments] == [top, *replies]
    _threads, more = youtube.received
    assert (more.path, more.query["parentId"]) == ("/youtube/v3/comments", top)


def test_polling_since_reads_on_until_threads_are_older_than_since(youtube, youtube_channel):
    now = time.time()
    for n in range(30):
        youtube.add_comment(f"Old {n}", created=now - 10 * 24 * 3600 - n)
    fresh = [youtube.add_comment(f"New {n}", created=now - 3000 + n) for n in range(150)]

    comments = adapter.fetch_comments(youtube_channel, since=dt.datetime.fromtimestamp(now - 3600, dt.UTC))

    assert [c.external_id for c in comments] == fresh
    _first, second = youtube.received
    assert second.query["pageToken"] == "100"


def test_without_since_polling_reads_one_page(youtube, youtube_channel):
    for n in range(120):
        youtube.add_comment(f"Comment {n}")

    assert len(adapter.fetch_comments(youtube_channel)) == 100
    assert len(youtube.received) == 1


@pytest.mark.parametrize(
    ("action", "status"), [("hide", "heldForReview"), ("unhide", "published"), ("delete", "rejected")]
)
def test_each_action_sets_the_comments_moderation_status(youtube, youtube_channel, action, status):
    comment = youtube.add_comment(
        "Call me on 07700 900123", status="heldForReview" if action == "unhide" else "published"
    )

    getattr(adapter, action)(youtube_channel, comment)

    [call] = youtube.received
    assert (call.method, call.path) == ("POST", "/youtube/v3/comments/setModerationStatus")
    assert call.query == {"id": comment, "moderationStatus": status}
    assert call.bearer == youtube_channel.access_token
    assert youtube.comments[comment]["status"] == status


def test_a_hidden_comment_is_left_out_of_polling_and_can_be_restored(youtube, youtube_channel):
    comment = youtube.add_comment("Borderline")
    adapter.hide(youtube_channel, comment)
    assert adapter.fetch_comments(youtube_channel) == []

    adapter.unhide(youtube_channel, comment)

    assert [c.external_id for c in adapter.fetch_comments(youtube_channel)] == [comment]


def test_a_deleted_comment_cannot_be_restored(youtube, youtube_channel):
    comment = youtube.add_comment("Spam")
    adapter.delete(youtube_channel, comment)

    with pytest.raises(PlatformError, match="rejected comment cannot be published again") as raised:
        adapter.unhide(youtube_channel, comment)

    assert raised.value.code == "processingFailure"
    assert youtube.comments[comment]["status"] == "rejected"


def test_block_checks_the_comments_author_then_rejects_it_and_bans_them(youtube, youtube_channel):
    comment = youtube.add_comment("Abuse", author=TROLL)

    adapter.block(youtube_channel, TROLL[0], comment_id=comment)

    check, ban = youtube.received
    assert (check.method, check.path, check.query) == (
        "GET",
        "/youtube/v3/comments",
        {"part": "snippet", "id": comment},
    )
    assert (ban.method, ban.path) == ("POST", "/youtube/v3/comments/setModerationStatus")
    assert ban.query == {"id": comment, "moderationStatus": "rejected", "banAuthor": "true"}
    assert youtube.comments[comment]["status"] == "rejected"
    assert youtube.banned == [TROLL[0]]
    later = youtube.add_comment("More abuse", author=TROLL)
    assert youtube.comments[later]["status"] == "rejected"


def test_block_will_not_ban_someone_through_another_persons_comment(youtube, youtube_channel):
    comment = youtube.add_comment("An innocent comment")

    with pytest.raises(PlatformError, match="was not written by") as raised:
        adapter.block(youtube_channel, TROLL[0], comment_id=comment)

    assert raised.value.code == "author_mismatch"
    assert youtube.calls("POST") == []
    assert youtube.banned == []


def test_block_needs_a_comment_to_block_by(youtube, youtube_channel):
    with pytest.raises(Unsupported, match="only block someone through one of their comments"):
        adapter.block(youtube_channel, TROLL[0])

    assert youtube.received == []


def test_reply_inserts_a_comment_under_the_parent(youtube, youtube_channel):
    comment = youtube.add_comment("Is there a uniform sale?")

    reply_id = adapter.reply(youtube_channel, comment, "Yes: Friday after school in the hall.")

    [call] = youtube.received
    assert (call.method, call.path, call.query) == ("POST", "/youtube/v3/comments", {"part": "snippet"})
    assert call.json == {"snippet": {"parentId": comment, "textOriginal": "Yes: Friday after school in the hall."}}
    assert youtube.comments[reply_id]["parentId"] == comment
    assert youtube.comments[reply_id]["author"][0] == CHANNEL


def test_youtube_takes_replies_to_top_level_comments_only(youtube, youtube_channel):
    reply = youtube.add_comment("A reply", parent=youtube.add_comment("Top"))

    with pytest.raises(PlatformError, match="not able to insert a comment in reply") as raised:
        adapter.reply(youtube_channel, reply, "Thanks")

    assert raised.value.code == "operationNotSupported"


def test_a_comment_that_is_gone_is_not_found(youtube, youtube_channel):
    with pytest.raises(NotFound) as raised:
        adapter.hide(youtube_channel, "UgzGoneAaABAg")

    assert raised.value.code == "commentNotFound"


def test_a_comment_on_someone_elses_video_is_permission_denied(youtube, youtube_channel):
    comment = youtube.add_comment("Elsewhere", video=youtube.other_channels_video)

    with pytest.raises(PermissionDenied, match="insufficient permissions"):
        adapter.delete(youtube_channel, comment)


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Request had invalid authentication credentials"),
        ("quota", RateLimited, "you have exceeded your quota"),
        ("server_error", TemporaryError, "The service is currently unavailable."),
        ("unknown", PermissionDenied, "cannot be updated by this channel"),
    ],
)
@pytest.mark.parametrize("action", ["fetch", "hide", "reply", "block"])
def test_youtube_errors_on_moderation_calls_become_the_right_exception(
    youtube, youtube_channel, failure, error, message, action
):
    comment = youtube.add_comment("Hello", author=TROLL)
    youtube.fail(failure)
    calls = {
        "fetch": lambda: adapter.fetch_comments(youtube_channel),
        "hide": lambda: adapter.hide(youtube_channel, comment),
        "reply": lambda: adapter.reply(youtube_channel, comment, "Thanks"),
        "block": lambda: adapter.block(youtube_channel, TROLL[0], comment_id=comment),
    }

    with pytest.raises(error) as raised:
        calls[action]()

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert youtube_channel.access_token not in str(raised.value)
    assert youtube.comments[comment]["status"] == "published"
