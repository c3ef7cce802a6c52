"""The YouTube adapter against a local YouTube Data API stand-in, and the platforms SafeSocial cannot reach."""

from __future__ import annotations

import pytest

from safesocial.platforms.base import (
    PlatformError,
    PublishRequest,
    RateLimited,
    TemporaryError,
    TokenExpired,
    Unsupported,
)
from safesocial.platforms.registry import adapter_for
from safesocial.platforms.youtube import YouTubeAdapter

VIDEO = "Xq3vB9tZk2E"  # the stand-in's video
adapter = YouTubeAdapter()


def test_publishing_a_community_post_says_plainly_that_the_api_cannot(youtube, youtube_channel, jpeg):
    with pytest.raises(Unsupported) as raised:
        adapter.publish(youtube_channel, PublishRequest("Sports day is on Friday", media=(jpeg(),)))

    message = str(raised.value)
    assert "public Data API cannot create community posts" in message
    assert "YouTube Studio" in message
    assert "video's description" in message
    assert adapter.validate(PublishRequest("Sports day is on Friday"))[0].message == message
    assert adapter.find_published(youtube_channel, PublishRequest("Sports day is on Friday")) is None
    assert youtube.received == []


def test_a_video_description_is_replaced_keeping_title_category_tags_and_language(youtube, youtube_channel):
    result = adapter.update_video_description(youtube_channel, VIDEO, "Sports day highlights. Thank you, parents!")

    read, update = youtube.received
    assert (read.method, read.path, read.query) == ("GET", "/youtube/v3/videos", {"part": "snippet", "id": VIDEO})
    assert (update.method, update.path, update.query) == ("PUT", "/youtube/v3/videos", {"part": "snippet"})
    assert update.json == {
        "id": VIDEO,
        "snippet": {
            "title": "Sports day 2025",
            "categoryId": "27",
            "tags": ["sports day", "Seabright"],
            "defaultLanguage": "en-GB",
            "description": "Sports day highlights. Thank you, parents!",
        },
    }
    assert read.bearer == update.bearer == youtube_channel.access_token
    assert youtube.videos[VIDEO]["tags"] == ["sports day", "Seabright"]
    assert (result.external_id, result.url) == (VIDEO, f"https://www.youtube.com/watch?v={VIDEO}")


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Request had invalid authentication credentials"),
        ("quota", RateLimited, "you have exceeded your quota"),
        ("rate_limit", RateLimited, "The request rate is too high."),
        ("server_error", TemporaryError, "The service is currently unavailable."),
        ("unknown", PlatformError, "cannot be updated by this channel"),
    ],
)
def test_each_youtube_error_becomes_the_right_exception_with_youtubes_message(
    youtube, youtube_channel, failure, error, message
):
    youtube.fail(failure, on="part=snippet&id=")  # the read; the update answers the same way

    with pytest.raises(error) as raised:
        adapter.update_video_description(youtube_channel, VIDEO, "New description")

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert youtube_channel.access_token not in str(raised.value)
    assert youtube.videos[VIDEO]["description"] == "Highlights from sports day."


def test_an_exhausted_daily_quota_waits_until_midnight_pacific(youtube, youtube_channel):
    youtube.fail("quota")

    with pytest.raises(RateLimited) as raised:
        adapter.update_video_description(youtube_channel, VIDEO, "New description")

    assert 0 < raised.value.retry_after <= 25 * 3600  # 25 hours on the day the clocks go back
    assert raised.value.code == "quotaExceeded"


def test_a_video_the_channel_cannot_see_is_a_permanent_error(youtube, youtube_channel):
    with pytest.raises(PlatformError, match="no video nope that this channel can edit") as raised:
        adapter.update_video_description(youtube_channel, "nope", "New description")

    assert not raised.value.retryable
    assert len(youtube.received) == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [("é" * 2_501, "over YouTube's 5,000 bytes"), ("Year <6> play", "cannot contain < or >")],
)
def test_a_description_youtube_would_refuse_is_stopped_before_any_call(youtube, youtube_channel, text, problem):
    with pytest.raises(PlatformError, match=problem):
        adapter.update_video_description(youtube_channel, VIDEO, text)

    assert youtube.received == []


def test_the_registry_gives_the_youtube_adapter():
    assert isinstance(adapter_for("youtube"), YouTubeAdapter)


@pytest.mark.parametrize(
    ("platform", "message"),
    [
        ("linkedin", "SafeSocial cannot publish to LinkedIn: it has no connection to its API."),
        ("other", "SafeSocial cannot publish to this platform"),
        ("myspace", "'myspace' is not a platform SafeSocial knows."),
    ],
)
def test_the_registry_says_clearly_where_safesocial_cannot_publish(platform, message):
    with pytest.raises(Unsupported) as raised:
        adapter_for(platform)

    assert message in str(raised.value)
