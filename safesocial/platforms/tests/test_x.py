"""The X adapter against a local X API v2 stand-in."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from safesocial.platforms.base import (
    MediaItem,
    MediaRejected,
    PlatformError,
    PublishRequest,
    RateLimited,
    TemporaryError,
    TokenExpired,
)
from safesocial.platforms.registry import adapter_for
from safesocial.platforms.x import XAdapter

USER = "1500000000000000001"  # the stand-in's X account
adapter = XAdapter()


def test_a_text_post_is_created_with_the_bearer_token(x_api, x_account):
    result = adapter.publish(x_account, PublishRequest("Well done to our netball team!"))

    [call] = x_api.received
    assert (call.method, call.path) == ("POST", "/2/tweets")
    assert call.headers["authorization"] == f"Bearer {x_account.access_token}"
    assert call.json == {"text": "Well done to our netball team!"}
    assert result.external_id == x_api.tweets[0]["id"]
    assert result.url == f"https://x.com/i/web/status/{result.external_id}"


def test_a_link_is_added_to_the_text(x_api, x_account):
    adapter.publish(x_account, PublishRequest("Term dates", link="https://seabright.example/terms"))

    assert x_api.received[0].json == {"text": "Term dates\n\nhttps://seabright.example/terms"}


def test_one_image_is_uploaded_with_its_alt_text_then_attached(x_api, x_account, jpeg):
    image = jpeg(alt_text="Our netball team with the county trophy")

    adapter.publish(x_account, PublishRequest("Champions!", media=(image,)))

    upload, metadata, tweet = x_api.received
    assert (upload.method, upload.path, upload.multipart) == ("POST", "/2/media/upload", True)
    assert upload.files["media"].data == image.data
    assert upload.files["media"].content_type == "image/jpeg"
    assert upload.form == {"media_category": "tweet_image"}
    assert upload.bearer == x_account.access_token
    [media_id] = x_api.media
    assert (metadata.path, metadata.json) == (
        "/2/media/metadata",
        {"id": media_id, "metadata": {"alt_text": {"text": "Our netball team with the county trophy"}}},
    )
    assert tweet.json == {"text": "Champions!", "media": {"media_ids": [media_id]}}


def test_four_images_are_uploaded_and_attached_in_order(x_api, x_account, jpeg):
    images = tuple(jpeg(f"{n}.jpg") for n in range(4))

    adapter.publish(x_account, PublishRequest("Sports day", media=images))

    uploads = x_api.calls("POST", "/2/media/upload")
    assert [u.files["media"].filename for u in uploads] == ["0.jpg", "1.jpg", "2.jpg", "3.jpg"]
    assert x_api.calls("POST", "/2/media/metadata") == []  # no alt text, no metadata call
    [tweet] = x_api.calls("POST", "/2/tweets")
    assert tweet.json["media"] == {"media_ids": list(x_api.media)}


def test_a_duplicate_post_is_a_permanent_error(x_api, x_account):
    adapter.publish(x_account, PublishRequest("Snow day: school is closed."))

    with pytest.raises(PlatformError) as raised:
        adapter.publish(x_account, PublishRequest("Snow day: school is closed."))

    assert type(raised.value) is PlatformError
    assert not raised.value.retryable
    assert raised.value.code == "duplicate"
    assert "duplicate content" in str(raised.value)


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Unauthorized"),
        ("rate_limit", RateLimited, "Too Many Requests"),
        ("rejected_media", MediaRejected, "media type unrecognized."),
        ("server_error", TemporaryError, "Service Unavailable"),
        ("bad_gateway", TemporaryError, "502"),
        ("unknown", PlatformError, "you must use keys and tokens from a Twitter developer App"),
    ],
)
def test_each_x_error_becomes_the_right_exception_with_xs_message(x_api, x_account, jpeg, failure, error, message):
    x_api.fail(failure)

    with pytest.raises(error) as raised:
        adapter.publish(x_account, PublishRequest("Hello", media=(jpeg(),)))

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert x_account.access_token not in str(raised.value)


def test_a_rate_limit_waits_until_x_rate_limit_reset(x_api, x_account):
    x_api.fail("rate_limit")

    with pytest.raises(RateLimited) as raised:
        adapter.publish(x_account, PublishRequest("Hello"))

    assert 890 <= raised.value.retry_after <= 900


def test_a_server_error_honours_retry_after(x_api, x_account):
    x_api.fail("server_error")

    with pytest.raises(TemporaryError) as raised:
        adapter.publish(x_account, PublishRequest("Hello"))

    assert raised.value.retry_after == 30


def test_a_bad_media_id_on_the_post_is_rejected_media(x_api, x_account, jpeg):
    x_api.fail("rejected_media", on="/2/tweets")  # the upload works; X then refuses the post's media

    with pytest.raises(MediaRejected, match="media type unrecognized"):
        adapter.publish(x_account, PublishRequest("Hello", media=(jpeg(),)))


def test_validate_catches_long_text_and_too_many_big_or_wrong_type_images_before_any_call(x_api, jpeg):
    gif = MediaItem("wave.gif", "image/gif", b"GIF89a")
    images = (jpeg("huge.jpg", size=5_000_001), gif, *(jpeg(f"{n}.jpg") for n in range(3)))

    messages = " ".join(p.message for p in adapter.validate(PublishRequest("x" * 281, media=images)))

    assert "The text is 281 characters; the limit is 280." in messages
    assert "5 images; at most 4" in messages
    assert "huge.jpg is larger than 5 MB" in messages
    assert "wave.gif: image/gif is not accepted" in messages
    assert x_api.received == []


def test_validate_counts_the_link_and_alt_text(jpeg):
    link = "https://seabright.example/news"
    assert adapter.validate(PublishRequest("x" * (280 - len(link) - 2), link=link)) == []
    [problem] = adapter.validate(PublishRequest("x" * (281 - len(link) - 2), link=link))
    assert "limit is 280" in problem.message
    [problem] = adapter.validate(PublishRequest("Hi", media=(jpeg(alt_text="a" * 1_001),)))
    assert "alt text over 1000 characters" in problem.message


def test_find_published_finds_a_post_despite_t_co_links_and_escaped_text(x_api, x_account, jpeg):
    request = PublishRequest("Fish & chips <Friday>", media=(jpeg(),), link="https://seabright.example/menu")
    posted = adapter.publish(x_account, request)
    adapter.publish(x_account, PublishRequest("Something else"))
    x_api.received.clear()

    found = adapter.find_published(x_account, request)

    assert found == posted
    [call] = x_api.received
    assert (call.method, call.path) == ("GET", f"/2/users/{USER}/tweets")
    assert call.query["max_results"] == "20"
    assert call.bearer == x_account.access_token


def test_find_published_answers_none_when_the_post_is_not_there(x_api, x_account):
    assert adapter.find_published(x_account, PublishRequest("Never posted")) is None  # X leaves out "data"

    adapter.publish(x_account, PublishRequest("Fish and chips on Friday"))
    assert adapter.find_published(x_account, PublishRequest("Fish and chips on Thursday")) is None


def test_an_unreachable_x_is_a_temporary_error(nothing_listening, x_account):
    with override_settings(X_API_URL=nothing_listening), pytest.raises(TemporaryError, match="Could not connect to X"):
        adapter.publish(x_account, PublishRequest("Hello"))


def test_an_x_that_does_not_answer_in_time_is_a_temporary_error(x_api, x_account):
    x_api.fail("slow")
    started = time.monotonic()

    with override_settings(PLATFORM_TIMEOUT_SECONDS=0.2), pytest.raises(TemporaryError, match="did not answer"):
        adapter.publish(x_account, PublishRequest("Hello"))

    assert time.monotonic() - started < x_api.slow_seconds


def test_the_registry_gives_the_x_adapter():
    assert isinstance(adapter_for("x"), XAdapter)
