"""The audit record names who acted by the user's id, not a foreign key: the record is the floor below people
(docs/architecture.md). The column, its values and so every entry's hash stay exactly as they were; only the
database's foreign-key constraint goes. SQLite cannot drop a constraint, so the table is rebuilt from the new model
and its append-only triggers (0003) are put back; PostgreSQL drops the constraint in place."""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;",
]


def drop_actor_foreign_key(apps, schema_editor):
    entry = apps.get_model("audit", "AuditEntry")
    table = entry._meta.db_table
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in ("DROP TRIGGER IF EXISTS audit_entry_no_update;", "DROP TRIGGER IF EXISTS audit_entry_no_delete;"):
            schema_editor.execute(statement)
        schema_editor._remake_table(entry)  # the rows are copied as they are: every column, every value
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
        return
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, details in constraints.items():
        if details["foreign_key"] and details["columns"] == ["actor_id"]:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} DROP CONSTRAINT {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_head_and_truncate_triggers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditentry", name="actor"),
                migrations.AddField(
                    model_name="auditentry",
                    name="actor_id",
                    field=models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
            ],
        ),
        migrations.RunPython(drop_actor_foreign_key, migrations.RunPython.noop, elidable=False),
    ]
