import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safesocial.publishing import services
from safesocial.publishing.models import Post, PostStatus
from safesocial.testing.files import photo

pytestmark = pytest.mark.django_db(transaction=True)


def _create(client, channel, **extra):
    data = {"channels": [channel.pk], "category": "events", "text": "Harvest festival on Thursday.", **extra}
    return client.post(reverse("publishing:create"), data, follow=True)


def test_a_teacher_drafts_a_post_with_a_photo_and_sees_its_preview(signed_in, teacher, sandbox):
    client = signed_in(teacher)
    response = _create(client, sandbox, image_1=photo(), alt_1="Pumpkins on the hall stage")
    body = response.content.decode()
    post = Post.objects.get()
    assert "Draft saved" in body and 'alt="Pumpkins on the hall stage"' in body
    image = post.images.get()
    assert client.get(reverse("publishing:image", args=[post.pk, image.pk])).status_code == 200


def test_the_form_refuses_a_time_in_the_past_and_keeps_what_was_typed(signed_in, teacher, sandbox):
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    body = _create(signed_in(teacher), sandbox, scheduled_for=past).content.decode()
    assert "That time has passed" in body and "Harvest festival on Thursday." in body
    assert not Post.objects.exists()


def test_submit_and_approve_through_the_pages(signed_in, client, teacher, colleague, sandbox):
    _create(signed_in(teacher), sandbox)
    post = Post.objects.get()
    signed_in(teacher).post(reverse("publishing:submit", args=[post.pk]), {"reviewer": colleague.pk})
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW and post.requested_reviewer == colleague
    reviewer = signed_in(colleague)
    assert "Harvest festival" in reviewer.get(reverse("publishing:list") + "?tab=review").content.decode()
    criteria = post.trust.policy.posts.criteria  # the reviewer ticks each of the policy's criteria
    reviewer.post(reverse("publishing:approve", args=[post.pk]), {"notes": "", "criteria": criteria})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    body = client.get(reverse("sandbox", args=[sandbox.pk])).content.decode()  # the public sandbox page
    assert "Harvest festival on Thursday." in body


def test_an_author_sees_no_approve_button_on_their_own_post(signed_in, teacher, sandbox):
    client = signed_in(teacher)
    _create(client, sandbox)
    post = Post.objects.get()
    services.post_submit(actor=teacher, post=post)
    body = client.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Approve" not in body


def test_drafts_are_the_authors_own(signed_in, teacher, colleague, sandbox):
    _create(signed_in(teacher), sandbox)
    post = Post.objects.get()
    assert signed_in(colleague).get(reverse("publishing:detail", args=[post.pk])).status_code == 404


def test_posts_of_another_school_are_invisible(signed_in, teacher, colleague, outsider, sandbox):
    _create(signed_in(teacher), sandbox)
    post = Post.objects.get()
    services.post_submit(actor=teacher, post=post)
    client = signed_in(outsider)
    assert client.get(reverse("publishing:detail", args=[post.pk])).status_code == 404
    image_url = reverse("publishing:image", args=[post.pk, 1])
    assert client.get(image_url).status_code == 404


def test_the_calendar_shows_scheduled_posts(signed_in, teacher, colleague, sandbox):
    when = timezone.now() + dt.timedelta(days=3)
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Open morning", category="events", scheduled_for=when
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    services.post_approve(actor=colleague, post=post)
    local = timezone.localtime(when)
    body = signed_in(colleague).get(reverse("publishing:calendar"), {"month": f"{local:%Y-%m}"}).content.decode()
    assert "Open morning" in body and "Scheduled" in body


def test_the_review_list_takes_the_same_queries_for_one_post_and_twelve(
    signed_in, teacher, colleague, sandbox, same_queries
):
    def submitted(n):
        for i in n:
            post = services.post_create(actor=teacher, channels=[sandbox], text=f"Notice {i}", category="events")
            services.post_submit(actor=teacher, post=post)

    submitted(range(1))
    client = signed_in(colleague)
    url = reverse("publishing:list") + "?tab=review"
    client.get(url)
    body = same_queries(9, lambda: client.get(url), lambda: submitted(range(1, 12))).content.decode()
    assert "Notice 11" in body


def test_a_post_in_review_reads_the_trust_and_its_policy_once(signed_in, teacher, colleague, sandbox):
    post = services.post_create(actor=teacher, channels=[sandbox], text="Sports day on Friday", category="events")
    services.post_submit(actor=teacher, post=post)
    client = signed_in(colleague)
    url = reverse("publishing:detail", args=[post.pk])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "Sports day on Friday" in body and "Approve" in body  # the reviewer's page, with the review form
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    assert tables.count('"people_trust"') == 1 and tables.count('"policy_policyversion"') == 1, tables


def test_only_images_of_approved_posts_are_public_for_instagram_to_fetch(client, teacher, colleague, sandbox):
    when = timezone.now() + dt.timedelta(days=1)
    post = services.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Art week",
        category="events",
        scheduled_for=when,
        images=[services.ImageUpload(photo("art-week.jpg"), "Paintings on the wall")],
    )
    name = post.images.get().file.name.rsplit("/", 1)[-1]
    url = reverse("public_image", args=[name])
    assert client.get(url).status_code == 404  # a draft
    post, _ = services.post_submit(actor=teacher, post=post)
    assert client.get(url).status_code == 404  # in review
    services.post_approve(actor=colleague, post=post)
    assert client.get(url).status_code == 200
