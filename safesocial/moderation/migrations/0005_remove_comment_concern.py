"""Issue 14: the old upward foreign key goes, once concerns 0010 has copied each link to Concern.comments.
Unapplied, it comes back and is filled from those links again."""

from django.db import migrations


def restore_links(apps, schema_editor):
    Comment = apps.get_model("moderation", "Comment")
    Concern = apps.get_model("concerns", "Concern")
    Link = Concern._meta.get_field("comments").remote_field.through  # the reverse of Comment.concern shares the name
    for link in Link.objects.all().iterator():
        Comment.objects.filter(pk=link.comment_id).update(concern_id=link.concern_id)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_comment_kept_for_concern"),
        ("concerns", "0010_concern_comments"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_links),
        migrations.RemoveField(model_name="comment", name="concern"),
    ]
