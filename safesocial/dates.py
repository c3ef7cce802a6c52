"""Date arithmetic the policies' deadlines share, with no Django: the ground floor of the house."""

from __future__ import annotations

import datetime as dt


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date n working days (Monday to Friday) after `day`. Bank holidays are not known, so a deadline is never
    later than the law's."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day
