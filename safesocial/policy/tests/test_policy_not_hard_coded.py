"""Rules on which the five policies differ come from the trust's policy file, with SafeSocial's usual values only where
the policy says nothing: each test changes one field and sees what SafeSocial does change with it (issue 18, item 5)."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel
from safesocial.concerns import selectors as concern_selectors
from safesocial.concerns.forms import ReportForm
from safesocial.concerns.models import Route
from safesocial.concerns.services import People, concern_report
from safesocial.concerns.types import guidance_for
from safesocial.dates import add_months
from safesocial.moderation.models import Comment
from safesocial.people.models import Trust, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, may
from safesocial.policy.schema import DEFAULT_COMPLAINT_REPLY, DEFAULT_FAMILY_GUIDANCE
from safesocial.policy.services import policy_adopt
from safesocial.policy.wording import NO_COMMENT_RULES, comment_rules
from safesocial.registers import services as registers
from safesocial.testing.people import holder
from safesocial.testing.trusts import policy_text


def adopt(trust: Trust, code: str = "000", **changes: Any) -> Trust:
    """Adopt example policy `code` with `section__field=value` changed, and return the trust as it now reads."""
    data = yaml.safe_load(policy_text(code))
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = data
        for key in parents:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return Trust.objects.get(pk=trust.pk)


def fresh(user: User) -> User:
    """The user as the next request sees them: their trust's policy read again."""
    return User.objects.get(pk=user.pk)


# Comment rules: the published policy and the public school page ----------------------------------------------------


def _public_page(client, school) -> str:
    return unescape(client.get(reverse("compliance_public:school", args=[school.pk])).content.decode())


def _document(client, school) -> str:
    return unescape(client.get(reverse("compliance_public:policy", args=[school.pk])).content.decode())


def test_a_trust_that_removes_adverts_and_donations_says_so_and_one_that_reviews_them_does_not(
    client, trust, seabright
):
    # Policy 000 sends adverts and donation requests to a moderator: nobody is told they are removed.
    removed = "comments that are abusive, hateful, threatening, spam or personal information."
    reviewed = "A moderator decides on comments that may be inflammatory, advertising or requests for donations."
    for text in (_public_page(client, seabright), _document(client, seabright)):
        assert removed in text and reviewed in text
    # Policy 001 removes them.
    adopt(
        trust,
        moderation__categories__commercial={"action": "hide", "threshold": 0.6},
        moderation__categories__donation={"action": "hide", "threshold": 0.6},
    )
    removed = "comments that are abusive, hateful, threatening, spam, advertising, requests for donations or personal"
    for text in (page := _public_page(client, seabright), _document(client, seabright)):
        assert removed in text and "A moderator decides" in text  # inflammatory comments are still reviewed
    assert "We block people who repeatedly post them." in page


def test_a_trust_with_no_comment_rules_promises_no_removals_or_blocking(client, trust, seabright):
    adopt(trust, moderation__categories={})
    page = _public_page(client, seabright).split('id="h-expect"')[1].split('id="h-parents"')[0]
    document = _document(client, seabright).split('id="s-moderation"')[1].split('id="s-staff"')[0]
    for text in (page, document):
        assert NO_COMMENT_RULES in text
        assert "block" not in text and "remove comments that" not in text and "donations" not in text


def test_the_repeat_offender_rule_is_printed_with_the_policys_own_numbers(trust):
    trust = adopt(trust, moderation__repeat_offender_threshold=5, moderation__repeat_offender_window_days=90)
    assert "(5 removed comments within 90 days) are blocked." in " ".join(comment_rules(trust.policy, document=True))


# What families are told to do first ---------------------------------------------------------------------------------


def test_the_public_page_gives_the_policys_family_guidance_or_a_neutral_default(client, trust, seabright):
    adopt(trust, parents__family_guidance=None)
    page = _public_page(client, seabright)
    assert DEFAULT_FAMILY_GUIDANCE in page and "class teacher" not in page
    adopt(trust, parents__family_guidance="Your child's class teacher should always be the first port of call.")
    assert "Your child's class teacher should always be the first port of call." in _public_page(client, seabright)


# The complaint reply --------------------------------------------------------------------------------------------


def _complaint(channel) -> Comment:
    fired = [{"name": "complaint", "score": 0.9, "spans": [], "reason": "A complaint.", "fired": True}]
    return Comment.objects.create(
        channel=channel,
        external_id="complaint-1",
        author_id="visitor-1",
        author_name="Jo Parkes",
        text="Nobody answers the phone at the office.",
        created_at=timezone.now(),
        classification={"categories": fired},
        suggested_action="redirect",
        needs_review=True,
    )


def test_the_reply_offered_for_a_complaint_is_the_policys_own(sandbox, signed_in, channel_admin):
    comment = _complaint(sandbox)
    url = reverse("moderation:comment", args=[comment.pk])
    assert DEFAULT_COMPLAINT_REPLY in signed_in(channel_admin).get(url).content.decode()
    adopt(sandbox.trust, moderation__complaint_reply="Please ring the office on 07700 900123 about this.")
    body = signed_in(fresh(channel_admin)).get(url).content.decode()
    assert "Please ring the office on 07700 900123 about this." in body and DEFAULT_COMPLAINT_REPLY not in body


# Who moderates comments --------------------------------------------------------------------------------------------


def test_the_moderators_the_policy_names_replace_the_channel_administrators(make_staff, trust, seabright):
    admin, pa = make_staff(Role.CHANNEL_ADMIN, seabright), make_staff(Role.ADMIN_TEAM, seabright)
    adopt(trust, channels__moderators=[])
    assert may(fresh(admin), Action.MODERATE_COMMENTS, seabright)
    assert not may(fresh(pa), Action.MODERATE_COMMENTS, seabright)
    # Policy 003: "moderated by the PA to CEO or another designated member of staff".
    adopt(trust, channels__moderators=["admin_team"])
    assert may(fresh(pa), Action.MODERATE_COMMENTS, seabright)
    assert not may(fresh(admin), Action.MODERATE_COMMENTS, seabright)


# Concerns about staff --------------------------------------------------------------------------------------------


def _about(actor, school, subject) -> Any:
    return concern_report(
        actor=actor,
        school=school,
        kind="staff_online_conduct",
        summary="A colleague posted about a pupil.",
        people=People(staff_subjects=[subject]),
    ).concern


def test_a_concern_about_a_head_goes_exactly_where_the_policy_says(make_staff, trust, seabright, ceo):
    dsl = holder(trust, Role.DSL, "seabright")
    teacher, head = make_staff(Role.TEACHER, seabright), make_staff(Role.HEAD, seabright, "Hal Head")
    concern = _about(teacher, seabright, head)  # 000: about the head, to the CEO
    assert concern.route == Route.HEAD and ceo in concern_selectors.receivers(concern)
    # A policy sending conduct concerns to the DSL sends one about a head there too: SafeSocial adds no head rule.
    adopt(trust, concerns__about_staff_to="dsl")
    concern = _about(fresh(teacher), seabright, head)
    assert concern.route == Route.STAFF
    receivers = list(concern_selectors.receivers(concern))
    assert dsl in receivers and ceo not in receivers and head not in receivers


def test_the_staff_conduct_guidance_names_the_policys_roles(trust):
    text, source = guidance_for("staff_online_conduct", trust.policy)
    assert source == "SafeSocial" and "goes to the headteacher (or the CEO when it is about the headteacher)" in text
    trust = adopt(trust, concerns__about_staff_to="dsl", concerns__about_head_to="head")
    text, _ = guidance_for("staff_online_conduct", trust.policy)
    assert "goes to the designated safeguarding lead (or the headteacher when it is about the designated" in text
    assert "CEO" not in text


def test_the_report_form_says_where_a_concern_about_a_colleague_goes(trust):
    def hint(policy) -> str:
        return ReportForm(schools=trust.schools.all(), policy=policy).fields["staff_subject"].help_text

    assert (
        hint(trust.policy) == "It goes to the headteacher (or the CEO when it is about the headteacher), never to them."
    )
    trust = adopt(trust, concerns__about_staff_to="dsl")
    assert hint(trust.policy).startswith("It goes to the designated safeguarding lead (or the CEO when it is about")


# Content reports, for blocking a site ------------------------------------------------------------------------------


def test_content_reports_reach_the_roles_the_policy_names_and_nothing_else_does(make_staff, trust, seabright, teacher):
    it = make_staff(Role.IT_SUPPORT, None, "Ivy Tech")

    def report(kind: str):
        return concern_report(
            actor=fresh(teacher), school=seabright, kind=kind, summary="A gambling site opened in class."
        ).concern

    seen = report("inappropriate_content")
    assert fresh(it) not in concern_selectors.receivers(seen)
    trust = adopt(trust, concerns__content_reports_to=["it_support"])  # policy 002: "reported to the IT Support Team"
    content, other = report("inappropriate_content"), report("friend_request")
    assert fresh(it) in concern_selectors.receivers(content)
    assert set(concern_selectors.concerns_for(fresh(it))) == {seen, content}
    assert fresh(it) not in concern_selectors.receivers(other)


# Periods ---------------------------------------------------------------------------------------------------------


def test_friendship_declarations_are_confirmed_again_as_often_as_the_policy_says(trust, seabright, teacher):
    today = timezone.localdate()
    declaration = registers.friendship_declare(
        actor=teacher, school=seabright, nature="Friends from before", platforms=["facebook"], family_names="Harbour"
    )
    assert declaration.reconfirm_due == today + dt.timedelta(days=365)
    adopt(trust, concerns__friendship_reconfirm_days=180)
    declaration = registers.friendship_reconfirm(actor=fresh(teacher), declaration=declaration)
    assert declaration.reconfirm_due == today + dt.timedelta(days=180)


def test_channel_access_runs_no_longer_than_the_policy_allows(make_staff, sandbox, head, seabright):
    poster = make_staff(Role.TEACHER, seabright, "Pat Poster")
    channels.aup_sign(actor=poster, signed_name=poster.full_name)
    in_20_months = add_months(timezone.localdate(), 20)
    adopt(sandbox.trust, channels__access_max_months=12)
    sandbox.refresh_from_db()
    sandbox.trust = Trust.objects.get(pk=sandbox.trust_id)
    with pytest.raises(ValidationError, match="one year at most"):
        channels.access_grant(
            actor=fresh(head), channel=sandbox, user=poster, level=AccessLevel.POSTER, expires_on=in_20_months
        )
    adopt(sandbox.trust, channels__access_max_months=None)  # SafeSocial's usual two years
    sandbox.trust = Trust.objects.get(pk=sandbox.trust_id)
    grant = channels.access_grant(
        actor=fresh(head), channel=sandbox, user=poster, level=AccessLevel.POSTER, expires_on=in_20_months
    )
    assert grant.expires_on == in_20_months


def test_a_concern_is_kept_for_the_policys_retention_period(trust, seabright, teacher):
    trust = adopt(trust, concerns__retention_years={"default": 7})
    concern = concern_report(actor=fresh(teacher), school=seabright, kind="friend_request", summary="x").concern
    concern.refresh_from_db()
    created = timezone.localtime(concern.created_at).date()
    assert concern.retain_until == created.replace(year=created.year + 7)
    assert "7 years" in concern.retention_rule
