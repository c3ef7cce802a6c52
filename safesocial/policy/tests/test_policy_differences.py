"""Each example policy differs from another in a rule, and that rule takes effect in SafeSocial."""

from safesocial.people.roles import Role
from safesocial.permissions import Action, may
from safesocial.policy.explain import explain_text
from safesocial.testing.people import holder


def test_policy_000_heads_approve_channels_and_the_ceo_does_not(make_trust):
    trust = make_trust("000")
    school = trust.schools.get(key="seabright")
    assert may(holder(trust, Role.HEAD, "seabright"), Action.APPROVE_CHANNEL, school)
    assert not may(holder(trust, Role.CEO, None), Action.APPROVE_CHANNEL, school)


def test_policy_003_the_ceo_approves_channels_and_authorises_posters(make_trust):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    ceo = holder(trust, Role.CEO, None)
    assert may(ceo, Action.APPROVE_CHANNEL, school)
    assert may(ceo, Action.AUTHORISE_POSTERS, school)
    head = holder(trust, Role.HEAD, school.key)
    assert not may(head, Action.AUTHORISE_POSTERS, school)


def test_policy_003_only_the_administration_team_reviews_posts(make_trust, make_staff):
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    admin = make_staff(Role.ADMIN_TEAM, school)
    teacher = make_staff(Role.TEACHER, school)
    assert may(admin, Action.REVIEW_POST, school)
    assert not may(teacher, Action.REVIEW_POST, school)


def test_policy_004_any_colleague_reviews_posts(make_trust, make_staff):
    trust = make_trust("004")
    school = trust.schools.order_by("pk").first()
    teacher = make_staff(Role.TEACHER, school)
    assert may(teacher, Action.REVIEW_POST, school)
    assert "may not use social media for themselves during school hours at all" in explain_text(trust.policy)


def test_policy_002_sends_concerns_to_the_esafety_team_as_well(make_trust, make_staff):
    trust = make_trust("002")
    school = trust.schools.order_by("pk").first()
    esafety = make_staff(Role.ESAFETY, school)
    assert may(esafety, Action.RECEIVE_CONCERNS, school)
    assert "during their breaks" in explain_text(trust.policy)


def test_policy_000_does_not_send_concerns_to_the_esafety_team(make_trust, make_staff):
    trust = make_trust("000")
    esafety = make_staff(Role.ESAFETY, trust.schools.get(key="seabright"))
    assert not may(esafety, Action.RECEIVE_CONCERNS, trust.schools.get(key="seabright"))


def test_policy_001_is_reviewed_every_two_years_by_the_trustees(make_trust):
    trust = make_trust("001")
    assert trust.policy.review.cadence_months == 24
    governor = holder(trust, Role.GOVERNOR, None)
    ceo = holder(trust, Role.CEO, None)
    assert may(governor, Action.ADOPT_POLICY)
    assert not may(ceo, Action.ADOPT_POLICY)


def test_policy_000_the_ceo_adopts_new_versions(make_trust):
    trust = make_trust("000")
    assert may(holder(trust, Role.CEO, None), Action.ADOPT_POLICY)
    assert not may(holder(trust, Role.GOVERNOR, None), Action.ADOPT_POLICY)


def test_policy_004_lets_the_executive_head_see_every_schools_concerns(make_trust):
    trust = make_trust("004")
    executive = holder(trust, "executive_head", None)
    for school in trust.schools.all():
        assert may(executive, Action.RECEIVE_CONCERNS, school)
