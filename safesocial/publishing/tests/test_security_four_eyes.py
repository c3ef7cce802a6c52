"""Issue 12, finding 2: the second pair of eyes cannot be skipped. Whoever wrote the version being approved
(its author, or the colleague who last edited it) never approves it, in the service and in the database."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel
from safesocial.publishing import selectors, services
from safesocial.publishing.models import Decision, PostStatus, Review

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def co_poster(colleague, head, sandbox):
    """A colleague who may also post to the channel, and so may edit the teacher's posts on it."""
    channels.aup_sign(actor=colleague, signed_name=colleague.full_name)
    channels.access_grant(
        actor=head,
        channel=sandbox,
        user=colleague,
        level=AccessLevel.POSTER,
        expires_on=timezone.localdate() + dt.timedelta(days=90),
    )
    return colleague


def _edited_by(editor, author, channel):
    """A post the author wrote and sent for review, then reworded by the editor (back in review)."""
    post = services.post_create(actor=author, channels=[channel], text="Sports day is on Friday!", category="events")
    post, _ = services.post_submit(actor=author, post=post)
    post = services.post_update(
        actor=editor, post=post, text="Sports day is on Friday at 2pm!", category="events", scheduled_for=None
    )
    assert post.status == PostStatus.IN_REVIEW, post.findings
    return post


def test_a_colleague_who_edited_a_post_cannot_approve_it(teacher, co_poster, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    with pytest.raises(PermissionDenied, match="edited"):
        services.post_approve(actor=co_poster, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW and not post.reviews.exists()


def test_a_third_colleague_approves_the_edited_version(teacher, co_poster, head, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    services.post_approve(actor=head, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    review = post.reviews.get()
    assert (review.reviewer, review.editor, review.post_version) == (head, co_poster, 2)


def test_the_database_refuses_a_review_by_the_versions_editor_whatever_the_code_does(teacher, co_poster, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            post=post, post_version=2, reviewer=co_poster, author=teacher, editor=co_poster, decision=Decision.APPROVE
        )


def test_the_editor_is_neither_offered_nor_asked_to_review(teacher, co_poster, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    assert co_poster not in selectors.eligible_reviewers(post)
    assert co_poster not in services.reviewers_to_notify(post)
    assert post not in selectors.awaiting_review_by(co_poster)


def test_the_editor_sees_no_approve_button(signed_in, teacher, co_poster, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    body = signed_in(co_poster).get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Sports day is on Friday at 2pm!" in body and "Approve" not in body


def test_the_author_may_not_approve_a_version_a_colleague_reworded(teacher, co_poster, sandbox):
    post = _edited_by(co_poster, teacher, sandbox)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=teacher, post=post)
