"""The database itself refuses to change a chronology entry or an evidence file's record, whoever connects to it.

Deleting is refused too on PostgreSQL. On SQLite only changes are refused at this level (deletes are refused by the
models and querysets): the test suite empties SQLite tables with DELETE between live-server tests, while PostgreSQL
uses TRUNCATE, which row triggers do not see."""

from django.db import migrations

TABLES = ["concerns_chronologyentry", "concerns_evidence"]

SQLITE = [
    f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;"
    for t in TABLES
]
SQLITE_REVERSE = [f"DROP TRIGGER {t}_no_update;" for t in TABLES]
POSTGRES = [
    """CREATE FUNCTION concerns_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; $$ LANGUAGE plpgsql;""",
    *[
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        "FOR EACH ROW EXECUTE FUNCTION concerns_append_only();"
        for t in TABLES
    ],
]
POSTGRES_REVERSE = [*[f"DROP TRIGGER {t}_append_only ON {t};" for t in TABLES], "DROP FUNCTION concerns_append_only();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_case_record")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
