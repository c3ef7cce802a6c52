"""Issue 13's "done means": disclosures in words no rule knows, posted on the demo's sandbox page, reach the DSL."""

import pytest
from django.urls import reverse

from safesocial.concerns.models import Concern
from safesocial.moderation.demo import VISITORS
from safesocial.moderation.models import Comment, CommentStatus
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services as posts

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = dict(VISITORS)
REFUGE = DEMO["Kerry Ainsworth"]  # a parent asking for a photo to come down: the family is hiding from the father
SUICIDAL = DEMO["Tia Fairbairn"]  # a pupil hinting that everyone would be better off without them


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


@pytest.mark.parametrize("text", [REFUGE, SUICIDAL], ids=["refuge photo removal", "suicidal pupil"])
def test_a_disclosure_no_rule_knows_posted_on_the_sandbox_page_reaches_the_dsl(
    client, sandbox, published, signed_in, head, teacher, mailoutbox, text
):
    client.post(reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": "A Visitor", "text": text})
    comment = Comment.objects.get(channel=sandbox, text=text)
    assert comment.suggested_action == "escalate"
    assert comment.status == CommentStatus.HIDDEN and comment.kept_for_concern
    [safeguarding] = [c for c in comment.classification["categories"] if c["name"] == "safeguarding"]
    assert "safeguarding lead should read it" in safeguarding["reason"]
    concern = Concern.objects.get(comments=comment)
    assert concern.school == sandbox.school
    # Seabright's DSL (the head in the fixtures) is told and can read it; a teacher cannot even see it exists.
    assert any(head.email in m.to for m in mailoutbox)
    assert text[:40] in signed_in(head).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert signed_in(teacher).get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    assert text[:40] not in client.get(reverse("sandbox", args=[sandbox.pk])).content.decode()
