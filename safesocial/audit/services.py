"""Writing, verifying and anchoring the audit trail.

Each entry's hash is an HMAC-SHA256 under settings.AUDIT_KEYS[0], a secret kept outside the database, over the entry
and the hash before it: someone who can write to the database but lacks the key cannot edit an entry and re-hash the
chain after it. `audit_checkpoint`, run daily, appends the head to a file outside the database too, so emptying the
table, cutting its tail or deleting the head row is found by `audit_verify` however the rows are made to agree."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def key_fingerprint(key: str) -> str:
    """The id stored on each entry to say which key signed it: enough of SHA-256 of the key to tell keys apart."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


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
    if entry.key_id:  # entries from before the key have no key id, and keep the payload they were hashed with
        payload["key"] = entry.key_id
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry, key: str | None) -> str:
    """The entry's fingerprint: HMAC-SHA256 under KEY, or plain SHA-256 (key None) for an entry written before the
    chain was keyed."""
    if key is None:
        return hashlib.sha256(_canonical(entry)).hexdigest()
    return hmac.new(key.encode(), _canonical(entry), hashlib.sha256).hexdigest()


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
    records are committed together or not at all: inside it no savepoint of its own (two round trips on every audited
    write), since an entry that fails must fail the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or str(obj)[:300]
    user = actor if getattr(actor, "is_authenticated", False) else None
    key = settings.AUDIT_KEYS[0]
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=user.pk if user else None,
            actor_label=(user.email if user else (actor if isinstance(actor, str) else "system")),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=label,
            school_id=school_id,
            changes=_jsonable(changes or {}),
            prev_hash=head.hash,
            key_id=key_fingerprint(key),
        )
        entry.hash = entry_hash(entry, key)
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


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str


class NotIntact(Exception):
    def __init__(self, count: int, problems: list[Problem]):
        super().__init__(f"audit trail is NOT intact: {len(problems)} problem(s) in {count} entries")
        self.problems = problems


def _read_checkpoints() -> tuple[list[Checkpoint], list[Problem]]:
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return [], []
    checkpoints, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(line)
            checkpoints.append(Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["key_id"])))
        except (ValueError, TypeError, KeyError):
            problems.append(Problem(None, f"line {number} of {path} is not a checkpoint: the file has been damaged"))
    return checkpoints, problems


def audit_verify() -> tuple[int, list[Problem]]:
    """Walk the chain from the start. Returns the number of entries checked and every problem found: an entry whose
    content no longer matches its hash under the key that signed it, a gap where entries were removed, a chain that
    ends before the recorded head, a missing head, and entries missing from, or differing from, any checkpoint.

    Entries written before the chain was keyed carry no key id and a plain SHA-256. They are accepted only as the
    prefix of the chain, and only when something an attacker cannot forge vouches for them: a keyed entry after them
    (its HMAC covers the last unkeyed hash, which covers the ones before; the upgrade appends one, `audit.keyed`) or
    a checkpoint at or beyond them. An unkeyed entry after a keyed one is a forgery. So the trail as it stood at the
    upgrade is trusted as it was then; anything changed in it since is found."""
    keys = {key_fingerprint(key): key for key in settings.AUDIT_KEYS}
    checkpoints, problems = _read_checkpoints()
    checkpointed: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        checkpointed.setdefault(checkpoint.seq, []).append(checkpoint)
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    keyed = False
    last_unkeyed = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"entries #{expected_seq} to #{entry.seq - 1} have been removed"))
        if entry.prev_hash != expected_prev:
            problems.append(Problem(entry.seq, "does not follow the entry before it (chain broken)"))
        if entry.key_id and entry.key_id not in keys:
            problems.append(
                Problem(
                    entry.seq,
                    f"was signed with a key this server does not hold (key id {entry.key_id}): "
                    "the key was removed from AUDIT_KEYS too soon, or the entry is forged",
                )
            )
        elif not hmac.compare_digest(entry_hash(entry, keys.get(entry.key_id or "")), entry.hash):
            problems.append(Problem(entry.seq, "has been altered: its content no longer matches its hash"))
        if not entry.key_id:
            if keyed:
                problems.append(Problem(entry.seq, "was written without the audit key after the chain was keyed"))
            last_unkeyed = entry.seq
        keyed = keyed or bool(entry.key_id)
        for checkpoint in checkpointed.get(entry.seq, []):
            if checkpoint.hash != entry.hash:
                problems.append(
                    Problem(entry.seq, f"differs from the checkpoint of {checkpoint.at}, which recorded another hash")
                )
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
    last = expected_seq - 1
    furthest = max(checkpoints, key=lambda c: c.seq, default=None)
    if furthest and furthest.seq > last:
        problems.append(
            Problem(
                None,
                f"entries #{last + 1} to #{furthest.seq} are missing: "
                f"the checkpoint of {furthest.at} recorded the log up to #{furthest.seq}",
            )
        )
    if last_unkeyed and not keyed and not (furthest and furthest.seq >= last_unkeyed):
        problems.append(
            Problem(
                None,
                f"entries #1 to #{last_unkeyed} were written without the audit key "
                "and no keyed entry or checkpoint vouches for them",
            )
        )
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if count or (furthest and furthest.seq):
            problems.append(Problem(None, "the head of the chain is missing: its row has been deleted"))
    elif head.seq != last:
        problems.append(Problem(None, f"the log should end at entry #{head.seq} but ends at #{last}"))
    elif head.hash != expected_prev:
        problems.append(Problem(None, "the last entry does not match the recorded head of the chain"))
    return count, problems


def audit_checkpoint() -> Checkpoint:
    """Append the head of a verified chain to AUDIT_CHECKPOINT_FILE, outside the database, as one JSON line.

    Run daily (cron). The file is opened for appending only and created readable by its owner alone; nothing ever
    rewrites it. A chain that does not verify is not checkpointed (NotIntact): that would vouch for the tampering."""
    count, problems = audit_verify()
    if problems:
        raise NotIntact(count, problems)
    head = AuditHead.objects.filter(id=1).first()
    seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS)
    key_id = AuditEntry.objects.filter(seq=seq).values_list("key_id", flat=True).first() or ""
    checkpoint = Checkpoint(seq=seq, hash=hash_, at=timezone.now().isoformat(), key_id=key_id)
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(asdict(checkpoint), sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint
