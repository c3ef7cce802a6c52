"""The periods a governors' report covers: a school year and its three terms.

English school years run from 1 September to 31 August. Term dates differ between schools and Easter moves, so
the report uses fixed terms that every school's real terms fall within:

- autumn: 1 September to 31 December
- spring: 1 January to 31 March (Easter approximated as the end of March)
- summer: 1 April to 31 August (the summer holiday included, so that nothing falls between two reports)

A period's figures are for events dated within it, inclusive of both ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TERMS = ("autumn", "spring", "summer")


@dataclass(frozen=True)
class Period:
    key: str  # "2025-26" for the year, "2025-26-autumn" for a term
    label: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def is_year(self) -> bool:
        return "-" not in self.key[5:]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_of(self, today: dt.date) -> dt.date:
        """The day a snapshot (consent, training, channels) is taken for this period: its end, or today."""
        return min(self.end, today)


def school_year_of(day: dt.date) -> int:
    """The calendar year in which the school year holding `day` began."""
    return day.year if day.month >= 9 else day.year - 1


def _year_key(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year(start_year: int) -> Period:
    key = _year_key(start_year)
    return Period(
        key, f"School year {start_year} to {start_year + 1}", dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)
    )


def term(start_year: int, name: str) -> Period:
    key = f"{_year_key(start_year)}-{name}"
    span = f"{start_year} to {start_year + 1}"
    if name == "autumn":
        return Period(key, f"Autumn term {start_year} ({span})", dt.date(start_year, 9, 1), dt.date(start_year, 12, 31))
    if name == "spring":
        y = start_year + 1
        return Period(key, f"Spring term {y} ({span})", dt.date(y, 1, 1), dt.date(y, 3, 31))
    if name == "summer":
        y = start_year + 1
        return Period(key, f"Summer term {y} ({span})", dt.date(y, 4, 1), dt.date(y, 8, 31))
    raise ValueError(f"no term called {name}")


def periods_of(start_year: int) -> list[Period]:
    return [year(start_year), *(term(start_year, name) for name in TERMS)]


def recent(today: dt.date, years: int = 3) -> list[Period]:
    """This school year and the ones before it, newest first, each followed by its terms."""
    this = school_year_of(today)
    return [p for y in range(this, this - years, -1) for p in periods_of(y)]


def parse(key: str) -> Period | None:
    """The period a key names, or None for anything else."""
    parts = key.split("-")
    if len(parts) not in (2, 3) or not (parts[0].isdigit() and len(parts[0]) == 4 and parts[1].isdigit()):
        return None
    start_year = int(parts[0])
    if f"{(start_year + 1) % 100:02d}" != parts[1] or not 2000 <= start_year <= 2100:
        return None
    if len(parts) == 2:
        return year(start_year)
    return term(start_year, parts[2]) if parts[2] in TERMS else None


def previous(period: Period) -> Period:
    """The period before: last school year for a year, the term before for a term (summer before autumn)."""
    start_year = school_year_of(period.start)
    if period.is_year:
        return year(start_year - 1)
    name = period.key.rsplit("-", 1)[1]
    index = TERMS.index(name)
    return term(start_year - 1, TERMS[-1]) if index == 0 else term(start_year, TERMS[index - 1])


def current_term(today: dt.date) -> Period:
    start_year = school_year_of(today)
    return next(term(start_year, name) for name in TERMS if term(start_year, name).contains(today))
