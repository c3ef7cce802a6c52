"""Issue 18: a field acts when changing its value changes what SafeSocial does.

Each test builds the trust of example policy 000 twice, once with the field as 000 writes it (or as SafeSocial's
default) and once changed, and sees the difference where staff would meet it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safesocial.channels.services import credential_break_glass, credential_set
from safesocial.compliance import quiz
from safesocial.compliance.models import TrainingKind
from safesocial.compliance.selectors import training_state
from safesocial.compliance.services import acknowledgement_remind, quiz_submit
from safesocial.concerns.models import Concern, ConcernLink, PatternAlert
from safesocial.concerns.services import concern_report, concerns_chase
from safesocial.consent.models import Method, Purpose
from safesocial.consent.services import consent_record
from safesocial.escalation.services import escalation_start
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role
from safesocial.people.services import RoleSpec, parent_create, pupil_create, staff_create
from safesocial.policy import services as policy_services
from safesocial.policy.services import trust_create_from_policy
from safesocial.registers.models import UnblockStatus
from safesocial.registers.services import friendship_decide, friendship_declare, unblock_decide, unblock_request
from safesocial.testing.channels import make_channel
from safesocial.testing.compliance import train
from safesocial.testing.people import holder
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db


def trust_with(change: dict[str, dict[str, Any]]) -> Trust:
    """The trust of policy 000 with `change` merged one section deep: `{"channels": {"emergency_access": [ceo]}}`."""
    data = yaml.safe_load(policy_text("000"))
    for section, fields in change.items():
        data[section] = {**(data.get(section) or {}), **fields}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return trust_create_from_policy(actor=None, text=text, source="test")


def seabright(trust: Trust) -> School:
    return trust.schools.get(key="seabright")


def staff(trust: Trust, role: Role, school: School | None, name: str) -> User:
    email = f"{name.lower().replace(' ', '.')}@example.com"
    return staff_create(actor=None, trust=trust, email=email, full_name=name, roles=[RoleSpec(role, school)])


# channels.emergency_access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emergency_access", "head_may", "ceo_may"),
    [(["head", "ceo", "dsl"], True, True), (["ceo"], False, True), (["head"], True, False)],
)
def test_only_the_roles_the_policy_names_may_break_glass_on_a_channels_login(emergency_access, head_may, ceo_may):
    trust = trust_with({"channels": {"emergency_access": emergency_access}})
    school = seabright(trust)
    head, ceo = holder(trust, Role.HEAD, "seabright"), holder(trust, Role.CEO, None)
    admin = staff(trust, Role.CHANNEL_ADMIN, school, "Ada Admin")
    channel = make_channel(admin, head, school)
    credential_set(actor=admin, channel=channel, kind="password", secret="hunter2-long-password", login="office")
    for person, allowed in ((head, head_may), (ceo, ceo_may)):
        if allowed:
            _, secret = credential_break_glass(actor=person, channel=channel, reason="Ada is off sick today")
            assert secret == "hunter2-long-password"
        else:
            with pytest.raises(PermissionDenied):
                credential_break_glass(actor=person, channel=channel, reason="Ada is off sick today")


# concerns.pattern_threshold, concerns.pattern_window_days -------------------------------------------------------


def _about_the_same_account(trust: Trust, times: int) -> list[Concern]:
    school = seabright(trust)
    reporter = User.objects.filter(email="tess.teacher@example.com").first() or staff(
        trust, Role.TEACHER, school, "Tess Teacher"
    )
    return [
        concern_report(
            actor=reporter,
            school=school,
            kind="parent_post",
            summary="A post about the school from a parent's account.",
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            platform="facebook",
            account_handle="sam.critic",
        ).concern
        for _ in range(times)
    ]


@pytest.mark.parametrize(("threshold", "alerted"), [(None, False), (2, True)])
def test_the_policys_pattern_threshold_decides_how_many_concerns_raise_an_alert(threshold, alerted):
    trust = trust_with({"concerns": {"pattern_threshold": threshold}} if threshold else {})
    _about_the_same_account(trust, 2)  # SafeSocial's default threshold is 3
    assert PatternAlert.objects.exists() is alerted


@pytest.mark.parametrize(("window_days", "alerted"), [(365, True), (30, False)])
def test_concerns_older_than_the_policys_pattern_window_do_not_count(window_days, alerted):
    trust = trust_with({"concerns": {"pattern_window_days": window_days}})
    old = _about_the_same_account(trust, 2)
    ConcernLink.objects.filter(concern__in=old).update(created_at=timezone.now() - dt.timedelta(days=60))
    _about_the_same_account(trust, 1)
    assert PatternAlert.objects.exists() is alerted


# concerns.chase_unacknowledged_minutes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("minutes", "chased"), [(15, True), (30, False)])
def test_an_urgent_concern_is_chased_after_the_policys_minutes_not_before(minutes, chased):
    trust = trust_with({"concerns": {"chase_unacknowledged_minutes": minutes}})
    school = seabright(trust)
    concern = concern_report(
        actor=staff(trust, Role.SUPPORT_STAFF, school, "Tara Assistant"),
        school=school,
        kind="friend_request",
        summary="A child says they are in danger tonight",
        at_risk_now="yes",
        harm_likely="",
    ).concern
    moment = timezone.now() - dt.timedelta(minutes=20)
    Concern.objects.filter(pk=concern.pk).update(created_at=moment, triaged_at=moment)
    assert (concerns_chase() == [concern]) is chased


# channels.review_months ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("months", [6, 24])
def test_a_new_channel_is_due_for_review_after_the_policys_months(months):
    trust = trust_with({"channels": {"review_months": months}})
    school = seabright(trust)
    head = holder(trust, Role.HEAD, "seabright")
    channel = make_channel(staff(trust, Role.CHANNEL_ADMIN, school, "Ada Admin"), head, school)
    days = (channel.next_review_due - timezone.localdate()).days
    assert days in range(months * 28, months * 31 + 1)


# training.refresher_months ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "current"), [(12, False), (24, True)])
def test_training_stays_current_for_the_policys_months(months, current):
    trust = trust_with({"training": {"refresher_months": months}})
    member = staff(trust, Role.TEACHER, seabright(trust), "Tess Teacher")
    train(member, holder(trust, Role.HEAD, "seabright"), days_ago=500)
    assert training_state(User.objects.get(pk=member.pk)).current is current


# consent.expire_at_end_of_school_year ----------------------------------------------------------------------------


@pytest.mark.parametrize(("expire", "expires_on"), [(True, dt.date(2027, 8, 31)), (False, None)])
def test_a_consent_lapses_at_the_end_of_the_school_year_only_where_the_policy_says(expire, expires_on):
    trust = trust_with({"consent": {"expire_at_end_of_school_year": expire}})
    school = seabright(trust)
    pupil = pupil_create(
        actor=None, school=school, first_name="Ava", last_name="Lowe", date_of_birth=dt.date(2017, 5, 1), year_group="4"
    )
    parent = parent_create(actor=None, trust=trust, full_name="Kim Lowe", pupils=[(pupil, "Mother")], email="")
    consent, _ = consent_record(
        actor=holder(trust, Role.HEAD, "seabright"),
        pupil=pupil,
        purpose=Purpose.SOCIAL_MEDIA,
        given=True,
        method=Method.PAPER,
        parent=parent,
        given_on=dt.date(2026, 9, 10),
    )
    assert consent.expires_on == expires_on


# review.cadence_months -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "next_review"), [(12, dt.date(2027, 9, 1)), (24, dt.date(2028, 9, 1))])
def test_an_approved_review_sets_the_next_one_a_cadence_on(months, next_review):
    trust = trust_with({"review": {"cadence_months": months}})
    ceo = holder(trust, Role.CEO, None)
    review = policy_services.review_start(actor=ceo, trust=trust)
    policy_services.review_submit(actor=ceo, review=review)
    policy_services.review_approve(actor=ceo, review=review)
    trust = Trust.objects.get(pk=trust.pk)
    assert trust.policy.review.next_review == next_review


# training.quiz_pass_mark -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pass_mark", "passed"), [(80, False), (60, True)])
def test_the_same_answers_pass_or_fail_by_the_policys_pass_mark(pass_mark, passed):
    trust = trust_with({"training": {"quiz_pass_mark": pass_mark}})
    member = staff(trust, Role.TEACHER, seabright(trust), "Tess Teacher")
    questions = quiz.questions(trust.policy)
    assert len(questions) == 5
    right = [q.answer for q in questions]
    wrong = [(q.answer + 1) % len(q.options) for q in questions]
    attempt, _ = quiz_submit(actor=member, token=str(uuid.uuid4()), version_number=1, answers=[*right[:3], *wrong[3:]])
    assert (attempt.score, attempt.passed) == (3, passed)


# acknowledgement.reminder_days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("every", "again"), [(14, False), (7, True)])
def test_staff_are_reminded_to_acknowledge_again_after_the_policys_days(
    every, again, django_capture_on_commit_callbacks
):
    trust = trust_with({"acknowledgement": {"reminder_days": every}})
    member = staff(trust, Role.TEACHER, seabright(trust), "Tess Teacher")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert member.email in acknowledgement_remind(trust=trust, now=now).emailed
        later = acknowledgement_remind(trust=trust, now=now + dt.timedelta(days=10)).emailed
    assert (member.email in later) is again


# parents.escalation_managed_by -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("managed_by", "head_may"), [(None, True), (["ceo"], False)])
def test_only_the_roles_the_policy_names_start_an_escalation(managed_by, head_may):
    trust = trust_with({"parents": {"escalation_managed_by": managed_by}} if managed_by else {})
    school = seabright(trust)
    pupil = pupil_create(
        actor=None,
        school=school,
        first_name="Milo",
        last_name="Ferro",
        date_of_birth=dt.date(2017, 5, 1),
        year_group="4",
    )
    parent = parent_create(actor=None, trust=trust, full_name="Kit Ferro", pupils=[(pupil, "Father")], email="")
    head, ceo = holder(trust, Role.HEAD, "seabright"), holder(trust, Role.CEO, None)
    if head_may:
        assert escalation_start(actor=head, school=school, parent=parent, summary="A post about a teacher.")
    else:
        with pytest.raises(PermissionDenied):
            escalation_start(actor=head, school=school, parent=parent, summary="A post about a teacher.")
        assert escalation_start(actor=ceo, school=school, parent=parent, summary="A post about a teacher.")


# registers.unblock_decided_by, registers.unblock_referred_to ----------------------------------------------------


@pytest.mark.parametrize(("decided_by", "it_decides"), [(None, True), ("head", False)])
def test_the_role_the_policy_names_decides_an_unblock_request(decided_by, it_decides):
    trust = trust_with({"registers": {"unblock_decided_by": decided_by}} if decided_by else {})
    school = seabright(trust)
    teacher = staff(trust, Role.TEACHER, school, "Tess Teacher")
    it = staff(trust, Role.IT_SUPPORT, school, "Ike Tech")
    head = holder(trust, Role.HEAD, "seabright")
    request = unblock_request(actor=teacher, school=school, url="https://www.example.com/rivers", reason="Geography.")
    decider, refused = (it, head) if it_decides else (head, it)
    with pytest.raises(PermissionDenied):
        unblock_decide(actor=refused, request=request, decision="approve", note="Fine.")
    unblock_decide(actor=decider, request=request, decision="approve", note="Fine.")
    request.refresh_from_db()
    assert request.status == UnblockStatus.APPROVED


@pytest.mark.parametrize(("referred_to", "head_decides"), [(None, True), ("ceo", False)])
def test_a_referred_unblock_request_goes_to_the_role_the_policy_names(referred_to, head_decides):
    trust = trust_with({"registers": {"unblock_referred_to": referred_to}} if referred_to else {})
    school = seabright(trust)
    teacher = staff(trust, Role.TEACHER, school, "Tess Teacher")
    it = staff(trust, Role.IT_SUPPORT, school, "Ike Tech")
    head, ceo = holder(trust, Role.HEAD, "seabright"), holder(trust, Role.CEO, None)
    request = unblock_request(actor=teacher, school=school, url="https://video.example.org/", reason="A film.")
    unblock_decide(actor=it, request=request, decision="refer", note="Needs a leader.")
    decider, refused = (head, ceo) if head_decides else (ceo, head)
    with pytest.raises(PermissionDenied):
        unblock_decide(actor=refused, request=request, decision="decline", note="No.")
    unblock_decide(actor=decider, request=request, decision="decline", note="Use the school's own copy.")
    request.refresh_from_db()
    assert request.status == UnblockStatus.DECLINED


# concerns.friendship_decided_by ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("decided_by", "head_decides"), [(None, True), ("ceo", False)])
def test_the_role_the_policy_names_decides_a_friendship_declaration(decided_by, head_decides):
    trust = trust_with({"concerns": {"friendship_decided_by": decided_by}} if decided_by else {})
    school = seabright(trust)
    teacher = staff(trust, Role.TEACHER, school, "Tess Teacher")
    head, ceo = holder(trust, Role.HEAD, "seabright"), holder(trust, Role.CEO, None)
    declaration = friendship_declare(
        actor=teacher, school=school, nature="Family friends.", platforms=["facebook"], family_names="Sam Quill"
    )
    decider, refused = (head, ceo) if head_decides else (ceo, head)
    with pytest.raises(PermissionDenied):
        friendship_decide(actor=refused, declaration=declaration, decision="limit", advice="Restrict your profile.")
    friendship_decide(actor=decider, declaration=declaration, decision="limit", advice="Restrict your profile.")
    declaration.refresh_from_db()
    assert declaration.decided_by == decider


# training.induction ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("induction", "current"), [(True, False), (False, True)])
def test_a_refresher_alone_is_enough_only_where_the_policy_asks_for_no_induction(induction, current):
    trust = trust_with({"training": {"induction": induction}})
    member = staff(trust, Role.TEACHER, seabright(trust), "Tess Teacher")
    train(member, holder(trust, Role.HEAD, "seabright"), days_ago=5, kind=TrainingKind.REFRESHER)
    assert training_state(User.objects.get(pk=member.pk)).current is current
