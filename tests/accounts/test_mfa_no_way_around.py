"""No login path skips the second factor: the browsable API's page, the admin's, a password
reset, email verification; what keeps working as before: password change, token refresh."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from tests.accounts.mfa import code, first_step, second_step, turned_on
from tests.clients import bearer, confirmation_key, log_in, sign_up
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-7"


@pytest.fixture
def ann(clock):
    user = UserFactory(email="ann@example.com")
    user.secret, user.recovery_codes = turned_on(user)
    return user


def signed_in_as(client):
    response = client.get(reverse("profile"), headers={"accept": "application/json"})
    return response.json()["email"] if response.status_code == 200 else None


def ephemeral_token_of(page):
    return re.search(r'name="ephemeral_token" value="([^"]+)"', page.content.decode()).group(1)


# The browsable API's login page


def test_the_browsable_login_asks_for_a_code_and_the_password_alone_does_not_log_in(client, ann):
    response = client.post(
        reverse("rest_framework:login"), {"email": ann.email, "password": PASSWORD, "next": "/"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page
    assert 'name="password"' not in page
    assert signed_in_as(client) is None
    assert "sessionid" not in client.cookies or not client.session.get("_auth_user_id")


def test_the_browsable_login_logs_in_with_the_right_code(client, ann):
    page = client.post(reverse("rest_framework:login"), {"email": ann.email, "password": PASSWORD})

    response = client.post(
        reverse("rest_framework:login-code"),
        {"ephemeral_token": ephemeral_token_of(page), "code": code(ann.secret), "next": "/api/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/api/"
    assert signed_in_as(client) == ann.email


def test_the_browsable_login_takes_a_recovery_code_once(client, ann):
    page = client.post(reverse("rest_framework:login"), {"email": ann.email, "password": PASSWORD})
    token = ephemeral_token_of(page)

    response = client.post(
        reverse("rest_framework:login-code"),
        {"ephemeral_token": token, "code": ann.recovery_codes[0]},
    )

    assert response.status_code == 302
    assert ann.recovery_codes[0] not in services.RecoveryCodes.get_unused_codes(ann)


def test_the_browsable_login_refuses_a_wrong_code_and_stays_logged_out(client, ann):
    page = client.post(reverse("rest_framework:login"), {"email": ann.email, "password": PASSWORD})

    response = client.post(
        reverse("rest_framework:login-code"),
        {"ephemeral_token": ephemeral_token_of(page), "code": "12345x"},
    )

    assert response.status_code == 200
    assert "The code is not correct." in response.content.decode()
    assert signed_in_as(client) is None


def test_the_browsable_login_code_page_refuses_a_made_up_token(client, ann):
    response = client.post(
        reverse("rest_framework:login-code"), {"ephemeral_token": "made-up", "code": "123456"}
    )

    assert response.status_code == 200
    assert "log in again with your password" in response.content.decode()
    assert signed_in_as(client) is None


def test_the_browsable_login_code_page_limits_wrong_codes_with_429(client, ann, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account-address": "50/min"}
    page = client.post(reverse("rest_framework:login"), {"email": ann.email, "password": PASSWORD})
    token = ephemeral_token_of(page)
    for _ in range(5):
        wrong = client.post(
            reverse("rest_framework:login-code"), {"ephemeral_token": token, "code": "12345x"}
        )
        assert wrong.status_code == 200

    refused = client.post(
        reverse("rest_framework:login-code"), {"ephemeral_token": token, "code": code(ann.secret)}
    )

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert signed_in_as(client) is None


def test_the_browsable_login_code_page_sends_a_get_back_to_the_first_step(client):
    response = client.get(reverse("rest_framework:login-code"))

    assert response.status_code == 302
    assert response["Location"] == reverse("rest_framework:login")


def test_the_browsable_apis_json_login_form_does_not_log_the_browser_in_either(ann):
    browser = APIClient(enforce_csrf_checks=True)
    browser.get(reverse("register"), headers={"accept": "text/html"})
    csrf = browser.cookies["csrftoken"].value

    response = browser.post(
        reverse("login"),
        {"email": ann.email, "password": PASSWORD},
        format="json",
        headers={"accept": "text/html", "x-csrftoken": csrf},
    )

    assert response.status_code == 200
    assert signed_in_as(browser) is None


# The admin


@pytest.fixture
def admin_with_mfa(clock):
    admin = User.objects.create_superuser("boss@example.com", PASSWORD)
    admin.secret, admin.recovery_codes = turned_on(admin)
    return admin


def test_the_admin_login_refuses_an_account_with_two_factor_login(client, admin_with_mfa):
    response = client.post(
        reverse("admin:login"), {"username": admin_with_mfa.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "two-factor login" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # to its login page


def test_an_admin_with_two_factor_login_gets_in_through_the_two_step_page(client, admin_with_mfa):
    page = client.post(
        reverse("rest_framework:login"), {"email": admin_with_mfa.email, "password": PASSWORD}
    )
    client.post(
        reverse("rest_framework:login-code"),
        {"ephemeral_token": ephemeral_token_of(page), "code": code(admin_with_mfa.secret)},
    )

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_still_works_without_two_factor_login(client):
    User.objects.create_superuser("boss@example.com", PASSWORD)

    response = client.post(
        reverse("admin:login"), {"username": "boss@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# Password reset and change, token refresh


def reset(user, password=NEW_PASSWORD):
    return APIClient().post(
        reverse("password-reset-confirm"),
        {
            "uid": user_pk_to_url_str(user),
            "token": default_token_generator.make_token(user),
            "new_password1": password,
            "new_password2": password,
        },
    )


def test_a_password_reset_neither_logs_in_nor_turns_the_second_factor_off(ann):
    response = reset(ann)

    assert response.status_code == 200
    assert set(response.json()) == {"detail"}  # no token
    login = log_in(ann.email, NEW_PASSWORD)
    assert login.status_code == 200
    assert set(login.json()) == {"mfa_required", "ephemeral_token"}
    assert services.mfa_enabled(ann)


def test_a_password_change_keeps_working_and_the_next_login_still_asks_for_a_code(ann, clock):
    tokens = second_step(APIClient(), first_step(ann.email), code(ann.secret)).json()

    response = bearer(tokens["access"]).post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert set(log_in(ann.email, NEW_PASSWORD).json()) == {"mfa_required", "ephemeral_token"}


def test_token_refresh_keeps_working_for_tokens_of_a_two_step_login(ann):
    tokens = second_step(APIClient(), first_step(ann.email), code(ann.secret)).json()

    refreshed = APIClient().post(reverse("token-refresh"), {"refresh": tokens["refresh"]})

    assert refreshed.status_code == 200
    assert bearer(refreshed.json()["access"]).get(reverse("profile")).status_code == 200


# Email verification


def test_with_mandatory_verification_the_email_check_comes_first(settings, clock):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert sign_up("new@example.com").status_code == 202
    user = User.objects.get(email="new@example.com")
    secret, _ = turned_on(user)

    unconfirmed = log_in("new@example.com")

    assert unconfirmed.status_code == 400
    assert "ephemeral_token" not in unconfirmed.json()
    assert not services.MfaChallenge.objects.exists()
    confirmed = APIClient().post(reverse("verify-email"), {"key": confirmation_key()})
    assert confirmed.status_code == 200
    token = first_step("new@example.com")
    assert second_step(APIClient(), token, code(secret)).status_code == 200
