"""GIN trigram indexes on `UPPER(column)` (issue 16 at a trust's size: searching by part of a name or a summary).

Django's `icontains` is `UPPER(col) LIKE UPPER('%...%')` on PostgreSQL, which no b-tree index serves; a GIN trigram
index on exactly `UPPER(col)` serves it and `UPPER(col) = UPPER(q)` too. SQLite has neither pg_trgm nor GIN, so there
the operation does nothing; the indexes are not in the models' Meta because Django would then create them on SQLite
too. pg_trgm itself is created by people's migration 0003."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class TrigramIndexes(Operation):
    """Create (and, going back, drop) one GIN trigram index per name: {name: (table, column)}."""

    reversible = True

    def __init__(self, indexes: dict[str, tuple[str, str]]):
        self.indexes = indexes

    def state_forwards(self, app_label, state):
        pass  # the models' state does not know these indexes (see above)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, (table, column) in self.indexes.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self.indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def describe(self):
        return f"Create GIN trigram indexes {', '.join(self.indexes)} (PostgreSQL only)"
