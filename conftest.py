"""Shared fixtures: a trust built from a real example policy, and one person per role.

Like healthchecks' alice/bob/charlie, each fixture is a person a test can talk about."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role
from safesocial.people.services import RoleSpec, staff_create
from safesocial.policy.services import trust_create_from_policy

# The stand-ins of the social networks' APIs, for any test that publishes.
pytest_plugins = ["safesocial.platforms.tests.standins"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

EXAMPLES = Path(__file__).parent / "examples" / "policies"
POLICY_FILES = {p.name[:3]: p for p in sorted(EXAMPLES.glob("*.yaml"))}
PASSWORD = "correct-horse-battery"


def policy_text(code: str) -> str:
    return POLICY_FILES[code].read_text(encoding="utf-8")


@pytest.fixture
def make_trust(db):
    def make(code: str = "000") -> Trust:
        return trust_create_from_policy(actor=None, text=policy_text(code), source=POLICY_FILES[code].name)

    return make


@pytest.fixture
def trust(make_trust) -> Trust:
    """Harbourside Learning Trust, from example policy 000: heads approve channels, any colleague reviews."""
    return make_trust("000")


@pytest.fixture
def seabright(trust) -> School:
    return trust.schools.get(key="seabright")


@pytest.fixture
def millbrook(trust) -> School:
    return trust.schools.get(key="millbrook")


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def holder(trust: Trust, role: Role, school_key: str | None) -> User:
    """The key contact the policy names for this role (created with the trust)."""
    qs = User.objects.filter(trust=trust, role_assignments__role=role)
    qs = (
        qs.filter(role_assignments__school__key=school_key)
        if school_key
        else qs.filter(role_assignments__school__isnull=True)
    )
    return _with_password(qs.order_by("pk").first())


@pytest.fixture
def make_staff(db):
    def make(role: Role, school: School | None, name: str = "Test Person", email: str | None = None) -> User:
        trust = school.trust if school else Trust.objects.get()
        email = email or f"{role.value}.{school.key if school else 'trust'}.{User.objects.count()}@example.com"
        user = staff_create(
            actor=None,
            trust=trust,
            email=email,
            full_name=name,
            roles=[RoleSpec(role, school)],
            password=PASSWORD,
        )
        return user

    return make


@pytest.fixture
def ceo(trust) -> User:
    return holder(trust, Role.CEO, None)


@pytest.fixture
def head(trust) -> User:
    """Head of school (and DSL) at Seabright."""
    return holder(trust, Role.HEAD, "seabright")


@pytest.fixture
def dsl(trust) -> User:
    """The DSL at Millbrook."""
    return holder(trust, Role.DSL, "millbrook")


@pytest.fixture
def teacher(make_staff, seabright) -> User:
    return make_staff(Role.TEACHER, seabright, "Tess Teacher")


@pytest.fixture
def outsider(make_staff, millbrook) -> User:
    """A teacher at Millbrook: a colleague in the trust, but a stranger to Seabright's records."""
    return make_staff(Role.TEACHER, millbrook, "Otto Outsider")


@pytest.fixture
def two_factor():
    """Give a user a TOTP authenticator and return a function that yields the current code."""
    import time

    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    def enrol(user: User):
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return lambda: format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    return enrol


@pytest.fixture
def signed_in(client, two_factor):
    """A client signed in as the given user, with two-factor set up where the policy of roles needs it."""

    from safesocial.people.selectors import has_two_factor

    def sign_in(user: User):
        if not has_two_factor(user):
            two_factor(user)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing takes a quarter of a second by design; tests do not test PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache, which outlives each test's database: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _checkpoints_of_this_test(settings, tmp_path):
    # A test never reads or appends to a real data directory's audit checkpoints.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers() -> Iterator[None]:
    """Let a transactional test database (the live server's) be emptied between tests.

    The database refuses to delete or truncate the audit trail and the concern record, whoever asks: that is the
    point of its triggers. Around the test runner's flush only, and inside its transaction, every trigger the database
    holds is set aside and put back, so a new trigger never needs a change here."""
    from django.db import connection

    DatabaseOperations = type(connection.ops)
    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                triggers = cursor.fetchall()
                before = [f'DROP TRIGGER "{name}"' for name, _ in triggers]
                after = [sql for _, sql in triggers]
            else:
                cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
                tables = [table for (table,) in cursor.fetchall()]
                before = [f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in tables]
                after = [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in tables]
        return flush(self, [*before, *sql_list, *after])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield
