"""Fixtures for concerns: a pupil and parent at Seabright, a teaching assistant who reports, files of evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create
from safesocial.testing.files import png_bytes


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pupil(seabright):
    return pupil_create(
        actor=None,
        school=seabright,
        first_name="Nia",
        last_name="Harbour",
        date_of_birth=dt.date(2016, 3, 4),
        year_group="4",
        class_name="Otters",
    )


@pytest.fixture
def parent(pupil):
    return parent_create(
        actor=None,
        trust=pupil.school.trust,
        full_name="Rowan Harbour",
        pupils=[(pupil, "Father")],
        email="rowan.harbour@example.com",
    )


@pytest.fixture
def assistant(make_staff, seabright):
    """A teaching assistant at Seabright: reports, receives nothing."""
    return make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")


@pytest.fixture
def deputy(make_staff, seabright):
    return make_staff(Role.DEPUTY_DSL, seabright, "Dee Deputy")


@pytest.fixture
def screenshot_file():
    return SimpleUploadedFile("friend-request.png", png_bytes(), content_type="image/png")


@pytest.fixture
def deputy_dsl(trust):
    """Aisha Rendell, SENDCo and deputy DSL at Seabright (not a head)."""
    return User.objects.get(email="a.rendell@harbourside.example.com")


@pytest.fixture
def trust_lead(trust):
    """Morgan Ashdown, the trust's safeguarding lead (DSL for every school)."""
    return User.objects.get(email="m.ashdown@harbourside.example.com")
