"""accounts 0006 and orgs 0003 hand the table of the former `User.organizations` over to the
orgs app's Membership: every membership stored before them is one after them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from orgs.models import Membership

BEFORE = [("accounts", "0005_emails_in_normal_form"), ("orgs", "0002_organization_name_key")]
UNIQUE_PAIR = "orgs_membership_user_organization_unique"


def migrate(targets=None):
    """Migrate the test database to `targets`, the latest migrations if None."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)  # one that knows what is now applied


@pytest.fixture
def before():
    """The historical models of the state before the hand-over, the database migrated to it;
    fully migrated again afterwards, whatever happened, for the tests that follow."""
    try:
        yield migrate(BEFORE).loader.project_state(BEFORE).apps
    finally:
        migrate()


@pytest.mark.django_db(transaction=True)
def test_every_membership_stored_before_the_hand_over_is_a_membership_after_it(before):
    OldUser = before.get_model("accounts", "User")
    OldOrganization = before.get_model("orgs", "Organization")
    OldMembership = OldUser._meta.get_field("organizations").remote_field.through
    assert OldMembership._meta.db_table == "accounts_user_organizations"
    ann, bob, chloe = (
        OldUser.objects.create(email=f"{name}@example.com", password="")
        for name in ("ann", "bob", "chloe")
    )
    acme, globex = (
        OldOrganization.objects.create(name=name, name_key=name.lower())
        for name in ("Acme", "Globex")
    )
    stored = set()
    for user, organization in [(ann, acme), (ann, globex), (bob, acme)]:
        row = OldMembership.objects.create(user=user, organization=organization)
        stored.add((row.pk, user.pk, organization.pk))

    migrate()

    assert set(Membership.objects.values_list("id", "user_id", "organization_id")) == stored
    assert all(Membership.objects.values_list("joined_at", flat=True))
    assert set(User.objects.get(pk=ann.pk).organizations.values_list("pk", flat=True)) == {
        acme.pk,
        globex.pk,
    }
    tables = connection.introspection.table_names()
    assert "orgs_membership" in tables
    assert "accounts_user_organizations" not in tables
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "orgs_membership")
    assert constraints[UNIQUE_PAIR]["unique"]
    assert constraints[UNIQUE_PAIR]["columns"] == ["user_id", "organization_id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user_id=bob.pk, organization_id=acme.pk)
    added = Membership.objects.create(user_id=chloe.pk, organization_id=globex.pk)
    assert added.pk not in {pk for pk, _, _ in stored}
    assert added.joined_at is not None
