"""The governors' report: how the policy worked over a term or a school year, for the trust or one school.

Figures only. Safeguarding concerns are counted by type, school and outcome; no name, summary or other text from a
concern (or a comment) ever reaches the report, whatever the size of a count.

Every section is built from a fixed number of grouped queries, whatever the number of schools: each query groups by
school and the report adds the groups up (benchmarks/governors_report.py times it for 100 schools)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safesocial.channels import selectors as channels
from safesocial.channels.models import ChannelStatus
from safesocial.compliance.selectors import acknowledgement_summary, training_summary
from safesocial.concerns import selectors as concerns
from safesocial.consent import selectors as consent
from safesocial.escalation import selectors as escalation
from safesocial.escalation.models import EscalationStatus
from safesocial.moderation import selectors as moderation
from safesocial.people.models import School, Trust
from safesocial.policy.categories import Category
from safesocial.publishing import selectors as publishing

from . import periods
from .charts import Chart
from .periods import Period
from .summary import build_summary
from .words import duration

TRUST_ROW = None  # the school id of things that belong to the trust itself (its own channels and posts)
MAX_SCHOOL_BARS = 20
YEAR_ORDER = ["N", "R", *[str(n) for n in range(1, 14)]]


@dataclass
class Section:
    key: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""
    has_data: bool = True
    figures: dict[str, Any] = field(default_factory=dict)  # the raw numbers the summary compares


@dataclass
class SchoolRow:
    school: School
    figures: dict[str, Any]


@dataclass
class Report:
    trust: Trust
    school: School | None
    period: Period
    as_of: dt.date
    generated_at: dt.datetime
    sections: list[Section]
    school_rows: list[SchoolRow]
    school_columns: list[tuple[str, str]]
    summary: Any = None  # summary.Summary: the first page

    @property
    def scope(self) -> str:
        return self.school.name if self.school else f"{self.trust.name} (all schools)"

    @property
    def has_data(self) -> bool:
        return any(s.has_data for s in self.sections)


# Helpers ---------------------------------------------------------------------------------------------------------


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest value with at least pct% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _times(values: list[float]) -> list[tuple[str, str]]:
    if not values:
        return [("Median", "—"), ("90th percentile", "—")]
    return [("Median", duration(statistics.median(values))), ("90th percentile", duration(percentile(values, 90)))]


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


BUCKETS = [
    (1, "Under 1 hour"),
    (4, "1 to 4 hours"),
    (24, "4 to 24 hours"),
    (72, "1 to 3 days"),
    (math.inf, "Over 3 days"),
]


def _bucketed(values: list[float]) -> list[tuple[str, list[float]]]:
    counts = Counter(next(label for limit, label in BUCKETS if v < limit) for v in values)
    return [(label, [counts[label]]) for _, label in BUCKETS]


# Sections --------------------------------------------------------------------------------------------------------


def posts_section(trust: Trust, school: School | None, period: Period, per_school: dict) -> Section:
    start, end = _bounds(period)
    rows = list(publishing.published_between(trust, school, start, end))
    times = [hours(a - s) for _, _, s, a in rows if s and a and a >= s]
    by_school: dict[int | None, list[float]] = defaultdict(list)
    for school_id, _, s, a in rows:
        by_school[school_id].append(hours(a - s) if s and a and a >= s else -1)
    for school_id, values in by_school.items():
        per_school[school_id]["posts"] = len(values)
        good = [v for v in values if v >= 0]
        per_school[school_id]["post_median"] = duration(statistics.median(good)) if good else "—"
    labels = {c.key: c.label for c in trust.policy.posts.categories}
    categories = Counter(category for _, category, _, _ in rows)
    section = Section("posts", "Posts published and how long their review took")
    section.facts = [("Posts published", f"{len(rows):,}")] + [
        (f"{name} time from submission to approval", value) for name, value in _times(times)
    ]
    section.has_data = bool(rows)
    section.figures = {"posts": len(rows), "review_median": statistics.median(times) if times else None}
    section.charts = [
        Chart(
            "posts-category",
            "Posts published by category",
            f"Posts published in {period.label.lower()}, by the policy's content categories.",
            ["Posts"],
            [(labels.get(k, k), [n]) for k, n in categories.most_common()],
        ),
        Chart(
            "posts-review-time",
            "Time from submission to approval",
            "How many published posts waited how long for a colleague's approval.",
            ["Posts"],
            _bucketed(times),
        ),
    ]
    return section


def consent_section(trust: Trust, school: School | None, period: Period, per_school: dict, as_of: dt.date) -> Section:
    _, end = _bounds(period)
    grouped = consent.social_media_consent_counts(trust, school, end, as_of)
    years: dict[str, Counter] = defaultdict(Counter)
    schools: dict[int, Counter] = defaultdict(Counter)
    for row in grouped:
        state = row["state"] if row["state"] in ("given", "refused") else "none"
        years[row["year_group"]][state] += row["n"]
        schools[row["school_id"]][state] += row["n"]
    for school_id, counts in schools.items():
        per_school[school_id]["consent"] = _pct(counts["given"], sum(counts.values()))
    order = {y: i for i, y in enumerate(YEAR_ORDER)}
    total = Counter()
    for counts in years.values():
        total.update(counts)
    pupils_n = sum(total.values())
    section = Section("consent", "Consent to photos on social media, by year group")
    section.note = (
        f"Pupils on roll as at {as_of:%-d %B %Y}, with the newest consent record for photos and video on the "
        "school's official social media. A consent past its end date counts as no answer."
    )
    section.facts = [
        ("Pupils on roll", f"{pupils_n:,}"),
        ("Consent given", f"{total['given']:,} ({_pct(total['given'], pupils_n)})"),
        ("Consent refused", f"{total['refused']:,} ({_pct(total['refused'], pupils_n)})"),
        ("No answer or lapsed", f"{total['none']:,} ({_pct(total['none'], pupils_n)})"),
    ]
    section.has_data = pupils_n > 0
    section.figures = {"pupils": pupils_n, "given": total["given"]}
    section.charts = [
        Chart(
            "consent-year",
            "Consent coverage by year group",
            "For each year group, the share of pupils whose parents gave consent, refused it, or have not answered.",
            ["Given", "Refused", "No answer"],
            [
                (
                    f"Year {y}" if y.isdigit() else {"N": "Nursery", "R": "Reception"}.get(y, y),
                    [
                        c["given"],
                        c["refused"],
                        c["none"],
                    ],
                )
                for y, c in sorted(years.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
            ],
        )
    ]
    return section


CATEGORY_LABELS = {**{c.value: c.label for c in Category}, "": "No category (reviewed anyway)"}


def _top_category(classification: dict) -> str:
    fired = [c for c in classification.get("categories", []) if c.get("fired")]
    return max(fired, key=lambda c: c.get("score", 0))["name"] if fired else ""


def comments_section(trust: Trust, school: School | None, period: Period, per_school: dict) -> Section:
    start, end = _bounds(period)
    rows = list(moderation.comments_between(trust, school, start, end))
    acted = [r for r in rows if r[3] is not None]
    to_first = [hours(r[3] - r[2]) for r in acted if r[3] >= r[2]]
    to_person = [hours(r[4] - r[2]) for r in acted if r[4] is not None and r[4] >= r[2]]
    categories = Counter(_top_category(r[1]) for r in acted)
    for school_id, n in Counter(r[0] for r in acted).items():
        per_school[school_id]["comments"] = n
    actions = moderation.actions_between(trust, school, start, end)
    section = Section("comments", "Comments moderated, by category, and how fast")
    section.facts = [
        ("Comments received", f"{len(rows):,}"),
        ("Comments acted on", f"{len(acted):,}"),
        *[(f"{n} time from receipt to first action", v) for n, v in _times(to_first)],
        *[(f"{n} time from receipt to a moderator's action", v) for n, v in _times(to_person)],
    ]
    section.note = (
        "First actions include comments SafeSocial hid at once under the policy's thresholds; a moderator's action "
        "is the first decision a person took."
    )
    section.has_data = bool(rows)
    section.figures = {
        "received": len(rows),
        "acted": len(acted),
        "first_median": statistics.median(to_first) if to_first else None,
    }
    section.charts = [
        Chart(
            "comments-category",
            "Comments acted on, by category",
            "Comments that were hidden, deleted, answered or reviewed, by the category the classifier found most "
            "likely.",
            ["Comments"],
            [(CATEGORY_LABELS.get(k, k), [n]) for k, n in categories.most_common()],
        ),
        Chart(
            "comments-action",
            "What was done",
            "Moderation actions taken in the period.",
            ["Actions"],
            [(label, [n]) for label, n in sorted(actions.items(), key=lambda kv: -kv[1])],
        ),
        Chart(
            "comments-speed",
            "Time from receipt to first action",
            "How long comments waited before they were first acted on.",
            ["Comments"],
            _bucketed(to_first),
        ),
    ]
    return section


def concerns_section(trust: Trust, school: School | None, period: Period, per_school: dict, schools: dict) -> Section:
    start, end = _bounds(period)
    by_kind: Counter[str] = Counter()
    by_school: Counter[int | None] = Counter()
    by_outcome: Counter[str] = Counter()
    for row in concerns.concern_counts(trust, school, start, end):
        by_kind[row.kind] += row.n
        by_school[row.school_id] += row.n
        by_outcome[row.status] += row.n
        by_outcome.update(row.steps)
    for school_id, n in by_school.items():
        per_school[school_id]["concerns"] = n
    total = sum(by_kind.values())
    section = Section("concerns", "Safeguarding concerns about social media")
    section.note = "Counts only. No names, summaries or details of any concern appear in this report." + (
        " The number at each school is in the table of schools at the end." if school is None else ""
    )
    section.facts = [("Concerns raised", f"{total:,}")]
    section.has_data = total > 0
    section.figures = {"concerns": total}
    charts = [
        Chart(
            "concerns-kind",
            "Concerns by type",
            "Concerns raised in the period, by type.",
            ["Concerns"],
            [(k, [n]) for k, n in by_kind.most_common()],
        ),
        Chart(
            "concerns-outcome",
            "Concerns by outcome",
            "Whether the concerns raised in the period are open or closed, and the steps taken on them (a concern "
            "may have taken more than one).",
            ["Concerns"],
            [(k, [n]) for k, n in by_outcome.items()],
        ),
    ]
    # A chart of a hundred schools helps no one: past MAX_SCHOOL_BARS schools the table of schools (which has a
    # column of concerns for every school) shows them instead.
    if school is None and len(schools) <= MAX_SCHOOL_BARS:
        charts.append(
            Chart(
                "concerns-school",
                "Concerns by school",
                "Concerns raised in the period at each school.",
                ["Concerns"],
                [(schools[k].name if k in schools else "The trust", [n]) for k, n in by_school.most_common()],
            )
        )
    section.charts = charts
    return section


def channels_section(trust: Trust, school: School | None, period: Period, per_school: dict, as_of: dt.date) -> Section:
    start, end = _bounds(period)
    grouped = list(channels.channel_counts(trust, school, as_of))
    reviewed = channels.reviews_between(trust, school, start, end)
    by_status, overdue = Counter(), 0
    for row in grouped:
        by_status[row["status"]] += row["n"]
        overdue += row["overdue"]
        if row["status"] == ChannelStatus.ACTIVE:
            per_school[row["school_id"]]["channels"] = per_school[row["school_id"]].get("channels", 0) + row["n"]
        if row["overdue"]:
            per_school[row["school_id"]]["overdue"] = per_school[row["school_id"]].get("overdue", 0) + row["overdue"]
    section = Section("channels", "Official channels and their reviews")
    section.facts = [
        ("Active channels", f"{by_status[ChannelStatus.ACTIVE]:,}"),
        ("Channel reviews in the period", f"{sum(reviewed.values()):,}"),
        ("Reviews that found the objectives met", f"{reviewed.get(True, 0):,}"),
        ("Reviews that found them missed", f"{reviewed.get(False, 0):,}"),
        (f"Reviews overdue on {as_of:%-d %B %Y}", f"{overdue:,}"),
    ]
    section.has_data = bool(grouped)
    section.figures = {
        "active": by_status[ChannelStatus.ACTIVE],
        "overdue": overdue,
        "missed": reviewed.get(False, 0),
    }
    section.charts = [
        Chart(
            "channels-status",
            "Channels by status",
            f"Official channels on the register as at {as_of:%-d %B %Y}, by status.",
            ["Channels"],
            [(ChannelStatus(k).label, [n]) for k, n in by_status.most_common()],
        ),
        Chart(
            "channels-reviews",
            "Channel reviews in the period",
            "Reviews of official channels, and whether each found the channel met its success measures.",
            ["Objectives met", "Objectives missed"],
            [("Reviews", [reviewed.get(True, 0), reviewed.get(False, 0)])] if reviewed else [],
        ),
    ]
    return section


# The report -------------------------------------------------------------------------------------------------------

SCHOOL_COLUMNS = [
    ("posts", "Posts published"),
    ("post_median", "Median review time"),
    ("consent", "Consent given"),
    ("comments", "Comments acted on"),
    ("concerns", "Concerns"),
    ("escalations", "Escalations begun"),
    ("channels", "Active channels"),
    ("overdue", "Channel reviews overdue"),
]


def build_report(trust: Trust, school: School | None, period: Period, today: dt.date | None = None) -> Report:
    today = today or timezone.localdate()
    as_of = period.as_of(today)
    schools = {s.pk: s for s in trust.schools.all()} if school is None else {school.pk: school}
    per_school: dict[int | None, dict[str, Any]] = defaultdict(dict)
    sections = [
        posts_section(trust, school, period, per_school),
        consent_section(trust, school, period, per_school, as_of),
        comments_section(trust, school, period, per_school),
        concerns_section(trust, school, period, per_school, schools),
        *extra_sections(trust, school, period, as_of, per_school, today),
        channels_section(trust, school, period, per_school, as_of),
    ]
    if period.start > today:
        for section in sections:  # a period that has not begun has nothing to report, not today's snapshot
            section.has_data = False
        per_school.clear()
    rows = []
    if school is None:
        for s in sorted(schools.values(), key=lambda s: s.name):
            figures = per_school.get(s.pk, {})
            blank = {key: "—" if key in ("post_median", "consent") else 0 for key, _ in SCHOOL_COLUMNS}
            rows.append(SchoolRow(s, {key: figures.get(key, blank[key]) for key, _ in SCHOOL_COLUMNS}))
    report = Report(trust, school, period, as_of, timezone.now(), sections, rows, SCHOOL_COLUMNS)
    report.summary = build_summary(report, earlier_sections(trust, school, period, schools, today), today)
    return report


def earlier_sections(trust: Trust, school: School | None, period: Period, schools: dict, today: dt.date):
    """The period before's sections that the summary compares against: figures of events, not of today's state
    (acknowledgements and training are kept only as they stand now)."""
    before = periods.previous(period)
    scratch: dict[int | None, dict[str, Any]] = defaultdict(dict)
    return before, [
        posts_section(trust, school, before, scratch),
        consent_section(trust, school, before, scratch, before.as_of(today)),
        comments_section(trust, school, before, scratch),
        concerns_section(trust, school, before, scratch, schools),
        escalations_section(trust, school, before, scratch),
    ]


def escalations_section(trust: Trust, school: School | None, period: Period, per_school: dict) -> Section:
    start, end = _bounds(period)
    by_status: Counter[str] = Counter()
    for row in escalation.escalations_started(trust, school, start, end):
        by_status[row["status"]] += row["n"]
        per_school[row["school_id"]]["escalations"] = per_school[row["school_id"]].get("escalations", 0) + row["n"]
    taken = escalation.steps_taken(trust, school, period.start, period.end)
    ladder = [(step.key, step.title) for step in trust.policy.parents.escalation]
    known = {key for key, _ in ladder}
    rows = [(title, [taken.get(key, 0)]) for key, title in ladder]
    rows += [(key, [n]) for key, n in taken.items() if key not in known]  # steps of an earlier version
    statuses = dict(EscalationStatus.choices)
    section = Section("escalations", "Parents' and carers' posts: the escalation steps taken")
    section.note = "Counts only: the report names no parent, carer or account."
    section.facts = [
        ("Escalations begun", f"{sum(by_status.values()):,}"),
        *[(f"Of which {statuses.get(k, k).lower()}", f"{n:,}") for k, n in sorted(by_status.items())],
        ("Steps taken", f"{sum(taken.values()):,}"),
    ]
    section.has_data = bool(by_status or taken)
    section.figures = {"begun": sum(by_status.values()), "proposed": by_status.get(EscalationStatus.PROPOSED, 0)}
    section.charts = [
        Chart(
            "escalation-steps",
            "Escalation steps taken, in the policy's order",
            "How many times each step of the policy's escalation ladder was taken in the period.",
            ["Steps taken"],
            rows,
        )
    ]
    return section


GROUP_LABELS = {"staff": "Staff", "parents": "Parents and carers", "pupils": "Pupils"}


def compliance_section(trust: Trust, school: School | None, today: dt.date) -> Section:
    acks = acknowledgement_summary(trust, school)
    current, overdue, staff = training_summary(trust, school)
    section = Section("compliance", "Acknowledgement of the policy and staff training")
    section.note = (
        f"As at {today:%-d %B %Y}, for the version of the policy in force: SafeSocial keeps who has acknowledged "
        "and who is trained as of now, not as of past dates."
    )
    section.facts = [
        *[
            (f"{GROUP_LABELS.get(g, g)} who have acknowledged", f"{d:,} of {t:,} ({_pct(d, t)})")
            for g, (d, t) in acks.items()
        ],
        ("Staff whose training is current", f"{current:,} of {staff:,} ({_pct(current, staff)})"),
        ("Staff overdue for training", f"{overdue:,}"),
    ]
    section.has_data = bool(staff or any(t for _, t in acks.values()))
    section.figures = {"acknowledged": acks, "trained": current, "overdue": overdue, "staff": staff}
    section.charts = [
        Chart(
            "acknowledgements",
            "Acknowledgement of the policy in force, by group",
            "The share of each group who have read and acknowledged the version of the policy in force.",
            ["Acknowledged", "Not yet"],
            [(GROUP_LABELS.get(g, g), [d, t - d]) for g, (d, t) in acks.items() if t],
        ),
        Chart(
            "training",
            "Staff training",
            "Staff whose induction and refresher training are current, and those overdue.",
            ["Current", "Overdue"],
            [("Staff", [current, overdue])] if staff else [],
        ),
    ]
    return section


def extra_sections(
    trust: Trust, school: School | None, period: Period, as_of: dt.date, per_school: dict, today: dt.date
) -> list[Section]:
    """Sections drawn from the escalation ladder and from compliance records."""
    return [escalations_section(trust, school, period, per_school), compliance_section(trust, school, today)]
