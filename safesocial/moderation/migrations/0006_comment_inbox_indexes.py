"""Issue 16 at a trust's size (benchmarks/trust_scale.py, a million comments): the inbox's counts read only the
flagged comments, and one school's moderator reads their channels' comments newest first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_remove_comment_concern"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("needs_review", True)),
                fields=["channel", "status", "kept_for_concern"],
                name="comment_flagged_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["channel", "-received_at"], name="comment_channel_newest_idx"),
        ),
    ]
