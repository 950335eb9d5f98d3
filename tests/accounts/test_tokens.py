import pytest
from django.urls import reverse

from accounts.models import User
from tests.clients import bearer, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens():
    UserFactory(email="ann@example.com")
    return log_in("ann@example.com").json()


def test_refresh_rotates_and_blacklists_the_old_token(anon_client, tokens):
    response = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert body["refresh"] != tokens["refresh"]
    assert bearer(body["access"]).get(reverse("profile")).status_code == 200
    reused = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert reused.status_code == 401
    assert "detail" in reused.json()
    again = anon_client.post(reverse("token-refresh"), {"refresh": body["refresh"]})
    assert again.status_code == 200


def test_verify_accepts_a_live_token_and_refuses_a_rotated_one(anon_client, tokens):
    assert anon_client.post(reverse("token-verify"), {"token": tokens["access"]}).status_code == 200
    anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})

    response = anon_client.post(reverse("token-verify"), {"token": tokens["refresh"]})

    assert response.status_code == 401
    assert response.json()["detail"] == "Token is blacklisted"


def test_verify_refuses_garbage(anon_client):
    response = anon_client.post(reverse("token-verify"), {"token": "not.a.token"})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_logout_makes_the_refresh_token_unusable(anon_client, tokens):
    response = anon_client.post(reverse("logout"), {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    assert response.json() == {"detail": "Successfully logged out."}
    refresh = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401


@pytest.mark.parametrize(
    ("payload", "status"),
    [({}, 400), ({"refresh": ""}, 400), ({"refresh": "garbage"}, 401), ({"refresh": [1]}, 400)],
)
def test_logout_without_a_valid_refresh_token_fails_cleanly(anon_client, payload, status):
    response = anon_client.post(reverse("logout"), payload)

    assert response.status_code == status
    assert response.json()


def test_access_token_is_not_a_refresh_token(anon_client, tokens):
    response = anon_client.post(reverse("token-refresh"), {"refresh": tokens["access"]})

    assert response.status_code == 401


def test_refresh_token_is_not_an_access_token(tokens):
    response = bearer(tokens["refresh"]).get(reverse("profile"))

    assert response.status_code == 401


def test_password_change_needs_the_old_password_and_replaces_it(tokens):
    client = bearer(tokens["access"])
    new = "a-brand-new-secret-7"

    wrong = client.post(
        reverse("password-change"),
        {"old_password": "not-it", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 400
    assert "old_password" in wrong.json()

    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert log_in("ann@example.com").status_code == 400
    assert log_in("ann@example.com", new).status_code == 200


def test_password_change_applies_the_validators(tokens):
    response = bearer(tokens["access"]).post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )

    assert response.status_code == 400
    assert "new_password2" in response.json()


def test_password_change_needs_a_token(anon_client):
    response = anon_client.post(reverse("password-change"), {"old_password": "x"})

    assert response.status_code == 401


@pytest.mark.parametrize("url_name", ["login", "register", "api-root"])
def test_a_stale_token_in_the_headers_does_not_block_public_endpoints(anon_client, url_name):
    UserFactory(email="ann@example.com")
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")
    payloads = {
        "login": {"email": "ann@example.com", "password": PASSWORD},
        "register": {"email": "new@example.com", "password": "correct-horse-battery-9"},
    }

    if url_name == "api-root":
        response = anon_client.get(reverse(url_name))
    else:
        response = anon_client.post(reverse(url_name), payloads[url_name])

    assert response.status_code in {200, 201}


def deactivate():
    User.objects.filter(email="ann@example.com").update(is_active=False)


def delete():
    User.objects.filter(email="ann@example.com").delete()


def change_password():
    user = User.objects.get(email="ann@example.com")
    user.set_password("a-brand-new-secret-7")
    user.save()


@pytest.mark.parametrize(
    ("event", "code"),
    [
        (deactivate, "user_inactive"),
        (delete, "user_not_found"),
        (change_password, "password_changed"),
    ],
)
@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_verify_refuses_a_token_its_user_can_no_longer_use(anon_client, tokens, event, code, kind):
    event()

    response = anon_client.post(reverse("token-verify"), {"token": tokens[kind]})

    assert response.status_code == 401
    assert response.json()["code"] == code
    if kind == "access":  # what a request with it gets, too
        assert bearer(tokens["access"]).get(reverse("profile")).json()["code"] == code
    else:
        refreshed = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
        assert refreshed.status_code == 401
