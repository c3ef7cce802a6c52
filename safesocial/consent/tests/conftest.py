"""A pupil and a parent at Seabright, for the consent tests."""

import datetime as dt

import pytest

from safesocial.people.services import parent_create, pupil_create


@pytest.fixture
def pupil(seabright):
    return pupil_create(
        actor=None,
        school=seabright,
        first_name="Ava",
        last_name="Lowe",
        date_of_birth=dt.date(2017, 5, 1),
        year_group="4",
    )


@pytest.fixture
def parent(pupil):
    return parent_create(
        actor=None,
        trust=pupil.school.trust,
        full_name="Kim Lowe",
        pupils=[(pupil, "Mother")],
        email="kim.lowe@example.com",
    )
