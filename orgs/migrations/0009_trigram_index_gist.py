import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations

import restkit.indexes


class Migration(migrations.Migration):
    """The search by name's trigram index as GiST rather than GIN, as accounts 0013 does for the
    users: built concurrently first, then the old one dropped. Not atomic; nothing on SQLite."""

    atomic = False

    dependencies = [
        ("orgs", "0008_verbose_names"),
    ]

    operations = [
        restkit.indexes.AddIndexLive(
            model_name="organization",
            index=restkit.indexes.PostgresGistIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gist_trgm_ops(siglen=256)"
                ),
                name="organization_name_trigrams",
            ),
        ),
        restkit.indexes.RemoveIndexLive(
            model_name="organization", name="organization_name_contains"
        ),
    ]
