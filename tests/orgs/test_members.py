import pytest
from django.urls import reverse

from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(org):
    return reverse("organization-users-list", args=[org.pk])


def member_url(org, user):
    return reverse("organization-users-detail", args=[org.pk, user.pk])


def test_members_are_listed_as_full_user_objects(api_client):
    org = OrganizationFactory()
    other_org = OrganizationFactory()
    ann = UserFactory(organizations=[org, other_org])
    UserFactory()  # not a member

    response = api_client.get(members_url(org))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == ann.pk
    assert {o["id"] for o in body["results"][0]["organizations"]} == {org.pk, other_org.pk}
    assert set(body["results"][0]) == {
        "id",
        "url",
        "email",
        "first_name",
        "last_name",
        "phone",
        "avatar",
        "organizations",
        "membership_url",
        "role",
        "joined_at",
    }
    assert body["results"][0]["role"] == "member"
    assert body["results"][0]["membership_url"] == (
        f"http://testserver/api/organizations/{org.pk}/users/{ann.pk}/"
    )


def test_a_member_is_read_at_their_membership_url(api_client):
    org = OrganizationFactory()
    UserFactory(organizations=[org], first_name="Ann")
    row = api_client.get(members_url(org)).json()["results"][0]

    response = api_client.get(row["membership_url"])

    assert response.status_code == 200
    assert response.json() == row  # the same representation as the list's row


@pytest.mark.parametrize("who", ["non-member", "unknown", "not-an-id"])
def test_reading_someone_who_is_not_a_member_is_a_404(api_client, who):
    org = OrganizationFactory()
    stranger = UserFactory(organizations=[OrganizationFactory()])
    pk = {"non-member": stranger.pk, "unknown": 999999, "not-an-id": "abc"}[who]

    response = api_client.get(f"{members_url(org)}{pk}/")

    assert response.status_code == 404


def test_reading_a_member_of_an_unknown_organization_is_a_404(api_client, user):
    response = api_client.get(f"/api/organizations/999999/users/{user.pk}/")

    assert response.status_code == 404


def test_joining_answers_with_the_membership_url(api_client, user):
    org = OrganizationFactory()

    response = api_client.post(members_url(org))

    assert response.json()["membership_url"] == (
        f"http://testserver/api/organizations/{org.pk}/users/{user.pk}/"
    )


def test_leaving_at_the_membership_url_ends_the_membership(api_client, user):
    org = OrganizationFactory()
    url = api_client.post(members_url(org)).json()["membership_url"]

    assert api_client.delete(url).status_code == 204
    assert not user.organizations.exists()
    assert api_client.get(url).status_code == 404


def test_members_of_an_unknown_organization_is_a_404(api_client):
    for path in ("/api/organizations/999999/users/", "/api/organizations/abc/users/"):
        response = api_client.get(path)
        assert response.status_code == 404
        assert "detail" in response.json()


def test_joining_adds_the_user_once(api_client, user):
    org = OrganizationFactory()

    first = api_client.post(members_url(org))
    second = api_client.post(members_url(org))

    assert first.status_code == 201
    assert second.status_code == 200
    assert [o["id"] for o in first.json()["organizations"]] == [org.pk]
    assert list(user.organizations.all()) == [org]


def test_joining_ignores_a_body(api_client, user):
    org = OrganizationFactory()

    response = api_client.post(members_url(org), {"user": UserFactory().pk})

    assert response.status_code == 201
    assert response.json()["id"] == user.pk


def test_joining_an_unknown_organization_is_a_404(api_client, user):
    response = api_client.post("/api/organizations/999999/users/")

    assert response.status_code == 404
    assert not user.organizations.exists()


def test_a_member_leaves(api_client, user):
    org = OrganizationFactory()
    user.organizations.add(org)

    response = api_client.delete(member_url(org, user))

    assert response.status_code == 204
    assert not user.organizations.exists()


def test_the_owner_removes_a_member():
    creator = UserFactory()
    org = OrganizationFactory(created_by=creator, owner=creator)
    member = UserFactory(organizations=[org])

    response = client_for(creator).delete(member_url(org, member))

    assert response.status_code == 204
    assert not member.organizations.exists()


def test_staff_removes_a_member():
    org = OrganizationFactory()
    member = UserFactory(organizations=[org])

    response = client_for(UserFactory(is_staff=True)).delete(member_url(org, member))

    assert response.status_code == 204
    assert not member.organizations.exists()


def test_a_stranger_cannot_remove_a_member(api_client):
    org = OrganizationFactory(created_by=UserFactory())
    member = UserFactory(organizations=[org])

    response = api_client.delete(member_url(org, member))

    assert response.status_code == 403
    assert "detail" in response.json()
    assert list(member.organizations.all()) == [org]


def test_removing_a_non_member_is_a_404(api_client, user):
    org = OrganizationFactory(created_by=user)

    response = api_client.delete(member_url(org, UserFactory()))

    assert response.status_code == 404


def test_membership_needs_authentication(anon_client):
    org = OrganizationFactory()
    member = UserFactory(organizations=[org])

    assert anon_client.get(members_url(org)).status_code == 401
    assert anon_client.post(members_url(org)).status_code == 401
    assert anon_client.delete(member_url(org, member)).status_code == 401
    assert list(member.organizations.all()) == [org]


def test_members_can_be_searched(api_client, user):
    org = OrganizationFactory()
    user.organizations.add(org)  # a colleague sees the members' addresses
    UserFactory(email="ann@example.com", organizations=[org])
    UserFactory(email="bob@example.com", organizations=[org])

    response = api_client.get(members_url(org), {"search": "BOB"})

    assert [u["email"] for u in response.json()["results"]] == ["bob@example.com"]


@pytest.mark.parametrize("member_id", ["99999999999999999999", "abc", "0"])
def test_removing_a_member_by_an_impossible_id_is_a_json_404(api_client, user, member_id):
    org = OrganizationFactory(created_by=user)

    response = api_client.delete(f"/api/organizations/{org.pk}/users/{member_id}/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("org_id", ["99999999999999999999", "abc", "0"])
def test_joining_an_impossible_organization_id_is_a_json_404(api_client, user, org_id):
    response = api_client.post(f"/api/organizations/{org_id}/users/")

    assert response.status_code == 404
    assert "detail" in response.json()
    assert not user.organizations.exists()


# Found by fuzzing the live server (tests/e2e/test_fuzz.py) as `POST /api/organizations/0.5/users/`:
# the routes' ids match `[^/.]+`, so a dot falls through to the catch-all view, which was not
# exempt from Django's CSRF check and answered 403 `{"detail": "CSRF check failed: CSRF cookie not
# set."}` (tests/api/test_errors.py has the catch-all for every method).
def test_joining_an_organization_by_a_decimal_id_is_a_404_and_joins_nothing(
    csrf_checking_jwt_client, user
):
    """Regression (fuzzing): POST to a decimal organization id was a CSRF 403; it is a 404."""
    organization = OrganizationFactory()

    response = csrf_checking_jwt_client.post(f"/api/organizations/{organization.pk}.5/users/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not user.organizations.exists()
