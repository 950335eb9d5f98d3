"""The stored users_count follows every change of an organization's active members."""

import pytest
from django.db.models import Count, Q

from orgs import services
from orgs.models import Membership, Organization, users_count_refresh
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def stored(organization):
    return Organization.objects.values_list("users_count", flat=True).get(pk=organization.pk)


def counted(organization):
    return organization.memberships.filter(user__is_active=True).count()


def test_joining_and_leaving_change_the_count():
    organization, user = OrganizationFactory(), UserFactory()

    services.membership_add(organization=organization, user=user, by=user)
    joined = stored(organization)
    services.membership_remove(organization=organization, user=user, by=user)

    assert (joined, stored(organization)) == (1, 0)


def test_setting_a_users_organizations_counts_both_sides():
    old, new = OrganizationFactory(), OrganizationFactory()
    user = UserFactory(organizations=[old])

    user.organizations.set([new])

    assert (stored(old), stored(new)) == (0, 1)


def test_clearing_an_organizations_members_counts_zero():
    organization = OrganizationFactory()
    organization.users.set(UserFactory.create_batch(3))

    organization.users.clear()

    assert stored(organization) == 0


def test_a_deactivated_member_is_not_counted_and_counts_again_when_reactivated():
    organization = OrganizationFactory()
    user = UserFactory(organizations=[organization])

    user.is_active = False
    user.save(update_fields=["is_active"])
    deactivated = stored(organization)
    user.is_active = True
    user.save()

    assert (deactivated, stored(organization)) == (0, 1)


def test_a_deleted_member_is_not_counted():
    organization = OrganizationFactory()
    user, _other = (
        UserFactory(organizations=[organization]),
        UserFactory(organizations=[organization]),
    )

    user.delete()

    assert stored(organization) == 1


def test_a_save_that_leaves_is_active_alone_does_not_recount(django_assert_num_queries):
    user = UserFactory(organizations=[OrganizationFactory()])

    with django_assert_num_queries(1):  # the UPDATE of the user
        user.save(update_fields=["first_name"])


def test_deleting_an_organization_with_members_leaves_the_others_counted():
    gone, kept = OrganizationFactory(), OrganizationFactory()
    user = UserFactory(organizations=[gone, kept])

    gone.delete()

    assert not Membership.objects.filter(user=user, organization_id=gone.pk).exists()
    assert stored(kept) == 1


def test_a_refresh_counts_what_bulk_writes_left_behind():
    organizations = OrganizationFactory.create_batch(2)
    users = UserFactory.create_batch(3)
    Membership.objects.bulk_create(
        Membership(user=user, organization=organization)
        for user in users
        for organization in organizations
    )

    users_count_refresh([organization.pk for organization in organizations])

    expected = Organization.objects.annotate(
        n=Count("memberships", filter=Q(memberships__user__is_active=True))
    )
    assert (
        {o.pk: o.users_count for o in expected}
        == {o.pk: o.n for o in expected}
        == {
            organizations[0].pk: 3,
            organizations[1].pk: 3,
        }
    )
    assert all(stored(o) == counted(o) for o in organizations)
