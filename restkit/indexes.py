"""Indexes for tables that may be large and live: built without blocking writes on PostgreSQL,
harmless on SQLite.

CREATE INDEX takes a lock that stops every write to the table for as long as the build runs (tens
of seconds for a trigram index on a million rows); CREATE INDEX CONCURRENTLY does not, at the cost
of running outside a transaction (`atomic = False` on the migration).
"""

from django.contrib.postgres import operations
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.backends.ddl_references import Statement
from django.db.migrations.operations import AddIndex
from django.db.models.functions import Upper


class AddIndexLive(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain AddIndex elsewhere (SQLite has no
    concurrent build, nor another server process to wait for)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
            return
        # Outside a transaction, an interrupted migration keeps the indexes it built, and a failed
        # concurrent build leaves an invalid one behind: run again, it keeps the first and
        # rebuilds the second.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indisvalid FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid "
                "WHERE relname = %s AND pg_table_is_visible(indrelid)",
                [self.index.name],
            )
            found = cursor.fetchone()
        if found and found[0]:
            return
        if found:
            schema_editor.execute(
                f"DROP INDEX CONCURRENTLY {schema_editor.quote_name(self.index.name)}"
            )
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class TrigramExtension(operations.TrigramExtension):
    """pg_trgm on PostgreSQL, both ways; nothing elsewhere (Django's own looks for PostgreSQL's
    catalog when it is unapplied, on any database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


NOTHING = Statement("SELECT 1")  # what a PostgreSQL-only index is elsewhere


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL; nothing on other databases, which have no GIN (SQLite would fail
    on it whenever it rebuilds the table)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOTHING
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOTHING
        return super().remove_sql(model, schema_editor, **kwargs)


def contains_index(field: str, *, name: str) -> PostgresGinIndex:
    """The index PostgreSQL uses for `field__icontains`, which it runs as
    `UPPER(field::text) LIKE UPPER('%fragment%')`: pg_trgm's trigrams of UPPER(field). Fragments of
    three characters or more use it; shorter ones have no trigram to look up."""
    return PostgresGinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)
