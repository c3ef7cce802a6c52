"""The comment moderation and safeguarding concern pages, as the people who use them see them: no serious or
critical axe-core violations on a laptop or a phone, no sideways scrolling on a 375 px phone, no hint or label
pointing at nothing, and the suggested reply's hint read out with the reply box.

Each page is loaded with real content: visitors comment on a published sandbox post through the sandbox page's
own form (a kind comment, a question the page answered, abuse hidden at once, a complaint, a disclosure that
became a concern, and a visitor proposed for a block). Screenshots of the busiest pages go to var/screenshots/
for people to look over."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from safesocial.concerns.models import Concern
from safesocial.moderation import services as moderation
from safesocial.moderation.models import Comment, CommentStatus, Offender
from safesocial.people.models import User
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services as posts

# The channel ready to post to, shared with the publishing and moderation tests.
from .screens import Screen, check_on_a_laptop_and_a_phone


@dataclass(frozen=True)
class World:
    """Seabright's sandbox page with one published post and a comment of every kind a page shows differently."""

    head: User
    channel_admin: User
    sandbox_id: int
    abuse: Comment
    complaint: Comment
    disclosure: Comment
    concern: Concern


def _visitor_comments(sandbox, post: SandboxPost, name: str, *texts: str) -> list[Comment]:
    """One visitor (one session) comments through the sandbox page's form."""
    visitor = Client()
    comments = []
    for text in texts:
        response = visitor.post(reverse("sandbox_comment", args=[sandbox.pk, post.pk]), {"name": name, "text": text})
        assert response.status_code == 302, response
        comments.append(Comment.objects.filter(channel=sandbox).order_by("-pk").first())
    return comments


@pytest.fixture
def world(live_server, teacher, colleague, sandbox, channel_admin, head) -> World:
    post = posts.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Our choir sang at the town hall tonight.\nThank you to everyone who came!",
        category="events",
    )
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    published = SandboxPost.objects.get(channel_id=sandbox.pk)

    _visitor_comments(sandbox, published, "Kim Kind", "The choir smashed it tonight!")
    (question,) = _visitor_comments(sandbox, published, "Pat Asker", "What time does the summer fair start?")
    moderation.comment_act(
        actor=channel_admin, comment=question, action="reply", reason="Answer", text="From 2pm. See you there!"
    )
    abuse, *_ = _visitor_comments(
        sandbox,
        published,
        "Rex Rude",
        "You are all useless idiots",
        "Useless idiots the lot of you",
        "Shut up you morons",
    )
    (complaint,) = _visitor_comments(
        sandbox, published, "Chris Cross", "Mr Jones never answers emails and the school ignores complaints"
    )
    (disclosure,) = _visitor_comments(
        sandbox, published, "Jo Parent", "my daughter is scared to go home because her stepdad hits her"
    )
    assert abuse.status == CommentStatus.HIDDEN and complaint.suggested_action == "redirect"
    assert disclosure.kept_for_concern
    assert Offender.objects.filter(author_name="Rex Rude", block_proposed_at__isnull=False).exists()
    return World(
        head=head,
        channel_admin=channel_admin,
        sandbox_id=sandbox.pk,
        abuse=abuse,
        complaint=complaint,
        disclosure=disclosure,
        concern=Concern.objects.get(comments=disclosure),
    )


SCREENS = [
    Screen("comments-review", "channel_admin", lambda w: "/comments/?show=review", screenshots=True),
    Screen("comments-hidden", "channel_admin", lambda w: "/comments/?show=hidden"),
    Screen("comments-all", "channel_admin", lambda w: "/comments/?show=all"),
    Screen(
        "comments-by-author",
        "channel_admin",
        lambda w: f"/comments/?author={Offender.objects.get(author_name='Rex Rude').pk}&show=all",
    ),
    Screen("comments-not-a-moderator", "head", lambda w: "/comments/"),
    Screen("comment", "channel_admin", lambda w: f"/comments/{w.abuse.pk}/", screenshots=True),
    Screen("comment-complaint", "channel_admin", lambda w: f"/comments/{w.complaint.pk}/"),
    Screen("comment-masked", "channel_admin", lambda w: f"/comments/{w.disclosure.pk}/"),
    Screen("concerns", "head", lambda w: "/concerns/"),
    Screen("concern", "head", lambda w: f"/concerns/{w.concern.pk}/", screenshots=True),
    Screen("sandbox-comments", None, lambda w: f"/sandbox/{w.sandbox_id}/", screenshots=True),
    Screen("dashboard-head-concerns", "head", lambda w: "/"),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_moderation_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)


@pytest.mark.browser
def test_the_head_dashboard_shows_the_new_concern(world, page, sign_in):
    """The card the accessibility check above looked at is really there: the page was not checked empty."""
    sign_in(world.head)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Open safeguarding concerns"))
    expect(card).to_contain_text("1 open.")


@pytest.mark.browser
def test_the_suggested_reply_is_explained_to_a_screen_reader(world, page, sign_in):
    """The hint under the reply box says why the text is already there; a screen reader reads it with the box
    only if the box is described by it."""
    sign_in(world.channel_admin)
    page.goto(f"/comments/{world.complaint.pk}/")

    reply = page.get_by_label("Reply", exact=True)
    expect(reply).to_have_value(re.compile("complaints procedure"))
    expect(reply).to_have_accessible_description(re.compile("suggested because this reads as a complaint"))
