"""Writing and verifying the audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
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
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    label: str = "",
    school_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Called inside the service's transaction, so the entry and the change it
    records are committed together or not at all."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or str(obj)[:300]
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=user,
            actor_label=(user.email if user else (actor if isinstance(actor, str) else "system")),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=label,
            school_id=school_id,
            changes=_jsonable(changes or {}),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """What changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.message}" if self.seq is not None else self.message


def audit_verify() -> tuple[int, list[Problem]]:
    """Walk the chain from the start. Returns the number of entries checked and every problem found:
    an entry whose content no longer matches its hash, a gap where entries were removed, or a chain
    that ends before the recorded head."""
    problems: list[Problem] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"entries #{expected_seq} to #{entry.seq - 1} have been removed"))
        if entry.prev_hash != expected_prev:
            problems.append(Problem(entry.seq, "does not follow the entry before it (chain broken)"))
        if entry_hash(entry) != entry.hash:
            problems.append(Problem(entry.seq, "has been altered: its content no longer matches its hash"))
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head and head.seq != expected_seq - 1:
        problems.append(Problem(None, f"the log should end at entry #{head.seq} but ends at #{expected_seq - 1}"))
    elif head and head.hash != expected_prev:
        problems.append(Problem(None, "the last entry does not match the recorded head of the chain"))
    return count, problems
