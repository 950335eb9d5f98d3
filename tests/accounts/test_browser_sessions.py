"""The browsable API's session: signing up or logging in from its pages logs the browser in,
only through the page's own form (CSRF checked); changing the password or turning two-factor
login on there keeps it in, and signs every other browser out."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from tests.accounts.mfa import code
from tests.clients import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "battery-staple-77"


def browser():
    """A browser with the CSRF checks that Django applies to real ones, holding the CSRF
    cookie and token that a page of the browsable API gives."""
    client = APIClient(enforce_csrf_checks=True)
    client.get(reverse("register"), headers={"accept": "text/html"})
    return client


def post_page(client, url, data, csrf=True):
    """POST as the page's raw-data form does: JSON, the CSRF token in a header, HTML asked."""
    headers = {"accept": "text/html"}
    if csrf:
        headers["x-csrftoken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(url, data, format="json", headers=headers)


def logged_in_as(client):
    response = client.get(reverse("profile"), headers={"accept": "application/json"})
    return response.json()["email"] if response.status_code == 200 else None


def test_signing_up_in_the_browsable_api_logs_the_browser_in():
    client = browser()

    response = post_page(
        client, reverse("register"), {"email": "new@example.com", "password": PASSWORD}
    )

    assert response.status_code == 201
    assert re.search(r"dropdown-toggle[^>]*>new@example.com", response.content.decode())
    assert logged_in_as(client) == "new@example.com"
    assert User.objects.get(email="new@example.com").last_login is not None


def test_logging_in_in_the_browsable_api_logs_the_browser_in(user):
    client = browser()

    response = post_page(client, reverse("login"), {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert logged_in_as(client) == user.email
    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.parametrize("url", ["register", "login"])
def test_without_the_pages_csrf_token_the_browser_is_not_logged_in(user, url):
    """A form on another site may sign up or log in (the API takes no session), but gets no
    session for the browser: no login CSRF."""
    client = browser()
    email = "new@example.com" if url == "register" else user.email

    response = post_page(client, reverse(url), {"email": email, "password": PASSWORD}, csrf=False)

    assert response.status_code in {200, 201}
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert logged_in_as(client) is None


@pytest.mark.parametrize("url", ["register", "login"])
def test_json_clients_get_no_session(user, url):
    client = APIClient()
    email = "new@example.com" if url == "register" else user.email

    response = client.post(reverse(url), {"email": email, "password": PASSWORD}, format="json")

    assert response.status_code in {200, 201}
    assert "access" in response.json()
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_with_mandatory_verification_signing_up_logs_nobody_in(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = browser()

    response = post_page(
        client, reverse("register"), {"email": "new@example.com", "password": PASSWORD}
    )

    assert response.status_code == 202
    assert logged_in_as(client) is None


def change_password(client, **headers):
    return client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        format="json",
        headers=headers,
    )


def test_changing_the_password_in_the_browser_keeps_its_session_and_ends_the_others(user):
    here, elsewhere = APIClient(), APIClient()
    here.force_login(user)
    elsewhere.force_login(user)

    response = change_password(here)

    assert response.status_code == 200
    assert "You stay logged in here" in response.json()["detail"]
    assert "every other session" in response.json()["detail"]
    assert logged_in_as(here) == user.email
    assert logged_in_as(elsewhere) is None


def test_changing_the_password_with_a_token_says_every_session_ended(user):
    token = APIClient().post(
        reverse("login"), {"email": user.email, "password": PASSWORD}, format="json"
    )
    access = token.json()["access"]
    client = APIClient()

    response = change_password(client, authorization=f"Bearer {access}")

    assert response.status_code == 200
    assert response.json()["detail"].startswith("New password has been saved.")
    assert "this one included" in response.json()["detail"]
    assert (
        client.get(reverse("profile"), headers={"authorization": f"Bearer {access}"}).status_code
        == 401
    )


def test_another_users_login_replaces_the_browsers_session():
    ann, bob = UserFactory(), UserFactory()
    client = browser()
    post_page(client, reverse("login"), {"email": ann.email, "password": PASSWORD})

    post_page(client, reverse("login"), {"email": bob.email, "password": PASSWORD})

    assert logged_in_as(client) == bob.email


def turn_two_factor_on(client, **headers):
    setup = client.get(reverse("mfa-totp-activate"), headers=headers).json()
    return client.post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(setup["secret"])},
        format="json",
        headers=headers,
    )


def test_turning_two_factor_on_in_the_browser_keeps_its_session_and_ends_the_others(user):
    here, elsewhere = APIClient(), APIClient()
    here.force_login(user)
    elsewhere.force_login(user)  # say, someone who had the password

    response = turn_two_factor_on(here)

    assert response.status_code == 200
    assert logged_in_as(here) == user.email
    assert logged_in_as(elsewhere) is None


def test_turning_two_factor_on_with_a_token_ends_every_browser_session(user):
    browser_session = APIClient()
    browser_session.force_login(user)
    access = log_in(user.email).json()["access"]

    response = turn_two_factor_on(APIClient(), authorization=f"Bearer {access}")

    assert response.status_code == 200
    assert logged_in_as(browser_session) is None


def test_browser_sessions_opened_before_the_session_generation_existed_stay_valid(user):
    client = APIClient()
    client.force_login(user)  # generation 0: Django's own session hash
    assert user.session_generation == 0
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(
        user
    )  # Django's own

    assert logged_in_as(client) == user.email


def test_a_session_hash_of_an_older_generation_or_secret_key_does_not_match(user, settings):
    services.sign_out_everywhere(user=user)
    current = user.get_session_auth_hash()

    assert current != AbstractBaseUser._get_session_auth_hash(user)  # Django's own
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-of-fifty-characters-or-more-0123456789"
    assert user.get_session_auth_hash() != current
    assert current in list(user.get_session_auth_fallback_hash())  # a rotated key: still in
