from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


# On PostgreSQL, every organization's count from one pass over the memberships (seconds for 3M
# of them), rather than a count by index per organization (a minute for 100k organizations,
# holding their rows locked).
COUNT_ALL = """
UPDATE orgs_organization SET users_count = counted.n
FROM (
    SELECT m.organization_id, COUNT(*) AS n
    FROM orgs_membership m JOIN accounts_user u ON u.id = m.user_id
    WHERE u.is_active
    GROUP BY m.organization_id
) counted
WHERE counted.organization_id = orgs_organization.id
"""


def count_active_members(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COUNT_ALL)
        return
    Organization = apps.get_model("orgs", "Organization")
    Membership = apps.get_model("orgs", "Membership")
    members = (
        Membership.objects.filter(organization=OuterRef("pk"), user__is_active=True)
        .order_by()
        .values("organization")
        .annotate(count=Count("*"))
        .values("count")
    )
    Organization.objects.update(users_count=Coalesce(Subquery(members), 0))


class Migration(migrations.Migration):
    """The number of active members, stored (kept by orgs.signals) so that sorting by it is an
    index scan. A column with a constant default is added without rewriting the table."""

    dependencies = [
        ("orgs", "0003_membership"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="users_count",
            field=models.IntegerField(default=0, editable=False, verbose_name="users"),
        ),
        migrations.RunPython(count_active_members, migrations.RunPython.noop, elidable=True),
    ]
