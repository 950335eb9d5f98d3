from django.db import migrations

import restkit.indexes


class Migration(migrations.Migration):
    """Closer estimates of what a search finds (restkit.indexes.SEARCH_STATISTICS), from the
    next ANALYZE on; PostgreSQL only."""

    dependencies = [
        ("orgs", "0010_choice_constraints"),
    ]

    operations = [
        restkit.indexes.IndexStatistics("organization_name_trigrams"),
    ]
