"""Policy `moderation.remove_within_hours`: a comment left waiting for a moderator longer than the policy allows is
marked late in the inbox and chased on the moderators' dashboard (issue 18: the field used to print only)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safesocial.moderation.models import Comment
from safesocial.people.roles import Role
from safesocial.platforms.models import SandboxPost
from safesocial.policy.services import policy_adopt
from safesocial.publishing import services as posts
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db(transaction=True)

COMPLAINT = "Mr Jones never answers emails and the school ignores complaints"


@pytest.fixture
def moderator(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Mo Moderator")


@pytest.fixture
def waiting(client, teacher, colleague, sandbox):
    """A complaint that has waited 30 hours for a moderator."""
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    published = SandboxPost.objects.get(channel_id=sandbox.pk)
    client.post(reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": "A Visitor", "text": COMPLAINT})
    comment = Comment.objects.get(channel=sandbox)
    assert comment.needs_review
    Comment.objects.filter(pk=comment.pk).update(received_at=timezone.now() - dt.timedelta(hours=30))
    return comment


def _limit(trust, hours: int) -> None:
    text = policy_text("000")
    anchor = "  repeat_offender_window_days: 365\n"
    assert anchor in text
    policy_adopt(actor=None, trust=trust, text=text.replace(anchor, f"{anchor}  remove_within_hours: {hours}\n"))


def test_a_comment_waiting_longer_than_the_policys_hours_is_late_and_chased(trust, waiting, moderator, signed_in):
    _limit(trust, 24)
    client = signed_in(moderator)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Comments waiting too long" in dashboard and "longer than the policy&#x27;s 24 hours" in dashboard
    late = client.get(reverse("moderation:inbox"), {"show": "late"}).content.decode()
    assert "never answers emails" in late and "<strong>late</strong>" in late


def test_the_same_comment_is_not_late_under_a_longer_limit_or_none(trust, waiting, moderator, signed_in):
    client = signed_in(moderator)
    # Policy 000 sets no limit: nothing is late and the inbox offers no "waiting too long" list.
    inbox = client.get(reverse("moderation:inbox")).content.decode()
    assert "never answers emails" in inbox and "<strong>late</strong>" not in inbox and "Waiting too long" not in inbox
    assert "Comments waiting too long" not in client.get(reverse("dashboard")).content.decode()
    _limit(trust, 48)
    assert "Comments waiting too long" not in client.get(reverse("dashboard")).content.decode()
    late = client.get(reverse("moderation:inbox"), {"show": "late"}).content.decode()
    assert "never answers emails" not in late and "Nothing waiting" in late


def test_a_late_comment_stops_being_chased_once_a_moderator_deals_with_it(trust, waiting, moderator, signed_in):
    _limit(trust, 24)
    Comment.objects.filter(pk=waiting.pk).update(needs_review=False, reviewed_by=moderator, reviewed_at=timezone.now())
    assert "Comments waiting too long" not in signed_in(moderator).get(reverse("dashboard")).content.decode()


def test_a_teacher_who_moderates_nothing_is_not_chased(trust, waiting, teacher, signed_in):
    _limit(trust, 24)
    assert "Comments waiting too long" not in signed_in(teacher).get(reverse("dashboard")).content.decode()
