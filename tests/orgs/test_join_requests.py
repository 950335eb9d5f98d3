"""Join policies: open organizations are joined at once, `approval` ones by a request that an
owner or admin answers, `invitation` ones only by invitation."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from orgs import services
from orgs.models import JoinRequest, Membership, Organization, Role
from tests.api.test_query_counts import counting
from tests.clients import client_for, sign_up
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(org):
    return reverse("organization-users-list", args=[org.pk])


def requests_url(org):
    return reverse("organization-requests-list", args=[org.pk])


def request_url(join_request, suffix=""):
    args = [join_request.organization_id, join_request.pk]
    return f"{reverse('organization-requests-detail', args=args)}{suffix}"


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def gated(owner):
    return OrganizationFactory(name="Gated", join_policy="approval", owner=owner)


@pytest.fixture
def closed(owner):
    return OrganizationFactory(name="Closed", join_policy="invitation", owner=owner)


def is_member(org, user):
    return Membership.objects.filter(organization=org, user=user).exists()


def pending(org, user):
    return JoinRequest.objects.get(organization=org, user=user, status="pending")


def admin_of(org):
    admin = UserFactory()
    Membership.objects.create(organization=org, user=admin, role=Role.ADMIN)
    return admin


def test_joining_an_approval_organization_makes_a_pending_request(api_client, user, gated):
    response = api_client.post(members_url(gated))

    assert response.status_code == 202
    join_request = pending(gated, user)
    body = response.json()
    assert body == {
        "id": join_request.pk,
        "url": f"http://testserver/api/organizations/{gated.pk}/requests/{join_request.pk}/",
        "organization": {
            "id": gated.pk,
            "url": f"http://testserver/api/organizations/{gated.pk}/",
            "name": "Gated",
        },
        "user": {
            "id": user.pk,
            "url": f"http://testserver/api/users/{user.pk}/",
            "email": user.email,
            "first_name": "",
            "last_name": "",
        },
        "status": "pending",
        "created_at": body["created_at"],
    }
    assert not is_member(gated, user)
    assert Organization.objects.get(pk=gated.pk).users_count == 1


def test_asking_again_answers_the_pending_request(api_client, user, gated):
    first = api_client.post(members_url(gated))
    second = api_client.post(members_url(gated))

    assert second.status_code == 200
    assert second.json() == first.json()
    assert JoinRequest.objects.count() == 1


def test_joining_an_invitation_only_organization_is_a_403(api_client, user, closed):
    response = api_client.post(members_url(closed))

    assert response.status_code == 403
    assert response.json()["detail"] == "This organization is joined by invitation only."
    assert not is_member(closed, user)
    assert not JoinRequest.objects.exists()


def test_a_member_joining_again_gets_200_whatever_the_policy(gated, owner):
    response = client_for(owner).post(members_url(gated))

    assert response.status_code == 200
    assert response.json()["role"] == "owner"
    assert not JoinRequest.objects.exists()


def test_staff_join_any_organization_at_once(closed):
    staff = UserFactory(is_staff=True)

    assert client_for(staff).post(members_url(closed)).status_code == 201
    assert is_member(closed, staff)


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_owners_and_admins_list_the_pending_requests(gated, owner, who):
    manager = owner if who == "owner" else admin_of(gated)
    ann, bob, cy = UserFactory.create_batch(3)
    for user in (ann, bob, cy):
        client_for(user).post(members_url(gated))
    services.join_request_decide(join_request=pending(gated, bob), by=owner, approve=False)

    response = client_for(manager).get(requests_url(gated))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["user"]["id"] for r in body["results"]] == [ann.pk, cy.pk]  # oldest first
    assert {r["status"] for r in body["results"]} == {"pending"}


def test_members_and_strangers_may_not_list_requests(api_client, gated):
    member = UserFactory()
    Membership.objects.create(organization=gated, user=member)

    assert client_for(member).get(requests_url(gated)).status_code == 403
    assert api_client.get(requests_url(gated)).status_code == 403


def test_the_requests_list_hides_an_email_the_requester_keeps_from_strangers(gated, owner):
    shy = UserFactory(contact_visibility="nobody")
    client_for(shy).post(members_url(gated))

    row = client_for(owner).get(requests_url(gated)).json()["results"][0]

    assert row["user"]["email"] is None


def test_requests_list_query_count_does_not_grow(gated, owner, django_assert_num_queries):
    for user in UserFactory.create_batch(15):
        client_for(user).post(members_url(gated))
    client = client_for(owner)

    # The organization, the role, the page (with organization and user), and its count.
    for page_size in (1, 10):
        with django_assert_num_queries(3 + counting()):
            response = client.get(requests_url(gated), {"page_size": page_size})
        assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_approving_makes_the_requester_a_member_and_mails_them(
    gated, owner, who, django_capture_on_commit_callbacks
):
    requester = UserFactory()
    client_for(requester).post(members_url(gated))
    manager = owner if who == "owner" else admin_of(gated)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(request_url(pending(gated, requester), "approve/"))

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Membership.objects.get(organization=gated, user=requester).role == "member"
    assert Organization.objects.get(pk=gated.pk).users_count == (3 if who == "admin" else 2)
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "approved" in mail.outbox[0].body


def test_declining_keeps_the_requester_out_and_mails_them(
    gated, owner, django_capture_on_commit_callbacks
):
    requester = UserFactory()
    client_for(requester).post(members_url(gated))
    join_request = pending(gated, requester)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(request_url(join_request, "decline/"))

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert not is_member(gated, requester)
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "declined" in mail.outbox[0].body


@pytest.mark.parametrize(("first", "second"), [("approve", "decline"), ("decline", "approve")])
def test_a_decided_request_cannot_be_decided_again(gated, owner, first, second):
    requester = UserFactory()
    client_for(requester).post(members_url(gated))
    join_request = pending(gated, requester)
    client = client_for(owner)
    client.post(request_url(join_request, f"{first}/"))

    response = client.post(request_url(join_request, f"{second}/"))

    assert response.status_code == 400
    assert "already been" in str(response.json())
    assert is_member(gated, requester) is (first == "approve")


def test_after_a_decline_one_may_ask_again(gated, owner):
    requester = UserFactory()
    client = client_for(requester)
    client.post(members_url(gated))
    client_for(owner).post(request_url(pending(gated, requester), "decline/"))

    assert client.post(members_url(gated)).status_code == 202
    assert JoinRequest.objects.filter(user=requester).count() == 2


def test_members_and_the_requester_may_not_decide(gated):
    requester = UserFactory()
    client_for(requester).post(members_url(gated))
    member = UserFactory()
    Membership.objects.create(organization=gated, user=member)
    join_request = pending(gated, requester)

    assert client_for(member).post(request_url(join_request, "approve/")).status_code == 403
    assert client_for(requester).post(request_url(join_request, "approve/")).status_code == 403
    assert not is_member(gated, requester)


def test_the_requester_reads_and_withdraws_their_request(gated):
    requester = UserFactory()
    client = client_for(requester)
    url = client.post(members_url(gated)).json()["url"]

    assert client.get(url).json()["status"] == "pending"
    assert client.delete(url).status_code == 204
    assert not JoinRequest.objects.exists()
    assert client.get(url).status_code == 404


def test_a_decided_request_cannot_be_withdrawn(gated, owner):
    requester = UserFactory()
    client = client_for(requester)
    url = client.post(members_url(gated)).json()["url"]
    client_for(owner).post(f"{url}decline/")

    response = client.delete(url)

    assert response.status_code == 400
    assert JoinRequest.objects.get().status == "declined"


def test_an_owner_may_not_withdraw_someone_elses_request(gated, owner):
    requester = UserFactory()
    url = client_for(requester).post(members_url(gated)).json()["url"]

    assert client_for(owner).delete(url).status_code == 403
    assert JoinRequest.objects.get().status == "pending"


def test_another_user_does_not_see_a_request(gated):
    url = client_for(UserFactory()).post(members_url(gated)).json()["url"]

    assert client_for(UserFactory()).get(url).status_code == 404


def test_a_request_of_another_organization_is_a_404(gated, owner):
    other = OrganizationFactory(join_policy="approval", owner=owner)
    requester = UserFactory()
    client_for(requester).post(members_url(other))
    join_request = pending(other, requester)

    response = client_for(owner).post(
        reverse("organization-requests-approve", args=[gated.pk, join_request.pk])
    )

    assert response.status_code == 404
    assert not is_member(other, requester)


# The profile's and sign-up's `organizations` join open organizations only.


def test_the_profile_adds_only_open_organizations_naming_the_others(
    api_client, user, gated, closed
):
    open_one = OrganizationFactory(name="Open")

    response = api_client.patch(
        reverse("profile"), {"organizations": [open_one.pk, gated.pk, closed.pk]}, format="json"
    )

    assert response.status_code == 400
    message = str(response.json()["organizations"])
    assert "Gated" in message
    assert "Closed" in message
    assert "Open" not in message
    assert not user.organizations.exists()


def test_the_profile_keeps_a_gated_organization_one_already_belongs_to(api_client, user, gated):
    Membership.objects.create(organization=gated, user=user)
    open_one = OrganizationFactory()

    response = api_client.patch(
        reverse("profile"), {"organizations": [gated.pk, open_one.pk]}, format="json"
    )

    assert response.status_code == 200
    assert set(user.organizations.values_list("pk", flat=True)) == {gated.pk, open_one.pk}


def test_sign_up_adds_only_open_organizations(gated):
    response = sign_up("new@example.com", organizations=[gated.pk])

    assert response.status_code == 400
    assert "Gated" in str(response.json()["organizations"])
    assert not JoinRequest.objects.exists()


def test_sign_up_joins_open_organizations():
    open_one = OrganizationFactory()

    response = sign_up("new@example.com", organizations=[open_one.pk])

    assert response.status_code == 201
    assert list(open_one.users.values_list("email", flat=True)) == ["new@example.com"]


# The services.


def test_membership_add_by_oneself_to_a_gated_organization_is_refused(gated):
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        services.membership_add(organization=gated, user=user, by=user)


def test_memberships_set_refuses_a_gated_organization(gated):
    user = UserFactory()

    with pytest.raises(ValidationError):
        services.memberships_set(user=user, organizations=[gated], by=user)


def test_join_request_decide_by_a_member_is_refused(gated):
    member = UserFactory()
    Membership.objects.create(organization=gated, user=member)
    _, join_request = services.join_request_create(organization=gated, user=UserFactory())

    with pytest.raises(PermissionDenied):
        services.join_request_decide(join_request=join_request, by=member, approve=True)

    assert JoinRequest.objects.get().status == "pending"


def test_join_request_withdraw_by_another_is_refused(gated, owner):
    _, join_request = services.join_request_create(organization=gated, user=UserFactory())

    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(join_request=join_request, by=owner)


def test_the_approval_shows_the_new_colleagues_email_and_a_decline_does_not(gated, owner):
    approved = UserFactory(contact_visibility="organizations")
    declined = UserFactory(contact_visibility="organizations")
    for requester in (approved, declined):
        client_for(requester).post(members_url(gated))
    manager = client_for(owner)

    yes = manager.post(request_url(pending(gated, approved), "approve/")).json()
    no = manager.post(request_url(pending(gated, declined), "decline/")).json()

    assert yes["user"]["email"] == approved.email  # they share the organization now
    assert no["user"]["email"] is None


def test_getting_in_by_an_invitation_ends_ones_pending_request(gated, owner):
    requester = UserFactory()
    client_for(requester).post(members_url(gated))
    join_request = pending(gated, requester)
    token = services.invitation_create(
        organization=gated, by=owner, email=requester.email, role="admin"
    )[1]

    accepted = client_for(requester).post("/api/invitations/accept/", {"token": token})

    assert accepted.status_code == 201
    assert not JoinRequest.objects.filter(pk=join_request.pk).exists()
    assert client_for(owner).get(requests_url(gated)).json()["count"] == 0
    # Nothing left to approve: the invitation's role stays.
    assert client_for(owner).post(request_url(join_request, "approve/")).status_code == 404
    assert Membership.objects.get(organization=gated, user=requester).role == "admin"
