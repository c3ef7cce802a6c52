"""One person per role, like healthchecks' alice/bob/charlie: each fixture is someone a test can talk about.

The key contacts come from the trust's policy (the CEO, Seabright's head, Millbrook's DSL); everyone else is made
here with `make_staff`. Families (a pupil and their parents or carers) are made with `make_family`."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from safesocial.people.models import ParentCarer, Pupil, School, Trust, User
from safesocial.people.roles import Role
from safesocial.people.selectors import has_two_factor
from safesocial.people.services import RoleSpec, parent_create, pupil_create, staff_create

PASSWORD = "correct-horse-battery"


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def holder(trust: Trust, role: Role, school_key: str | None) -> User:
    """The key contact the policy names for this role (created with the trust), with PASSWORD as their password."""
    qs = User.objects.filter(trust=trust, role_assignments__role=role)
    qs = (
        qs.filter(role_assignments__school__key=school_key)
        if school_key
        else qs.filter(role_assignments__school__isnull=True)
    )
    return _with_password(qs.order_by("pk").first())


@pytest.fixture
def make_staff(db):
    """Make a member of staff with one role: `make_staff(Role.TEACHER, seabright, "Tess Teacher")`."""

    def make(role: Role, school: School | None, name: str = "Test Person", email: str | None = None) -> User:
        trust = school.trust if school else Trust.objects.get()
        email = email or f"{role.value}.{school.key if school else 'trust'}.{User.objects.count()}@example.com"
        return staff_create(
            actor=None,
            trust=trust,
            email=email,
            full_name=name,
            roles=[RoleSpec(role, school)],
            password=PASSWORD,
        )

    return make


@pytest.fixture
def ceo(trust) -> User:
    return holder(trust, Role.CEO, None)


@pytest.fixture
def head(trust) -> User:
    """Head of school (and DSL) at Seabright."""
    return holder(trust, Role.HEAD, "seabright")


@pytest.fixture
def dsl(trust) -> User:
    """The DSL at Millbrook."""
    return holder(trust, Role.DSL, "millbrook")


@pytest.fixture
def teacher(make_staff, seabright) -> User:
    return make_staff(Role.TEACHER, seabright, "Tess Teacher")


@pytest.fixture
def outsider(make_staff, millbrook) -> User:
    """A teacher at Millbrook: a colleague in the trust, but a stranger to Seabright's records."""
    return make_staff(Role.TEACHER, millbrook, "Otto Outsider")


@pytest.fixture
def two_factor():
    """Give a user a TOTP authenticator and return a function that yields the current code."""

    def enrol(user: User):
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return lambda: format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    return enrol


@pytest.fixture
def signed_in(client, two_factor):
    """A client signed in as the given user, with two-factor set up where the policy of roles needs it."""

    def sign_in(user: User):
        if not has_two_factor(user):
            two_factor(user)
        client.force_login(user)
        return client

    return sign_in


@dataclass(frozen=True)
class Family:
    pupil: Pupil
    parents: list[ParentCarer]


def make_family(school: School, first: str, last: str, class_name: str, parents: list[str]) -> Family:
    """A pupil in Year 4 and their parents (given names; the family name is the pupil's), with no email."""
    pupil = pupil_create(
        actor=None,
        school=school,
        first_name=first,
        last_name=last,
        date_of_birth=dt.date(2017, 3, 4),
        year_group="4",
        class_name=class_name,
    )
    made = [
        parent_create(actor=None, trust=school.trust, full_name=f"{p} {last}", pupils=[(pupil, "Parent")], email="")
        for p in parents
    ]
    return Family(pupil, made)
