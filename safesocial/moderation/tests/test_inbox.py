"""Moderation on official channels, through the sandbox page and Meta's webhook."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns.models import Concern
from safesocial.moderation import services
from safesocial.moderation.models import Comment, CommentStatus, ModerationEvent, Offender
from safesocial.people.roles import Role
from safesocial.people.services import parent_create
from safesocial.platforms.models import SandboxComment, SandboxPost
from safesocial.publishing import services as posts
from safesocial.testing.channels import make_channel
from safesocial.testing.standins.x import X_TOKEN, XStandIn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(teacher, colleague, sandbox):
    post = posts.post_create(actor=teacher, channels=[sandbox], text="Sports day photos are up!", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


@pytest.fixture
def moderator(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Mo Moderator")


def _comment(client, sandbox, published, text, name="A Visitor"):
    client.post(reverse("sandbox_comment", args=[sandbox.pk, published.pk]), {"name": name, "text": text})
    return Comment.objects.filter(channel=sandbox).order_by("-pk").first()


def test_an_abusive_comment_is_hidden_at_once_with_its_reason(client, sandbox, published):
    comment = _comment(client, sandbox, published, "You are all useless idiots, shut up")
    assert comment.status == CommentStatus.HIDDEN
    assert SandboxComment.objects.get(pk=int(comment.external_id.rsplit("-", 1)[1])).hidden
    event = ModerationEvent.objects.get(comment=comment)
    assert event.actor is None and "abuse" in json.dumps(comment.classification)
    assert "useless idiots" not in client.get(reverse("sandbox", args=[sandbox.pk])).content.decode()


@pytest.mark.parametrize(
    "praise",
    [
        "Kai smashed it at sports day!",
        "Bloody freezing at sports day but so proud",
        "The choir were killing it tonight",
    ],
)
def test_british_praise_stays_up(client, sandbox, published, praise):
    comment = _comment(client, sandbox, published, praise)
    assert comment.status == CommentStatus.VISIBLE and comment.suggested_action == "allow"


def test_a_disclosure_reaches_the_dsl_kept_and_hidden(
    client, sandbox, published, signed_in, dsl, head, teacher, mailoutbox
):
    comment = _comment(client, sandbox, published, "My daughter is scared to go home because her stepdad hits her")
    assert comment.status == CommentStatus.HIDDEN and comment.kept_for_concern
    concern = Concern.objects.get(comments=comment)
    assert concern.school == sandbox.school
    body = signed_in(head).get(reverse("concerns:detail", args=[concern.pk])).content.decode()  # Seabright's DSL
    assert "stepdad" in body
    assert signed_in(teacher).get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    assert all("stepdad" not in m.body for m in mailoutbox)
    assert any(head.email in m.to for m in mailoutbox)


def test_a_concern_comment_can_never_be_deleted(client, sandbox, published, moderator):
    comment = _comment(client, sandbox, published, "someone keeps messaging my son asking to meet him alone")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="never deleted"):
        services.comment_act(actor=moderator, comment=comment, action="delete", reason="tidy up")


def test_a_complaint_is_queued_with_a_polite_reply_suggested(client, sandbox, published, signed_in, moderator):
    comment = _comment(client, sandbox, published, "Mr Jones never answers emails and the school ignores complaints")
    assert comment.suggested_action == "redirect" and comment.needs_review
    body = signed_in(moderator).get(reverse("moderation:comment", args=[comment.pk])).content.decode()
    assert "complaints procedure" in body


def test_moderators_act_and_each_action_is_audited(client, sandbox, published, moderator):
    comment = _comment(client, sandbox, published, "What time does the fair start?")
    services.comment_act(actor=moderator, comment=comment, action="hide", reason="Testing hide")
    services.comment_act(actor=moderator, comment=comment, action="unhide", reason="It was fine")
    services.comment_act(
        actor=moderator, comment=comment, action="reply", reason="Answer", text="From 2pm, see you there!"
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert SandboxComment.objects.filter(by_page=True, text="From 2pm, see you there!").exists()
    assert AuditEntry.objects.filter(action="comment.hide", actor_id=moderator.pk).exists()
    assert list(comment.events.values_list("action", flat=True)) == ["hide", "unhide", "reply"]


def test_a_teacher_cannot_see_or_act_on_comments(client, sandbox, published, signed_in, teacher):
    comment = _comment(client, sandbox, published, "Lovely photos")
    assert signed_in(teacher).get(reverse("moderation:comment", args=[comment.pk])).status_code == 404


def test_a_third_strike_proposes_a_block_and_the_first_step_for_a_parent(client, sandbox, published, seabright):
    parent_create(actor=None, trust=seabright.trust, full_name="Pat Rowe", pupils=[])
    for text in ["You idiots", "Useless idiots the lot of you", "Shut up you morons"]:
        _comment(client, sandbox, published, text, name="Pat Rowe")
    offender = Offender.objects.get(author_name="Pat Rowe")
    assert offender.block_proposed_at is not None
    assert offender.parent.full_name == "Pat Rowe"
    assert offender.escalation_step == seabright.trust.policy.parents.escalation[0].key


def _three_strikes_from_a_parent_on_roll(client, sandbox, published, seabright):
    """Pat Rowe, Ava's mother, leaves three abusive comments on the sandbox page; Ava is returned."""
    from safesocial.people.services import pupil_create

    pupil = pupil_create(
        actor=None,
        school=seabright,
        first_name="Ava",
        last_name="Rowe",
        date_of_birth=dt.date(2017, 5, 1),
        year_group="3",
    )
    parent_create(actor=None, trust=seabright.trust, full_name="Pat Rowe", pupils=[(pupil, "mother")])
    for text in ["You idiots", "Useless idiots the lot of you", "Shut up you morons"]:
        _comment(client, sandbox, published, text, name="Pat Rowe")
    return pupil


def test_a_third_strike_by_a_parent_on_roll_proposes_the_first_step_of_the_ladder(
    client, sandbox, published, seabright, signed_in, head
):
    from safesocial.escalation.models import Escalation

    _three_strikes_from_a_parent_on_roll(client, sandbox, published, seabright)
    escalation = Escalation.objects.get(parent__full_name="Pat Rowe")
    assert escalation.status == "proposed" and escalation.school == seabright
    assert escalation.proposed_step == seabright.trust.policy.parents.escalation[0].key
    assert "idiots" not in escalation.summary  # the comments stay in moderation
    page = signed_in(head).get(reverse("escalation:detail", args=[escalation.pk])).content.decode()
    assert "Pat Rowe" in page


def test_a_blocked_visitor_cannot_comment_again(client, sandbox, published, moderator):
    comment = _comment(client, sandbox, published, "Shut up you morons")
    services.comment_act(actor=moderator, comment=comment, action="block", reason="Repeated abuse")
    before = SandboxComment.objects.count()
    _comment(client, sandbox, published, "Still here")
    assert SandboxComment.objects.count() == before


# --- Meta's webhook ---------------------------------------------------------------------------------------------

SECRET = "app-secret-for-tests"


def _delivery(page_id, comment_id="1234_5678", message="You are all useless idiots", when=None, verb="add"):
    when = when or timezone.now()
    return {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": int(when.timestamp()),
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": verb,
                            "comment_id": comment_id,
                            "post_id": f"{page_id}_1",
                            "parent_id": f"{page_id}_1",
                            "from": {"id": "999", "name": "Someone"},
                            "message": message,
                            "created_time": int(when.timestamp()),
                        },
                    }
                ],
            }
        ],
    }


def _post(client, payload, secret=SECRET):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        reverse("meta_webhook"), body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


@pytest.fixture
def webhook_settings(settings):
    settings.META_APP_SECRET = SECRET
    settings.META_VERIFY_TOKEN = "verify-me"


def test_a_signed_delivery_is_stored_and_the_same_delivery_twice_once(client, facebook, graph, webhook_settings):
    # Someone comments on the Page; Facebook tells SafeSocial by webhook.
    comment_id = graph.add_comment(f"{facebook.external_id}_1", "You are all useless idiots")
    payload = _delivery(facebook.external_id, comment_id=comment_id)
    assert _post(client, payload).json()["stored"] == 1
    assert _post(client, payload).json()["duplicates"] == 1
    comment = Comment.objects.get(channel=facebook)
    assert comment.status == CommentStatus.HIDDEN, list(comment.events.values_list("action", "error"))
    assert graph.comments[comment_id]["hidden"]  # hidden on Facebook itself, through the Graph API


def test_a_forged_delivery_is_refused(client, facebook, webhook_settings):
    response = _post(client, _delivery(facebook.external_id), secret="not-the-secret")
    assert response.status_code == 403 and not Comment.objects.exists()


def test_a_replayed_old_delivery_is_refused(client, facebook, webhook_settings):
    old = _delivery(facebook.external_id, when=timezone.now() - dt.timedelta(days=2))
    assert "replay" in _post(client, old).json()["errors"][0]["error"]
    assert not Comment.objects.exists()


def test_a_delivery_for_an_unknown_page_is_reported(client, facebook, webhook_settings):
    result = _post(client, _delivery("000000000")).json()
    assert result["errors"][0]["error"] == "not an active official channel"


def test_meta_subscription_check_answers_the_challenge(client, webhook_settings):
    ok = client.get(
        reverse("meta_webhook"), {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    )
    assert ok.content == b"42"
    assert (
        client.get(
            reverse("meta_webhook"), {"hub.mode": "subscribe", "hub.verify_token": "no", "hub.challenge": "42"}
        ).status_code
        == 403
    )


def test_a_moderator_who_is_not_named_for_concerns_cannot_read_a_disclosure(
    client, sandbox, published, signed_in, moderator
):
    comment = _comment(client, sandbox, published, "my son is scared to go home because his dad hits him")
    body = signed_in(moderator).get(reverse("moderation:comment", args=[comment.pk])).content.decode()
    assert "dad hits him" not in body and "passed it to the designated safeguarding lead" in body
    inbox = signed_in(moderator).get(reverse("moderation:inbox") + "?show=all").content.decode()
    assert "dad hits him" not in inbox


def test_replies_on_x_are_polled_moderated_and_hidden_there(teacher, colleague, channel_admin, head, seabright, x_api):
    from safesocial.channels.services import channel_update_connection

    channel = make_channel(
        channel_admin,
        head,
        seabright,
        delivery="live",
        platform="x",
        name="Seabright on X",
        posters=[teacher],
        token=X_TOKEN,
    )
    channel = channel_update_connection(actor=channel_admin, channel=channel, external_id=XStandIn.user_id)
    post = posts.post_create(actor=teacher, channels=[channel], text="Harvest festival on Friday", category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    tweet_id = post.deliveries.get().external_id
    reply_id = x_api.add_reply(tweet_id, "You are useless idiots")
    kind_id = x_api.add_reply(tweet_id, "Lovely, see you there!")
    assert services.comments_poll(channel) == 2
    assert services.comments_poll(channel) == 0  # nothing new the second time
    assert Comment.objects.get(external_id=reply_id).status == CommentStatus.HIDDEN
    assert Comment.objects.get(external_id=kind_id).status == CommentStatus.VISIBLE
    assert x_api.everything[reply_id]["hidden"]


def test_a_kind_comment_edited_into_abuse_is_checked_again_and_hidden(client, facebook, graph, webhook_settings):
    comment_id = graph.add_comment(f"{facebook.external_id}_1", "Lovely photos, well done everyone")
    assert (
        _post(client, _delivery(facebook.external_id, comment_id, "Lovely photos, well done everyone")).json()["stored"]
        == 1
    )
    assert Comment.objects.get(channel=facebook).status == CommentStatus.VISIBLE
    edited = _delivery(
        facebook.external_id, comment_id, "Lovely photos. The teachers are useless idiots", verb="edited"
    )
    assert _post(client, edited).json()["stored"] == 1
    comment = Comment.objects.get(channel=facebook)
    assert comment.status == CommentStatus.HIDDEN and graph.comments[comment_id]["hidden"]
    assert comment.text.endswith("useless idiots")
    edit = comment.events.get(action="edited")
    assert edit.classification["before"]["text"] == "Lovely photos, well done everyone"
    assert _post(client, edited).json()["duplicates"] == 1  # the same edit delivered twice changes nothing more


def test_an_abusive_comment_edited_to_be_kind_stays_hidden_until_a_moderator_restores_it(
    client, facebook, graph, webhook_settings
):
    comment_id = graph.add_comment(f"{facebook.external_id}_1", "You are all useless idiots")
    _post(client, _delivery(facebook.external_id, comment_id))
    _post(client, _delivery(facebook.external_id, comment_id, "Sorry, lovely photos", verb="edited"))
    comment = Comment.objects.get(channel=facebook)
    assert comment.status == CommentStatus.HIDDEN and comment.suggested_action == "allow"


def test_each_school_has_its_own_queue_and_the_trust_one(client, sandbox, published, signed_in, make_staff, trust):
    _comment(client, sandbox, published, "You are all useless idiots")
    trust_moderator = make_staff(Role.CHANNEL_ADMIN, None, "Tess Trustwide")
    page = signed_in(trust_moderator).get(reverse("moderation:inbox")).content.decode()
    # SafeSocial hid it: nobody has to act before it comes down, but a moderator checks the hiding.
    assert "Seabright" in page and "The trust&#x27;s own channels" in page and "(0 waiting, 1 hidden to check)" in page
    other = signed_in(trust_moderator).get(reverse("moderation:inbox") + "?queue=millbrook&show=all").content.decode()
    assert "useless idiots" not in other
    mine = signed_in(trust_moderator).get(reverse("moderation:inbox") + "?queue=seabright&show=all").content.decode()
    assert "useless idiots" in mine


def test_a_moderator_cannot_open_another_schools_queue(client, sandbox, published, signed_in, moderator):
    assert signed_in(moderator).get(reverse("moderation:inbox") + "?queue=millbrook").status_code == 404


def test_a_disclosure_concern_says_when_and_where_the_comment_was_posted(client, sandbox, published):
    comment = _comment(client, sandbox, published, "my son is scared to go home because his dad hits him", "Jo Bloggs")
    concern = Concern.objects.get(comments=comment)
    assert concern.occurred_at == comment.created_at
    assert concern.platform == "facebook" and concern.account_handle == "Jo Bloggs"


def test_a_moderator_who_cannot_manage_escalations_is_not_linked_to_one(
    client, sandbox, published, seabright, signed_in, moderator, head
):
    pupil = _three_strikes_from_a_parent_on_roll(client, sandbox, published, seabright)
    escalation_url = reverse("escalation:detail", args=[pupil.parents.get().escalations.get().pk])
    assert escalation_url not in signed_in(moderator).get(reverse("moderation:inbox")).content.decode()
    assert signed_in(moderator).get(escalation_url).status_code == 404


# --- What a moderator reads and where it leads ----------------------------------------------------------------


def _stored(channel, text, suggested, fired, author="Jo Parkes"):
    """A comment as the classifier left it: these tests are about the page, whatever the model scores tomorrow."""
    categories = [{"name": n, "score": 0.9, "spans": [], "reason": f"This reads as {n}.", "fired": True} for n in fired]
    return Comment.objects.create(
        channel=channel,
        external_id=f"stored-{Comment.objects.count()}",
        author_id=f"visitor-{author}",
        author_name=author,
        text=text,
        created_at=timezone.now(),
        classification={"categories": categories},
        suggested_action=suggested,
        needs_review=True,
    )


def test_an_abusive_complaint_is_offered_no_friendly_reply_but_can_still_be_answered(sandbox, signed_in, moderator):
    from safesocial.moderation.views import COMPLAINT_REPLY

    comment = _stored(sandbox, "Useless idiots, Mr Jones ignores my complaints", "hide", ["abuse", "complaint"])
    assert not comment.suggests_complaint_reply
    body = signed_in(moderator).get(reverse("moderation:comment", args=[comment.pk])).content.decode()
    assert "We want to put this right" not in body and COMPLAINT_REPLY not in body
    assert "suggested because this reads as a complaint" not in body
    # the moderator may write a reply of their own
    assert 'name="text"' in body and "Reply on the sandbox page" in body


@pytest.mark.parametrize(
    ("suggested", "fired", "offered"),
    [
        ("redirect", ["complaint"], True),
        ("hide", ["abuse", "complaint"], False),
        ("hide", ["hate", "complaint"], False),
        ("review", ["threat", "complaint"], False),
        ("review", ["inflammatory"], False),
    ],
)
def test_the_complaint_reply_is_suggested_only_when_the_thresholds_redirect_a_complaint(
    sandbox, suggested, fired, offered
):
    assert _stored(sandbox, "Words", suggested, fired).suggests_complaint_reply is offered


def test_the_history_gives_each_reason_as_its_own_sentence(client, sandbox, published, signed_in, moderator):
    text = "You are useless idiots and the school ignores my complaints, Mr Jones never answers"
    comment = _comment(client, sandbox, published, text)
    reasons = [c["reason"] for c in comment.top_categories]
    assert len(reasons) >= 2 and comment.status == CommentStatus.HIDDEN, comment.classification
    event = comment.events.get(action="hide")
    assert event.reason == "Hidden automatically: " + " ".join(r if r.endswith(".") else f"{r}." for r in reasons)
    body = signed_in(moderator).get(reverse("moderation:comment", args=[comment.pk])).content.decode()
    assert ".;" not in body


def test_a_repeat_offender_links_to_their_comments_where_the_block_button_is(
    client, sandbox, published, signed_in, moderator
):
    for text in ["You idiots", "Useless idiots the lot of you", "Shut up you morons"]:
        _comment(client, sandbox, published, text, name="Rex Rude")
    _comment(Client(), sandbox, published, "Lovely photos", name="Kim Kind")  # another visitor
    offender = Offender.objects.get(author_name="Rex Rude")
    page = signed_in(moderator).get(reverse("moderation:inbox")).content.decode()
    link = f'href="{reverse("moderation:inbox")}?author={offender.pk}&amp;show=all">Comments by Rex Rude</a>'
    assert link in page

    theirs = signed_in(moderator).get(reverse("moderation:inbox"), {"author": offender.pk, "show": "all"})
    body = theirs.content.decode()
    assert "3 comments by Rex Rude" in body and "Lovely photos" not in body
    latest = Comment.objects.filter(author_name="Rex Rude").first()
    assert f'href="{reverse("moderation:comment", args=[latest.pk])}"' in body
    comment_page = signed_in(moderator).get(reverse("moderation:comment", args=[latest.pk])).content.decode()
    assert "Block the author" in comment_page


def test_an_authors_comments_never_name_them_as_the_maker_of_a_disclosure(
    client, sandbox, published, signed_in, moderator
):
    _comment(client, sandbox, published, "my son is scared to go home because his dad hits him", name="Rex Rude")
    for text in ["You idiots", "Useless idiots the lot of you", "Shut up you morons"]:
        _comment(client, sandbox, published, text, name="Rex Rude")
    offender = Offender.objects.get(author_name="Rex Rude")
    body = signed_in(moderator).get(reverse("moderation:inbox"), {"author": offender.pk}).content.decode()
    assert "3 comments by Rex Rude" in body and "A possible safeguarding concern" not in body


def test_only_a_moderator_can_open_an_authors_comments(client, sandbox, published, signed_in, moderator, teacher):
    for text in ["You idiots", "Useless idiots the lot of you", "Shut up you morons"]:
        _comment(client, sandbox, published, text, name="Rex Rude")
    offender = Offender.objects.get(author_name="Rex Rude")
    teachers_view = signed_in(teacher).get(reverse("moderation:inbox"), {"author": offender.pk})
    assert "Rex Rude" not in teachers_view.content.decode()
    assert signed_in(moderator).get(reverse("moderation:inbox"), {"author": "nobody"}).status_code == 404
    assert signed_in(moderator).get(reverse("moderation:inbox"), {"author": offender.pk + 1}).status_code == 404


def test_someone_who_moderates_no_channel_is_told_who_does(client, sandbox, published, signed_in, dsl, moderator):
    _comment(client, sandbox, published, "You are all useless idiots")
    body = signed_in(dsl).get(reverse("moderation:inbox")).content.decode()
    assert "You do not moderate comments on any of the trust" in body
    assert "Channel administrator" in body
    assert "Nothing waiting" not in body and "0 comments" not in body and "useless idiots" not in body
    assert "Mo Moderator" not in body  # Seabright's moderator: the DSL works at Millbrook
    mine = signed_in(moderator).get(reverse("moderation:inbox")).content.decode()
    assert "You do not moderate" not in mine


def test_someone_who_moderates_no_channel_sees_the_moderators_of_their_school(signed_in, teacher, moderator):
    body = signed_in(teacher).get(reverse("moderation:inbox")).content.decode()
    assert "Mo Moderator: Channel administrator at Seabright" in body


def test_the_inbox_takes_the_same_queries_for_one_hidden_comment_and_five(
    sandbox, published, signed_in, moderator, same_queries
):
    def rude(n):  # each from their own address: one visitor's comments a minute are limited
        _comment(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), sandbox, published, f"You idiots number {n}", f"Rude {n}")

    rude(0)
    client = signed_in(moderator)
    url = reverse("moderation:inbox") + "?show=all"
    client.get(url)
    # 13: one more than before for the tabs' counts (waiting for a moderator, hidden by SafeSocial to check).
    body = same_queries(11, lambda: client.get(url), lambda: [rude(n) for n in range(1, 5)]).content.decode()
    assert "You idiots number 4" in body


def test_a_webhook_answers_before_the_comment_is_classified_and_the_task_then_hides_it(
    client, facebook, graph, webhook_settings, settings, signed_in, make_staff, seabright
):
    # A worker's queue (the dummy backend keeps what is enqueued and runs nothing) instead of the immediate backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    comment_id = graph.add_comment(f"{facebook.external_id}_1", "You are all useless idiots")
    assert _post(client, _delivery(facebook.external_id, comment_id=comment_id)).json()["stored"] == 1
    comment = Comment.objects.get(channel=facebook)
    assert comment.status == CommentStatus.VISIBLE and not graph.comments[comment_id]["hidden"]
    moderator = make_staff(Role.CHANNEL_ADMIN, None, "Tess Trustwide")
    assert "Being checked" in signed_in(moderator).get(reverse("moderation:inbox") + "?show=all").content.decode()

    [queued] = default_task_backend.results
    queued.task.call(*queued.args, **queued.kwargs)  # what the worker does
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and graph.comments[comment_id]["hidden"]
    assert comment.suggested_action == "hide" and "abuse" in json.dumps(comment.classification)
    assert services.comment_classify(comment.pk) is None  # the same task run twice acts once
    assert comment.events.filter(action="hide").count() == 1
