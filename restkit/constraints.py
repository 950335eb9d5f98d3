"""CHECK constraints for columns of choices, added to tables that may be large and live.

Every write through the API, the admin and the services validates a field's choices; the
database holds the same rule for whatever else writes (a raw UPDATE, a bulk import, a script), and
the code that relies on it (orgs.selectors.user_rows_by_shown_email splits the directory by
`contact_visibility`, one part per choice) can.

ALTER TABLE ... ADD CONSTRAINT ... CHECK reads the whole table under a lock that stops every
read and write meanwhile; added NOT VALID, the lock lasts an instant, and VALIDATE CONSTRAINT then
reads the rows under a lock that lets them be read and written (outside a transaction:
`atomic = False` on the migration).
"""

from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint
from django.db import models
from django.db.migrations.operations import AddConstraint


def one_of(field: str, choices: type[models.Choices]) -> models.CheckConstraint:
    """A CHECK that `field` holds one of `choices`' values. Changing the choices changes the
    constraint: makemigrations writes the migration that replaces it."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field}_choice",
    )


class AddCheckLive(AddConstraintNotValid):
    """A CHECK constraint added NOT VALID, then validated, on PostgreSQL; a plain AddConstraint
    elsewhere (SQLite rebuilds the table, as it does for any constraint)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            AddConstraint.database_forwards(self, app_label, schema_editor, from_state, to_state)
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        # Outside a transaction, an interrupted migration may have added the constraint without
        # validating it: run again, it validates it.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
                [self.constraint.name, model._meta.db_table],
            )
            added = cursor.fetchone() is not None
        if not added:
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        ValidateConstraint(self.model_name, self.constraint.name).database_forwards(
            app_label, schema_editor, from_state, to_state
        )

    def describe(self):
        return f"Create and validate constraint {self.constraint.name} on model {self.model_name}"
