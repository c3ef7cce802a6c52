"""On PostgreSQL the database also refuses to TRUNCATE the chronology or the evidence records: the row triggers of
0003 do not see TRUNCATE. SQLite has no TRUNCATE statement."""

from django.db import migrations

TABLES = ["concerns_chronologyentry", "concerns_evidence"]

POSTGRES = [
    """CREATE FUNCTION concerns_no_truncate() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is never truncated'; END; $$ LANGUAGE plpgsql;""",
    *[
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        "FOR EACH STATEMENT EXECUTE FUNCTION concerns_no_truncate();"
        for t in TABLES
    ],
]
POSTGRES_REVERSE = [*[f"DROP TRIGGER {t}_no_truncate ON {t};" for t in TABLES], "DROP FUNCTION concerns_no_truncate();"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("concerns", "0004_leader_route")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
