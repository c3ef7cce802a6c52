"""What channels show on another app's page: channel reviews missed or overdue, in the policy's annual review
(hooks.REVIEW_PACK)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from safesocial.people.models import Trust

from .selectors import reviews_missed_since, reviews_overdue_on


def review_channels(trust: Trust, since: dt.date, until: dt.date) -> str:
    context = {"missed": reviews_missed_since(trust, since), "overdue": reviews_overdue_on(trust, until)}
    return render_to_string("channels/_review_pack.html", context)
