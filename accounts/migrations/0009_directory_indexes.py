import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import restkit.indexes


class Migration(migrations.Migration):
    """The directory's orderings and search by index. Built concurrently on PostgreSQL (writes go
    on while a million-row table is indexed), hence not atomic; on SQLite, plain indexes, and no
    trigram ones."""

    atomic = False

    dependencies = [
        ("accounts", "0008_login_sessions"),
    ]

    operations = [
        restkit.indexes.TrigramExtension(),  # nothing outside PostgreSQL
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=models.Index(fields=["last_name", "id"], name="user_last_name_id"),
        ),
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=models.Index(fields=["date_joined", "id"], name="user_date_joined_id"),
        ),
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=restkit.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("email"), name="gin_trgm_ops"
                ),
                name="user_email_contains",
            ),
        ),
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=restkit.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("first_name"), name="gin_trgm_ops"
                ),
                name="user_first_name_contains",
            ),
        ),
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=restkit.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("last_name"), name="gin_trgm_ops"
                ),
                name="user_last_name_contains",
            ),
        ),
    ]
