"""The comments inbox costs the same number of queries for one comment as for twenty (issue 16): a comment that
became a safeguarding concern is masked for a moderator the policy does not name for concerns, and deciding that must
not cost a query per comment shown."""

import pytest
from django.test import Client
from django.urls import reverse

from safesocial.moderation.models import Comment
from safesocial.people.roles import Role
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services as posts

pytestmark = pytest.mark.django_db(transaction=True)

DISCLOSURE = "My daughter number {n} is scared to go home because her stepdad hits her"


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


@pytest.fixture
def moderator(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Mo Moderator")


def _disclose(sandbox, published, n: int) -> None:
    """A parent writes on the page from their own address (one visitor's comments a minute are limited)."""
    url = reverse("sandbox_comment", args=[sandbox.pk, published.pk])
    Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(url, {"name": f"Parent {n}", "text": DISCLOSURE.format(n=n)})


def test_the_inbox_takes_the_same_queries_for_one_concern_comment_and_twenty(
    sandbox, published, moderator, signed_in, same_queries
):
    _disclose(sandbox, published, 0)
    inbox = signed_in(moderator)
    url = reverse("moderation:inbox") + "?show=all"
    body = inbox.get(url).content.decode()
    assert "passed to the DSL" in body and "stepdad" not in body
    body = same_queries(
        11, lambda: inbox.get(url), lambda: [_disclose(sandbox, published, n) for n in range(1, 20)]
    ).content.decode()
    assert Comment.objects.filter(kept_for_concern=True).count() == 20
    assert body.count("A possible safeguarding concern, passed to the DSL") == 20 and "stepdad" not in body


def _rude(sandbox, published, n: int) -> None:
    url = reverse("sandbox_comment", args=[sandbox.pk, published.pk])
    Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(url, {"name": f"Rude {n}", "text": f"You idiots number {n}"})


def test_the_inbox_takes_the_same_queries_for_one_comment_and_fifty_one_and_pages_the_older_ones(
    sandbox, published, moderator, signed_in, same_queries
):
    """A trust's channels hold a million comments (benchmarks/trust_scale.py): a page shows fifty, newest first,
    and links to the older ones without counting them all."""
    _rude(sandbox, published, 0)
    inbox = signed_in(moderator)
    url = reverse("moderation:inbox") + "?show=all"
    inbox.get(url)
    body = same_queries(
        11, lambda: inbox.get(url), lambda: [_rude(sandbox, published, n) for n in range(1, 51)]
    ).content.decode()
    assert "You idiots number 50" in body and "You idiots number 1<" in body and "You idiots number 0<" not in body
    assert "50 comments, page 1" in body and "page=2" in body and "Newer comments" not in body
    older = inbox.get(url + "&page=2").content.decode()
    assert "You idiots number 0<" in older and "You idiots number 1<" not in older
    assert "Newer comments" in older and "Older comments" not in older
