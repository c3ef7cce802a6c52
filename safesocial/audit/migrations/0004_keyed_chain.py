"""The chain becomes keyed: each entry records which audit key signed it.

An existing trail was hashed without a key. Rather than re-sign it (which would bless any tampering done before the
upgrade, and rewrite rows the triggers forbid changing), one keyed entry, `audit.keyed`, is appended after it: its HMAC
covers the last unkeyed hash, which covers every one before, so from now on none of them can be changed unseen."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from safesocial.audit.services import entry_hash, key_fingerprint


def anchor_unkeyed_entries(apps, schema_editor):
    # entry_hash and key_fingerprint are pure functions of an entry's fields: they work on the historical model too.

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    head = AuditHead.objects.filter(id=1).first()
    if head is None or not AuditEntry.objects.filter(seq=head.seq, key_id__isnull=True).exists():
        return
    key = settings.AUDIT_KEYS[0]
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor_label="system",
        action="audit.keyed",
        object_type="audit",
        object_label="The audit trail is keyed from here on",
        changes={"unkeyed_entries": [1, head.seq]},
        prev_hash=head.hash,
        key_id=key_fingerprint(key),
    )
    entry.hash = entry_hash(entry, key)
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
        migrations.RunPython(anchor_unkeyed_entries, migrations.RunPython.noop),
    ]
