"""Invitations: owners and admins invite an address, its account accepts with the mailed token."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from orgs import services
from orgs.models import Invitation, Membership, Organization, Role
from tests.api.test_query_counts import counting
from tests.clients import client_for, log_in, sign_up
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCEPT = "/api/invitations/accept/"
DECLINE = "/api/invitations/decline/"


def invitations_url(org):
    return reverse("organization-invitations-list", args=[org.pk])


def members_url(org):
    return reverse("organization-users-list", args=[org.pk])


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def org(owner):
    return OrganizationFactory(name="Acme", join_policy="invitation", owner=owner)


def member_with(org, role):
    user = UserFactory()
    Membership.objects.create(organization=org, user=user, role=role)
    return user


def mailed_token(message=None):
    message = message or mail.outbox[-1]
    return re.search(r"^(\d+\.[\w-]+)$", message.body, re.MULTILINE).group(1)


def invite(org, by, email="ann@example.com", role="member"):
    """Invite through the services; returns the token."""
    return services.invitation_create(organization=org, by=by, email=email, role=role)[1]


def role_of(org, user):
    membership = Membership.objects.filter(organization=org, user=user).first()
    return membership and membership.role


def test_an_owner_invites_an_address_which_is_mailed_a_token(
    org, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            invitations_url(org), {"email": "Ann@Example.com", "role": "admin"}
        )

    assert response.status_code == 201
    invitation = Invitation.objects.get()
    body = response.json()
    assert body == {
        "id": invitation.pk,
        "url": f"http://testserver/api/organizations/{org.pk}/invitations/{invitation.pk}/",
        "email": "Ann@Example.com",
        "role": "admin",
        "status": "pending",
        "expires_at": body["expires_at"],
        "created_at": body["created_at"],
    }
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    [message] = mail.outbox
    assert message.to == ["Ann@Example.com"]
    assert "Acme" in message.subject
    assert "http://testserver/api/invitations/accept/" in message.body
    token = mailed_token(message)
    # Only a hash of the secret is stored; the token appears nowhere in the database.
    assert invitation.token_hash == hashlib.sha256(token.partition(".")[2].encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())


def test_the_role_defaults_to_member(org, owner):
    response = client_for(owner).post(invitations_url(org), {"email": "ann@example.com"})

    assert response.status_code == 201
    assert response.json()["role"] == "member"


def test_an_admin_invites_members_but_not_admins(org):
    admin = member_with(org, Role.ADMIN)
    client = client_for(admin)

    refused = client.post(invitations_url(org), {"email": "a@example.com", "role": "admin"})
    accepted = client.post(invitations_url(org), {"email": "b@example.com", "role": "member"})

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert list(Invitation.objects.values_list("email", flat=True)) == ["b@example.com"]


def test_members_and_strangers_may_not_invite_or_list(org, api_client):
    member = member_with(org, Role.MEMBER)

    for client in (client_for(member), api_client):
        assert client.post(invitations_url(org), {"email": "a@example.com"}).status_code == 403
        assert client.get(invitations_url(org)).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["owner", "boss", ""])
def test_an_invitation_gives_the_role_member_or_admin_only(org, owner, role):
    response = client_for(owner).post(
        invitations_url(org), {"email": "a@example.com", "role": role}
    )

    assert response.status_code == 400
    assert "role" in response.json()


def test_inviting_a_member_is_a_400(org, owner):
    member = member_with(org, Role.MEMBER)

    response = client_for(owner).post(invitations_url(org), {"email": member.email.upper()})

    assert response.status_code == 400
    assert response.json() == {"email": ["This address already belongs to a member."]}


def test_inviting_an_address_already_invited_is_a_400_in_any_letter_case(org, owner):
    client = client_for(owner)
    client.post(invitations_url(org), {"email": "ann@example.com"})

    response = client.post(invitations_url(org), {"email": "ANN@example.com"})

    assert response.status_code == 400
    assert "pending invitation" in str(response.json()["email"])
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_makes_room_for_a_new_one(org, owner):
    invite(org, owner)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client_for(owner).post(invitations_url(org), {"email": "ann@example.com"})

    assert response.status_code == 201
    assert sorted(Invitation.objects.values_list("status", flat=True)) == ["expired", "pending"]


def test_owners_and_admins_list_invitations_newest_first_with_their_status(org, owner):
    invite(org, owner, "a@example.com")
    invite(org, owner, "b@example.com")
    revoked = Invitation.objects.get(email="b@example.com")
    services.invitation_revoke(invitation=revoked, by=owner)
    invite(org, owner, "c@example.com")
    Invitation.objects.filter(email="c@example.com").update(expires_at=timezone.now())

    for manager in (owner, member_with(org, Role.ADMIN)):
        body = client_for(manager).get(invitations_url(org)).json()
        assert [(i["email"], i["status"]) for i in body["results"]] == [
            ("c@example.com", "expired"),
            ("b@example.com", "revoked"),
            ("a@example.com", "pending"),
        ]


def test_invitations_list_query_count_does_not_grow(org, owner, django_assert_num_queries):
    for n in range(12):
        invite(org, owner, f"guest{n}@example.com")
    client = client_for(owner)

    for page_size in (1, 10):
        with django_assert_num_queries(3 + counting()):  # organization, role, page
            response = client.get(invitations_url(org), {"page_size": page_size})
        assert len(response.json()["results"]) == page_size


def test_revoking_makes_the_token_useless(org, owner):
    token = invite(org, owner)
    invitation = Invitation.objects.get()
    ann = UserFactory(email="ann@example.com")

    url = reverse("organization-invitations-detail", args=[org.pk, invitation.pk])
    assert client_for(owner).delete(url).status_code == 204
    assert client_for(owner).delete(url).status_code == 400  # no longer pending

    response = client_for(ann).post(ACCEPT, {"token": token})
    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation has already been revoked."]}
    assert role_of(org, ann) is None


def test_a_member_may_not_revoke(org, owner):
    invite(org, owner)
    url = reverse("organization-invitations-detail", args=[org.pk, Invitation.objects.get().pk])

    assert client_for(member_with(org, Role.MEMBER)).delete(url).status_code == 403
    assert Invitation.objects.get().status == "pending"


def test_the_invited_account_accepts_in_any_letter_case_and_joins_with_the_role(org, owner):
    token = invite(org, owner, "Ann@Example.COM", role="admin")
    ann = UserFactory(email="ann@example.com")

    response = client_for(ann).post(ACCEPT, {"token": token})

    assert response.status_code == 201
    assert response.json()["id"] == org.pk
    assert response.json()["users_count"] == 2
    assert role_of(org, ann) == "admin"
    assert Invitation.objects.get().status == "accepted"


def test_an_accepted_token_cannot_be_used_again(org, owner):
    token = invite(org, owner)
    ann = UserFactory(email="ann@example.com")
    client_for(ann).post(ACCEPT, {"token": token})

    response = client_for(ann).post(ACCEPT, {"token": token})

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation has already been accepted."]}
    assert Membership.objects.filter(organization=org, user=ann).count() == 1


def test_another_account_may_not_accept(org, owner):
    token = invite(org, owner)
    UserFactory(email="ann@example.com")
    bob = UserFactory(email="bob@example.com")

    response = client_for(bob).post(ACCEPT, {"token": token})

    assert response.status_code == 403
    assert role_of(org, bob) is None
    assert Invitation.objects.get().status == "pending"


def test_an_expired_token_is_a_400(org, owner, settings):
    token = invite(org, owner)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    ann = UserFactory(email="ann@example.com")

    response = client_for(ann).post(ACCEPT, {"token": token})

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation has expired."]}
    assert role_of(org, ann) is None


def test_invitation_days_sets_the_expiry(org, owner, settings):
    settings.INVITATION_DAYS = 2
    invite(org, owner)

    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "1.",
        ".secret",
        "999999.secret",
        "-1.x",
        "1e3.x",
        "\u0661.x",
        "1.wrong-secret",
    ],
)
def test_an_unknown_or_malformed_token_is_a_400(org, owner, token):
    invite(org, owner)
    ann = UserFactory(email="ann@example.com")

    response = client_for(ann).post(ACCEPT, {"token": token})

    assert response.status_code == 400
    assert "token" in response.json()
    assert role_of(org, ann) is None


def test_a_token_with_another_invitations_id_is_refused(org, owner):
    first = invite(org, owner, "ann@example.com")
    second = invite(org, owner, "bob@example.com")
    forged = f"{second.partition('.')[0]}.{first.partition('.')[2]}"

    response = client_for(UserFactory(email="bob@example.com")).post(ACCEPT, {"token": forged})

    assert response.status_code == 400


def test_declining_keeps_one_out_and_spends_the_token(org, owner):
    token = invite(org, owner)
    ann = UserFactory(email="ann@example.com")
    client = client_for(ann)

    response = client.post(DECLINE, {"token": token})

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["organization"]["id"] == org.pk
    assert role_of(org, ann) is None
    assert client.post(ACCEPT, {"token": token}).status_code == 400


def test_another_account_may_not_decline(org, owner):
    token = invite(org, owner)

    assert client_for(UserFactory()).post(DECLINE, {"token": token}).status_code == 403
    assert Invitation.objects.get().status == "pending"


def test_accepting_needs_authentication(org, owner, anon_client):
    token = invite(org, owner)

    assert anon_client.post(ACCEPT, {"token": token}).status_code == 401
    assert Invitation.objects.get().status == "pending"


def test_someone_without_an_account_signs_up_with_the_address_then_accepts(
    org, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(invitations_url(org), {"email": "newcomer@example.com"})
    token = mailed_token()

    assert sign_up("newcomer@example.com").status_code == 201
    access = log_in("newcomer@example.com").json()["access"]
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = client.post(ACCEPT, {"token": token})

    assert response.status_code == 201
    assert org.users.filter(email="newcomer@example.com").exists()


def test_ones_pending_invitations_are_listed_in_the_profile_and_joining_accepts(org, owner):
    ann = UserFactory(email="ann@example.com")
    invite(org, owner, "ANN@example.com", role="admin")
    other = OrganizationFactory(name="Other", owner=owner)
    invite(other, owner, "ann@example.com")
    Invitation.objects.filter(organization=other).update(expires_at=timezone.now())  # expired
    invite(OrganizationFactory(owner=owner), owner, "bob@example.com")  # someone else's
    client = client_for(ann)

    body = client.get(reverse("profile-invitations")).json()

    assert body["count"] == 1
    [row] = body["results"]
    assert row["organization"] == {
        "id": org.pk,
        "url": f"http://testserver/api/organizations/{org.pk}/",
        "name": "Acme",
    }
    assert (row["role"], row["status"]) == ("admin", "pending")
    assert row["accept_url"] == f"http://testserver/api/organizations/{org.pk}/users/"

    response = client.post(row["accept_url"])  # joining accepts the invitation

    assert response.status_code == 201
    assert response.json()["role"] == "admin"
    assert Invitation.objects.get(organization=org).status == "accepted"
    assert client.get(reverse("profile-invitations")).json()["count"] == 0


def test_a_pending_invitation_lets_one_join_an_approval_organization_at_once(owner):
    gated = OrganizationFactory(join_policy="approval", owner=owner)
    invite(gated, owner)
    ann = UserFactory(email="ann@example.com")

    response = client_for(ann).post(members_url(gated))

    assert response.status_code == 201
    assert role_of(gated, ann) == "member"


def test_profile_invitations_query_count_does_not_grow(owner, django_assert_num_queries):
    ann = UserFactory(email="ann@example.com")
    for org in OrganizationFactory.create_batch(12, owner=owner):
        invite(org, owner)
    client = client_for(ann)

    for page_size in (1, 10):
        with django_assert_num_queries(1 + counting()):  # the page, with organizations
            response = client.get(reverse("profile-invitations"), {"page_size": page_size})
        assert len(response.json()["results"]) == page_size


def test_deleting_an_organization_deletes_its_invitations(org, owner):
    token = invite(org, owner)
    client_for(owner).delete(reverse("organization-detail", args=[org.pk]))

    assert not Invitation.objects.exists()
    response = client_for(UserFactory(email="ann@example.com")).post(ACCEPT, {"token": token})
    assert response.status_code == 400


# The services.


def test_invitation_create_by_a_member_is_refused(org):
    with pytest.raises(PermissionDenied):
        invite(org, member_with(org, Role.MEMBER))


def test_invitation_create_of_an_owner_is_refused(org, owner):
    with pytest.raises(ValidationError):
        invite(org, owner, role="owner")


def test_invitation_accept_by_another_account_is_refused(org, owner):
    token = invite(org, owner)

    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, user=UserFactory())


def test_invitation_accept_returns_member_when_already_one(org, owner):
    token = invite(org, owner)
    ann = UserFactory(email="ann@example.com")
    Membership.objects.create(organization=org, user=ann, role=Role.MEMBER)

    outcome, membership = services.invitation_accept(token=token, user=ann)

    assert (outcome, membership.role) == ("member", "member")
    assert Organization.objects.get(pk=org.pk).users_count == 2


def mailed_link(message=None):
    message = message or mail.outbox[-1]
    return re.search(r"^(https?://\S+)$", message.body, re.MULTILINE).group(1)


def test_the_mail_links_to_a_page_that_says_how_to_answer_and_accepts(
    org, owner, anon_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(invitations_url(org), {"email": "ann@example.com"})
    token = mailed_token()
    link = mailed_link()

    assert link == f"http://testserver/api/invitations/{token}/"
    page = anon_client.get(link)  # opened in a mail program: nobody signed in yet
    assert page.status_code == 200
    assert page.json() == {
        "detail": page.json()["detail"],
        "url": f"http://testserver{ACCEPT}",
        "decline_url": f"http://testserver{DECLINE}",
        "token": token,
    }
    assert anon_client.post(link, {"token": token}).status_code == 401
    ann = UserFactory(email="ann@example.com")
    assert client_for(ann).post(link, {"token": token}).status_code == 201
    assert role_of(org, ann) == "member"


def test_the_link_page_form_comes_filled_in(org, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(invitations_url(org), {"email": "ann@example.com"})
    token = mailed_token()
    ann = UserFactory(email="ann@example.com")

    page = client_for(ann).get(mailed_link(), HTTP_ACCEPT="text/html")

    assert page.status_code == 200
    assert f'value="{token}"' in page.content.decode()
    assert Invitation.objects.get().status == "pending"  # reading the page accepts nothing


def test_invitation_url_makes_the_link_a_front_ends_page(
    org, owner, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_URL = "https://app.example.com/invitations?token={token}"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(invitations_url(org), {"email": "ann@example.com"})

    assert mailed_link() == f"https://app.example.com/invitations?token={mailed_token()}"
