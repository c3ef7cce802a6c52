"""Demo consents: most families agree to photos, some refuse, a few have not answered yet, recorded the
way a school would (paper forms at the start of the year) through the same service staff use."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from safesocial.people.models import Pupil, Trust

from .models import Method, Purpose
from .services import consent_record

# Rough shares seen in primary schools: (given, refused); the rest have not answered.
RATES = {
    Purpose.SOCIAL_MEDIA: (0.84, 0.11),
    Purpose.WEBSITE: (0.86, 0.09),
    Purpose.PRESS: (0.62, 0.28),
    Purpose.NAME_WITH_PHOTO: (0.38, 0.52),
    Purpose.FIRST_NAME_ONLY: (0.72, 0.18),
}


def seed_consents(trust: Trust, seed: int = 7) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    start_of_year = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 8)
    for pupil in Pupil.objects.filter(school__trust=trust).select_related("school__trust").prefetch_related("parents"):
        parent = next(iter(pupil.parents.all()), None)
        if parent is None:
            continue
        for purpose, (given, refused) in RATES.items():
            roll = rng.random()
            if roll >= given + refused:
                continue
            consent_record(
                actor=None,
                pupil=pupil,
                purpose=purpose,
                given=roll < given,
                method=Method.PAPER,
                parent=parent,
                given_on=start_of_year + dt.timedelta(days=rng.randrange(14)),
            )
