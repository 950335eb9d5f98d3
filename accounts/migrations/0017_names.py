import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import restkit.indexes

# Each trigger adds the names of the row written and takes away those it had. The names of one
# row are written in order, so two writes that share names lock them in the same order.
POSTGRESQL = """
CREATE FUNCTION accounts_name_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    arriving text[] := '{}';
    leaving text[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN arriving := ARRAY[NEW.first_name, NEW.last_name]; END IF;
    IF TG_OP <> 'INSERT' THEN leaving := ARRAY[OLD.first_name, OLD.last_name]; END IF;
    INSERT INTO accounts_name AS name (value, users)
    SELECT value, sum(delta) FROM (
        SELECT unnest(arriving) AS value, 1 AS delta
        UNION ALL
        SELECT unnest(leaving), -1
    ) AS change
    WHERE value <> ''
    GROUP BY value
    HAVING sum(delta) <> 0
    ORDER BY value
    ON CONFLICT (value) DO UPDATE SET users = name.users + excluded.users;
    DELETE FROM accounts_name WHERE value = ANY(leaving) AND users <= 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER accounts_user_names AFTER INSERT OR DELETE ON accounts_user
FOR EACH ROW EXECUTE FUNCTION accounts_name_count();
CREATE TRIGGER accounts_user_names_change AFTER UPDATE OF first_name, last_name ON accounts_user
FOR EACH ROW WHEN (OLD.first_name <> NEW.first_name OR OLD.last_name <> NEW.last_name)
EXECUTE FUNCTION accounts_name_count();
"""
POSTGRESQL_DROP = """
DROP TRIGGER accounts_user_names_change ON accounts_user;
DROP TRIGGER accounts_user_names ON accounts_user;
DROP FUNCTION accounts_name_count();
"""

ADD_SQLITE = """
    INSERT INTO accounts_name (value, users)
    SELECT value, count(*) FROM (SELECT NEW.first_name AS value UNION ALL SELECT NEW.last_name)
    WHERE value <> '' GROUP BY value
    ON CONFLICT (value) DO UPDATE SET users = users + excluded.users;
"""
TAKE_SQLITE = """
    UPDATE accounts_name SET users = users - 1 WHERE value = OLD.first_name;
    UPDATE accounts_name SET users = users - 1 WHERE value = OLD.last_name;
    DELETE FROM accounts_name WHERE value IN (OLD.first_name, OLD.last_name) AND users <= 0;
"""
SQLITE = [
    f"CREATE TRIGGER accounts_user_names_add AFTER INSERT ON accounts_user BEGIN {ADD_SQLITE} END",
    f"CREATE TRIGGER accounts_user_names_take AFTER DELETE ON accounts_user BEGIN {TAKE_SQLITE} END",
    "CREATE TRIGGER accounts_user_names_change AFTER UPDATE OF first_name, last_name "
    "ON accounts_user WHEN OLD.first_name <> NEW.first_name OR OLD.last_name <> NEW.last_name "
    f"BEGIN {TAKE_SQLITE} {ADD_SQLITE} END",
]
SQLITE_DROP = [
    "DROP TRIGGER accounts_user_names_add",
    "DROP TRIGGER accounts_user_names_take",
    "DROP TRIGGER accounts_user_names_change",
]

# The names of the accounts there are, counted. Writes to accounts_user wait meanwhile (SHARE
# lock, PostgreSQL; reads go on), so that no account is counted both here and by a trigger:
# about a second on a million accounts.
COUNT = """
INSERT INTO accounts_name (value, users)
SELECT value, count(*) FROM (
    SELECT first_name AS value FROM accounts_user
    UNION ALL
    SELECT last_name FROM accounts_user
) AS names
WHERE value <> ''
GROUP BY value
"""


def triggers_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("LOCK TABLE accounts_user IN SHARE MODE")
        schema_editor.execute(POSTGRESQL)
    else:
        for statement in SQLITE:
            schema_editor.execute(statement)
    schema_editor.execute(COUNT)


def triggers_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    """The names the directory's search looks a fragment up in (accounts.Name), kept by
    triggers on accounts_user and counted once from the accounts there are."""

    dependencies = [
        ("accounts", "0016_user_first_name_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="Name",
            fields=[
                (
                    "value",
                    models.CharField(
                        max_length=150, primary_key=True, serialize=False, verbose_name="first or last name"
                    ),
                ),
                ("users", models.IntegerField(verbose_name="number of accounts")),
            ],
            options={
                "verbose_name": "first or last name",
                "verbose_name_plural": "first and last names",
                "indexes": [
                    restkit.indexes.PostgresGistIndex(
                        django.contrib.postgres.indexes.OpClass(
                            django.db.models.functions.text.Upper("value"),
                            name="gist_trgm_ops(siglen=256)",
                        ),
                        name="name_value_trigrams",
                    )
                ],
            },
        ),
        migrations.RunPython(triggers_add, triggers_remove),
    ]
