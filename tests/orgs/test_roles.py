"""Roles: the creator owns, owners and admins manage, an organization always keeps an owner."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from orgs import services
from orgs.models import Membership, Organization, Role
from tests.clients import client_for
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_url(org, user):
    return reverse("organization-users-detail", args=[org.pk, user.pk])


def detail(org):
    return reverse("organization-detail", args=[org.pk])


def role_of(org, user):
    return (
        Membership.objects.filter(organization=org, user=user)
        .values_list("role", flat=True)
        .first()
    )


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def org(owner):
    return OrganizationFactory(name="Acme", created_by=owner, owner=owner)


def with_role(org, role):
    user = UserFactory()
    Membership.objects.create(organization=org, user=user, role=role)
    return user


def test_creating_an_organization_makes_the_creator_its_owner(api_client, user):
    response = api_client.post(reverse("organization-list"), {"name": "Initech"})

    assert response.status_code == 201
    assert response.json()["users_count"] == 1
    assert response.json()["join_policy"] == "open"
    org = Organization.objects.get()
    assert role_of(org, user) == "owner"
    members = api_client.get(reverse("organization-users-list", args=[org.pk])).json()
    assert [(m["id"], m["role"]) for m in members["results"]] == [(user.pk, "owner")]
    assert members["results"][0]["joined_at"].endswith("Z")


def test_members_are_listed_with_their_role_and_joined_at(org, owner):
    admin = with_role(org, Role.ADMIN)
    member = with_role(org, Role.MEMBER)

    results = client_for(member).get(reverse("organization-users-list", args=[org.pk])).json()

    rows = {row["id"]: row for row in results["results"]}
    assert {pk: row["role"] for pk, row in rows.items()} == {
        owner.pk: "owner",
        admin.pk: "admin",
        member.pk: "member",
    }
    assert all(row["joined_at"] for row in rows.values())
    one = client_for(member).get(member_url(org, admin)).json()
    assert one == rows[admin.pk]


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("admin", 200), ("member", 403)])
def test_owners_and_admins_edit_the_organization_members_do_not(org, role, status):
    actor = with_role(org, role) if role != "owner" else org.memberships.get().user

    response = client_for(actor).patch(
        detail(org), {"description": "New", "join_policy": "approval"}
    )

    assert response.status_code == status
    org.refresh_from_db()
    assert (org.description, org.join_policy) == (
        ("New", "approval") if status == 200 else ("", "open")
    )
    if status == 200:
        assert response.json()["join_policy"] == "approval"


@pytest.mark.parametrize(("role", "status"), [("owner", 204), ("admin", 403), ("member", 403)])
def test_only_owners_delete_the_organization(org, owner, role, status):
    actor = owner if role == "owner" else with_role(org, role)

    assert client_for(actor).delete(detail(org)).status_code == status
    assert Organization.objects.filter(pk=org.pk).exists() is (status != 204)


def test_staff_edit_and_delete_any_organization(org):
    staff = UserFactory(is_staff=True)

    assert client_for(staff).patch(detail(org), {"name": "Staffed"}).status_code == 200
    assert client_for(staff).delete(detail(org)).status_code == 204


def test_an_unknown_join_policy_is_a_400(org, owner):
    response = client_for(owner).patch(detail(org), {"join_policy": "secret"})

    assert response.status_code == 400
    assert "join_policy" in response.json()


def test_an_owner_changes_a_role_and_the_member_is_mailed(
    org, owner, django_capture_on_commit_callbacks
):
    member = with_role(org, Role.MEMBER)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).patch(member_url(org, member), {"role": "admin"})

    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["id"] == member.pk
    assert role_of(org, member) == "admin"
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Acme" in mail.outbox[0].subject
    assert "admin" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["admin", "member"])
def test_admins_and_members_do_not_change_roles(org, role):
    actor = with_role(org, role)
    member = with_role(org, Role.MEMBER)

    response = client_for(actor).patch(member_url(org, member), {"role": "owner"})

    assert response.status_code == 403
    assert role_of(org, member) == "member"


def test_a_stranger_does_not_change_roles(org, api_client):
    member = with_role(org, Role.MEMBER)

    assert api_client.patch(member_url(org, member), {"role": "owner"}).status_code == 403
    assert role_of(org, member) == "member"


def test_staff_change_roles(org):
    member = with_role(org, Role.MEMBER)

    response = client_for(UserFactory(is_staff=True)).patch(
        member_url(org, member), {"role": "owner"}
    )

    assert response.status_code == 200
    assert role_of(org, member) == "owner"


@pytest.mark.parametrize("role", ["boss", "", None, 1, ["admin"], "OWNER"])
def test_an_unknown_role_is_a_400(org, owner, role):
    member = with_role(org, Role.MEMBER)

    response = client_for(owner).patch(member_url(org, member), {"role": role}, format="json")

    assert response.status_code == 400
    assert "role" in response.json()
    assert role_of(org, member) == "member"


def test_changing_the_role_of_a_non_member_is_a_404(org, owner):
    response = client_for(owner).patch(member_url(org, UserFactory()), {"role": "admin"})

    assert response.status_code == 404


def test_the_last_owner_cannot_be_demoted(org, owner):
    response = client_for(owner).patch(member_url(org, owner), {"role": "admin"})

    assert response.status_code == 400
    assert "at least one owner" in str(response.json())
    assert role_of(org, owner) == "owner"


def test_an_owner_steps_down_once_another_is_made_owner(org, owner):
    other = with_role(org, Role.ADMIN)
    client = client_for(owner)

    assert client.patch(member_url(org, other), {"role": "owner"}).status_code == 200
    assert client.patch(member_url(org, owner), {"role": "member"}).status_code == 200
    assert (role_of(org, owner), role_of(org, other)) == ("member", "owner")
    # Now only a member: no more role changes.
    assert client.patch(member_url(org, other), {"role": "member"}).status_code == 403


def test_the_last_owner_cannot_leave(org, owner):
    response = client_for(owner).delete(member_url(org, owner))

    assert response.status_code == 400
    assert "at least one owner" in str(response.json())
    assert role_of(org, owner) == "owner"


def test_an_owner_leaves_when_another_owner_stays(org, owner):
    with_role(org, Role.OWNER)

    assert client_for(owner).delete(member_url(org, owner)).status_code == 204
    assert role_of(org, owner) is None


def test_a_deactivated_owner_does_not_count_as_the_other_owner(org, owner):
    dormant = with_role(org, Role.OWNER)
    User.objects.filter(pk=dormant.pk).update(is_active=False)

    assert client_for(owner).delete(member_url(org, owner)).status_code == 400


def test_staff_cannot_remove_the_last_owner_either(org, owner):
    response = client_for(UserFactory(is_staff=True)).delete(member_url(org, owner))

    assert response.status_code == 400
    assert role_of(org, owner) == "owner"


@pytest.mark.parametrize(
    ("actor_role", "target_role", "status"),
    [
        ("owner", "admin", 204),
        ("owner", "member", 204),
        ("owner", "owner", 204),
        ("admin", "member", 204),
        ("admin", "admin", 403),
        ("admin", "owner", 403),
        ("member", "member", 403),
    ],
)
def test_who_removes_whom(org, owner, actor_role, target_role, status):
    actor = owner if actor_role == "owner" else with_role(org, actor_role)
    target = with_role(org, target_role)

    response = client_for(actor).delete(member_url(org, target))

    assert response.status_code == status
    assert (role_of(org, target) is None) is (status == 204)


@pytest.mark.parametrize("role", ["admin", "member"])
def test_anyone_leaves(org, role):
    user = with_role(org, role)

    assert client_for(user).delete(member_url(org, user)).status_code == 204
    assert role_of(org, user) is None


def test_the_profile_cannot_leave_an_organization_one_is_the_last_owner_of(org, owner):
    response = client_for(owner).patch(reverse("profile"), {"organizations": []}, format="json")

    assert response.status_code == 400
    assert "Acme" in str(response.json()["organizations"])
    assert role_of(org, owner) == "owner"


def test_deleting_the_account_of_a_last_owner_is_refused_naming_the_organizations(org, owner):
    other = OrganizationFactory(name="Globex", owner=owner)
    with_role(other, Role.MEMBER)
    shared = OrganizationFactory(name="Shared", owner=owner)
    with_role(shared, Role.OWNER)  # another owner: not named

    response = client_for(owner).delete(reverse("profile"), {"password": PASSWORD})

    assert response.status_code == 400
    message = str(response.json()["organizations"])
    assert "Acme" in message
    assert "Globex" in message
    assert "Shared" not in message
    assert User.objects.filter(pk=owner.pk).exists()
    assert role_of(org, owner) == "owner"


def test_an_owner_deletes_their_account_once_ownership_is_passed_on(org, owner):
    successor = with_role(org, Role.MEMBER)
    client_for(owner).patch(member_url(org, successor), {"role": "owner"})

    response = client_for(owner).delete(reverse("profile"), {"password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=owner.pk).exists()
    assert role_of(org, successor) == "owner"


def test_an_owner_deletes_their_account_once_the_organization_is_deleted(org, owner):
    client_for(owner).delete(detail(org))

    response = client_for(owner).delete(reverse("profile"), {"password": PASSWORD})

    assert response.status_code == 204


# The services, as every entry point calls them.


def test_membership_role_set_refuses_the_last_owner(org, owner):
    with pytest.raises(ValidationError):
        services.membership_role_set(organization=org, user=owner, role=Role.MEMBER, by=owner)

    assert role_of(org, owner) == "owner"


def test_membership_role_set_by_an_admin_is_refused(org):
    admin = with_role(org, Role.ADMIN)
    member = with_role(org, Role.MEMBER)

    with pytest.raises(PermissionDenied):
        services.membership_role_set(organization=org, user=member, role=Role.ADMIN, by=admin)


def test_membership_role_set_of_a_non_member_raises(org, owner):
    with pytest.raises(Membership.DoesNotExist):
        services.membership_role_set(
            organization=org, user=UserFactory(), role=Role.ADMIN, by=owner
        )


def test_membership_remove_refuses_the_last_owner_even_for_staff(org, owner):
    with pytest.raises(ValidationError):
        services.membership_remove(organization=org, user=owner, by=UserFactory(is_staff=True))


def test_organization_delete_by_an_admin_is_refused(org):
    with pytest.raises(PermissionDenied):
        services.organization_delete(organization=org, by=with_role(org, Role.ADMIN))


def test_organization_update_by_an_admin_changes_the_join_policy(org):
    services.organization_update(
        organization=org, by=with_role(org, Role.ADMIN), join_policy="invitation"
    )

    assert Organization.objects.get(pk=org.pk).join_policy == "invitation"


def test_last_owner_check_names_the_organizations(org, owner):
    with pytest.raises(ValidationError) as raised:
        services.last_owner_check(user=owner)

    assert "Acme" in str(raised.value)


def test_deleting_a_user_directly_is_refused_while_they_are_the_last_owner(org, owner):
    with pytest.raises(ValidationError), transaction.atomic():
        owner.delete()

    assert User.objects.filter(pk=owner.pk).exists()
