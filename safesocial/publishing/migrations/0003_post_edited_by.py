"""Who wrote each post's current version, and each review's version: until now, its author."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def authors_wrote_every_version(apps, schema_editor):
    Post = apps.get_model("publishing", "Post")
    Review = apps.get_model("publishing", "Review")
    Post.objects.update(edited_by=models.F("author"))
    Review.objects.update(editor=models.F("author"))


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_postimage_had_location_postimage_original_facetag_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="edited_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="editor",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.RunPython(authors_wrote_every_version, migrations.RunPython.noop),
    ]
