"""Issue 12, finding 1: an edit to a submitted post is a resubmission. The checks run again on the new words,
the pupils it names are recorded again, and a blocking finding stops it as it would stop a fresh submission."""

import datetime as dt

import pytest
from django.utils import timezone

from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.publishing import services
from safesocial.publishing.models import DeliveryStatus, PostStatus

pytestmark = pytest.mark.django_db(transaction=True)
LATER = dt.timedelta(days=1)


@pytest.fixture
def ava(make_ava):
    """A pupil whose parent agreed to her being named, and to nothing else."""
    return make_ava(Purpose.NAME_WITH_PHOTO)


def _scheduled(teacher, colleague, sandbox, text="Sports day is on Friday: bring a water bottle!"):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text=text, category="events", scheduled_for=timezone.now() + LATER
    )
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW, findings
    post = services.post_approve(actor=colleague, post=post)
    assert post.status == PostStatus.SCHEDULED
    return post


def _edit(actor, post, text, scheduled_for=None):
    return services.post_update(
        actor=actor, post=post, text=text, category=post.category, scheduled_for=scheduled_for or post.scheduled_for
    )


def _in_review(teacher, colleague, sandbox):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Sports day is on Friday!", category="events", scheduled_for=None
    )
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW and not findings
    return post


@pytest.mark.parametrize("submitted", [_in_review, _scheduled])
def test_a_phone_number_added_to_a_submitted_post_sends_it_back_to_its_author(submitted, teacher, colleague, sandbox):
    post = submitted(teacher, colleague, sandbox)
    before = post.submitted_at
    post = _edit(teacher, post, "Sports day is on Friday. Questions? Ring Kim on 07700 900123.")
    assert post.status == PostStatus.DRAFT
    assert post.submitted_at > before
    assert "personal_info" in {f["check"] for f in post.findings}  # what the reviewer would have been shown
    assert not post.deliveries.exclude(status=DeliveryStatus.WAITING).exists()


def test_a_pupil_named_in_an_edit_is_listed_when_her_consent_is_withdrawn(teacher, colleague, head, sandbox, ava):
    post = _scheduled(teacher, colleague, sandbox, text="Our poetry prize went to a Year 4 pupil.")
    post = services.post_update(
        actor=teacher, post=post, text="Our poetry prize went to Ava Quill!", category="events", scheduled_for=None
    )
    assert post.status == PostStatus.IN_REVIEW, post.findings
    services.post_approve(actor=colleague, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    _, affected = consent.consent_record(
        actor=head,
        pupil=ava,
        purpose=Purpose.NAME_WITH_PHOTO,
        given=False,
        method=Method.PAPER,
        parent=ava.parent_for_test,
    )
    assert [p.pk for p in affected] == [post.pk]
