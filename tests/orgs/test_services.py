"""The orgs' services called directly: who may create, change, delete, join and leave."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from orgs import services
from orgs.models import Membership, Organization, Role
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    return UserFactory()


@pytest.fixture
def organization(creator):
    return OrganizationFactory(
        name="Acme", description="Rockets.", created_by=creator, owner=creator
    )


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def stranger():
    return UserFactory()


def member_ids(organization):
    """The members but its owners (the `organization` fixture's creator is its owner)."""
    return set(
        Membership.objects.filter(organization=organization)
        .exclude(role=Role.OWNER)
        .values_list("user_id", flat=True)
    )


def organization_ids(user):
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def stored(organization):
    return Organization.objects.filter(pk=organization.pk).values("name", "description").first()


def test_organization_create_makes_the_user_its_creator_and_owner(creator):
    organization = services.organization_create(by=creator, name="Acme", description="Rockets.")

    stored = Organization.objects.get(pk=organization.pk)
    assert (stored.name, stored.description, stored.created_by) == ("Acme", "Rockets.", creator)
    assert list(stored.memberships.values_list("user_id", "role")) == [(creator.pk, "owner")]
    assert (stored.users_count, stored.join_policy) == (1, "open")


def test_organization_create_refuses_a_name_taken_in_another_letter_case(organization, stranger):
    with pytest.raises(ValidationError) as raised:
        services.organization_create(by=stranger, name="ACME")

    assert set(raised.value.message_dict) == {"name"}
    assert list(Organization.objects.values_list("name", flat=True)) == ["Acme"]


def test_a_stranger_cannot_update_an_organization(organization, stranger):
    with pytest.raises(PermissionDenied):
        services.organization_update(organization=organization, by=stranger, name="Stolen")

    assert stored(organization) == {"name": "Acme", "description": "Rockets."}


@pytest.mark.parametrize("who", ["creator", "staff"])
def test_the_creator_or_staff_updates_an_organization(request, organization, who):
    by = request.getfixturevalue(who)

    returned = services.organization_update(organization=organization, by=by, name="Acme Rockets")

    assert returned == organization
    assert stored(organization) == {"name": "Acme Rockets", "description": "Rockets."}


def test_organization_update_writes_only_the_fields_it_is_given(organization, creator):
    stale = Organization.objects.get(pk=organization.pk)
    services.organization_update(organization=organization, by=creator, name="Acme Rockets")

    services.organization_update(organization=stale, by=creator, description="Anvils.")

    assert stored(organization) == {"name": "Acme Rockets", "description": "Anvils."}


def test_organization_update_refuses_a_name_taken_in_another_letter_case(organization, creator):
    other = OrganizationFactory(name="Globex", created_by=creator, owner=creator)

    with pytest.raises(ValidationError) as raised:
        services.organization_update(organization=other, by=creator, name="acme")

    assert set(raised.value.message_dict) == {"name"}
    assert stored(other)["name"] == "Globex"


def test_a_stranger_cannot_delete_an_organization(organization, stranger):
    with pytest.raises(PermissionDenied):
        services.organization_delete(organization=organization, by=stranger)

    assert Organization.objects.filter(pk=organization.pk).exists()


@pytest.mark.parametrize("who", ["creator", "staff"])
def test_the_creator_or_staff_deletes_an_organization_and_its_members_stay(
    request, organization, who
):
    member = UserFactory(organizations=[organization])

    services.organization_delete(organization=organization, by=request.getfixturevalue(who))

    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not Membership.objects.exists()
    assert User.objects.filter(pk=member.pk).exists()


def test_membership_add_joins_once_and_then_answers_already_a_member(organization):
    user = UserFactory()

    assert services.membership_add(organization=organization, user=user, by=user) is True
    assert services.membership_add(organization=organization, user=user, by=user) is False
    assert Membership.objects.filter(organization=organization, user=user).count() == 1


@pytest.mark.parametrize("who", ["stranger", "creator"])
def test_only_staff_adds_someone_else(request, organization, who):
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        services.membership_add(
            organization=organization, user=user, by=request.getfixturevalue(who)
        )

    assert member_ids(organization) == set()


def test_staff_adds_someone_else(organization, staff):
    user = UserFactory()

    assert services.membership_add(organization=organization, user=user, by=staff) is True
    assert member_ids(organization) == {user.pk}


@pytest.mark.parametrize("who", ["member", "creator", "staff"])
def test_the_member_the_creator_or_staff_removes_a_membership(request, organization, who):
    member = UserFactory(organizations=[organization])
    stays = UserFactory(organizations=[organization])
    by = member if who == "member" else request.getfixturevalue(who)

    services.membership_remove(organization=organization, user=member, by=by)

    assert member_ids(organization) == {stays.pk}


def test_a_stranger_cannot_remove_a_membership(organization, stranger):
    member = UserFactory(organizations=[organization])

    with pytest.raises(PermissionDenied):
        services.membership_remove(organization=organization, user=member, by=stranger)

    assert member_ids(organization) == {member.pk}


def test_memberships_set_makes_the_memberships_exactly_the_ones_given(staff):
    """Memberships that stay keep their date of joining; the others are added or removed."""
    leaves, stays, joins = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    user = UserFactory(organizations=[leaves, stays])
    joined_long_ago = timezone.now() - timedelta(days=400)
    Membership.objects.filter(user=user).update(joined_at=joined_long_ago)

    services.memberships_set(user=user, organizations=[stays, joins], by=staff)

    assert organization_ids(user) == {stays.pk, joins.pk}
    assert Membership.objects.get(user=user, organization=stays).joined_at == joined_long_ago
    assert Membership.objects.get(user=user, organization=joins).joined_at > joined_long_ago


def test_a_user_sets_their_own_memberships():
    first, second = OrganizationFactory(), OrganizationFactory()
    user = UserFactory(organizations=[first])

    services.memberships_set(user=user, organizations=[second], by=user)

    assert organization_ids(user) == {second.pk}


def test_memberships_set_to_nothing_removes_every_membership(staff):
    user = UserFactory(organizations=[OrganizationFactory(), OrganizationFactory()])

    services.memberships_set(user=user, organizations=[], by=staff)

    assert organization_ids(user) == set()


def test_memberships_set_by_a_stranger_changes_nothing(stranger):
    kept = OrganizationFactory(created_by=UserFactory())
    user = UserFactory(organizations=[kept])

    with pytest.raises(PermissionDenied):
        services.memberships_set(user=user, organizations=[OrganizationFactory()], by=stranger)

    assert organization_ids(user) == {kept.pk}


def test_memberships_set_failing_midway_undoes_what_it_had_done(organization, creator):
    """The creator may remove a member from their organization but not add them to another: the
    removal, done first, is undone when the addition is refused."""
    user = UserFactory(organizations=[organization])
    other = OrganizationFactory()

    with pytest.raises(PermissionDenied):
        services.memberships_set(user=user, organizations=[other], by=creator)

    assert organization_ids(user) == {organization.pk}
