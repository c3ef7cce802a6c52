"""What concerns show on another app's page: the lessons learnt from closed concerns, in the policy's annual review
(hooks.REVIEW_PACK)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from safesocial.people.models import Trust

from .selectors import lessons_for_review


def review_lessons(trust: Trust, since: dt.date, until: dt.date) -> str:
    return render_to_string("concerns/_review_lessons.html", {"lessons": list(lessons_for_review(trust, since))})
