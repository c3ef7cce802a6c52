"""Finding 8 of issue 12: the audit trail survives someone who can write to the database but holds neither the audit
key (kept outside the database) nor the checkpoint file (written outside it, daily, by `safesocial audit checkpoint`).

The attacker is played with raw SQL through the test's own connection; on PostgreSQL they switch triggers off as a
superuser can, on SQLite they drop them."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import stat

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from safesocial.audit.models import AuditEntry, AuditHead
from safesocial.audit.services import audit_record, audit_verify, entry_hash

KEY = "audit-key-one-kept-outside-the-database-0123456789"
NEW_KEY = "audit-key-two-after-rotation-9876543210-abcdefghij"
GENESIS = "0" * 64


@pytest.fixture(autouse=True)
def _audit_files(settings, tmp_path):
    """Checkpoints go to this test's own directory, never to a real data directory."""
    settings.AUDIT_KEYS = [KEY]
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


def _record(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit_record(actor="command line", action=f"test.{i}", object_type="thing", object_id=str(i))


@pytest.fixture
def five(db):
    _record(5)


def _as_attacker(*statements: str) -> None:
    """Run SQL with the database's own protections out of the way, as someone with database access can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check this test's deferred foreign keys now: PostgreSQL will not TRUNCATE a table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _unkeyed(entry: AuditEntry) -> str:
    """The attacker's copy of the chain's hash as it stood before this finding: SHA-256, no secret."""
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "school_id": entry.school_id,
        "changes": entry.changes,
        "prev": entry.prev_hash,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _rewrite_chain(fingerprint, *, edit: int = 1, action: str | None = None, drop_key_ids: bool = False) -> None:
    """Edit entry EDIT, then recompute every fingerprint from there on with FINGERPRINT, as someone with the source
    code but not the key would, and move the head to match."""
    prev = AuditEntry.objects.get(seq=edit - 1).hash if edit > 1 else GENESIS
    statements = []
    for entry in AuditEntry.objects.filter(seq__gte=edit).order_by("seq"):
        if entry.seq == edit and action:
            entry.action = action
        if drop_key_ids:
            entry.key_id = None
        entry.prev_hash = prev
        entry.hash = prev = fingerprint(entry)
        key_id = f"'{entry.key_id}'" if entry.key_id else "NULL"
        statements.append(
            f"UPDATE audit_auditentry SET action = '{entry.action}', key_id = {key_id}, "
            f"prev_hash = '{entry.prev_hash}', hash = '{entry.hash}' WHERE seq = {entry.seq}"
        )
    _as_attacker(*statements, f"UPDATE audit_audithead SET hash = '{prev}'")


def _problems() -> list[str]:
    return [str(p) for p in audit_verify()[1]]


def _checkpoints(settings) -> list[dict]:
    return [json.loads(line) for line in settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()]


def test_deleting_the_head_row_is_caught(five):
    call_command("audit", "checkpoint")
    _as_attacker("DELETE FROM audit_audithead")
    assert any("head of the chain is missing" in p for p in _problems())
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")


def test_emptying_the_log_and_resetting_the_head_is_caught_after_a_checkpoint(five):
    call_command("audit", "checkpoint")
    emptied = "TRUNCATE audit_auditentry" if connection.vendor == "postgresql" else "DELETE FROM audit_auditentry"
    _as_attacker(emptied, f"UPDATE audit_audithead SET seq = 0, hash = '{GENESIS}' WHERE id = 1")
    assert any("checkpoint" in p and "#5" in p and "missing" in p for p in _problems())
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")


def test_cutting_the_tail_below_a_checkpoint_is_caught_even_when_the_head_is_moved_back(five):
    call_command("audit", "checkpoint")
    fourth = AuditEntry.objects.get(seq=3).hash
    _as_attacker("DELETE FROM audit_auditentry WHERE seq > 3", f"UPDATE audit_audithead SET seq = 3, hash = '{fourth}'")
    assert any("#4 to #5" in p and "missing" in p for p in _problems())


def _wrong_key_hmac(entry: AuditEntry) -> str:
    """The project's own keyed function, but under a key the attacker made up."""

    return entry_hash(entry, "a-key-the-attacker-made-up")


@pytest.mark.parametrize("fingerprint", [_unkeyed, _wrong_key_hmac], ids=["unkeyed-sha256", "hmac-wrong-key"])
@pytest.mark.parametrize("seq", [3, 7], ids=["before-the-checkpoint", "after-the-checkpoint"])
def test_an_entry_edited_and_the_chain_rehashed_without_the_key_is_caught(five, fingerprint, seq):
    call_command("audit", "checkpoint")
    _record(3, start=5)
    assert _problems() == []
    _rewrite_chain(fingerprint, edit=seq, action="nothing.happened")
    problems = _problems()
    assert any(p.startswith(f"entry #{seq}:") and "altered" in p for p in problems), problems
    if seq <= 5:
        assert any("checkpoint" in p and "#5" in p for p in problems), problems
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")


def test_rewriting_the_whole_chain_as_if_written_before_the_key_is_caught(five):
    """Entries from before the chain was keyed carry no key id; an attacker must not be able to pass as one."""
    _rewrite_chain(_unkeyed, drop_key_ids=True)
    assert any("without the audit key" in p for p in _problems())


def test_entries_from_before_the_key_verify_once_the_upgrade_anchors_them(db):
    """An existing trail, hashed without a key, is vouched for by the keyed entry the upgrade appends after it."""
    head = AuditHead.objects.create(id=1)
    prev = GENESIS
    for seq in (1, 2, 3):
        entry = AuditEntry(
            seq=seq,
            at=dt.datetime(2026, 1, seq, tzinfo=dt.UTC),
            actor_label="system",
            action=f"old.{seq}",
            prev_hash=prev,
        )
        entry.hash = prev = _unkeyed(entry)
        entry.save()
    _as_attacker(f"UPDATE audit_audithead SET seq = 3, hash = '{prev}' WHERE id = {head.id}")
    assert any("without the audit key" in p for p in _problems())

    migration = importlib.import_module("safesocial.audit.migrations.0004_keyed_chain")
    migration.anchor_unkeyed_entries(apps, None)

    assert _problems() == []
    anchor = AuditEntry.objects.get(seq=4)
    assert anchor.action == "audit.keyed" and anchor.prev_hash == prev and anchor.key_id
    _record(1)
    assert _problems() == []


def test_the_chain_still_verifies_after_the_key_is_rotated(five, settings):
    settings.AUDIT_KEYS = [NEW_KEY, KEY]
    _record(3, start=5)
    assert audit_verify() == (8, [])
    old_id, new_id = AuditEntry.objects.get(seq=1).key_id, AuditEntry.objects.get(seq=8).key_id
    assert old_id != new_id
    assert old_id == hashlib.sha256(KEY.encode()).hexdigest()[: len(old_id)] and old_id not in KEY

    settings.AUDIT_KEYS = [NEW_KEY]  # the old key dropped too soon
    assert any("key" in p and old_id in p for p in _problems())


def test_the_checkpoint_file_is_append_only_json_lines_readable_by_its_owner_alone(five, settings):
    call_command("audit", "checkpoint")
    first = settings.AUDIT_CHECKPOINT_FILE.read_text()
    _record(2, start=5)
    call_command("audit", "checkpoint")

    assert settings.AUDIT_CHECKPOINT_FILE.read_text().startswith(first)
    lines = _checkpoints(settings)
    assert [line["seq"] for line in lines] == [5, 7]
    last = AuditEntry.objects.get(seq=7)
    assert lines[1]["hash"] == last.hash and lines[1]["key_id"] == last.key_id and lines[1]["at"]
    assert stat.S_IMODE(settings.AUDIT_CHECKPOINT_FILE.stat().st_mode) == 0o600


def test_no_checkpoint_is_written_for_a_trail_that_does_not_verify(five, settings, capsys):
    _rewrite_chain(_unkeyed, edit=2, action="nothing.happened")
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "checkpoint")
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()


def test_the_command_says_in_plain_words_what_is_wrong(five, capsys):
    call_command("audit", "checkpoint")
    _as_attacker("DELETE FROM audit_audithead")
    with pytest.raises(CommandError, match="NOT intact") as failure:
        call_command("audit", "verify")
    assert "head of the chain is missing" in capsys.readouterr().err
    assert "1 problem" in str(failure.value)


def test_the_database_refuses_to_delete_the_head_or_move_it_back(five):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET seq = 3")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET seq = 9")
    assert audit_verify() == (5, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize(
    "table", ["audit_auditentry", "audit_audithead", "concerns_chronologyentry", "concerns_evidence"]
)
def test_postgresql_refuses_to_truncate_the_audit_trail_and_the_concern_record(five, table):
    with pytest.raises(DatabaseError, match="truncated"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL will not TRUNCATE with checks pending
        cursor.execute(f"TRUNCATE {table} CASCADE")
