"""How fast the safeguarding concern list and the pattern page answer with 50,000 concerns in the database.

Builds the Harbourside trust (example policy 000, its key contacts, a teacher and some pupils per school) in a
scratch database (SQLite by default; PostgreSQL when --database-url or DATABASE_URL names one, which the script
creates and drops), adds N concerns across its schools with the pupils and accounts they name (bulk inserts: the
services are measured by the tests, not here), then asks each page through Django's test client, one request at a
time, as the trust's safeguarding lead (who sees every school) and as one school's DSL. Prints p50 and p95 wall
time and the queries per page (the session, sign-in and navigation queries included).

    .venv/bin/python benchmarks/concerns_pages.py
    .venv/bin/python benchmarks/concerns_pages.py --database-url postgres://postgres@127.0.0.1:5432/bench_concerns
    .venv/bin/python benchmarks/concerns_pages.py --concerns 5000 --repeat 10   # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import time

import benchlib


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: a scratch SQLite file")
    parser.add_argument("--concerns", type=int, default=50_000, help="concerns to add (default 50,000)")
    parser.add_argument("--repeat", type=int, default=40, help="requests per page (default 40)")
    parser.add_argument("--pupils-per-school", type=int, default=60, help="pupils per school (default 60)")
    return parser.parse_args()


def build_trust(pupils_per_school: int) -> None:
    """The trust from example policy 000 with its key contacts (the trust's safeguarding lead, each school's DSL),
    a teacher and some pupils at each school. Not the whole demo: that also seeds every other part of SafeSocial."""
    import datetime as dt

    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.management import call_command

    from safesocial.people.models import User
    from safesocial.people.roles import MFA_REQUIRED_ROLES, Role
    from safesocial.people.services import RoleSpec, pupil_create, staff_create
    from safesocial.policy.services import trust_create_from_policy

    call_command("migrate", verbosity=0, interactive=False)
    policy = benchlib.REPO / "examples" / "policies" / "000-three-school-primary-trust.yaml"
    trust = trust_create_from_policy(actor=None, text=policy.read_text(encoding="utf-8"), source=policy.name)
    for school in trust.schools.all():
        staff_create(
            actor=None,
            trust=trust,
            email=f"teacher.{school.key}@example.com",
            full_name=f"Teacher {school.key}",
            roles=[RoleSpec(Role.TEACHER, school)],
        )
        for i in range(pupils_per_school):
            pupil_create(
                actor=None,
                school=school,
                first_name=f"Pupil{i}",
                last_name=school.key.title(),
                date_of_birth=dt.date(2016, 1, 1),
                year_group="4",
            )
    for user in User.objects.filter(role_assignments__role__in=list(MFA_REQUIRED_ROLES)).distinct():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # their roles need two-factor sign-in


def add_concerns(count: int, rng: random.Random) -> None:
    from django.utils import timezone

    from safesocial.concerns.models import Concern, ConcernLink, ConcernStatus, Route, Source
    from safesocial.concerns.types import PLATFORMS, REPORTABLE, account_key
    from safesocial.people.models import Pupil, Trust, User

    trust = Trust.objects.get()
    schools = list(trust.schools.all())
    reporters = {
        s.pk: list(User.objects.filter(role_assignments__school=s).values_list("pk", flat=True)) for s in schools
    }
    pupils = {s.pk: list(Pupil.objects.filter(school=s).values_list("pk", flat=True)) for s in schools}
    kinds = [t.key for t in REPORTABLE if not t.about_staff]
    platforms = [p for p, _ in PLATFORMS]
    accounts = [(rng.choice(platforms), f"account{i}") for i in range(count // 10)]  # each named ~1.5 times
    now = timezone.now()
    batch = 2000
    made = 0
    while made < count:
        size = min(batch, count - made)
        rows = []
        for i in range(size):
            school = rng.choice(schools)
            created = now - timezone.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            closed = rng.random() < 0.7
            rows.append(
                Concern(
                    trust=trust,
                    school=school,
                    reference=f"B-{made + i:08d}",
                    kind=rng.choice(kinds),
                    summary=f"Benchmark concern {made + i}: a message on a personal account.",
                    source=Source.STAFF,
                    reported_by_id=rng.choice(reporters[school.pk]),
                    created_at=created,
                    occurred_at=created - timezone.timedelta(hours=2),
                    platform=rng.choice(platforms),
                    route=Route.SAFEGUARDING,
                    status=ConcernStatus.CLOSED if closed else ConcernStatus.OPEN,
                    closed_at=created + timezone.timedelta(days=3) if closed else None,
                    retain_until=(created + timezone.timedelta(days=365 * 25)).date(),
                )
            )
        Concern.objects.bulk_create(rows, batch_size=batch)
        saved = list(
            Concern.objects.filter(reference__in=[r.reference for r in rows]).values_list(
                "pk", "school_id", "created_at"
            )
        )
        links = []
        for pk, school_id, created in saved:
            platform, handle = rng.choice(accounts)
            links.append(
                ConcernLink(
                    concern_id=pk,
                    trust=trust,
                    kind="account",
                    platform=platform,
                    handle=handle,
                    account_key=account_key(platform, handle),
                    created_at=created,
                )
            )
            if pupils[school_id] and rng.random() < 0.5:
                links.append(
                    ConcernLink(
                        concern_id=pk,
                        trust=trust,
                        kind="pupil",
                        pupil_id=rng.choice(pupils[school_id]),
                        created_at=created,
                    )
                )
        ConcernLink.objects.bulk_create(links, batch_size=batch)
        made += size


def measure(user, paths: list[str], repeat: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    found = {}
    for path in paths:
        client.get(path)  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        found[path] = (benchlib.percentile(times, 50), benchlib.percentile(times, 95), queries)
    return found


def main() -> int:
    args = parse_args()
    url_given = args.database_url
    with benchlib.scratch_dir("bench-concerns-") as data_dir:
        is_pg = benchlib.is_postgres(url_given)
        context = benchlib.postgres_database(url_given) if is_pg else contextlib.nullcontext()
        url = benchlib.configure(url_given if is_pg else None, data_dir)
        with context:
            t0 = time.perf_counter()
            build_trust(args.pupils_per_school)
            add_concerns(args.concerns, random.Random(2026))
            from django.db import connection

            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            from safesocial.concerns.models import Concern
            from safesocial.people.models import User

            print(f"database: {connection.vendor} ({url.split('@')[-1]})")
            print(f"{Concern.objects.count():,} concerns ready in {time.perf_counter() - t0:.1f} s")
            print(f"machine: {benchlib.machine()}")
            lead = User.objects.get(email="m.ashdown@harbourside.example.com")
            school_dsl = User.objects.get(email="d.okonjo@harbourside.example.com")
            paths = [
                "/concerns/",
                "/concerns/?page=20",
                "/concerns/?status=open&q=account12",
                "/concerns/patterns/",
                "/",
            ]
            for who, user in (("the trust's safeguarding lead (all schools)", lead), ("Millbrook's DSL", school_dsl)):
                print(f"\n== as {who}: {args.repeat} requests per page, one at a time ==")
                for path, (p50, p95, queries) in measure(user, paths, args.repeat).items():
                    print(f"GET {path:<40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
