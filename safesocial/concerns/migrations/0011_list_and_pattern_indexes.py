"""Issue 16 at a trust's size (benchmarks/trust_scale.py): the concern list's order and the patterns' grouping read
from indexes alone (covering indexes on PostgreSQL; plain ones elsewhere)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0010_concern_comments"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(
                condition=models.Q(("destroyed_at__isnull", True)),
                fields=["trust", "route", "status", "triage_level", "created_at"],
                include=("id", "school", "kind"),
                name="concern_list_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="concernlink",
            index=models.Index(
                fields=["trust", "route", "kind", "pupil", "parent", "staff", "account_key"],
                include=("created_at", "concern", "school"),
                name="link_pattern_idx",
            ),
        ),
    ]
