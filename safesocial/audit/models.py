"""The append-only audit trail. Each entry carries the hash of the one before it, keyed with a secret kept outside the
database, so an entry altered or removed after the fact breaks the chain and `safesocial audit verify` finds it."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    # Who acted: the user's id, a plain number rather than a foreign key, because the record is the floor below the
    # people it names (docs/architecture.md); the label is kept verbatim so the chain never depends on a join and the
    # trail still says who it was when the user is gone. Null for SafeSocial itself or a person without an account.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=300, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of settings.AUDIT_KEYS signed the hash (a fingerprint of the key, never the key); null on the entries
    # written before the chain was keyed. Nullable so SQLite adds the column in place, keeping the table's triggers.
    key_id = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are never deleted")


class AuditHead(models.Model):
    """One row: the last entry's number and hash. Locking it orders concurrent writers, and
    comparing it with the table shows whether entries were cut from the end of the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"
