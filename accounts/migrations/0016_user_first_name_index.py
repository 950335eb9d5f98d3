from django.db import migrations, models

import restkit.indexes


class Migration(migrations.Migration):
    """The people by first name, as the name search finds them (accounts.Name); by last name,
    user_last_name_id serves already. Built concurrently on PostgreSQL, hence not atomic."""

    atomic = False

    dependencies = [
        ("accounts", "0015_choice_constraints"),
    ]

    operations = [
        restkit.indexes.AddIndexLive(
            model_name="user",
            index=models.Index(fields=["first_name"], name="user_first_name"),
        ),
    ]
