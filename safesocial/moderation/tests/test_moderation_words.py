"""The inbox and a comment's page in words: no score outside "How SafeSocial decided", actions that fit the comment's
state and say what happens on the platform, and counts that match what happened."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from safesocial.concerns.models import Concern
from safesocial.moderation import services
from safesocial.moderation.models import Comment, CommentStatus
from safesocial.people.roles import Role
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services as posts

pytestmark = pytest.mark.django_db(transaction=True)

ABUSE = "The head is a stupid cow and should be sacked"
COMPLAINT = "Mrs Okafor never replies to emails, this school ignores every complaint"
DISCLOSURE = "my daughter says she is scared to go home because her stepdad hits her"
KIND = "Lovely photos, well done everyone"
SCORE = re.compile(r"\b[01]\.\d\d\b")
DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL)


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


@pytest.fixture
def moderator(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Mo Moderator")


@pytest.fixture
def comments(sandbox, published):
    """One of each: abuse SafeSocial hid, a complaint left up for a reply, a disclosure passed to the DSL, kind
    words."""
    made = {}
    for n, (key, text) in enumerate([("abuse", ABUSE), ("complaint", COMPLAINT), ("disclosure", DISCLOSURE)]):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        visitor.post(
            reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": f"Visitor {n}", "text": text}
        )
        made[key] = Comment.objects.get(text=text)
    Client(REMOTE_ADDR="198.51.100.9").post(
        reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": "Kim Kind", "text": KIND}
    )
    made["kind"] = Comment.objects.get(text=KIND)
    assert made["abuse"].status == CommentStatus.HIDDEN and made["complaint"].status == CommentStatus.VISIBLE
    assert Concern.objects.filter(comments=made["disclosure"]).exists()
    return made


def _page(client, comment) -> str:
    return client.get(reverse("moderation:comment", args=[comment.pk])).content.decode()


def _main(body: str) -> str:
    return body.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_inbox_shows_each_decision_as_a_sentence_and_no_score(comments, signed_in, moderator):
    body = _main(signed_in(moderator).get(reverse("moderation:inbox") + "?show=all").content.decode())
    assert "Hidden: calls the head <mark>“a stupid cow”</mark> — abuse of a member of staff." in body
    assert "Left up for a reply: says <mark>“Mrs Okafor never replies”</mark>" in body
    assert "Left up: nothing in it breaks the policy." in body
    assert not SCORE.findall(body), SCORE.findall(body)
    assert "redirect" not in body and "Leave it up" not in body


def test_a_comment_page_keeps_its_scores_in_how_safesocial_decided(comments, signed_in, moderator):
    body = _main(_page(signed_in(moderator), comments["abuse"]))
    details = DETAILS.findall(body)
    assert len(details) == 1 and "How SafeSocial decided" in details[0] and SCORE.search(details[0])
    outside = DETAILS.sub("", body)
    assert not SCORE.findall(outside), SCORE.findall(outside)
    assert "<mark>The head is a stupid cow and should be sacked</mark>" in outside  # the comment, its words marked
    assert "Hidden: calls the head <mark>“a stupid cow”</mark> — abuse of a member of staff." in outside
    assert "a complaint about a member of staff" in outside
    assert "Suggested action" not in body and "redirect" not in body, body


def test_a_hidden_comment_is_kept_hidden_without_a_reason_or_shown_again_with_one(comments, signed_in, moderator):
    client = signed_in(moderator)
    abuse = comments["abuse"]
    body = _main(_page(client, abuse))
    assert "Keep hidden (mark reviewed)" in body and "Show it again on the sandbox page" in body
    assert "Leave it up" not in body and "Hide on" not in body
    reason = body.split("Keep hidden (mark reviewed)")[0].rsplit("<form", 1)[1]
    assert 'name="reason"' not in reason  # the form that keeps it hidden asks for no reason

    client.post(reverse("moderation:act", args=[abuse.pk, "unhide"]), {"reason": ""})
    abuse.refresh_from_db()
    assert abuse.status == CommentStatus.HIDDEN  # showing it again needs a reason

    response = client.post(reverse("moderation:act", args=[abuse.pk, "reviewed"]), follow=True)
    assert "Marked reviewed." in response.content.decode()
    abuse.refresh_from_db()
    assert abuse.status == CommentStatus.HIDDEN and not abuse.needs_review
    assert abuse.events.last().reason == "Read and kept hidden"
    after = _main(_page(client, abuse))
    assert "Keep hidden (mark reviewed)" not in after and "Show it again on the sandbox page" in after


def test_a_comment_left_up_offers_leave_it_up_and_hide_in_the_platforms_words(comments, signed_in, moderator):
    body = _main(_page(signed_in(moderator), comments["complaint"]))
    for words in ["Leave it up (mark reviewed)", "Hide on the sandbox page", "Delete from the sandbox page"]:
        assert words in body
    assert "Reply with the complaints procedure" in body and "Show it again" not in body


def test_a_disclosure_with_the_dsl_offers_nothing_and_says_so(comments, signed_in, moderator):
    body = _main(_page(signed_in(moderator), comments["disclosure"]))
    assert "Passed to the designated safeguarding lead as a safeguarding concern" in body
    assert "<button" not in body and "Leave it up" not in body and "Keep hidden" not in body


def test_the_counts_separate_what_waits_for_a_moderator_from_what_safesocial_hid(
    comments, signed_in, moderator, sandbox
):
    client = signed_in(moderator)
    body = client.get(reverse("moderation:inbox")).content.decode()
    assert "Waiting for a moderator (1)" in body and "Hidden by SafeSocial — check (1)" in body
    waiting = _main(body)
    assert "Mrs Okafor" in waiting and "stupid cow" not in waiting and "possible safeguarding" not in waiting
    to_check = _main(client.get(reverse("moderation:inbox") + "?show=check").content.decode())
    assert "stupid cow" in to_check and "Mrs Okafor" not in to_check and "possible safeguarding" not in to_check
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "waiting for a moderator; 1 hidden by SafeSocial to check." in dashboard

    services.comment_act(actor=moderator, comment=comments["abuse"], action="reviewed", reason="")
    services.comment_act(actor=moderator, comment=comments["complaint"], action="reviewed", reason="")
    body = client.get(reverse("moderation:inbox")).content.decode()
    assert "Waiting for a moderator (0)" in body and "Hidden by SafeSocial — check (0)" in body
    assert "Nothing waiting for a moderator." in body
    assert "Comments to moderate" not in client.get(reverse("dashboard")).content.decode()
