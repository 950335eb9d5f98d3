import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("register")
GOOD_PASSWORD = "correct-horse-battery-9"


def test_registration_creates_a_user_and_logs_them_in(anon_client):
    org = OrganizationFactory()
    response = anon_client.post(
        URL,
        {
            "email": "  Ann.Lee@Example.COM ",
            "password": GOOD_PASSWORD,
            "first_name": "Ann",
            "last_name": "Lee",
            "phone": "+1 415 555 2671",
            "organizations": [org.pk],
        },
    )

    assert response.status_code == 201, response.data
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["user"]["email"] == "ann.lee@example.com"
    assert body["user"]["phone"] == "+14155552671"
    assert body["user"]["organizations"] == [
        {"id": org.pk, "url": f"http://testserver/api/organizations/{org.pk}/", "name": org.name}
    ]
    assert "username" not in body["user"]
    assert "password" not in body["user"]
    user = User.objects.get()
    assert user.email == "ann.lee@example.com"
    assert user.check_password(GOOD_PASSWORD)
    assert list(user.organizations.all()) == [org]


def test_registration_returns_tokens_that_work(anon_client):
    response = anon_client.post(URL, {"email": "new@example.com", "password": GOOD_PASSWORD})
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")

    profile = anon_client.get(reverse("profile"))

    assert profile.status_code == 200
    assert profile.json()["email"] == "new@example.com"


def test_registration_does_not_open_a_session(anon_client):
    anon_client.post(URL, {"email": "new@example.com", "password": GOOD_PASSWORD})

    assert "sessionid" not in anon_client.cookies


def test_registration_with_a_taken_email_in_another_case_is_refused(anon_client):
    UserFactory(email="taken@example.com")

    response = anon_client.post(URL, {"email": "TAKEN@Example.com", "password": GOOD_PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"email": ["A user with this email address already exists."]}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": GOOD_PASSWORD}, "email"),
        ({"email": "", "password": GOOD_PASSWORD}, "email"),
        ({"password": GOOD_PASSWORD}, "email"),
        ({"email": "a@example.com"}, "password"),
        ({"email": "a@example.com", "password": "short"}, "password"),
        ({"email": "a@example.com", "password": "12345678901"}, "password"),
        ({"email": "a@example.com", "password": "password123"}, "password"),
        ({"email": "annabelle@example.com", "password": "annabelle@example"}, "password"),
        ({"email": "a@example.com", "password": GOOD_PASSWORD, "phone": "12"}, "phone"),
        (
            {"email": "a@example.com", "password": GOOD_PASSWORD, "organizations": [999]},
            "organizations",
        ),
        (
            {"email": "a@example.com", "password": GOOD_PASSWORD, "organizations": "x"},
            "organizations",
        ),
        ({"email": "a@example.com", "password": "x" * 129}, "password"),
    ],
)
def test_registration_with_bad_input_is_refused_and_creates_nothing(anon_client, payload, field):
    response = anon_client.post(URL, payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_registration_needs_no_password_confirmation_and_takes_no_username(anon_client):
    response = anon_client.post(
        URL, {"email": "a@example.com", "password": GOOD_PASSWORD, "username": "ann"}
    )

    assert response.status_code == 201
    assert not hasattr(User.objects.get(), "username")


def test_registration_keeps_spaces_in_the_password(anon_client):
    anon_client.post(URL, {"email": "a@example.com", "password": f" {GOOD_PASSWORD} "})

    assert User.objects.get().check_password(f" {GOOD_PASSWORD} ")
