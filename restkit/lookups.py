"""`uicontains`: the search's "contains, in any letter case", for every script on SQLite too.

SQLite's LIKE, which Django's `icontains` uses there, folds the ASCII letters only: "ωmega" did
not find "Ωmega". On SQLite the lookup compares text lowercased by Python, through a function
each new connection gets; elsewhere it is `icontains` itself (PostgreSQL's UPPER knows every
script). Lowercasing, not casefolding, finds what PostgreSQL finds: "strasse" finds no "Straße".
"""

from django.db.backends.signals import connection_created
from django.db.models import CharField, Field
from django.db.models.lookups import IContains, In
from django.dispatch import receiver


def unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@receiver(connection_created)
def add_unicode_lower_to_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("unicode_lower", 1, unicode_lower, deterministic=True)


@CharField.register_lookup
class UnicodeIContains(IContains):
    lookup_name = "uicontains"

    def as_sql(self, compiler, connection):  # the database's own icontains
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"unicode_lower({lhs}) LIKE unicode_lower({rhs}) ESCAPE '\\'"
        return sql, (*lhs_params, *rhs_params)


@Field.register_lookup
class InArray(In):
    """`field__in_array=subquery`: IN, which PostgreSQL is given as `= ANY(ARRAY(subquery))`: the
    subquery runs once, ahead of the query, and within an OR the rows it names can be read by
    index, where `IN (subquery)` is tested row by row (the people whose address a viewer may see:
    a search of `example.com`, which every address holds, read all 1M of them). Plain IN
    elsewhere."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
