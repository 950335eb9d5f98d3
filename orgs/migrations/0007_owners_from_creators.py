"""Each existing organization gets its creator as owner, when that account still exists and is
active (made a member if they were not, and the member count kept right); every other member
stays a member. An organization left without an owner gets one from staff, in the admin."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def creators_to_owners(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    Membership = apps.get_model("orgs", "Membership")
    led = Organization.objects.filter(created_by__isnull=False, created_by__is_active=True)
    Membership.objects.filter(
        organization__in=led, user_id=models.F("organization__created_by_id")
    ).update(role="owner")
    have = set(
        Membership.objects.filter(
            organization__in=led, user_id=models.F("organization__created_by_id")
        ).values_list("organization_id", flat=True)
    )
    added = [(pk, user_id) for pk, user_id in led.values_list("pk", "created_by_id") if pk not in have]
    Membership.objects.bulk_create(
        [Membership(organization_id=pk, user_id=user_id, role="owner") for pk, user_id in added],
        batch_size=1000,
    )
    # bulk_create sends no signals: count these organizations' active members again.
    ids = [pk for pk, _ in added]
    for start in range(0, len(ids), 1000):
        members = (
            Membership.objects.filter(
                organization_id=models.OuterRef("pk"), user__is_active=True
            )
            .order_by()
            .values("organization_id")
            .annotate(count=models.Count("*"))
            .values("count")
        )
        Organization.objects.filter(pk__in=ids[start : start + 1000]).update(
            users_count=Coalesce(models.Subquery(members), 0)
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0006_roles_join_policies_invitations")]

    operations = [migrations.RunPython(creators_to_owners, migrations.RunPython.noop)]
