import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import restkit.indexes


class Migration(migrations.Migration):
    """The organizations' orderings and search by name by index, built concurrently on
    PostgreSQL (see accounts 0009), hence not atomic."""

    atomic = False

    dependencies = [
        ("orgs", "0004_organization_users_count"),
        ("accounts", "0009_directory_indexes"),  # pg_trgm
    ]

    operations = [
        restkit.indexes.AddIndexLive(
            model_name="organization",
            index=models.Index(fields=["name", "id"], name="organization_name_id"),
        ),
        restkit.indexes.AddIndexLive(
            model_name="organization",
            index=models.Index(fields=["users_count", "id"], name="organization_users_count_id"),
        ),
        restkit.indexes.AddIndexLive(
            model_name="organization",
            index=restkit.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="organization_name_contains",
            ),
        ),
    ]
