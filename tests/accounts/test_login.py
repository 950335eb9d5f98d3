import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("login")
BAD_CREDENTIALS = {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_login_by_email_returns_tokens_and_the_user(anon_client):
    user = UserFactory(email="ann@example.com")

    response = anon_client.post(URL, {"email": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["access"]
    assert body["refresh"]
    assert body["user"]["id"] == user.pk


def test_login_email_is_case_and_space_insensitive(anon_client):
    UserFactory(email="ann@example.com")

    response = anon_client.post(URL, {"email": " ANN@Example.com ", "password": PASSWORD})

    assert response.status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(anon_client):
    UserFactory(email="ann@example.com")

    wrong_password = anon_client.post(URL, {"email": "ann@example.com", "password": "nope-nope"})
    unknown_email = anon_client.post(URL, {"email": "bob@example.com", "password": PASSWORD})

    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.json() == unknown_email.json() == BAD_CREDENTIALS


def test_username_is_ignored_and_never_enough_to_log_in(anon_client):
    UserFactory(email="ann@example.com")

    response = anon_client.post(URL, {"username": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"email": ["This field is required."]}


def test_inactive_user_cannot_log_in(anon_client):
    UserFactory(email="ann@example.com", is_active=False)

    response = anon_client.post(URL, {"email": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert "access" not in response.json()


def test_login_does_not_open_a_session(anon_client):
    UserFactory(email="ann@example.com")

    anon_client.post(URL, {"email": "ann@example.com", "password": PASSWORD})

    assert "sessionid" not in anon_client.cookies


@pytest.mark.parametrize(
    "payload",
    [{}, {"email": "ann@example.com"}, {"password": PASSWORD}, {"email": 5, "password": [1]}],
)
def test_login_with_missing_or_mistyped_fields_is_a_400(anon_client, payload):
    response = anon_client.post(URL, payload)

    assert response.status_code == 400
    assert "access" not in response.json()
