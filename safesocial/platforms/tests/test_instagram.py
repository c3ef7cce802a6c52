"""The Instagram adapter against a local Graph API stand-in."""

from __future__ import annotations

import pytest

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
from safesocial.platforms.instagram import InstagramAdapter
from safesocial.platforms.registry import adapter_for

IG_USER = "17841400000000001"  # the stand-in's Instagram account
MEDIA = "https://media.seabright.example/public/"  # MEDIA_PUBLIC_URL while the graph fixture runs
adapter = InstagramAdapter(seconds_between_checks=0)


def test_one_image_is_a_container_made_from_its_public_url_then_published(graph, instagram_account, jpeg):
    image = jpeg("sports day.jpg", alt_text="Children at the finish line")

    result = adapter.publish(instagram_account, PublishRequest("Sports day!", media=(image,)))

    create, status, publish, permalink = graph.received
    token = instagram_account.access_token
    assert (create.method, create.path) == ("POST", f"/v21.0/{IG_USER}/media")
    assert create.form == {
        "image_url": MEDIA + "sports%20day.jpg",
        "caption": "Sports day!",
        "alt_text": "Children at the finish line",
        "access_token": token,
    }
    container = next(iter(graph.containers))
    assert (status.method, status.path, status.query["fields"]) == ("GET", f"/v21.0/{container}", "status_code,status")
    assert status.bearer == token
    assert (publish.path, publish.form) == (
        f"/v21.0/{IG_USER}/media_publish",
        {"creation_id": container, "access_token": token},
    )
    assert permalink.query == {"fields": "permalink"}
    assert result.external_id == graph.ig_media[0]["id"]
    assert result.url == graph.ig_media[0]["permalink"]


def test_several_images_become_a_carousel_of_child_containers(graph, instagram_account, jpeg):
    images = tuple(jpeg(f"photo-{n}.jpg") for n in range(3))

    adapter.publish(instagram_account, PublishRequest("Harvest festival", media=images, link="https://s.example/h"))

    creates = graph.calls("POST", f"/{IG_USER}/media")
    *children, carousel = creates
    assert [c.form["image_url"] for c in children] == [f"{MEDIA}photo-{n}.jpg" for n in range(3)]
    assert all(c.form["is_carousel_item"] == "true" and "caption" not in c.form for c in children)
    child_ids = list(graph.containers)[:3]
    assert carousel.form == {
        "media_type": "CAROUSEL",
        "children": ",".join(child_ids),
        "caption": "Harvest festival\n\nhttps://s.example/h",
        "access_token": instagram_account.access_token,
    }
    [publish] = graph.calls("POST", "/media_publish")
    assert publish.form["creation_id"] == list(graph.containers)[3]
    assert graph.ig_media[0]["caption"] == "Harvest festival\n\nhttps://s.example/h"


def test_images_are_fetched_from_wherever_the_injected_media_url_says(graph, instagram_account, jpeg):
    signed = InstagramAdapter(lambda item: f"https://cdn.example/{item.filename}?sig=abc", seconds_between_checks=0)

    signed.publish(instagram_account, PublishRequest("Hello", media=(jpeg("a.jpg"),)))

    assert graph.calls("POST", "/media")[0].form["image_url"] == "https://cdn.example/a.jpg?sig=abc"


def test_it_waits_while_the_container_is_in_progress(graph, instagram_account, jpeg):
    graph.container_statuses = ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]

    result = adapter.publish(instagram_account, PublishRequest("Hello", media=(jpeg(),)))

    assert len(graph.calls("GET", next(iter(graph.containers)))) == 3
    assert result.external_id == graph.ig_media[0]["id"]


def test_a_container_still_in_progress_after_the_checks_is_a_temporary_error(graph, instagram_account, jpeg):
    graph.container_statuses = ["IN_PROGRESS"]

    with pytest.raises(TemporaryError, match="still processing"):
        adapter.publish(instagram_account, PublishRequest("Hello", media=(jpeg(),)))

    assert len(graph.calls("GET")) == adapter.status_checks
    assert graph.calls("POST", "/media_publish") == []


def test_a_container_in_error_is_rejected_media_and_is_never_published(graph, instagram_account, jpeg):
    graph.fail("container_error")

    with pytest.raises(MediaRejected, match="Media download has failed"):
        adapter.publish(instagram_account, PublishRequest("Hello", media=(jpeg(),)))

    assert graph.calls("POST", "/media_publish") == []
    assert graph.ig_media == []


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("expired_token", TokenExpired, "Session has expired"),
        ("post_limit", RateLimited, "Application request limit reached"),
        ("rate_limit", RateLimited, "(#4) Application request limit reached"),
        ("media_fetch_failed", MediaRejected, "Media download has failed: The media could not be fetched"),
        ("server_error", TemporaryError, "Please retry your request later"),
        ("unknown", PlatformError, "(#200)"),
    ],
)
def test_each_graph_error_becomes_the_right_exception_with_instagrams_message(
    graph, instagram_account, jpeg, failure, error, message
):
    graph.fail(failure)

    with pytest.raises(error) as raised:
        adapter.publish(instagram_account, PublishRequest("Hello", media=(jpeg(),)))

    assert type(raised.value) is error
    assert message in str(raised.value)
    assert instagram_account.access_token not in str(raised.value)


def test_a_post_that_is_live_is_not_failed_by_a_missing_permalink(graph, instagram_account, jpeg):
    graph.fail("server_error", on="fields=permalink")

    result = adapter.publish(instagram_account, PublishRequest("Hello", media=(jpeg(),)))

    assert result.external_id == graph.ig_media[0]["id"]
    assert result.url is None


def test_text_alone_is_reported_by_validate_and_refused_before_any_call(graph, instagram_account):
    [problem] = adapter.validate(PublishRequest("Just words"))
    assert (problem.field, problem.message) == ("media", "This platform needs at least one image.")

    with pytest.raises(Unsupported, match="cannot publish text alone"):
        adapter.publish(instagram_account, PublishRequest("Just words"))

    assert graph.received == []


def test_validate_catches_long_captions_and_too_many_big_or_non_jpeg_images(graph, jpeg):
    png = MediaItem("logo.png", "image/png", b"\x89PNG\r\n\x1a\n")
    images = (jpeg("huge.jpg", size=8_000_001), png, *(jpeg(f"{n}.jpg") for n in range(9)))

    messages = " ".join(p.message for p in adapter.validate(PublishRequest("x" * 2_201, media=images)))

    assert "the limit is 2200" in messages
    assert "11 images; at most 10" in messages
    assert "huge.jpg is larger than 8 MB" in messages
    assert "logo.png: image/png is not accepted" in messages
    assert adapter.validate(PublishRequest("x" * 2_200, media=(jpeg(),))) == []
    assert graph.received == []


def test_find_published_finds_a_post_by_its_caption(graph, instagram_account, jpeg):
    adapter.publish(instagram_account, PublishRequest("Open evening", media=(jpeg(),)))
    posted = adapter.publish(instagram_account, PublishRequest("Harvest festival", media=(jpeg(),)))
    graph.received.clear()

    found = adapter.find_published(instagram_account, PublishRequest("Harvest festival", media=(jpeg(),)))

    assert found == posted
    [call] = graph.received
    assert (call.path, call.query) == (f"/v21.0/{IG_USER}/media", {"fields": "id,caption,permalink", "limit": "25"})
    assert adapter.find_published(instagram_account, PublishRequest("Sports day", media=(jpeg(),))) is None


def test_the_registry_gives_the_instagram_adapter():
    assert isinstance(adapter_for("instagram"), InstagramAdapter)
