"""The four busiest pages at a whole trust's size, on PostgreSQL (issue 16, "run it for real"): 100 schools, 60,000
pupils, 1,000,000 comments and 50,000 concerns. Target: p95 under 300 ms, and a number of queries per page that does
not grow with the rows.

Builds the trust that governors_report.py builds (100 schools, 60,000 pupils, a school year of records), adds the
concerns the way concerns_pages.py does (with the pupils and accounts they name), a million comments on the schools'
channels (one INSERT ... SELECT: the services are measured by the tests, not here) and the people who use the pages.
Then it asks each page through Django's test client, signed in with a real session, as the person who uses it:

- the dashboard, as the CEO and as the trust's safeguarding lead;
- the concern list, its 20th page and a search, as the trust's safeguarding lead and as Millbrook's DSL;
- the pupil list and a search by name, as Millbrook's administration team;
- the comment inbox (its default view, "all comments", a page further on, one school's queue), as a trust-wide
  channel administrator and as Millbrook's.

It prints p50/p95 in ms, the CPU a request takes in Django and in its PostgreSQL backend (wall time follows the load on
a shared machine; CPU much less), and the queries per page (sessions and navigation included).

    .venv/bin/python benchmarks/trust_scale.py --keep        # build once (about 3 minutes) and keep the database
    .venv/bin/python benchmarks/trust_scale.py --reuse       # measure again on the kept database (migrating it first)
    .venv/bin/python benchmarks/trust_scale.py --comments 100000 --concerns 5000 --runs 10   # a quick look
"""

# SafeSocial's models are imported inside the functions: Django is set up (benchlib.configure) only once the command
# line has said which database to use, and a model cannot be imported before that.
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import benchlib
from concerns_pages import add_concerns
from governors_report import build

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h3_scale"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database (default {DEFAULT_URL})")
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--pupils", type=int, default=60_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--concerns", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page (default 15)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, for --reuse")
    parser.add_argument("--reuse", action="store_true", help="use the kept database if it is there (implies --keep)")
    parser.add_argument("--only", default="", help="measure only the pages whose path contains this")
    return parser.parse_args()


@contextmanager
def database(url: str, *, reuse: bool, keep: bool) -> Iterator[bool]:
    """The benchmark's own database: yields True when a kept one was found (and is used as it is)."""
    import psycopg
    from psycopg import sql

    admin_url, name = benchlib._maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    found = reuse and exists and _is_built(url)
    if not found:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield found
    finally:
        if not (keep or reuse):
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _is_built(url: str) -> bool:
    """A finished build leaves its marker: the benchmark's moderators, made last."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        try:
            row = conn.execute("SELECT count(*) FROM people_user WHERE email LIKE 'bench.%%@example.com'").fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return bool(row and row[0] >= 3)


def add_comments(count: int) -> None:
    """A million comments over the school year on the schools' channels, in one INSERT ... SELECT: about 3% flagged
    for a moderator (half of those still up, half hidden by SafeSocial), a few kept for a concern, the rest allowed."""
    from django.db import connection

    from safesocial.channels.models import Channel
    from safesocial.moderation.models import Comment

    channels = list(Channel.objects.order_by("pk").values_list("pk", flat=True))
    flagged = '{"categories": [{"name": "abuse", "score": 0.9, "spans": [], "reason": "", "fired": true}]}'
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Comment._meta.db_table} (channel_id, external_id, parent_external_id, author_id, author_name,
                text, created_at, received_at, status, classification, suggested_action, needs_review,
                kept_for_concern)
            SELECT ch.ids[1 + n %% cardinality(ch.ids)], 'bench-' || n, '', 'a' || (n::bigint * 7919) %% 200000,
                'A parent ' || (n::bigint * 7919) %% 200000, 'Lovely to see the class at the beach, well done everyone',
                at, at,
                CASE WHEN n %% 100 < 2 THEN 'visible' WHEN n %% 100 < 3 THEN 'hidden' ELSE 'visible' END,
                CASE WHEN n %% 100 < 3 THEN %s::jsonb ELSE '{{"categories": []}}'::jsonb END,
                CASE WHEN n %% 100 < 3 THEN 'review' ELSE 'allow' END,
                n %% 100 < 3 AND n %% 5000 <> 7,
                n %% 5000 = 2
            FROM generate_series(1, %s) AS n,
                (SELECT %s::bigint[] AS ids) AS ch,
                LATERAL (SELECT now() - (n %% 525600) * interval '1 minute' AS at) AS t
            """,
            [flagged, count, channels],
        )


def add_people() -> None:
    """Who uses the pages besides the policy's contacts: Millbrook's administration team and two moderators (the
    policy names channel administrators), one for the whole trust and one for Millbrook. Two-factor is set up for
    everyone whose role requires it, as the demo does."""
    from allauth.mfa.totp.internal.auth import TOTP

    from safesocial.people.models import School, Trust, User
    from safesocial.people.roles import MFA_REQUIRED_ROLES, Role
    from safesocial.people.services import RoleSpec, staff_create

    trust = Trust.objects.get()
    millbrook = School.objects.get(key="millbrook")
    for email, name, role, school in (
        ("bench.office@example.com", "Olive Office", Role.ADMIN_TEAM, millbrook),
        ("bench.moderator@example.com", "Mo Trustwide", Role.CHANNEL_ADMIN, None),
        ("bench.millbrook.moderator@example.com", "Mia Millbrook", Role.CHANNEL_ADMIN, millbrook),
    ):
        staff_create(actor=None, trust=trust, email=email, full_name=name, roles=[RoleSpec(role, school)])
    for user in User.objects.filter(role_assignments__role__in=list(MFA_REQUIRED_ROLES)).distinct():
        if not user.authenticator_set.exists():
            TOTP.activate(user, TOTP_SECRET)


def build_all(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from safesocial.governors import periods

    today = timezone.localdate()
    period = periods.year(periods.school_year_of(today))
    t0 = time.perf_counter()
    build(args.schools, args.pupils, period.start, today)
    print(f"trust built in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    add_concerns(max(0, args.concerns - 600), random.Random(2026))  # build() made 600
    print(f"concerns added in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    add_comments(max(0, args.comments - 8000))  # build() made 8,000
    print(f"comments added in {time.perf_counter() - t0:.0f} s", flush=True)
    add_people()


def pages() -> list[tuple[str, str, list[str]]]:
    """(who, their email, the paths they ask for, in the order they would)."""
    return [
        ("the CEO", "p.castell@harbourside.example.com", ["/"]),
        (
            "the trust's safeguarding lead",
            "m.ashdown@harbourside.example.com",
            ["/", "/concerns/", "/concerns/?page=2", "/concerns/?page=20", "/concerns/?status=open&q=account12"],
        ),
        (
            "Millbrook's DSL",
            "d.okonjo@harbourside.example.com",
            ["/concerns/", "/concerns/?page=2", "/concerns/?status=open&q=account12"],
        ),
        (
            "Millbrook's administration team",
            "bench.office@example.com",
            ["/schools/millbrook/pupils/", "/schools/millbrook/pupils/?page=5", "/schools/millbrook/pupils/?q=12"],
        ),
        (
            "a trust-wide channel administrator",
            "bench.moderator@example.com",
            [
                "/comments/",
                "/comments/?show=all",
                "/comments/?show=all&page=5",
                "/comments/?show=check",
                "/comments/?queue=millbrook",
            ],
        ),
        (
            "Millbrook's channel administrator",
            "bench.millbrook.moderator@example.com",
            ["/comments/", "/comments/?show=all", "/comments/?show=all&page=5"],
        ),
    ]


def _database_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (it runs on this machine)."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def measure(args: argparse.Namespace) -> int:
    """Wall time, and the CPU a request takes in this process (Django) and in its PostgreSQL backend: on a shared
    machine the wall time follows the load, the CPU much less."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safesocial.people.models import User

    slow = 0
    print("| as | page | p50 ms | p95 ms | CPU ms: Django + PostgreSQL | queries |")
    print("| --- | --- | --- | --- | --- | --- |")
    for who, email, paths in pages():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for path in paths:
            if args.only and args.only not in path:
                continue
            response = client.get(path)  # sessions, the policy and the templates settle on the first request
            if response.status_code != 200:
                print(f"| {who} | `{path}` | answered {response.status_code} | | |")
                slow += 1
                continue
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            queries = len(ctx.captured_queries)  # now: each request starts a new log
            times = []
            db_before, cpu_before = _database_cpu(), time.process_time()
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            app_cpu = (time.process_time() - cpu_before) * 1000 / args.runs
            db_cpu = (_database_cpu() - db_before) * 1000 / args.runs
            p95 = benchlib.percentile(times, 95)
            slow += p95 >= 300
            print(
                f"| {who} | `{path}` | {benchlib.percentile(times, 50):.0f} | {p95:.0f} "
                f"| {app_cpu:.0f} + {db_cpu:.0f} | {queries} |",
                flush=True,
            )
    return slow


def main() -> int:
    args = parse_args()
    # One connection kept across requests, as in production (gunicorn_conf, production_mix.py), and so that its
    # PostgreSQL backend's CPU can be read.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    if not benchlib.is_postgres(args.database_url):
        raise SystemExit("This benchmark is for PostgreSQL: give --database-url postgres://...")
    with benchlib.scratch_dir("trust-scale-") as data_dir:
        url = benchlib.configure(args.database_url, data_dir)
        with database(url, reuse=args.reuse, keep=args.keep) as found:
            from django.core.management import call_command
            from django.db import connection

            if found:
                call_command("migrate", verbosity=0, interactive=False)  # the indexes added since it was built
                print("using the kept database")
            else:
                build_all(args)
            # As autovacuum leaves a database in use: statistics for the planner, and the visibility map that lets
            # an index answer alone (index-only scans). Quick when nothing changed since the last run.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            from safesocial.concerns.models import Concern
            from safesocial.moderation.models import Comment
            from safesocial.people.models import Pupil, School

            print(
                f"{School.objects.count()} schools, {Pupil.objects.count():,} pupils, {Comment.objects.count():,} "
                f"comments, {Concern.objects.count():,} concerns; {connection.vendor}"
            )
            print(f"machine: {benchlib.machine()}; {args.runs} requests per page, one at a time\n")
            slow = measure(args)
            print(f"\nmachine afterwards: {benchlib.machine()}")
            print(f"{slow} pages at or over 300 ms p95" if slow else "every page under 300 ms p95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
