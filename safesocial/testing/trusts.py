"""The trust a test talks about, built from one of the example policies, and its two schools.

Building a trust through `trust_create_from_policy` costs some 240 queries: the schools, the key contacts with their
roles, the first policy version and an audit entry for each. Most tests want exactly that trust and nothing more, so
each test worker builds each policy's trust once, through the service and inside a savepoint it rolls back, and keeps
the rows the service wrote. A test that asks for that trust gets those rows inserted afresh in its own transaction
(a dozen queries), with the same keys, hashes and timestamps; the transaction takes them away again when the test
ends. The kept rows are never handed to a test, so no test can change what the next one sees.

A test whose database already holds a trust, people or audit entries, or that signs the audit chain with another
key, gets a trust built through the service as before: a copy is only ever laid on tables that are empty."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from safesocial.people.models import School, Trust
from safesocial.policy.services import trust_create_from_policy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
POLICY_FILES = {p.name[:3]: p for p in sorted(EXAMPLES.glob("*.yaml"))}


def policy_text(code: str) -> str:
    """The text of example policy `code` ("000" to "004"), as a trust would upload it."""
    return POLICY_FILES[code].read_text(encoding="utf-8")


@dataclass(frozen=True)
class Snapshot:
    """The rows one build of a trust wrote, table by table, in the order the tables were listed."""

    trust_pk: int
    rows: tuple[tuple[type[Model], tuple[Model, ...]], ...]

    @property
    def models(self) -> list[type[Model]]:
        return [model for model, _ in self.rows]


# One per policy and audit key, per test worker: written once, read by every later test, never changed.
_snapshots: dict[tuple[str, str], Snapshot] = {}


def _tables() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _build(code: str) -> Trust:
    return trust_create_from_policy(actor=None, text=policy_text(code), source=POLICY_FILES[code].name)


def _built_and_kept(code: str, key: tuple[str, str]) -> Trust:
    """Build the trust through the service. When every table it wrote to was empty before, keep the rows it wrote
    and roll the build back, so that this test too gets its trust as every later one will: laid from the rows."""
    tables = _tables()
    with transaction.atomic():
        before = {model: model._base_manager.count() for model in tables}
        trust = _build(code)
        grown = [model for model in tables if model._base_manager.count() != before[model]]
        if any(before[model] for model in grown):
            return trust  # the rows would not stand alone: this test keeps its own build
        rows = tuple((model, tuple(model._base_manager.order_by("pk"))) for model in grown)
        _snapshots[key] = Snapshot(trust.pk, rows)
        transaction.set_rollback(True)
    return _lay(_snapshots[key]) or _build(code)


def _lay(snapshot: Snapshot) -> Trust | None:
    """Insert the kept rows as they were written; None if any of their tables already has rows."""
    if any(model._base_manager.exists() for model in snapshot.models):
        return None
    with transaction.atomic():
        for model, rows in snapshot.rows:
            fields = model._meta.local_concrete_fields
            size = connection.ops.bulk_batch_size(fields, list(rows)) or len(rows)
            for start in range(0, len(rows), size):
                # raw: the values go in as they were, with no auto_now or default recomputed.
                model._base_manager._insert(list(rows[start : start + size]), fields=fields, raw=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), snapshot.models):
                cursor.execute(sql)
    return Trust.objects.get(pk=snapshot.trust_pk)


def trust_from_policy(code: str) -> Trust:
    """The trust of example policy `code`, as `trust_create_from_policy` makes it with no actor."""
    key = (code, hashlib.sha256(repr(settings.AUDIT_KEYS).encode()).hexdigest())
    snapshot = _snapshots.get(key)
    if snapshot is None:
        return _built_and_kept(code, key)
    return _lay(snapshot) or _build(code)


@pytest.fixture
def make_trust(db):
    """Make the trust of an example policy: `make_trust("003")`. Only one trust can exist at a time."""
    return trust_from_policy


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
