"""The Facebook Page adapter against a local Graph API stand-in."""

from __future__ import annotations

import json
import logging

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
    Unsupported,
)
from safesocial.platforms.facebook import FacebookGroupAdapter, FacebookPageAdapter
from safesocial.platforms.registry import adapter_for

adapter = FacebookPageAdapter()
PAGE = "104000000000001"  # the stand-in's Page


def test_a_text_post_goes_to_the_page_feed_with_the_page_token(graph, facebook_page):
    result = adapter.publish(facebook_page, PublishRequest("Our Year 6 choir sings at the town hall on Friday."))

    [call] = graph.received
    assert (call.method, call.path) == ("POST", f"/v21.0/{PAGE}/feed")
    assert call.form == {
        "message": "Our Year 6 choir sings at the town hall on Friday.",
        "access_token": facebook_page.access_token,
    }
    assert call.query == {}
    assert result.external_id == graph.posts[0]["id"]
    assert result.url == f"https://www.facebook.com/{result.external_id}"


def test_a_link_travels_in_the_link_field(graph, facebook_page):
    adapter.publish(facebook_page, PublishRequest("Term dates", link="https://seabright.example/term-dates"))

    [call] = graph.received
    assert call.form["link"] == "https://seabright.example/term-dates"
    assert call.form["message"] == "Term dates"


def test_one_image_is_uploaded_as_multipart_source_with_its_caption(graph, facebook_page, jpeg):
    image = jpeg(alt_text="Children racing in the egg-and-spoon race")

    result = adapter.publish(facebook_page, PublishRequest("Sports day!", media=(image,)))

    [call] = graph.received
    assert (call.method, call.path, call.multipart) == ("POST", f"/v21.0/{PAGE}/photos", True)
    assert call.files["source"].data == image.data
    assert (call.files["source"].filename, call.files["source"].content_type) == ("sports-day.jpg", "image/jpeg")
    assert call.form == {
        "caption": "Sports day!",
        "published": "true",
        "alt_text_custom": "Children racing in the egg-and-spoon race",
        "access_token": facebook_page.access_token,
    }
    assert result.external_id == graph.posts[0]["id"]  # the feed story, not the photo


def test_several_images_are_uploaded_unpublished_then_attached_to_one_feed_post(graph, facebook_page, jpeg):
    images = tuple(jpeg(f"photo-{n}.jpg") for n in range(3))
    request = PublishRequest("Harvest festival", media=images, link="https://seabright.example/harvest")

    result = adapter.publish(facebook_page, request)

    *uploads, post = graph.received
    assert [u.path for u in uploads] == [f"/v21.0/{PAGE}/photos"] * 3
    assert [u.form["published"] for u in uploads] == ["false"] * 3
    assert [u.files["source"].filename for u in uploads] == ["photo-0.jpg", "photo-1.jpg", "photo-2.jpg"]
    assert all(u.form["access_token"] == facebook_page.access_token for u in uploads)
    assert post.path == f"/v21.0/{PAGE}/feed"
    assert post.form["message"] == "Harvest festival\n\nhttps://seabright.example/harvest"
    assert post.form["access_token"] == facebook_page.access_token
    attached = [json.loads(post.form[f"attached_media[{i}]"]) for i in range(3)]
    assert attached == [{"media_fbid": photo_id} for photo_id in graph.photos]
    assert [p["id"] for p in graph.posts] == [result.external_id]


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Session has expired"),
        ("rate_limit", RateLimited, "(#4) Application request limit reached"),
        ("page_rate_limit", RateLimited, "(#32) Page request limit reached"),
        ("rejected_media", MediaRejected, "(#324) Missing or invalid image file"),
        ("invalid_image_parameter", MediaRejected, "the image could not be read"),
        ("server_error", TemporaryError, "Please retry your request later"),
        ("bad_gateway", TemporaryError, "502"),
        ("unknown", PlatformError, "(#200) The user hasn't authorized the application"),
    ],
)
def test_each_graph_error_becomes_the_right_exception_with_facebooks_message(
    graph, facebook_page, jpeg, failure, error, message
):
    graph.fail(failure)

    with pytest.raises(error) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello", media=(jpeg(),)))

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert facebook_page.access_token not in str(raised.value)


def test_a_rate_limit_waits_as_long_as_the_usage_header_says(graph, facebook_page):
    graph.fail("rate_limit")

    with pytest.raises(RateLimited) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello"))

    assert raised.value.retry_after == 5 * 60
    assert raised.value.retryable


def test_only_passing_troubles_are_retryable(graph, facebook_page):
    graph.fail("unknown")
    with pytest.raises(PlatformError) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello"))
    assert not raised.value.retryable
    assert raised.value.code == "200"


def test_a_malformed_token_that_facebook_echoes_back_never_reaches_the_message(graph, facebook_page):
    graph.fail("malformed_token")

    with pytest.raises(TokenExpired) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello"))

    assert "Malformed access token ***" in str(raised.value)
    assert facebook_page.access_token not in str(raised.value)
    assert facebook_page.access_token not in repr(raised.value.args)


def test_the_token_never_appears_in_the_logs(graph, facebook_page, caplog, jpeg):
    caplog.set_level(logging.DEBUG)

    adapter.publish(facebook_page, PublishRequest("Hello", media=(jpeg(), jpeg("b.jpg"))))
    adapter.find_published(facebook_page, PublishRequest("Hello"))

    assert "feed" in caplog.text
    assert facebook_page.access_token not in caplog.text


def test_validate_catches_long_text_and_too_many_big_or_wrong_type_images_before_any_call(graph, jpeg):
    too_big = jpeg("huge.jpg", size=4_000_001)
    video = MediaItem("clip.mp4", "video/mp4", b"\x00\x00\x00\x18ftypmp4")
    many = tuple(jpeg(f"{n}.jpg") for n in range(11))

    problems = adapter.validate(PublishRequest("x" * 63_207, media=(too_big, video, *many)))

    messages = " ".join(p.message for p in problems)
    assert "the limit is 63206" in messages
    assert "at most 10" in messages
    assert "huge.jpg is larger than 4 MB" in messages
    assert "video/mp4 is not accepted" in messages
    assert adapter.validate(PublishRequest("Fine", media=(jpeg(),))) == []
    assert graph.received == []


def test_find_published_finds_a_post_by_its_exact_text(graph, facebook_page, jpeg):
    adapter.publish(facebook_page, PublishRequest("Open evening, 6pm"))
    posted = adapter.publish(facebook_page, PublishRequest("Harvest festival", media=(jpeg(),)))
    graph.received.clear()

    found = adapter.find_published(facebook_page, PublishRequest("Harvest festival", media=(jpeg(),)))

    assert found is not None
    assert found.external_id == posted.external_id
    [call] = graph.received
    assert (call.method, call.path) == ("GET", f"/v21.0/{PAGE}/posts")
    assert call.query == {"fields": "id,message,created_time", "limit": "25"}
    assert call.bearer == facebook_page.access_token  # in a header, not in the URL


def test_find_published_answers_none_when_the_post_is_not_there(graph, facebook_page):
    adapter.publish(facebook_page, PublishRequest("Open evening, 6pm"))

    assert adapter.find_published(facebook_page, PublishRequest("Open evening, 7pm")) is None


def test_an_unreachable_graph_is_a_temporary_error(nothing_listening, facebook_page):
    with override_settings(FACEBOOK_GRAPH_URL=nothing_listening), pytest.raises(TemporaryError) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello"))

    assert str(raised.value) == "Could not connect to Facebook."
    assert raised.value.__suppress_context__  # requests' own message, URL and all, stays out of tracebacks


def test_a_graph_that_does_not_answer_in_time_is_a_temporary_error(graph, facebook_page):
    graph.fail("slow")

    with override_settings(PLATFORM_TIMEOUT_SECONDS=0.2), pytest.raises(TemporaryError) as raised:
        adapter.publish(facebook_page, PublishRequest("Hello"))

    assert raised.value.code == "timeout"
    assert "did not answer within 0.2 seconds" in str(raised.value)


def test_groups_cannot_be_published_to_because_facebook_removed_the_api(graph, facebook_page):
    groups = FacebookGroupAdapter()

    with pytest.raises(Unsupported, match="removed the Groups API in April 2024"):
        groups.publish(facebook_page, PublishRequest("Hello"))

    assert "Post in the group yourself" in groups.validate(PublishRequest("Hello"))[0].message
    assert groups.find_published(facebook_page, PublishRequest("Hello")) is None
    assert graph.received == []


def test_the_registry_knows_both_facebook_adapters():
    assert isinstance(adapter_for("facebook_page"), FacebookPageAdapter)
    assert isinstance(adapter_for("facebook_group"), FacebookGroupAdapter)
