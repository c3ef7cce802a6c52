"""What every test runs in: quick password hashing, an empty cache, its own audit checkpoint file, and a test
database the runner may empty between transactional tests despite the append-only triggers, quickly: content types
and permissions are kept through each emptying, PostgreSQL's tables are emptied with DELETE rather than TRUNCATE, and
PostgreSQL does not wait for the disk at each commit (issue 14: the time CI takes)."""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Iterator

import pytest
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.commands import flush as flush_command
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


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
        # On SQLite the live server's thread shares the in-memory database: a request the closed browser left behind
        # (a PDF, an image) can still be reading it, and dropping a trigger then fails with "database table is
        # locked". The flush is one transaction that rolls back whole, so it is tried again once that read is over.
        deadline = time.monotonic() + 15
        while True:
            try:
                return flush(self, [*before, *sql_list, *after])
            except OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        keep = _only_receivers_remake_content_types_and_permissions()
        patch.setattr(flush_command, "sql_flush", functools.partial(_sql_flush, keep=_KEPT_TABLES if keep else set()))
        if keep:
            patch.setattr(flush_command, "emit_post_migrate_signal", lambda *args, **kwargs: None)
        yield


# Rows that migrate's post_migrate signal writes once and no test changes. Emptied after every transactional test,
# they were written again each time (some 75 ms of CPU a test on SQLite, more on PostgreSQL), under new keys that a
# trust laid from a snapshot (testing/trusts.py) or the content type cache could still name. Kept, they stay exactly
# as migrate left them.
_KEPT_TABLES = {ContentType._meta.db_table, Permission._meta.db_table}


def _only_receivers_remake_content_types_and_permissions() -> bool:
    """Skipping post_migrate after a flush is only right while its receivers are Django's two that rewrite the kept
    tables; should an app add its own, every flush sends the signal as before."""
    receivers = {ref() if isinstance(ref, weakref.ref) else ref for _, ref, *_ in post_migrate.receivers}
    return receivers <= {create_permissions, create_contenttypes}


def _sql_flush(style, connection, reset_sequences=True, allow_cascade=False, *, keep: set[str]) -> list[str]:
    """django.core.management.sql.sql_flush, less the kept tables, and on PostgreSQL with DELETE, not TRUNCATE.

    TRUNCATE gives each of the ~85 tables a new file, synced to disk at commit: measured at 2 to 2.7 s a flush on this
    machine, after every transactional test, where DELETE of the few rows a test leaves takes 0.03 s. The result is
    the same: empty tables, sequences left where they were (the runner never asks to reset them). Every foreign key
    Django makes is checked at commit, so the order of the DELETEs does not matter, as on SQLite, whose flush is
    DELETE already; the checks are run straight after them, since a table with checks pending cannot have its
    triggers put back."""
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in keep
    ]
    if connection.vendor == "postgresql" and not reset_sequences and not allow_cascade:
        quote = connection.ops.quote_name
        deletes = [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(quote(table))};" for table in tables]
        return [*deletes, "SET CONSTRAINTS ALL IMMEDIATE;"]
    return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)


def _commit_without_waiting_for_the_disk(sender, connection, **kwargs) -> None:
    """A test database need not survive a crash of its server: PostgreSQL may report each commit before the disk has
    it (synchronous_commit off). Every query, constraint and trigger behaves exactly as before; transactional tests
    (the browser's, the workers') commit hundreds of times each and stop waiting on the disk for every one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


connection_created.connect(_commit_without_waiting_for_the_disk, dispatch_uid="safesocial.testing.synchronous_commit")
