"""What every page a signed-in person opens asks: the two-factor check (RequireTwoFactorMiddleware) and the menu
(people.context_processors.trust). The menu offers each part of SafeSocial exactly where the policy's roles allow it;
both cost the same few queries whoever is signed in (benchmarks/production_mix.py measures the pages)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from safesocial.people.context_processors import trust as menu
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.people.selectors import has_two_factor, requires_two_factor, two_factor_missing
from safesocial.permissions import Action, held_roles, may, schools_where

pytestmark = pytest.mark.django_db


def _menu_for(user: User, fresh: User | None = None) -> dict:
    request = RequestFactory().get("/")
    request.user = fresh or User.objects.get(pk=user.pk)  # as a request loads it: nothing cached yet
    return menu(request)["nav"]


def _anywhere(user: User, action: Action) -> bool:
    return may(user, action) or schools_where(user, action).exists()


@pytest.fixture
def everyone(ceo, head, dsl, teacher, outsider, make_staff, seabright, millbrook):
    # Someone with roles at two schools: the menu reads both.
    both = make_staff(Role.TEACHER, seabright, "Bea Both")
    both.role_assignments.create(trust=both.trust, school=millbrook, role=Role.DSL)
    return [ceo, head, dsl, teacher, outsider, both]


def test_the_menu_offers_what_the_policy_allows_each_person(everyone):
    for user in everyone:
        user = User.objects.get(pk=user.pk)
        first = user.role_assignments.filter(school__isnull=False).select_related("school").first()
        expected = {
            "audit": may(user, Action.VIEW_AUDIT) or may(user, Action.VIEW_AUDIT, first.school if first else None),
            "adopt": may(user, Action.ADOPT_POLICY),
            "moderate": _anywhere(user, Action.MODERATE_COMMENTS),
            "concerns": any(
                _anywhere(user, a)
                for a in (Action.RECEIVE_CONCERNS, Action.RECEIVE_STAFF_CONCERNS, Action.MANAGE_ESCALATION)
            ),
            "reports": _anywhere(user, Action.VIEW_REPORTS),
        }
        assert _menu_for(user) == expected, user


def test_a_dsl_is_offered_concerns_and_a_teacher_is_not(dsl, teacher):
    assert _menu_for(dsl)["concerns"]
    assert not _menu_for(teacher)["concerns"]


def test_the_menu_costs_four_queries_whatever_roles_the_user_holds(everyone, django_assert_num_queries):
    # The user's trust, its policy in force, the user's roles (for may()) and the schools they hold them at.
    for user in everyone:
        fresh = User.objects.get(pk=user.pk)
        with django_assert_num_queries(4):
            _menu_for(user, fresh)


def test_only_a_leader_without_an_authenticator_is_sent_to_set_one_up(head, dsl, teacher, two_factor, client):
    two_factor(head)
    assert [two_factor_missing(u) for u in (head, dsl, teacher)] == [False, True, False]
    assert [requires_two_factor(u) and not has_two_factor(u) for u in (head, dsl, teacher)] == [False, True, False]
    client.force_login(dsl)
    assert client.get("/posts/")["Location"].startswith("/accounts/2fa/totp/activate")
    client.force_login(teacher)
    assert client.get("/posts/").status_code == 200


def test_the_two_factor_check_costs_a_query_only_for_a_leader(
    head, dsl, teacher, two_factor, django_assert_num_queries
):
    """Every page asks it: the roles it reads are the ones the request loads once for its permission checks, so a
    teacher's pages pay nothing more and a leader's one query (their authenticator)."""
    two_factor(head)
    for user, own in ((head, 1), (dsl, 1), (teacher, 0)):
        fresh = User.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            held_roles(fresh)
        with django_assert_num_queries(own):
            two_factor_missing(fresh)
