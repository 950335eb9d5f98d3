"""Indexes for tables that may be large and live: built without blocking writes on PostgreSQL,
harmless on SQLite.

CREATE INDEX takes a lock that stops every write to the table for as long as the build runs (tens
of seconds for a trigram index on a million rows); CREATE INDEX CONCURRENTLY does not, at the cost
of running outside a transaction (`atomic = False` on the migration).
"""

from django.contrib.postgres import operations
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.backends.ddl_references import Statement
from django.db.migrations.operations import AddIndex, RemoveIndex
from django.db.migrations.operations.base import Operation
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


class RemoveIndexLive(RemoveIndexConcurrently):
    """DROP INDEX CONCURRENTLY on PostgreSQL; a plain RemoveIndex elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class TrigramExtension(operations.TrigramExtension):
    """pg_trgm on PostgreSQL, both ways; nothing elsewhere (Django's own looks for PostgreSQL's
    catalog when it is unapplied, on any database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


NOTHING = Statement("SELECT 1")  # what a PostgreSQL-only index is elsewhere


class PostgresOnly:
    """An index of PostgreSQL's kinds, made on PostgreSQL alone: nothing on other databases, which
    have no such index (SQLite would fail on it whenever it rebuilds the table)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOTHING
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOTHING
        return super().remove_sql(model, schema_editor, **kwargs)


class PostgresGinIndex(PostgresOnly, GinIndex):
    """GIN, on PostgreSQL only: the search's first indexes (accounts 0009, orgs 0005)."""


class PostgresGistIndex(PostgresOnly, GistIndex):
    """GiST, on PostgreSQL only: the search's indexes (restkit.indexes.contains_index)."""


# Bytes of each entry's trigram signature: wide enough that a rare fragment's signature matches
# few entries even when most of its trigrams are in every row ("SURNAME" of "Surname4242").
TRIGRAM_SIGNATURE_BYTES = 256


def contains_index(field: str, *, name: str) -> PostgresGistIndex:
    """The index PostgreSQL uses for `field__icontains`, which it runs as
    `UPPER(field::text) LIKE UPPER('%fragment%')`: pg_trgm's trigrams of UPPER(field). Fragments of
    three characters or more use it; shorter ones have no trigram to look up.

    GiST rather than GIN: GIN intersects one posting list per trigram of the fragment, and the
    trigrams most rows share make a rare fragment as slow as the table is large (35 ms at 1M rows
    for 224 matches); GiST walks a tree of signatures, 4 ms for the same."""
    opclass = f"gist_trgm_ops(siglen={TRIGRAM_SIGNATURE_BYTES})"
    return PostgresGistIndex(OpClass(Upper(field), name=opclass), name=name)


# Values ANALYZE keeps of a searched expression (PostgreSQL's default: 100). The planner estimates
# how many rows `LIKE '%fragment%'` finds from the share of those values that hold the fragment;
# out of 100, one that does means 1% of the table. At 100,000 organizations, `0042` (120 of them,
# neighbours in sorted order) was expected to find 10 or 1,000 rows by the luck of the sample,
# and a page counted apart what it should have counted in passing. Out of 1,000: 100, each time.
SEARCH_STATISTICS = 1000


class IndexStatistics(Operation):
    """How many values ANALYZE keeps of an expression index's column (PostgreSQL; nothing
    elsewhere). ALTER INDEX ... SET STATISTICS blocks neither reads nor writes; the next ANALYZE
    (autovacuum's, or a manual one) takes it up."""

    reversible = True

    def __init__(self, index_name, target=SEARCH_STATISTICS):
        self.index_name, self.target = index_name, target

    def deconstruct(self):
        return self.__class__.__qualname__, [self.index_name, self.target], {}

    def state_forwards(self, app_label, state):
        pass

    def set(self, schema_editor, target):
        if schema_editor.connection.vendor == "postgresql":
            index = schema_editor.quote_name(self.index_name)
            schema_editor.execute(f"ALTER INDEX {index} ALTER COLUMN 1 SET STATISTICS {target}")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self.set(schema_editor, self.target)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.set(schema_editor, -1)  # the default

    def describe(self):
        return f"Keep {self.target} values of {self.index_name} for the planner"
