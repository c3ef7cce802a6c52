"""Date arithmetic the policies' deadlines share, with no Django: the ground floor of the house."""

from __future__ import annotations

import calendar
import datetime as dt


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date n working days (Monday to Friday) after `day`. Bank holidays are not known, so a deadline is never
    later than the law's."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), or the month's last day when it is shorter: a review due
    every 12 months from 29 February 2028 falls on 28 February 2029."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
