from django.db import migrations

import restkit.indexes


class Migration(migrations.Migration):
    """Closer estimates of what a search finds (restkit.indexes.SEARCH_STATISTICS), from the
    next ANALYZE on; PostgreSQL only."""

    dependencies = [
        ("accounts", "0017_names"),
    ]

    operations = [
        restkit.indexes.IndexStatistics("user_email_trigrams"),
        restkit.indexes.IndexStatistics("user_first_name_trigrams"),
        restkit.indexes.IndexStatistics("user_last_name_trigrams"),
    ]
