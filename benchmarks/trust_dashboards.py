"""What a trust-wide dashboard's per-school reads cost for a large trust (issue 16): the schools' staff and pupil
counts (`school_summaries`) and each school's safeguarding contacts, the old way and the new, on the trust that
governors_report.py builds (100 schools, 60,000 pupils by default).

    .venv/bin/python benchmarks/trust_dashboards.py
    .venv/bin/python benchmarks/trust_dashboards.py --database-url postgres://postgres@127.0.0.1:5432/bench_dash
"""

from __future__ import annotations

import argparse
import statistics
import time

import benchlib
from governors_report import build


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--pupils", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with benchlib.scratch_dir("trust-dashboards-") as data_dir:
        url = benchlib.configure(args.database_url, data_dir)
        if benchlib.is_postgres(url):
            with benchlib.postgres_database(url):
                return run(args)
        return run(args)


def run(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.db.models import Count, Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from safesocial.people.models import User
    from safesocial.people.roles import Role
    from safesocial.people.selectors import (
        safeguarding_contacts,
        safeguarding_contacts_at,
        school_summaries,
        schools_for,
    )

    today = timezone.localdate()
    trust = build(args.schools, args.pupils, today.replace(month=9, day=1, year=today.year - 1), today)
    ceo = User.objects.get(trust=trust, role_assignments__role=Role.CEO, role_assignments__school__isnull=True)
    schools = list(schools_for(ceo))

    def double_join():  # before: both counts through one join of pupils and roles
        return list(
            schools_for(ceo).annotate(
                pupil_count=Count("pupils", filter=Q(pupils__on_roll=True), distinct=True),
                staff_count=Count("roles__user", distinct=True),
            )
        )

    cases = {
        "school counts, double join (before)": double_join,
        "school counts, subqueries (after)": lambda: school_summaries(ceo),
        "safeguarding contacts, a query a school (before)": lambda: [list(safeguarding_contacts(s)) for s in schools],
        "safeguarding contacts, one query (after)": lambda: safeguarding_contacts_at(schools),
    }
    print(f"{args.schools} schools, {args.pupils:,} pupils; {benchlib.machine()}; {connection.vendor}\n")
    print("| read | queries | median | slowest |")
    print("| --- | --- | --- | --- |")
    for name, fn in cases.items():
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
        print(f"| {name} | {len(queries)} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
