"""Issue 14: the sandbox's posts and blocks keep the channel's id as a plain number instead of a foreign key up to
channels (a floor above platforms). Each row keeps its channel: the id is copied before the relation goes."""

from django.db import migrations, models


def copy_channel(apps, schema_editor):
    for name in ("SandboxPost", "SandboxBlock"):
        apps.get_model("platforms", name).objects.update(channel_key=models.F("channel"))


def copy_back(apps, schema_editor):
    for name in ("SandboxPost", "SandboxBlock"):
        apps.get_model("platforms", name).objects.update(channel=models.F("channel_key"))


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0001_initial"),
        ("platforms", "0002_sandboxcomment_sandboxblock"),
    ]

    operations = [
        migrations.AddField("sandboxpost", "channel_key", models.BigIntegerField(null=True)),
        migrations.AddField("sandboxblock", "channel_key", models.BigIntegerField(null=True)),
        # Nullable for a moment, so that unapplying this migration can bring the relation back and refill it.
        migrations.AlterField(
            "sandboxpost",
            "channel",
            models.ForeignKey(null=True, on_delete=models.CASCADE, related_name="sandbox_posts", to="channels.channel"),
        ),
        migrations.AlterField(
            "sandboxblock",
            "channel",
            models.ForeignKey(
                null=True, on_delete=models.CASCADE, related_name="sandbox_blocks", to="channels.channel"
            ),
        ),
        migrations.RunPython(copy_channel, copy_back),
        migrations.RemoveConstraint("sandboxblock", "sandbox_block_once"),
        migrations.RemoveField("sandboxpost", "channel"),
        migrations.RemoveField("sandboxblock", "channel"),
        migrations.RenameField("sandboxpost", "channel_key", "channel_id"),
        migrations.RenameField("sandboxblock", "channel_key", "channel_id"),
        migrations.AlterField("sandboxpost", "channel_id", models.BigIntegerField(db_index=True)),
        migrations.AlterField("sandboxblock", "channel_id", models.BigIntegerField()),
        migrations.AddConstraint(
            "sandboxblock",
            models.UniqueConstraint(fields=("channel_id", "author_id"), name="sandbox_block_once"),
        ),
    ]
