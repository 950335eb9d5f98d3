"""orgs 0007 gives each existing organization its creator as owner, when that account still
exists and is active, and keeps every other member a member, with the member counts right."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs.models import Membership, Organization

BEFORE = [("orgs", "0006_roles_join_policies_invitations")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


@pytest.fixture
def before():
    """The historical models before the owners, the database migrated to them; fully migrated
    again afterwards, whatever happened."""
    try:
        yield migrate(BEFORE).loader.project_state(BEFORE).apps
    finally:
        migrate()


@pytest.mark.django_db(transaction=True)
def test_creators_become_owners_and_members_stay_members(before):
    User = before.get_model("accounts", "User")
    Org = before.get_model("orgs", "Organization")
    OldMembership = before.get_model("orgs", "Membership")
    ann, bob, gone, dormant = (
        User.objects.create(email=f"{name}@example.com", password="", is_active=name != "dormant")
        for name in ("ann", "bob", "gone", "dormant")
    )
    member_creator = Org.objects.create(name="Acme", name_key="acme", created_by=ann)
    outside_creator = Org.objects.create(name="Globex", name_key="globex", created_by=bob)
    orphan = Org.objects.create(name="Orphan", name_key="orphan", created_by=gone)
    asleep = Org.objects.create(name="Asleep", name_key="asleep", created_by=dormant)
    for user, org in [(ann, member_creator), (bob, member_creator), (ann, outside_creator)]:
        OldMembership.objects.create(user=user, organization=org)
    OldMembership.objects.create(user=ann, organization=orphan)
    OldMembership.objects.create(user=ann, organization=asleep)
    gone.delete()  # the creator's account no longer exists
    for org in Org.objects.all():
        Org.objects.filter(pk=org.pk).update(
            users_count=OldMembership.objects.filter(organization=org).count()
        )

    migrate()

    roles = set(Membership.objects.values_list("organization__name", "user__email", "role"))
    assert roles == {
        ("Acme", "ann@example.com", "owner"),
        ("Acme", "bob@example.com", "member"),
        ("Globex", "ann@example.com", "member"),
        ("Globex", "bob@example.com", "owner"),  # made a member, as owner
        ("Orphan", "ann@example.com", "member"),  # no owner: staff give it one in the admin
        ("Asleep", "ann@example.com", "member"),  # a deactivated creator is no owner
    }
    counts = dict(Organization.objects.values_list("name", "users_count"))
    assert counts == {"Acme": 2, "Globex": 2, "Orphan": 1, "Asleep": 1}
    assert set(Organization.objects.values_list("join_policy", flat=True)) == {"open"}
