"""A class at Seabright with families, and a few helpers, for the compliance tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import policy_text
from safesocial.compliance import services
from safesocial.compliance.models import TrainingKind
from safesocial.people.models import ParentCarer, Pupil, School, User
from safesocial.people.services import parent_create, pupil_create
from safesocial.policy.services import policy_adopt


@dataclass(frozen=True)
class Family:
    pupil: Pupil
    parents: list[ParentCarer]


def make_family(school: School, first: str, last: str, class_name: str, parents: list[str]) -> Family:
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


@pytest.fixture
def owls(seabright) -> list[Family]:
    """Seabright's class 4O Owls: two families, one with two parents."""
    return [
        make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana", "Rory"]),
        make_family(seabright, "Omar", "Pennant", "4O Owls", ["Sami"]),
    ]


@pytest.fixture
def wrens(seabright) -> list[Family]:
    return [make_family(seabright, "Ivo", "Marchbank", "1W Wrens", ["Lena"])]


@pytest.fixture
def new_version(trust, ceo):
    """Adopt a new version of the policy (the CEO approves in policy 000)."""

    def adopt():
        text = policy_text("000").replace('version: "2025-09"', 'version: "2026-09"')
        version = policy_adopt(actor=ceo, trust=trust, text=text, note="Annual review")
        trust.refresh_from_db()
        trust.__dict__.pop("policy_version", None)
        return version

    return adopt


def train(member: User, by: User, *, days_ago: int = 30, kind: str = TrainingKind.INDUCTION):
    policy = member.trust.policy
    return services.training_record(
        actor=by,
        user=member,
        topic=policy.training.topics[0],
        kind=kind,
        completed_on=dt.date.today() - dt.timedelta(days=days_ago),
        provider="Local authority online safety adviser",
        note="Signed attendance sheet in the office.",
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Wrong codes are counted in the cache, which outlives each test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
