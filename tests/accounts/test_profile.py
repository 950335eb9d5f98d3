import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("profile")


def test_profile_shows_the_authenticated_user(jwt_client, user):
    org = OrganizationFactory()
    user.organizations.add(org)

    response = jwt_client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "url": f"http://testserver/api/users/{user.pk}/",
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "phone": "",
        "avatar": None,
        "contact_visibility": "organizations",
        "language": "en",
        "invitations_url": "http://testserver/api/profile/invitations/",
        "mfa_enabled": False,
        "organizations": [
            {
                "id": org.pk,
                "url": f"http://testserver/api/organizations/{org.pk}/",
                "name": org.name,
            }
        ],
    }


def test_profile_url_leads_to_the_user_in_the_directory(jwt_client, user):
    response = jwt_client.get(jwt_client.get(URL).json()["url"])

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_patch_changes_only_the_fields_sent(jwt_client, user):
    user.first_name = "Ann"
    user.save()

    response = jwt_client.patch(URL, {"last_name": "Lee", "phone": "+44 20 7946 0958"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name, str(user.phone)) == ("Ann", "Lee", "+442079460958")
    assert response.json()["phone"] == "+442079460958"


def test_put_replaces_the_profile(jwt_client, user):
    orgs = OrganizationFactory.create_batch(2)

    response = jwt_client.put(
        URL,
        {
            "email": "New@Example.com",
            "current_password": PASSWORD,
            "first_name": "Ann",
            "last_name": "Lee",
            "phone": "",
            "organizations": [o.pk for o in orgs],
        },
    )

    assert response.status_code == 200, response.data
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert set(user.organizations.all()) == set(orgs)
    assert [o["id"] for o in response.json()["organizations"]] == sorted(o.pk for o in orgs)


def test_organizations_can_be_emptied(jwt_client, user):
    user.organizations.add(OrganizationFactory())

    response = jwt_client.patch(URL, {"organizations": []})

    assert response.status_code == 200
    assert response.json()["organizations"] == []
    assert not user.organizations.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organizations": [987654]}, "organizations"),
        ({"organizations": ["abc"]}, "organizations"),
        ({"organizations": 5}, "organizations"),
        ({"phone": "call me"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"email": ""}, "email"),
        ({"first_name": "x" * 151}, "first_name"),
        ({"first_name": None}, "first_name"),
        ({"first_name": ["Ann"]}, "first_name"),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(jwt_client, user, payload, field):
    before = User.objects.filter(pk=user.pk).values().get()

    response = jwt_client.patch(URL, payload)

    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.filter(pk=user.pk).values().get() == before


def test_email_of_another_user_in_another_case_is_refused(jwt_client, user):
    UserFactory(email="taken@example.com")

    response = jwt_client.patch(URL, {"email": "TAKEN@example.com"})

    assert response.status_code == 400
    assert response.json() == {"email": ["A user with this email address already exists."]}


def test_keeping_ones_own_email_in_another_case_is_fine(jwt_client, user):
    response = jwt_client.patch(URL, {"email": user.email.upper()})

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_read_only_fields_are_ignored(jwt_client, user):
    response = jwt_client.patch(
        URL,
        {"id": 999, "is_staff": True, "is_superuser": True, "password": "x", "first_name": "Ann"},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.pk != 999
    assert not user.is_staff
    assert not user.is_superuser
    assert user.check_password("pass-1234-word")
    assert user.first_name == "Ann"


def test_profile_needs_a_token(anon_client):
    for method in ("get", "put", "patch"):
        response = getattr(anon_client, method)(URL, {})
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_profile_refuses_a_malformed_token(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = anon_client.get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
