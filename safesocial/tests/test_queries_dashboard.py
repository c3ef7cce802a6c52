"""A trust-wide dashboard costs the same number of queries for a trust of three schools as for one of seven (issue 16):
the CEO's, a trust-wide DSL's and a trust-wide channel administrator's see every school, so a query per school would
make their dashboards slower with every school the trust takes on."""

import datetime as dt

import pytest
from django.urls import reverse

from safesocial.concerns import services as concern_services
from safesocial.people.roles import Role
from safesocial.people.services import pupil_create, school_create
from safesocial.testing.channels import make_channel


def _grow(trust, make_staff, schools: int) -> None:
    """Schools as the trust adds them: each with its leaders, safeguarding team, a teacher, a pupil and a channel."""
    start = trust.schools.count()
    for n in range(start, start + schools):
        school = school_create(actor=None, trust=trust, key=f"school-{n}", name=f"School {n}")
        staff = {
            role: make_staff(role, school, f"{name} {n}")
            for role, name in [
                (Role.HEAD, "Hana Head"),
                (Role.DSL, "Dara Lead"),
                (Role.DEPUTY_DSL, "Dee Deputy"),
                (Role.TEACHER, "Tam Teacher"),
                (Role.CHANNEL_ADMIN, "Cal Admin"),
            ]
        }
        make_channel(staff[Role.CHANNEL_ADMIN], staff[Role.HEAD], school, name=f"School {n} sandbox")
        pupil_create(
            actor=None,
            school=school,
            first_name="Pip",
            last_name=f"Pupil {n}",
            date_of_birth=dt.date(2017, 1, 1),
            year_group="3",
        )


# Publishing's cards take two of these: approved posts to publish by hand, suggestions waiting for a decision.
# The DSL decides remote-learning assessments under policy 000 ("the DSL and/or head"): one query for those waiting.
@pytest.mark.parametrize(("role", "queries"), [(Role.CEO, 42), (Role.DSL, 45), (Role.CHANNEL_ADMIN, 27)])
def test_a_trust_wide_dashboard_takes_the_same_queries_for_three_schools_and_seven(
    trust, make_staff, signed_in, same_queries, role, queries
):
    user = trust.staff.get(role_assignments__role=Role.CEO) if role == Role.CEO else make_staff(role, None)
    client = signed_in(user)
    client.get(reverse("dashboard"))  # sessions, policy and the like settle on the first page
    response = same_queries(queries, lambda: client.get(reverse("dashboard")), lambda: _grow(trust, make_staff, 4))
    body = response.content.decode()
    # The new schools are really on the page: their safeguarding contacts, for anyone at any of them to report to.
    assert "Dara Lead 6" in body and "Dee Deputy 6" in body


def test_the_safeguarding_leads_dashboard_takes_the_same_queries_for_one_concern_and_fifty_one(
    trust, make_staff, signed_in, same_queries
):
    """The lead's dashboard counts the open concerns, the pattern alerts among the people and accounts they name and
    the records due for review: a query for each count, never one per concern (issue 16: 50,000 concerns)."""
    lead = trust.staff.get(email="m.ashdown@harbourside.example.com")
    seabright = trust.schools.get(key="seabright")
    reporter = make_staff(Role.TEACHER, seabright, "Rae Reporter")
    pip = pupil_create(
        actor=None,
        school=seabright,
        first_name="Pip",
        last_name="Named",
        date_of_birth=dt.date(2017, 1, 1),
        year_group="3",
    )

    def report(n: int) -> None:
        concern_services.concern_report(
            actor=reporter,
            school=seabright,
            kind="friend_request",
            summary=f"A friend request, the {n}th",
            people=concern_services.People(pupils=[pip], accounts=[("instagram", f"stranger{n % 5}")]),
        )

    report(0)
    client = signed_in(lead)
    client.get(reverse("dashboard"))
    response = same_queries(45, lambda: client.get(reverse("dashboard")), lambda: [report(n) for n in range(1, 51)])
    body = response.content.decode()
    assert "Pattern alerts" in body and "51" in body
