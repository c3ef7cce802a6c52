"""How long the yearly governors' report takes for a large trust: 100 schools and 60,000 pupils.

Builds the trust in a scratch SQLite database (or the PostgreSQL database named with --database-url, created and
dropped), with a school year of demo-like records made with bulk_create: consent for most pupils, posts published
with their review times, comments and what moderators did, concerns, parent escalations, channels and their
reviews, staff acknowledgements and training. Then it times building the trust's yearly report (its figures, the
page's HTML and the PDF), and counts the queries the figures take.

    .venv/bin/python benchmarks/governors_report.py
    .venv/bin/python benchmarks/governors_report.py --schools 10 --pupils 6000 --runs 1   # a quick look

On this project's machine (2 cores shared with other work, SQLite), 21 November 2026, 100 schools, 60,000 pupils,
3,000 posts, 8,000 comments, 600 concerns, 300 escalations, 1,110 staff: 15 queries for the figures; median of 3
runs with the load average at 3.7: figures 0.47 s, HTML 0.01 s, PDF 2.1 s, total 2.7 s (slowest 3.1 s). With the
load average at 6.7 the same report took 0.6 s + 6.9 s. The PDF tables use a fixed layout, which WeasyPrint lays out
much faster than an automatic one for the hundred-row table of schools.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

import benchlib

HERE = Path(__file__).resolve().parent
POLICY = HERE.parent / "examples" / "policies" / "000-three-school-primary-trust.yaml"
YEARS = ["R", "1", "2", "3", "4", "5", "6"]
CATEGORIES = ["abuse", "spam", "complaint", "inflammatory", "pii", "safeguarding", "commercial"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--pupils", type=int, default=60_000, help="pupils across the trust (default 60,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each step (default 3)")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database to create and drop")
    return parser.parse_args()


def build(schools_n: int, pupils_n: int, year_start: dt.date, today: dt.date):
    """The trust and a school year of its records. Returns the trust."""
    from django.core.management import call_command
    from django.utils import timezone

    from safesocial.channels.models import Channel, ChannelReview, ChannelStatus
    from safesocial.compliance.models import Acknowledgement, TrainingRecord
    from safesocial.concerns.models import Concern
    from safesocial.concerns.types import CHOICES as CONCERN_KINDS
    from safesocial.consent.models import Consent, Method, Purpose
    from safesocial.escalation.models import Escalation, StepRecord
    from safesocial.moderation.models import Comment, ModerationEvent
    from safesocial.people.models import Pupil, RoleAssignment, School, User
    from safesocial.people.roles import Role
    from safesocial.policy.services import trust_create_from_policy
    from safesocial.publishing.models import Post, PostStatus

    call_command("migrate", verbosity=0, interactive=False)
    trust = trust_create_from_policy(actor=None, text=POLICY.read_text(encoding="utf-8"), source=POLICY.name)
    policy = trust.policy
    rng = random.Random(7)
    tz = timezone.get_current_timezone()
    days = (today - year_start).days

    def moment(day_offset: int | None = None) -> dt.datetime:
        offset = rng.randrange(days) if day_offset is None else day_offset
        return dt.datetime.combine(year_start + dt.timedelta(days=offset), dt.time(8), tzinfo=tz) + dt.timedelta(
            minutes=rng.randrange(600)
        )

    existing = School.objects.filter(trust=trust).count()
    School.objects.bulk_create(
        School(trust=trust, key=f"school-{i:03d}", name=f"School {i:03d} Primary") for i in range(existing, schools_n)
    )
    schools = list(School.objects.filter(trust=trust).order_by("pk"))
    ceo = User.objects.get(role_assignments__role=Role.CEO)

    # Staff: a head and ten teachers at each school (the trust's contacts are already there).
    staff = User.objects.bulk_create(
        User(email=f"staff{s.pk}-{i}@example.com", full_name=f"Staff {s.pk}-{i}", trust=trust)
        for s in schools
        for i in range(11)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, trust=trust, school=schools[n // 11], role=Role.HEAD if n % 11 == 0 else Role.TEACHER)
        for n, u in enumerate(staff)
    )
    version = trust.policy_version
    Acknowledgement.objects.bulk_create(
        Acknowledgement(version=version, user=u, group="staff", method="in_app") for u in staff if rng.random() < 0.8
    )
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            user=u,
            kind="induction",
            topic=policy.training.topics[0],
            provider="The trust",
            completed_on=today - dt.timedelta(days=rng.randrange(500)),
            status="confirmed",
            note="Trust induction day",
            recorded_by=ceo,
            decided_by=ceo,
            decided_at=timezone.now(),
        )
        for u in staff
    )

    per_school = pupils_n // len(schools)
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=s,
            first_name="Pupil",
            last_name=f"{s.pk}-{i}",
            date_of_birth=dt.date(2016, 1, 1),
            year_group=YEARS[i % len(YEARS)],
            class_name=f"Class {i % 14}",
        )
        for s in schools
        for i in range(per_school)
    )
    Consent.objects.bulk_create(
        (
            Consent(
                pupil=p,
                purpose=Purpose.SOCIAL_MEDIA,
                given=rng.random() < 0.9,
                method=Method.PAPER,
                given_on=year_start,
                recorded_at=moment(rng.randrange(20)),
            )
            for p in pupils
            if rng.random() < 0.93
        ),
        batch_size=5000,
    )

    channels = Channel.objects.bulk_create(
        Channel(
            trust=trust,
            school=s,
            platform="facebook_page",
            delivery="sandbox",
            name=f"{s.name} Facebook",
            official_email="office@example.com",
            purpose="News for families",
            audience="Parents",
            time_commitment="2 hours a week",
            success_measures="Parents feel informed",
            status=ChannelStatus.ACTIVE,
            owner=ceo,
            proposed_by=ceo,
            next_review_due=today + dt.timedelta(days=rng.randrange(-40, 300)),
        )
        for s in schools
    )
    ChannelReview.objects.bulk_create(
        ChannelReview(
            channel=c, reviewed_by=ceo, reviewed_at=moment(), objectives_met=rng.random() < 0.8, notes="Reviewed"
        )
        for c in channels
    )

    categories = [c.key for c in policy.posts.categories]
    posts = []
    for s in schools:
        for _ in range(30):
            submitted = moment()
            approved = submitted + dt.timedelta(minutes=rng.expovariate(1 / 180))
            posts.append(
                Post(
                    trust=trust,
                    school=s,
                    author=ceo,
                    edited_by=ceo,
                    text="A day at the beach",
                    category=rng.choice(categories),
                    status=PostStatus.PUBLISHED,
                    submitted_at=submitted,
                    approved_at=approved,
                    published_at=approved + dt.timedelta(minutes=5),
                )
            )
    Post.objects.bulk_create(posts, batch_size=5000)

    comments = []
    for c in channels:
        for i in range(80):
            category = rng.choice(CATEGORIES) if rng.random() < 0.4 else None
            cats = [{"name": category, "score": 0.9, "spans": [], "reason": "", "fired": True}] if category else []
            received = moment()
            comments.append(
                Comment(
                    channel=c,
                    external_id=f"{c.pk}-{i}",
                    author_id=f"a{rng.randrange(5000)}",
                    author_name="A parent",
                    text="A comment",
                    created_at=received,
                    received_at=received,
                    classification={"categories": cats},
                    suggested_action="review" if category else "allow",
                    needs_review=bool(category),
                )
            )
    comments = Comment.objects.bulk_create(comments, batch_size=5000)
    ModerationEvent.objects.bulk_create(
        (
            ModerationEvent(
                comment=c,
                action=rng.choice(["hide", "reviewed", "delete", "reply"]),
                actor=ceo,
                reason="Moderated",
                at=c.received_at + dt.timedelta(minutes=rng.expovariate(1 / 120)),
            )
            for c in comments
            if c.needs_review
        ),
        batch_size=5000,
    )

    kinds = [k for k, _ in CONCERN_KINDS]
    concerns = []
    for s in schools:
        for _ in range(6):
            created = moment()
            closed = rng.random() < 0.7
            concerns.append(
                Concern(
                    trust=trust,
                    school=s,
                    kind=rng.choice(kinds),
                    summary="(benchmark)",
                    source="moderation",
                    created_at=created,
                    status="closed" if closed else "open",
                    closed_at=created + dt.timedelta(days=3) if closed else None,
                    police_referred_on=created.date() if rng.random() < 0.1 else None,
                )
            )
    Concern.objects.bulk_create(concerns, batch_size=5000)
    steps = [step.key for step in policy.parents.escalation]
    escalations = Escalation.objects.bulk_create(
        Escalation(trust=trust, school=s, account_name="An account", summary="(benchmark)", started_at=moment())
        for s in schools
        for _ in range(3)
    )
    StepRecord.objects.bulk_create(
        StepRecord(
            escalation=e,
            step_key=key,
            step_title=key,
            taken_on=(e.started_at + dt.timedelta(days=n)).date(),
            taken_by=ceo,
            outcome="(benchmark)",
        )
        for e in escalations
        for n, key in enumerate(steps[: rng.randrange(1, len(steps) + 1)])
    )
    return trust


def timed(runs: int, fn):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> int:
    args = parse_args()
    with benchlib.scratch_dir("governors-report-") as data_dir:
        url = benchlib.configure(args.database_url, data_dir)
        if benchlib.is_postgres(url):
            with benchlib.postgres_database(url):
                return run(args)
        return run(args)


def run(args: argparse.Namespace) -> int:
    import weasyprint
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from safesocial.governors import periods
    from safesocial.governors.report import build_report

    today = timezone.localdate()
    period = periods.year(periods.school_year_of(today))
    start = time.perf_counter()
    trust = build(args.schools, args.pupils, period.start, today)
    took = time.perf_counter() - start
    print(f"Built {args.schools} schools and {args.pupils:,} pupils of demo-like data in {took:.1f} s")
    print(f"Machine: {benchlib.machine()}; database: {connection.vendor}")
    print(f"Report: {period.label}, the whole trust, as at {today:%-d %B %Y}\n")

    with CaptureQueriesContext(connection) as queries:
        report = build_report(trust, None, period, today)
    counts = {s.key: s.facts[0][1] for s in report.sections}
    print(f"Queries to build the figures: {len(queries.captured_queries)} (whatever the number of schools)")
    print("First figure of each section:", ", ".join(f"{k} {v}" for k, v in counts.items()))

    figures, report = timed(args.runs, lambda: build_report(trust, None, period, today))
    context = {"report": report, "title": "Governors' report"}
    page, html = timed(args.runs, lambda: render_to_string("governors/report_print.html", context))
    pdf_times, pdf = timed(args.runs, lambda: weasyprint.HTML(string=html).write_pdf())
    print()
    print("| step | median | slowest |")
    print("| --- | --- | --- |")
    for name, values in (
        ("figures (all queries and sums)", figures),
        ("HTML with the SVG charts", page),
        ("PDF (WeasyPrint)", pdf_times),
        ("total, figures to PDF", [a + b + c for a, b, c in zip(figures, page, pdf_times, strict=True)]),
    ):
        print(f"| {name} | {statistics.median(values):.2f} s | {max(values):.2f} s |")
    print(
        f"\nPDF: {len(pdf) / 1024:.0f} KB, {html.count('<svg')} charts, {len(report.school_rows)} schools in its table"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
