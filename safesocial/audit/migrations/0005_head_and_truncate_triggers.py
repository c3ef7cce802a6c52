"""The database also refuses to delete the head of the chain or move it anywhere but one entry forward, and, on
PostgreSQL, to TRUNCATE the entries or the head (row triggers do not see TRUNCATE). SQLite has no TRUNCATE."""

from django.db import migrations

HEAD_MOVES = "the audit head only moves forward one entry at a time"
SQLITE = [
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead "
    "BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END;",
    "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead "
    f"WHEN NEW.id != OLD.id OR NEW.seq != OLD.seq + 1 BEGIN SELECT RAISE(ABORT, '{HEAD_MOVES}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_head_no_delete;", "DROP TRIGGER audit_head_forward_only;"]
POSTGRES = [
    f"""CREATE FUNCTION audit_head_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the audit head is never deleted'; END IF;
         IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION '{HEAD_MOVES}'; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_audithead "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_guard();",
    """CREATE FUNCTION audit_no_truncate() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is never truncated'; END; $$ LANGUAGE plpgsql;""",
    *[
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();"
        for t in ("audit_auditentry", "audit_audithead")
    ],
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_auditentry_no_truncate ON audit_auditentry;",
    "DROP TRIGGER audit_audithead_no_truncate ON audit_audithead;",
    "DROP FUNCTION audit_no_truncate();",
    "DROP TRIGGER audit_head_guard ON audit_audithead;",
    "DROP FUNCTION audit_head_guard();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_keyed_chain")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
