"""The report's first page: a summary a governor understands without the rest.

Headline figures stand against the period before, in words ("up from 12"), never in colour alone. What needs the
governors' attention is drawn from the figures the report already holds, plus two counts taken as things stand
today: concerns at immediate risk still open (a number, nothing else of them) and the policy's own review date.
Acknowledgements and training are kept only as they stand now, so they are shown as today's figures, uncompared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safesocial.concerns import selectors as concerns
from safesocial.policy import selectors as policy

from .periods import Period
from .words import counted, duration, verb

if TYPE_CHECKING:
    from .report import Report, Section

# A share of parents or pupils below this is worth the governors' attention. Every member of staff must acknowledge
# the policy, so any member of staff who has not is listed whatever the share.
LOW_ACKNOWLEDGEMENT = 0.9
GROUP_NAMES = {"parents": "parents and carers", "pupils": "pupils"}


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str = ""  # "up from 3", "down from 7", "the same as 5"
    arrow: str = ""  # ▲ ▼ =, beside the words, never instead of them


@dataclass(frozen=True)
class Attention:
    text: str
    section: str = ""  # the key of the section with the figures behind it


@dataclass
class Summary:
    previous: Period
    compared: bool  # the period before holds any figures at all
    headlines: list[Headline] = field(default_factory=list)
    today: list[Headline] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    as_at: dt.date | None = None

    @property
    def previous_name(self) -> str:
        return self.previous.label[0].lower() + self.previous.label[1:]


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _change(now: float | None, before: float | None, shown: str) -> tuple[str, str]:
    if now is None or before is None:
        return "", "nothing to compare with" if before is None else f"{shown} before"
    if round(now, 2) > round(before, 2):
        return "▲", f"up from {shown}"
    if round(now, 2) < round(before, 2):
        return "▼", f"down from {shown}"
    return "=", f"the same as {shown}"


def _figure(sections: dict[str, Section], key: str, name: str) -> Any:
    section = sections.get(key)
    return section.figures.get(name) if section is not None else None


def _headlines(now: dict[str, Section], before: dict[str, Section], compared: bool) -> list[Headline]:
    def count(label: str, key: str, name: str) -> Headline:
        value, earlier = _figure(now, key, name) or 0, _figure(before, key, name) or 0
        arrow, change = _change(value, earlier, f"{earlier:,}") if compared else ("", "")
        return Headline(label, f"{value:,}", change, arrow)

    def time(label: str, key: str, name: str) -> Headline:
        value, earlier = _figure(now, key, name), _figure(before, key, name)
        arrow, change = (
            _change(value, earlier, duration(earlier) if earlier is not None else "") if compared else ("", "")
        )
        return Headline(label, duration(value) if value is not None else "—", change, arrow)

    def consent() -> Headline:
        def share(sections: dict[str, Section]) -> float | None:
            pupils = _figure(sections, "consent", "pupils")
            return 100 * _figure(sections, "consent", "given") / pupils if pupils else None

        value, earlier = share(now), share(before)
        given, pupils = _figure(now, "consent", "given") or 0, _figure(now, "consent", "pupils") or 0
        shown = f"{earlier:.0f}%" if earlier is not None else ""
        arrow, change = _change(value, earlier, shown) if compared else ("", "")
        return Headline(
            "Pupils whose parents consent to photos on social media",
            f"{value:.0f}% ({given:,} of {pupils:,})" if value is not None else "—",
            change,
            arrow,
        )

    return [
        count("Posts published", "posts", "posts"),
        time("Median wait for a post's approval", "posts", "review_median"),
        count("Comments received on official channels", "comments", "received"),
        count("Comments hidden, deleted, answered or reviewed", "comments", "acted"),
        time("Median wait before a comment was first acted on", "comments", "first_median"),
        count("Safeguarding concerns raised", "concerns", "concerns"),
        count("Escalations begun about parents' and carers' posts", "escalations", "begun"),
        consent(),
    ]


def _today(now: dict[str, Section]) -> list[Headline]:
    acks = _figure(now, "compliance", "acknowledged") or {}
    rows = []
    if "staff" in acks:
        done, total = acks["staff"]
        rows.append(
            Headline("Staff who have acknowledged the policy in force", f"{done:,} of {total:,} ({_pct(done, total)})")
        )
    staff = _figure(now, "compliance", "staff") or 0
    trained = _figure(now, "compliance", "trained") or 0
    rows.append(Headline("Staff whose training is current", f"{trained:,} of {staff:,} ({_pct(trained, staff)})"))
    rows.append(Headline("Active official channels", f"{_figure(now, 'channels', 'active') or 0:,}"))
    return rows


def _attention(report: Report, now: dict[str, Section], today: dt.date) -> list[Attention]:
    items = []
    _, end = _period_end(report.period)
    urgent = concerns.open_immediate_count(report.trust, report.school, end)
    if urgent:
        items.append(
            Attention(
                f"{counted(urgent, 'safeguarding concern,safeguarding concerns')} assessed as an immediate risk of "
                f"harm {verb(urgent)} still open. The report holds no details: ask the designated safeguarding lead.",
                "concerns",
            )
        )
    review = report.trust.policy.review
    if review.next_review < today:
        drafting = policy.open_review(report.trust) is not None
        items.append(
            Attention(
                f"The policy's annual review was due on {review.next_review:%-d %B %Y}"
                + (" and a draft is in progress." if drafting else " and has not begun.")
            )
        )
    overdue = _figure(now, "channels", "overdue") or 0
    if overdue:
        items.append(
            Attention(
                f"{counted(overdue, 'official channel,official channels')} {verb(overdue)} past "
                f"{'its' if overdue == 1 else 'their'} review date: purpose, success and risks not checked on time.",
                "channels",
            )
        )
    missed = _figure(now, "channels", "missed") or 0
    if missed:
        items.append(
            Attention(
                f"{counted(missed, 'channel review,channel reviews')} in the period found the channel missing its "
                "objectives.",
                "channels",
            )
        )
    for group, (done, total) in (_figure(now, "compliance", "acknowledged") or {}).items():
        if not total:
            continue
        if group == "staff" and done < total:
            waiting = total - done
            items.append(
                Attention(
                    f"{counted(waiting, 'member of staff,members of staff')} {verb(waiting, 'has,have')} not yet "
                    f"acknowledged the policy in force ({_pct(done, total)} of staff have).",
                    "compliance",
                )
            )
        elif group != "staff" and done / total < LOW_ACKNOWLEDGEMENT:
            items.append(
                Attention(
                    f"Only {_pct(done, total)} of {GROUP_NAMES.get(group, group)} have acknowledged the policy in "
                    f"force ({done:,} of {total:,}).",
                    "compliance",
                )
            )
    training = _figure(now, "compliance", "overdue") or 0
    if training:
        items.append(
            Attention(
                f"{counted(training, 'member of staff,members of staff')} {verb(training)} overdue for training.",
                "compliance",
            )
        )
    proposed = _figure(now, "escalations", "proposed") or 0
    if proposed:
        items.append(
            Attention(
                f"{counted(proposed, 'escalation,escalations')} proposed after a commenter's repeated hidden comments "
                f"{verb(proposed)} waiting for a decision.",
                "escalations",
            )
        )
    return items


def _period_end(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def build_summary(report: Report, earlier: tuple[Period, list[Section]], today: dt.date) -> Summary:
    previous, before_sections = earlier
    now = {s.key: s for s in report.sections}
    before = {s.key: s for s in before_sections}
    # Pupils on roll are today's (the roll keeps no history), so only what happened in the period before counts as
    # figures to compare with.
    compared = any(s.has_data for s in before_sections if s.key != "consent")
    return Summary(
        previous=previous,
        compared=compared,
        headlines=_headlines(now, before, compared),
        today=_today(now),
        attention=_attention(report, now, today),
        as_at=today,
    )
