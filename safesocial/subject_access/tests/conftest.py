"""A pupil and parent at Seabright, a concern naming the pupil and a third party, and a request about the pupil."""

from __future__ import annotations

import datetime as dt

import pytest

from safesocial.concerns import services as concern_services
from safesocial.concerns.services import People
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create
from safesocial.subject_access import services


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
    return make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")


@pytest.fixture
def case(assistant, seabright, pupil, head):
    """A concern about Nia that also names another child, Jamie Quarry: a third party to Nia's request."""
    concern = concern_services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="Nia was sent a friend request by an adult; Jamie Quarry saw it too.",
        files=[],
        people=People(pupils=[pupil]),
    ).concern
    concern_services.chronology_add(actor=head, concern=concern, text="Spoke to Nia and to Jamie Quarry's mother.")
    return concern


@pytest.fixture
def sar(head, seabright, pupil, case):
    return services.sar_create(
        actor=head,
        school=seabright,
        requester_name="Rowan Harbour",
        requester_relationship="Father of the pupil",
        received_on=dt.date.today() - dt.timedelta(days=3),
        pupil=pupil,
    )
