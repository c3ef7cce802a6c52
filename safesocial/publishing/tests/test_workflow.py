import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.channels.models import ChannelStatus
from safesocial.channels.services import channel_set_status
from safesocial.people.models import Trust
from safesocial.people.roles import Role
from safesocial.platforms.models import SandboxPost
from safesocial.policy.services import policy_adopt
from safesocial.publishing import selectors, services
from safesocial.publishing.models import Decision, PostStatus, Review
from safesocial.testing.channels import make_channel
from safesocial.testing.files import photo
from safesocial.testing.people import holder
from safesocial.testing.standins.x import X_TOKEN
from safesocial.testing.trusts import policy_text

# Real commits, so that work queued with transaction.on_commit (publishing, emails) runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _draft(author, channel, text="Sports day is on Friday: bring a water bottle!", **kwargs):
    category = channel.trust.policy.category_keys()[0]
    return services.post_create(actor=author, channels=[channel], text=text, category=category, **kwargs)


def _in_review(author, channel, **kwargs):
    post, findings = services.post_submit(actor=author, post=_draft(author, channel, **kwargs))
    assert post.status == PostStatus.IN_REVIEW, findings
    return post


def test_a_colleague_approves_and_the_post_appears_on_the_sandbox_page(teacher, colleague, sandbox):
    post = _in_review(teacher, sandbox, images=[services.ImageUpload(photo(), "Children racing on the field")])
    post = services.post_approve(actor=colleague, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    published = SandboxPost.objects.get(channel_id=sandbox.pk)
    assert published.text == post.text
    assert published.image_alts == ["Children racing on the field"]


def test_an_author_cannot_approve_their_own_post(teacher, sandbox):
    post = _in_review(teacher, sandbox)
    with pytest.raises(PermissionDenied, match="own posts"):
        services.post_approve(actor=teacher, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


def test_the_database_refuses_a_self_review_whatever_the_code_does(teacher, colleague, sandbox):
    post = _in_review(teacher, sandbox)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            post=post, post_version=1, reviewer=teacher, author=teacher, editor=colleague, decision=Decision.APPROVE
        )


def test_under_policy_003_only_the_administration_team_may_review(make_trust, make_staff):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()

    ceo = holder(trust, Role.CEO, None)
    admin_team = make_staff(Role.ADMIN_TEAM, school, "Office Manager")
    author = make_staff(Role.TEACHER, school, "Author")
    other_teacher = make_staff(Role.TEACHER, school, "Other Teacher")
    channel = make_channel(admin_team, ceo, school, posters=[author])
    post = _in_review(author, channel, text="Our school play is next week.")
    with pytest.raises(PermissionDenied, match="does not allow"):
        services.post_approve(actor=other_teacher, post=post)
    services.post_approve(actor=admin_team, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_a_policy_asking_for_two_reviewers_waits_for_the_second(trust, ceo, teacher, colleague, head, sandbox):
    text = policy_text("000").replace("reviewers_required: 1", "reviewers_required: 2")
    policy_adopt(actor=ceo, trust=trust, text=text)
    post = _in_review(teacher, sandbox)
    post = services.post_approve(actor=colleague, post=post)
    assert post.status == PostStatus.IN_REVIEW
    services.post_approve(actor=head, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_editing_an_approved_post_sends_it_back_to_review(teacher, colleague, sandbox):
    later = timezone.now() + dt.timedelta(days=1)
    post = services.post_approve(actor=colleague, post=_in_review(teacher, sandbox, scheduled_for=later))
    assert post.status == PostStatus.SCHEDULED
    post = services.post_update(
        actor=teacher, post=post, text="Sports day moved to Monday.", category="events", scheduled_for=later
    )
    assert post.status == PostStatus.IN_REVIEW and post.version == 2
    assert not post.deliveries.exclude(status="waiting").exists()
    # the earlier approval was for version 1 and does not count
    assert post.reviews.filter(post_version=2).count() == 0


def test_a_rejected_post_goes_back_with_notes_and_can_be_resubmitted(teacher, colleague, sandbox):
    post = services.post_reject(actor=colleague, post=_in_review(teacher, sandbox), notes="Say which Friday.")
    assert post.status == PostStatus.REJECTED and post.status_note == "Say which Friday."
    post = services.post_update(
        actor=teacher, post=post, text="Sports day: Friday 5 June.", category="events", scheduled_for=None
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW


def test_a_reviewer_must_give_notes_when_returning_a_post(teacher, colleague, sandbox):
    with pytest.raises(ValidationError, match="what to change"):
        services.post_reject(actor=colleague, post=_in_review(teacher, sandbox), notes=" ")


def test_only_authorised_posters_may_write_to_a_channel(colleague, sandbox):
    with pytest.raises(PermissionDenied, match="not authorised"):
        _draft(colleague, sandbox)


def test_a_post_for_a_channel_that_is_not_active_is_refused(teacher, channel_admin, sandbox):
    channel_set_status(actor=channel_admin, channel=sandbox, status=ChannelStatus.SUSPENDED, reason="Staff absence")
    sandbox.refresh_from_db()
    with pytest.raises(ValidationError, match="suspended, not active"):
        _draft(teacher, sandbox)


def test_a_schedule_in_the_past_is_refused(teacher, sandbox):
    with pytest.raises(ValidationError, match="in the past"):
        _draft(teacher, sandbox, scheduled_for=timezone.now() - dt.timedelta(hours=2))


def test_a_category_outside_the_policy_is_refused(teacher, sandbox):
    with pytest.raises(ValidationError, match="not one of the trust's post categories"):
        services.post_create(actor=teacher, channels=[sandbox], text="Buy our raffle tickets", category="adverts")


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(teacher, sandbox):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not an image"):
        _draft(teacher, sandbox, images=[services.ImageUpload(fake, "A photo")])
    assert not sandbox.posts.exists()


def test_an_image_without_a_description_is_refused(teacher, sandbox):
    with pytest.raises(ValidationError, match="Describe"):
        _draft(teacher, sandbox, images=[services.ImageUpload(photo(), "")])


def test_an_image_over_the_size_limit_is_refused(teacher, sandbox):
    big = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * 10_000_001, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="10 MB or less"):
        _draft(teacher, sandbox, images=[services.ImageUpload(big, "Huge")])


def test_too_many_images_for_x_are_caught_by_the_checks_before_review(
    make_staff, teacher, channel_admin, head, seabright, x_api
):
    x_channel = make_channel(
        channel_admin,
        head,
        seabright,
        delivery="live",
        platform="x",
        name="Seabright on X",
        posters=[teacher],
        token=X_TOKEN,
    )
    images = [services.ImageUpload(photo(f"p{i}.jpg"), f"Picture {i}") for i in range(5)]
    post, findings = services.post_submit(actor=teacher, post=_draft(teacher, x_channel, images=images))
    assert post.status == PostStatus.DRAFT
    assert any("at most 4" in f.reason for f in findings)


def test_people_are_told_by_email_without_the_posts_text(teacher, colleague, sandbox):
    mail.outbox.clear()
    post = _in_review(teacher, sandbox, text="Private detail that must not be emailed")
    assert any(colleague.email in m.to for m in mail.outbox)
    services.post_approve(actor=colleague, post=post)
    subjects = [m.subject for m in mail.outbox]
    assert "Your post has been published" in subjects
    assert all("Private detail" not in m.body for m in mail.outbox)


def test_every_step_is_audited(teacher, colleague, sandbox):
    post = services.post_approve(actor=colleague, post=_in_review(teacher, sandbox))
    actions = list(
        AuditEntry.objects.filter(object_id=str(post.pk), object_type="publishing.post").values_list(
            "action", flat=True
        )
    )
    assert actions[:3] == ["post.create", "post.submit", "post.approve"]
    assert "post.delivered" in actions


def test_a_withdrawn_post_is_never_published(teacher, colleague, sandbox):
    post = services.post_approve(
        actor=colleague, post=_in_review(teacher, sandbox, scheduled_for=timezone.now() + dt.timedelta(hours=3))
    )
    services.post_withdraw(actor=teacher, post=post, reason="Event cancelled")
    from safesocial.publishing.delivery import deliver_due

    deliver_due(now=timezone.now() + dt.timedelta(hours=4))
    assert not SandboxPost.objects.exists()


def test_eligible_reviewers_never_include_the_author(teacher, colleague, sandbox):
    post = _draft(teacher, sandbox)
    reviewers = list(selectors.eligible_reviewers(post))
    assert colleague in reviewers and teacher not in reviewers
    assert Trust.objects.count() == 1
