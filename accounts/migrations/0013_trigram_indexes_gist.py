import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations

import restkit.indexes


def trigrams(field, name):
    return restkit.indexes.PostgresGistIndex(
        django.contrib.postgres.indexes.OpClass(
            django.db.models.functions.text.Upper(field), name="gist_trgm_ops(siglen=256)"
        ),
        name=name,
    )


class Migration(migrations.Migration):
    """The search's trigram indexes as GiST rather than GIN (restkit.indexes.contains_index): the
    new ones are built concurrently first, so that the search never goes without an index, then
    the old ones dropped concurrently. Not atomic; nothing happens on SQLite."""

    atomic = False

    dependencies = [
        ("accounts", "0012_visibility_indexes"),
    ]

    operations = [
        restkit.indexes.AddIndexLive(
            model_name="user", index=trigrams("email", "user_email_trigrams")
        ),
        restkit.indexes.AddIndexLive(
            model_name="user", index=trigrams("first_name", "user_first_name_trigrams")
        ),
        restkit.indexes.AddIndexLive(
            model_name="user", index=trigrams("last_name", "user_last_name_trigrams")
        ),
        restkit.indexes.RemoveIndexLive(model_name="user", name="user_email_contains"),
        restkit.indexes.RemoveIndexLive(model_name="user", name="user_first_name_contains"),
        restkit.indexes.RemoveIndexLive(model_name="user", name="user_last_name_contains"),
    ]
