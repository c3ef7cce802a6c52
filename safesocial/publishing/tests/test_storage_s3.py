"""Photos of posts kept in a private S3 bucket (STORAGE_BACKEND=s3), against a real S3 protocol server: the bucket
serves nothing without a signature, a photo in review reaches its reviewers through a link that expires, and only an
approved post's photo is public, at SafeSocial's own address."""

import datetime as dt
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from safesocial.publishing import services
from safesocial.publishing.models import Post
from safesocial.testing.files import photo

pytestmark = pytest.mark.django_db(transaction=True)


def _fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _draft_with_photo(client, channel) -> Post:
    data = {
        "channels": [channel.pk],
        "category": "events",
        "text": "Harvest festival on Thursday.",
        "image_1": photo("pumpkins.jpg"),
        "alt_1": "Pumpkins on the hall stage",
    }
    assert client.post(reverse("publishing:create"), data, follow=True).status_code == 200
    return Post.objects.get()


def test_an_uploaded_photo_goes_to_the_bucket_and_its_author_sees_it_through_a_link_that_expires(
    s3, signed_in, teacher, sandbox
):
    client = signed_in(teacher)
    post = _draft_with_photo(client, sandbox)
    image = post.images.get()

    assert s3.names() == {image.file.name}
    assert image.file.name.startswith(f"posts/{post.pk}/")
    response = client.get(reverse("publishing:image", args=[post.pk, image.pk]))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    link = response["Location"]
    query = parse_qs(urlsplit(link).query)
    assert link.startswith(f"{s3.endpoint}/{s3.name}/posts/{post.pk}/")
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"] and query["X-Amz-Date"]
    status, headers, body = _fetch(link)
    assert status == 200 and body == s3.get(image.file.name)
    assert headers["Content-Type"] == "image/jpeg" and headers["Cache-Control"] == "private, no-store"


def test_the_bucket_serves_nothing_to_anyone_without_a_signed_link(s3, signed_in, teacher, sandbox):
    post = _draft_with_photo(signed_in(teacher), sandbox)

    status, _, _ = _fetch(s3.public_url(post.images.get().file.name))

    assert status == 403


def test_a_photo_of_another_schools_post_is_not_reachable(s3, signed_in, teacher, outsider, sandbox):
    post = _draft_with_photo(signed_in(teacher), sandbox)
    services.post_submit(actor=teacher, post=post)
    image = post.images.get()

    response = signed_in(outsider).get(reverse("publishing:image", args=[post.pk, image.pk]))

    assert response.status_code == 404 and "Location" not in response


def test_with_signed_links_turned_off_the_photo_is_streamed_through_safesocial(
    s3, settings, signed_in, teacher, sandbox
):
    settings.STORAGE_SIGNED_URL_SECONDS = 0
    client = signed_in(teacher)
    post = _draft_with_photo(client, sandbox)
    image = post.images.get()

    response = client.get(reverse("publishing:image", args=[post.pk, image.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == s3.get(image.file.name)


def test_only_an_approved_posts_photo_is_public_streamed_from_the_bucket(s3, client, teacher, colleague, sandbox):
    post = services.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Art week",
        category="events",
        scheduled_for=timezone.now() + dt.timedelta(days=1),
        images=[services.ImageUpload(photo("art-week.jpg"), "Paintings on the wall")],
    )
    image = post.images.get()
    url = reverse("public_image", args=[image.file.name.rsplit("/", 1)[-1]])
    assert client.get(url).status_code == 404  # a draft
    post, _ = services.post_submit(actor=teacher, post=post)
    assert client.get(url).status_code == 404  # in review

    services.post_approve(actor=colleague, post=post)
    response = client.get(url)

    assert response.status_code == 200 and "Location" not in response  # SafeSocial's address, no expiring link
    assert b"".join(response.streaming_content) == s3.get(image.file.name)
