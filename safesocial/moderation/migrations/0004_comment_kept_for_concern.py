"""Issue 14: a comment kept for a safeguarding concern says so itself; the link to the concern moves up to the
concerns floor (concerns 0010 copies it, 0005 here drops the old foreign key)."""

from django.db import migrations, models


def mark_kept(apps, schema_editor):
    Comment = apps.get_model("moderation", "Comment")
    Comment.objects.filter(concern__isnull=False).update(kept_for_concern=True)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_comment_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="kept_for_concern",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_kept, migrations.RunPython.noop),
    ]
