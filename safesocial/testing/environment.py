"""What every test runs in: quick password hashing, an empty cache, its own audit checkpoint file, and a test
database the runner may empty between transactional tests despite the append-only triggers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing takes a quarter of a second by design; tests do not test PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits count in the cache, which outlives each test's database: every test starts with none used."""
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
