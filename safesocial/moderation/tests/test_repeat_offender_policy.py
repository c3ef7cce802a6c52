"""Policy `moderation.repeat_offender_threshold` and `repeat_offender_window_days`: changing them changes when a block
is proposed for someone whose comments keep being removed."""

import datetime as dt

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from safesocial.moderation.models import Comment, CommentStatus, Offender
from safesocial.platforms.models import SandboxPost
from safesocial.policy.services import policy_adopt
from safesocial.publishing import services as posts
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


def _with(trust, **moderation) -> None:
    data = yaml.safe_load(policy_text("000"))
    data["moderation"] = {**data["moderation"], **moderation}
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _abuse(client, sandbox, published, text) -> Comment:
    client.post(reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": "Pat Rowe", "text": text})
    comment = Comment.objects.filter(channel=sandbox).order_by("-pk").first()
    assert comment.status == CommentStatus.HIDDEN
    return comment


def _proposed() -> bool:
    offender = Offender.objects.filter(author_name="Pat Rowe").first()
    return offender is not None and offender.block_proposed_at is not None


@pytest.mark.parametrize(("threshold", "proposed"), [(3, False), (2, True)])
def test_a_block_is_proposed_at_the_policys_number_of_removed_comments(
    client, trust, sandbox, published, threshold, proposed
):
    _with(trust, repeat_offender_threshold=threshold)
    _abuse(client, sandbox, published, "You idiots")
    assert not _proposed()
    _abuse(client, sandbox, published, "Useless idiots the lot of you")
    assert _proposed() is proposed


@pytest.mark.parametrize(("window_days", "proposed"), [(365, True), (30, False)])
def test_removed_comments_older_than_the_policys_window_do_not_count(
    client, trust, sandbox, published, window_days, proposed
):
    _with(trust, repeat_offender_threshold=2, repeat_offender_window_days=window_days)
    first = _abuse(client, sandbox, published, "You idiots")
    Comment.objects.filter(pk=first.pk).update(received_at=timezone.now() - dt.timedelta(days=60))
    _abuse(client, sandbox, published, "Useless idiots the lot of you")
    assert _proposed() is proposed
