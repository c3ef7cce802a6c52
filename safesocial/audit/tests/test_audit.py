from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from safesocial.audit.models import AppendOnlyError, AuditEntry
from safesocial.audit.services import audit_record, audit_verify


@pytest.fixture
def entries(db):
    return [
        audit_record(
            actor="command line",
            action=f"test.{i}",
            object_type="thing",
            object_id=str(i),
            changes={"n": [i, i + 1]},
        )
        for i in range(5)
    ]


def _tamper(sql, params=()):
    """Change the table behind the application's back, as someone with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session; the chain must still catch it.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
            cursor.execute(sql, params)


def test_an_untouched_chain_verifies(entries, capsys):
    assert audit_verify() == (5, [])
    call_command("audit", "verify")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_each_entry_carries_the_hash_of_the_one_before(entries):
    for before, after in pairwise(entries):
        assert after.prev_hash == before.hash


def test_an_altered_entry_is_reported_and_the_command_fails(entries):
    _tamper("UPDATE audit_auditentry SET action = 'nothing.happened' WHERE seq = 3")
    _, problems = audit_verify()
    assert [p.seq for p in problems] == [3]
    assert "altered" in problems[0].message
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")


def test_a_removed_entry_is_reported(entries):
    _tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    _, problems = audit_verify()
    assert any("removed" in p.message for p in problems)


def test_entries_cut_from_the_end_are_reported(entries):
    _tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    _, problems = audit_verify()
    assert any("should end at entry #5" in str(p) for p in problems)


def test_the_database_refuses_to_change_an_entry(entries):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 1")


def test_the_model_refuses_to_change_or_delete_an_entry(entries):
    entry = AuditEntry.objects.get(seq=1)
    entry.action = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_audit_page_is_for_trust_wide_readers_and_heads_see_their_own_school(
    signed_in, ceo, head, teacher, seabright, millbrook
):
    from django.urls import reverse

    from safesocial.people.models import User

    body = signed_in(ceo).get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "Intact." in body
    assert signed_in(teacher).get(reverse("audit:log")).status_code == 404
    head_body = signed_in(User.objects.get(pk=head.pk)).get(reverse("audit:log")).content.decode()
    assert "Check the chain" not in head_body
    assert "school.create" in head_body  # Seabright's own entries
