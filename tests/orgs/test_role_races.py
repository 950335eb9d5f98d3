"""Simultaneous changes of roles, invitations and join requests, from real threads (on SQLite
and, with DATABASE_URL, on PostgreSQL): an organization never ends up without an owner, and each
invitation or request is decided once."""

import pytest
from django.urls import reverse

from accounts.models import User
from orgs import services
from orgs.models import Invitation, JoinRequest, Membership, Organization, Role
from tests.clients import client_for
from tests.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.threads import THREADS, simultaneously, statuses

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def owners(org):
    return Membership.objects.filter(organization=org, role=Role.OWNER).count()


def member_url(org, user):
    return reverse("organization-users-detail", args=[org.pk, user.pk])


def two_owners():
    ann, bob = UserFactory.create_batch(2)
    org = OrganizationFactory(owner=ann)
    Membership.objects.create(organization=org, user=bob, role=Role.OWNER)
    return org, ann, bob


@pytest.mark.parametrize("attempt", range(ROUNDS))  # a race may go either way
def test_two_owners_demoting_each_other_at_once_leave_one_owner(attempt):
    org, ann, bob = two_owners()
    pairs = [(ann, bob), (bob, ann)]

    responses = simultaneously(
        lambda i: client_for(pairs[i][0]).patch(member_url(org, pairs[i][1]), {"role": "member"}),
        count=2,
    )

    # The second finds its actor demoted (403), or the other as the last owner (400).
    assert statuses(responses)[0] == 200
    assert statuses(responses)[1] in {400, 403}
    assert owners(org) == 1


@pytest.mark.parametrize("attempt", range(ROUNDS))  # a race may go either way
def test_two_owners_demoting_themselves_at_once_leave_one_owner(attempt):
    org, ann, bob = two_owners()
    people = [ann, bob]

    responses = simultaneously(
        lambda i: client_for(people[i]).patch(member_url(org, people[i]), {"role": "admin"}),
        count=2,
    )

    assert statuses(responses) == [200, 400]
    assert owners(org) == 1


@pytest.mark.parametrize("attempt", range(ROUNDS))  # a race may go either way
def test_two_owners_removing_each_other_at_once_leave_one_owner(attempt):
    org, ann, bob = two_owners()
    pairs = [(ann, bob), (bob, ann)]

    responses = simultaneously(
        lambda i: client_for(pairs[i][0]).delete(member_url(org, pairs[i][1])), count=2
    )

    # The second finds its actor removed: no longer an owner (403), or the last one (400).
    assert sorted(r.status_code for r in responses)[0] == 204
    assert sorted(r.status_code for r in responses)[1] in {400, 403}
    assert owners(org) == 1


@pytest.mark.parametrize("attempt", range(ROUNDS))  # a race may go either way
def test_an_owner_leaving_while_the_other_deletes_their_account_leaves_one_owner(attempt):
    org, ann, bob = two_owners()

    def act(i):
        if i == 0:
            return client_for(ann).delete(member_url(org, ann))
        return client_for(bob).delete(reverse("profile"), {"password": PASSWORD})

    responses = simultaneously(act, count=2)

    assert sorted(r.status_code for r in responses) == [204, 400]
    assert owners(org) == 1
    assert Membership.objects.filter(organization=org).count() == 1


def test_simultaneous_accepts_of_one_invitation_add_one_membership():
    owner = UserFactory()
    org = OrganizationFactory(join_policy="invitation", owner=owner)
    ann = UserFactory(email="ann@example.com")
    _, token = services.invitation_create(organization=org, by=owner, email=ann.email, role="admin")

    responses = simultaneously(
        lambda i: client_for(ann).post(reverse("invitation-accept"), {"token": token})
    )

    assert statuses(responses) == [201] + [400] * (THREADS - 1)
    assert Membership.objects.filter(organization=org, user=ann).count() == 1
    assert Organization.objects.get(pk=org.pk).users_count == 2
    assert Invitation.objects.get().status == "accepted"


def test_accepting_by_token_and_by_joining_at_once_add_one_membership():
    owner = UserFactory()
    org = OrganizationFactory(join_policy="invitation", owner=owner)
    ann = UserFactory(email="ann@example.com")
    _, token = services.invitation_create(
        organization=org, by=owner, email=ann.email, role="member"
    )

    def accept(i):
        client = client_for(ann)
        if i % 2:
            return client.post(reverse("invitation-accept"), {"token": token})
        return client.post(reverse("organization-users-list", args=[org.pk]))

    responses = simultaneously(accept)

    assert sum(r.status_code == 201 for r in responses) == 1
    assert all(r.status_code in {200, 201, 400, 403} for r in responses)
    assert Membership.objects.filter(organization=org, user=ann).count() == 1


def test_simultaneous_approvals_and_declines_of_one_request_decide_it_once():
    owner = UserFactory()
    admin = UserFactory()
    org = OrganizationFactory(join_policy="approval", owner=owner)
    Membership.objects.create(organization=org, user=admin, role=Role.ADMIN)
    requester = UserFactory()
    _, join_request = services.join_request_create(organization=org, user=requester)
    deciders = [owner, admin]

    def decide(i):
        action = "approve" if i % 2 else "decline"
        url = reverse(f"organization-requests-{action}", args=[org.pk, join_request.pk])
        return client_for(deciders[i % 2]).post(url)

    responses = simultaneously(decide)

    assert statuses(responses) == [200] + [400] * (THREADS - 1)
    [winner] = [r for r in responses if r.status_code == 200]
    decided = JoinRequest.objects.get()
    assert decided.status == winner.json()["status"]
    joined = Membership.objects.filter(organization=org, user=requester).exists()
    assert joined is (decided.status == "approved")


def test_simultaneous_join_requests_make_one():
    org = OrganizationFactory(join_policy="approval", owner=UserFactory())
    ann = UserFactory()

    responses = simultaneously(
        lambda i: client_for(ann).post(reverse("organization-users-list", args=[org.pk]))
    )

    assert statuses(responses) == [200] * (THREADS - 1) + [202]
    assert JoinRequest.objects.count() == 1
    assert len({r.json()["id"] for r in responses}) == 1


def test_simultaneous_invitations_of_one_address_make_one():
    owner = UserFactory()
    org = OrganizationFactory(owner=owner)
    spellings = ["ann@example.com", "ANN@example.com", "Ann@Example.com", "ann@EXAMPLE.com"]

    responses = simultaneously(
        lambda i: client_for(owner).post(
            reverse("organization-invitations-list", args=[org.pk]),
            {"email": spellings[i % len(spellings)]},
        )
    )

    assert statuses(responses) == [201] + [400] * (THREADS - 1)
    assert Invitation.objects.count() == 1
    assert User.objects.count() == 1
