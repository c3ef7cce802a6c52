"""Issue 18, items 3 and 4: who approves is one role, all_of or any_of; a trust may declare roles of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.channels import services as channels
from safesocial.channels.models import ChannelStatus
from safesocial.concerns import selectors as concern_selectors
from safesocial.concerns.services import concern_report
from safesocial.people.models import RoleAssignment, Trust
from safesocial.people.roles import ExtraRole, Role
from safesocial.people.selectors import two_factor_missing
from safesocial.people.services import RoleSpec, role_grant, staff_create
from safesocial.permissions import Action, may
from safesocial.policy import services as policy_services
from safesocial.policy.approvals import signatures
from safesocial.policy.approvers import Approvers
from safesocial.policy.loader import PolicyInvalid, parse_policy
from safesocial.policy.models import ReviewStatus
from safesocial.registers import services as registers
from safesocial.registers.models import ApprovalStatus
from safesocial.testing.people import PASSWORD, holder
from safesocial.testing.trusts import policy_text

REVIEW_ON = dt.date.today() + dt.timedelta(days=200)  # always ahead, whatever day the suite runs


def _adopt(text: str) -> Trust:
    """Trust 000 governed from now by `text`; a fresh Trust object, so nothing holds the old policy."""
    trust = Trust.objects.get()
    policy_services.policy_adopt(actor=None, trust=trust, text=text, note="test", source="test")
    return Trust.objects.get()


def _with_roles(text: str, roles: str) -> str:
    return text.replace("schema_version: 1\n", f"schema_version: 1\nroles:\n{roles}", 1)


def _remote(actor, school):
    return registers.remote_learning_submit(
        actor=actor,
        school=school,
        platform="Class video calls",
        purpose="Lessons at home",
        year_groups="5 and 6",
        data_protection="School accounts only",
        age_limits="None",
        risks="Strangers joining: links are private",
        review_on=REVIEW_ON,
    )


# The expression itself ------------------------------------------------------------------------------------------


def test_an_approver_is_one_role_all_of_or_any_of():
    one, every, either = (
        Approvers.parse(v) for v in ("head", {"all_of": ["ceo", "head"]}, {"any_of": ["dsl", "head"]})
    )
    assert one == Role.HEAD and one.describe() == "the headteacher"
    assert every.describe() == "the CEO and the headteacher"
    assert either.describe() == "the DSL or the headteacher"
    assert not every.satisfied_by({"ceo"}) and every.satisfied_by({"ceo", "head"})
    assert either.satisfied_by({"dsl"}) and not either.satisfied_by({"teacher"})
    assert every.who_may_sign({"head", "teacher"}, signed={"ceo"}) == [Role.HEAD]
    assert every.who_may_sign({"head"}, signed={"head"}) == []
    assert either.who_may_sign({"head"}, signed={"dsl"}) == []  # already complete
    assert every.dump() == {"all_of": ["ceo", "head"]} and one.dump() == "head"


def test_co_approvers_still_mean_every_one_of_them_signs():
    text = policy_text("000").replace("  approver: head\n", "  approver: head\n  co_approvers: [ceo]\n", 1)
    approvers = parse_policy(text).channels.approvers
    assert approvers == Approvers("all_of", (Role.HEAD, Role.CEO))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("  approver: head\n", "  approver: {all_of: [head, line_manger]}\n"), "channels.approver"),
        (("  approver: head\n", "  approver: {some_of: [head]}\n"), "channels.approver"),
        (("  poster_authoriser: head\n", "  poster_authoriser: {all_of: [head, ceo]}\n"), "channels.poster_authoriser"),
        (("  report_to: [", "  report_to: [slt, "), "concerns.report_to[0]"),
    ],
)
def test_a_role_nobody_declared_is_refused_at_its_field_and_line(change, field):
    text = policy_text("000").replace(*change, 1)
    with pytest.raises(PolicyInvalid) as exc:
        parse_policy(text)
    (error,) = exc.value.errors
    assert error.field == field
    assert error.line == text[: text.index(change[1])].count("\n") + 1


def test_a_declared_role_cannot_reuse_a_safesocial_role_name():
    text = _with_roles(policy_text("000"), "  - {key: head, label: Head}\n")
    with pytest.raises(PolicyInvalid, match="already one of SafeSocial's roles") as exc:
        parse_policy(text)
    assert exc.value.errors[0].field == "roles[0].key"


# all_of and any_of drive the approvals -------------------------------------------------------------------------


def test_003s_remote_learning_waits_for_the_ceo_and_the_head(make_trust, make_staff):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    item = _remote(make_staff(Role.TEACHER, school, "Tam Teach"), school)
    head, ceo = holder(trust, Role.HEAD, school.key), holder(trust, Role.CEO, None)

    with pytest.raises(PermissionDenied):
        registers.approval_decide(actor=make_staff(Role.DSL, school, "Dee Lead"), item=item, approve=True, note="ok")
    registers.approval_decide(actor=head, item=item, approve=True, note="Fine for Year 6.")
    item.refresh_from_db()
    assert item.status == ApprovalStatus.SUBMITTED  # still waiting for the CEO
    with pytest.raises(PermissionDenied, match="already signed"):
        registers.approval_decide(actor=head, item=item, approve=True, note="Again.")

    registers.approval_decide(actor=ceo, item=item, approve=True, note="Agreed.")
    item.refresh_from_db()
    assert item.status == ApprovalStatus.APPROVED and item.decided_by == ceo
    assert [(s.role, s.user) for s in signatures(item)] == [("head", head), ("ceo", ceo)]
    signed = AuditEntry.objects.filter(action="remote_learning.sign").order_by("pk")
    assert [e.changes["complete"] for e in signed] == [False, True]


def test_the_assessment_page_shows_who_has_signed_and_asks_only_those_still_needed(make_trust, make_staff, signed_in):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    item = _remote(make_staff(Role.TEACHER, school, "Tam Teach"), school)
    head, ceo = holder(trust, Role.HEAD, school.key), holder(trust, Role.CEO, None)
    registers.approval_decide(actor=head, item=item, approve=True, note="Fine for Year 6.")
    url = reverse("registers:approval", kwargs={"kind": "remote-learning", "pk": item.pk})
    page = signed_in(head).get(url).content.decode()
    assert "Waiting for the CEO and the headteacher." in page
    assert f"{head} (Headteacher / head of school)" in page and 'id="decide"' not in page
    assert 'id="decide"' in signed_in(ceo).get(url).content.decode()


def test_000s_remote_learning_is_approved_by_the_dsl_or_the_head(trust, seabright, teacher):
    item = _remote(teacher, seabright)
    registers.approval_decide(actor=holder(trust, Role.DSL, "seabright"), item=item, approve=True, note="Fine.")
    item.refresh_from_db()
    assert item.status == ApprovalStatus.APPROVED
    assert len(signatures(item)) == 1


def test_a_channel_under_all_of_stays_proposed_until_every_role_signs(trust, make_staff):
    trust = _adopt(policy_text("000").replace("  approver: head\n", "  approver: {all_of: [head, ceo]}\n", 1))
    school = trust.schools.get(key="seabright")
    channel = channels.channel_propose(
        actor=holder(trust, Role.HEAD, "seabright"),
        trust=trust,
        school=school,
        platform="facebook_page",
        name="Seabright news",
        official_email="office@seabright.example.com",
        purpose="News for families",
        audience="Parents",
        contributors=["parents"],
        time_commitment="2 hours a week",
        success_measures="Parents feel informed",
        risks=[
            channels.RiskSpec("Abusive comments", "medium", "Daily moderation", holder(trust, Role.HEAD, "seabright"))
        ],
    )
    channel = channels.channel_sign_off(actor=holder(trust, Role.HEAD, "seabright"), channel=channel)
    assert channel.status == ChannelStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        channels.channel_sign_off(actor=make_staff(Role.TEACHER, school, "Tess Other"), channel=channel)
    channel = channels.channel_sign_off(actor=holder(trust, Role.CEO, None), channel=channel)
    assert channel.status == ChannelStatus.APPROVED


def test_the_review_under_all_of_is_adopted_only_when_both_have_signed(trust):
    text = policy_text("000").replace("  approver: ceo\n", "  approver: {all_of: [ceo, governor]}\n", 1)
    trust = _adopt(text)
    ceo, governor = holder(trust, Role.CEO, None), holder(trust, Role.GOVERNOR, None)
    review = policy_services.review_start(actor=ceo, trust=trust)
    policy_services.review_submit(actor=ceo, review=review)
    assert policy_services.review_approve(actor=ceo, review=review) is None
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    version = policy_services.review_approve(actor=governor, review=review)
    assert version is not None and version.number == 3
    last = version.policy.document.history[-1]
    assert last.event.startswith("Reviewed and approved by the chief executive officer and the governor / trustee")


# The trust's own roles ------------------------------------------------------------------------------------------


def test_004s_executive_headteacher_has_the_ceos_powers_under_her_own_title(make_trust):
    trust = make_trust("004")
    executive = holder(trust, "executive_head", None)
    assert executive.role_assignments.filter(role="executive_head").get().role_label == "Executive headteacher"
    assert may(executive, Action.ADOPT_POLICY) and may(executive, Action.VIEW_AUDIT)
    assert trust.policy.review.approver.describe() == "the executive headteacher"


def test_004s_executive_headteacher_must_set_up_an_authenticator_as_the_ceo_must(make_trust, client):
    """She holds the CEO's powers under her own title, so her account is protected as the CEO's is."""
    executive = holder(make_trust("004"), "executive_head", None)
    assert two_factor_missing(executive)
    client.force_login(executive)
    assert client.get("/posts/")["Location"].startswith("/accounts/2fa/totp/activate")


def test_003s_pa_to_the_ceo_moderates_the_channels(make_trust, make_staff):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    pa = _holder_of(trust, "pa_to_ceo")
    assert may(pa, Action.MODERATE_COMMENTS, school)
    assert not may(make_staff(Role.TEACHER, school, "Tam Teach"), Action.MODERATE_COMMENTS, school)


def _holder_of(trust, role):
    return RoleAssignment.objects.filter(trust=trust, role=role).select_related("user").get().user


def test_a_declared_role_receives_the_concerns_the_policy_routes_to_it(trust):
    text = _with_roles(policy_text("000"), "  - {key: line_manager, label: Line manager}\n")
    trust = _adopt(text.replace("  report_to: [", "  report_to: [line_manager, ", 1))
    school = trust.schools.get(key="seabright")
    manager = staff_create(
        actor=None,
        trust=trust,
        email="l.manager@example.com",
        full_name="Lee Manager",
        roles=[RoleSpec("line_manager", school)],
        password=PASSWORD,
    )
    reporter = staff_create(
        actor=None,
        trust=trust,
        email="r.porter@example.com",
        full_name="Rae Porter",
        roles=[RoleSpec("teacher", school)],
    )
    concern = concern_report(
        actor=reporter, school=school, kind="cyberbullying_of_pupil", summary="Unkind messages on a class chat"
    ).concern
    assert may(manager, Action.RECEIVE_CONCERNS, school)
    assert manager in concern_selectors.receivers(concern)


def test_a_declared_role_signs_an_approval(trust, seabright, teacher):
    text = _with_roles(policy_text("000"), "  - {key: slt, label: SLT}\n")
    trust = _adopt(text.replace("\nregisters:\n", "\nregisters:\n  ai_tools_approver: {all_of: [head, slt]}\n", 1))
    school = trust.schools.get(key="seabright")
    slt = staff_create(
        actor=None, trust=trust, email="s.lt@example.com", full_name="Sol Team", roles=[RoleSpec("slt", school)]
    )
    item = registers.ai_tool_submit(
        actor=teacher,
        school=school,
        tool="Marking helper",
        purpose="Feedback",
        data_shared="None",
        age_restrictions="Staff only",
        risks="Wrong answers",
        review_on=REVIEW_ON,
    )
    registers.approval_decide(actor=slt, item=item, approve=True, note="Yes.")
    registers.approval_decide(actor=holder(trust, Role.HEAD, "seabright"), item=item, approve=True, note="Yes.")
    item.refresh_from_db()
    assert item.status == ApprovalStatus.APPROVED
    assert {s.role for s in signatures(item)} == {"slt", "head"}


def test_staff_can_be_given_only_roles_safesocial_or_the_policy_knows(trust, seabright, ceo):
    trust = _adopt(_with_roles(policy_text("000"), "  - {key: it_technician, label: IT technician}\n"))
    member = staff_create(
        actor=None, trust=trust, email="t.ech@example.com", full_name="Tia Ech", roles=[RoleSpec("teacher", seabright)]
    )
    grant = role_grant(actor=None, user=member, role="it_technician", school=seabright)
    assert grant.role == ExtraRole("it_technician") and grant.role_label == "IT technician"
    with pytest.raises(ValidationError, match="not a role SafeSocial knows or the trust's policy declares"):
        role_grant(actor=None, user=member, role="caretaker", school=seabright)


def test_the_add_staff_form_offers_and_accepts_the_trusts_own_roles(signed_in, trust):
    trust = _adopt(_with_roles(policy_text("000"), "  - {key: line_manager, label: Line manager}\n"))
    client = signed_in(holder(trust, Role.CEO, None))
    page = client.get(reverse("people:staff_add"))
    assert page.status_code == 200
    assert '<option value="line_manager">Line manager</option>' in page.content.decode()
    school = trust.schools.get(key="seabright")
    form = {"full_name": "Lou Manager", "email": "l.ou@example.com", "role": "line_manager", "school": school.pk}
    client.post(reverse("people:staff_add"), form)
    assert RoleAssignment.objects.get(user__email="l.ou@example.com").role == "line_manager"
