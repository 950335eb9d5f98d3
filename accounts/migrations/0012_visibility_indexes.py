from django.db import migrations, models

import restkit.indexes


class Migration(migrations.Migration):
    """The directory's order by the address a viewer sees, by index (see
    orgs.selectors.user_rows_by_shown_email). Built concurrently on PostgreSQL (writes go on while
    a million-row table is indexed), hence not atomic; plain indexes on SQLite."""

    atomic = False

    dependencies = [
        ("accounts", "0011_user_language"),
    ]

    operations = [
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=models.Index(
                fields=["contact_visibility", "email", "id"], name="user_visibility_email_id"
            ),
        ),
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=models.Index(fields=["contact_visibility", "id"], name="user_visibility_id"),
        ),
    ]
