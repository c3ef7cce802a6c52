"""Sandbox comments (issue 12, finding 11): the demo's public page takes comments from anyone, so one visitor is held
to a few a minute, counted by the visitor's real address (a new session each time does not reset it)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safesocial.channels.views import SANDBOX_COMMENT_LIMIT
from safesocial.platforms.models import SandboxComment, SandboxPost
from safesocial.publishing import services as posts

# The sandbox post is published once the approval commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


def _comment(sandbox, post, address: str, text: str):
    # A new session every time, as a script that drops its cookies would have.
    url = reverse("sandbox_comment", args=[sandbox.pk, post.pk])
    return Client().post(url, {"name": "A Visitor", "text": text}, REMOTE_ADDR=address, follow=True)


def test_one_visitor_cannot_flood_the_sandbox_page_with_comments(sandbox, published):
    for n in range(SANDBOX_COMMENT_LIMIT):
        _comment(sandbox, published, "203.0.113.9", f"Lovely photos {n}")
    response = _comment(sandbox, published, "203.0.113.9", "One too many")
    assert "too many comments" in response.content.decode()
    assert SandboxComment.objects.count() == SANDBOX_COMMENT_LIMIT
    assert not SandboxComment.objects.filter(text="One too many").exists()
    # Someone else can still comment.
    _comment(sandbox, published, "198.51.100.4", "Well done everyone")
    assert SandboxComment.objects.filter(text="Well done everyone").exists()
