"""What the governors' report shows on another app's page: comments moderated in the year, in the policy's annual
review (hooks.REVIEW_PACK), as the same section the governors read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.template.loader import render_to_string

from safesocial.people.models import Trust

from .periods import Period
from .report import comments_section


def review_moderation(trust: Trust, since: dt.date, until: dt.date) -> str:
    period = Period("review", "the year under review", since, until)
    section = comments_section(trust, None, period, defaultdict(dict))
    return render_to_string("governors/section.html", {"section": section, "level": 3})
