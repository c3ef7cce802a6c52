"""Each permission for each role, under example policy 000 (heads approve channels; any colleague
reviews; concerns go to the DSL, deputies and head; the trust's DSL sees all schools)."""

import pytest

from safesocial.people.roles import Role
from safesocial.permissions import Action, may

A = Action
# Expected powers of someone holding ONLY this role at Seabright (or trust-wide for CEO).
EXPECTED = {
    Role.CEO: {
        A.VIEW_SCHOOL,
        A.VIEW_STAFF,
        A.MANAGE_STAFF,
        A.VIEW_PUPILS,
        A.VIEW_AUDIT,
        A.ADOPT_POLICY,
        A.REVIEW_POST,
        A.BREAK_GLASS,
        A.REPORT_CONCERN,
        A.RECEIVE_STAFF_CONCERNS,
        A.VIEW_REPORTS,
    },
    Role.HEAD: {
        A.VIEW_SCHOOL,
        A.VIEW_STAFF,
        A.MANAGE_STAFF,
        A.VIEW_PUPILS,
        A.MANAGE_PUPILS,
        A.VIEW_AUDIT,
        A.APPROVE_CHANNEL,
        A.AUTHORISE_POSTERS,
        A.REVIEW_POST,
        A.BREAK_GLASS,
        A.REPORT_CONCERN,
        A.RECEIVE_CONCERNS,
        A.RECEIVE_STAFF_CONCERNS,
        A.VIEW_REPORTS,
    },
    Role.DSL: {
        A.VIEW_SCHOOL,
        A.VIEW_STAFF,
        A.VIEW_PUPILS,
        A.MANAGE_PUPILS,
        A.VIEW_AUDIT,
        A.REVIEW_POST,
        A.BREAK_GLASS,
        A.REPORT_CONCERN,
        A.RECEIVE_CONCERNS,
        A.VIEW_REPORTS,
    },
    Role.DEPUTY_DSL: {
        A.VIEW_SCHOOL,
        A.VIEW_STAFF,
        A.VIEW_PUPILS,
        A.REVIEW_POST,
        A.REPORT_CONCERN,
        A.RECEIVE_CONCERNS,
    },
    Role.ESAFETY: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.REVIEW_POST, A.REPORT_CONCERN},
    Role.IT_SUPPORT: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.REVIEW_POST, A.REPORT_CONCERN},
    Role.CHANNEL_ADMIN: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.REVIEW_POST, A.MODERATE_COMMENTS, A.REPORT_CONCERN},
    Role.ADMIN_TEAM: {
        A.VIEW_SCHOOL,
        A.VIEW_STAFF,
        A.MANAGE_STAFF,
        A.VIEW_PUPILS,
        A.MANAGE_PUPILS,
        A.REVIEW_POST,
        A.REPORT_CONCERN,
    },
    Role.TEACHER: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.VIEW_PUPILS, A.REVIEW_POST, A.REPORT_CONCERN},
    Role.SUPPORT_STAFF: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.VIEW_PUPILS, A.REVIEW_POST, A.REPORT_CONCERN},
    Role.VOLUNTEER: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.REPORT_CONCERN},
    Role.GOVERNOR: {A.VIEW_SCHOOL, A.VIEW_STAFF, A.REPORT_CONCERN, A.VIEW_REPORTS},
}
# Staff (not governors or volunteers) draft posts; everyone but volunteers sees the channel register;
# leaders, safeguarding, IT, e-safety and the office propose channels.
for _role in Role:
    if _role not in (Role.GOVERNOR, Role.VOLUNTEER):
        EXPECTED[_role] |= {A.WRITE_POST, A.VIEW_CHANNELS}
    if _role in (Role.CEO, Role.HEAD, Role.CHANNEL_ADMIN, Role.ADMIN_TEAM, Role.ESAFETY, Role.IT_SUPPORT, Role.DSL):
        EXPECTED[_role] |= {A.PROPOSE_CHANNEL}
EXPECTED[Role.GOVERNOR] |= {A.VIEW_CHANNELS, A.VIEW_COMPLIANCE, A.NOTE_POLICY_REVIEW}
# Policy 000: the head, DSL and deputies manage the parent escalation ladder; the head decides friendships and AI
# tools; the DSL or the head approves remote-learning platforms; IT support decides unblock requests and refers them
# to the head.
EXPECTED[Role.CEO] |= {A.MANAGE_TRAINING, A.VIEW_COMPLIANCE, A.DRAFT_POLICY_REVIEW}
EXPECTED[Role.HEAD] |= {
    A.MANAGE_TRAINING,
    A.VIEW_COMPLIANCE,
    A.MANAGE_ESCALATION,
    A.DECIDE_FRIENDSHIP,
    A.DECIDE_REFERRED_UNBLOCK,
    A.APPROVE_REMOTE_LEARNING,
    A.APPROVE_AI_TOOL,
}
EXPECTED[Role.DSL] |= {A.MANAGE_TRAINING, A.VIEW_COMPLIANCE, A.MANAGE_ESCALATION, A.APPROVE_REMOTE_LEARNING}
EXPECTED[Role.DEPUTY_DSL] |= {A.MANAGE_ESCALATION}
EXPECTED[Role.ADMIN_TEAM] |= {A.MANAGE_TRAINING, A.VIEW_COMPLIANCE}
EXPECTED[Role.IT_SUPPORT] |= {A.DECIDE_UNBLOCK}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_has_exactly_its_permissions_at_its_school(make_staff, seabright, role):
    person = make_staff(role, None if role == Role.CEO else seabright)
    granted = {action for action in Action if may(person, action, seabright)}
    assert granted == EXPECTED[role]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CEO], ids=lambda r: r.value)
def test_a_school_role_gives_no_power_at_another_school(make_staff, seabright, millbrook, role):
    person = make_staff(role, seabright)
    assert {action for action in Action if may(person, action, millbrook)} == set()


def test_the_trust_dsl_receives_concerns_at_every_school(trust, make_staff):
    trust_dsl = make_staff(Role.DSL, None)
    assert all(may(trust_dsl, Action.RECEIVE_CONCERNS, school) for school in trust.schools.all())


def test_a_head_cannot_adopt_the_trusts_policy(head):
    assert not may(head, Action.ADOPT_POLICY)
    assert not may(head, Action.ADOPT_POLICY, head.role_assignments.first().school)


def test_someone_signed_out_or_deactivated_may_do_nothing(head, seabright):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), Action.VIEW_SCHOOL, seabright)
    head.is_active = False
    head.save(update_fields=["is_active"])
    assert not may(head, Action.VIEW_SCHOOL, seabright)
