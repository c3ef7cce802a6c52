"""A pupil whose consents a test chooses: Ava Quill, named in the posts the consent checks read."""

from __future__ import annotations

import datetime as dt

import pytest

from safesocial.consent import services as consent
from safesocial.consent.models import Method
from safesocial.people.services import parent_create, pupil_create


@pytest.fixture
def make_ava(seabright, head):
    """Ava Quill in Year 4 at Seabright, whose mother Kim has given the consents named, on paper, and no others.
    `make_ava(Purpose.SOCIAL_MEDIA)`; her mother is `ava.parent_for_test`."""

    def make(*purposes):
        pupil = pupil_create(
            actor=None,
            school=seabright,
            first_name="Ava",
            last_name="Quill",
            date_of_birth=dt.date(2017, 5, 1),
            year_group="4",
        )
        parent = parent_create(actor=None, trust=seabright.trust, full_name="Kim Quill", pupils=[(pupil, "Mother")])
        for purpose in purposes:
            consent.consent_record(
                actor=head, pupil=pupil, purpose=purpose, given=True, method=Method.PAPER, parent=parent
            )
        pupil.parent_for_test = parent
        return pupil

    return make
