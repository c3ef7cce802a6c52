"""Issue 14: the concern holds the link to the comments moderation passed it (it was moderation.Comment.concern, a
relation from a lower floor up to this one). Copies every existing link before moderation 0005 drops the old one."""

from django.db import migrations, models


def copy_links(apps, schema_editor):
    Comment = apps.get_model("moderation", "Comment")
    Concern = apps.get_model("concerns", "Concern")
    Link = Concern._meta.get_field("comments").remote_field.through  # the reverse of Comment.concern shares the name
    rows = Comment.objects.filter(concern__isnull=False).values_list("pk", "concern_id")
    Link.objects.bulk_create([Link(concern_id=concern, comment_id=comment) for comment, concern in rows.iterator()])


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0009_retention"),
        ("moderation", "0004_comment_kept_for_concern"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="comments",
            field=models.ManyToManyField(blank=True, related_name="+", to="moderation.comment"),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
    ]
