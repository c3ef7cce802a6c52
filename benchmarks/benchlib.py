"""What both benchmarks share: an isolated database, the demo trust in it, and the people who post and review.

Import this module, call `configure()` before anything touches Django, then use the rest."""

from __future__ import annotations

import math
import os
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]


def configure(database_url: str | None, data_dir: Path) -> str:
    """Point SafeSocial at a database and data directory of its own, then set Django up.

    Settings are read from the environment once, so this must run before any Django import that reads them."""
    url = database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["SAFESOCIAL_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "safesocial.settings"
    # Every submitted and approved post sends email; the console backend would bury the figures.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # WhiteNoise warns at start-up when STATIC_ROOT is missing; the benchmarks never collect static files.
    (data_dir / "static").mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    return url


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        yield Path(name)


def _maintenance_url(url: str) -> tuple[str, str]:
    """The URL of the server's `postgres` database, and the name of the benchmark's own database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Give the benchmark a database of its own to create and drop, not {name!r}.")
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), name


@contextmanager
def postgres_database(url: str) -> Iterator[None]:
    """Create the database named in the URL, and drop it afterwards (whatever happened in between)."""
    import psycopg
    from psycopg import sql

    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def load_demo_trust(pupils_per_school: int) -> None:
    """Migrate, then load the demo trust: schools, staff, sandbox channels and their authorised posters."""
    from django.core.management import call_command

    from safesocial.demo.builder import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    load_demo(pupils_per_school=pupils_per_school)


@dataclass(frozen=True)
class Cast:
    """Who writes, who reads, and where it goes, at one demo school."""

    author: object  # an authorised poster of the sandbox channel (the Year 4 teacher)
    reviewer: object  # a colleague who may review under the policy, and holds no role that needs two-factor
    channel: object  # the school's sandbox channel


def demo_cast(school_key: str = "seabright", reviewer_job: str = "Year 1 Teacher") -> Cast:
    from safesocial.channels.models import Channel
    from safesocial.people.models import User
    from safesocial.people.roles import MFA_REQUIRED_ROLES

    def staff(job_title: str) -> User:
        return User.objects.get(role_assignments__school__key=school_key, job_title=job_title)

    reviewer = staff(reviewer_job)
    held = set(reviewer.role_assignments.values_list("role", flat=True))
    assert not held & {r.value for r in MFA_REQUIRED_ROLES}, f"{reviewer} would need two-factor sign-in"
    channel = Channel.objects.get(school__key=school_key, delivery="sandbox")
    return Cast(author=staff("Year 4 Teacher"), reviewer=reviewer, channel=channel)


def machine() -> str:
    """Cores and load average: the figures mean little without them on a shared machine."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min)"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile, the way latency reports usually count it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0
