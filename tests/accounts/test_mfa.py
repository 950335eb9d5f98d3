"""Two-factor login: setting TOTP up, the login in two steps, recovery codes, turning it off."""

import base64
import types
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from dj_rest_auth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from accounts import services
from accounts.models import LoginSession, MfaChallenge, User
from tests.accounts.mfa import (
    code,
    enable,
    first_step,
    second_step,
    setup_started,
    wrong_code,
)
from tests.clients import bearer, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(email):
    response = log_in(email)
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def ann(clock, django_capture_on_commit_callbacks):
    """Ann, logged in, who turns TOTP on; then the clock moves to the next time step, whose
    code she has not used."""
    UserFactory(email="ann@example.com")
    before = logged_in("ann@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        secret, recovery_codes = enable(before["access"])
    clock.shift(30)
    return types.SimpleNamespace(
        email="ann@example.com", secret=secret, recovery_codes=recovery_codes, before=before
    )


def mfa_status(access):
    return bearer(access).get(reverse("mfa-status")).json()["mfa_enabled"]


# Setting it up


def test_the_status_says_off_for_a_new_account(jwt_client):
    response = jwt_client.get(reverse("mfa-status"))

    assert response.status_code == 200
    assert response.json()["mfa_enabled"] is False


def test_the_set_up_gives_a_secret_an_otpauth_url_naming_product_and_user_and_its_qr_code(
    jwt_client, user
):
    response = jwt_client.get(reverse("mfa-totp-activate"))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"secret", "totp_url", "qr_code_data_uri", "activation_token"}
    url = urlparse(body["totp_url"])
    assert url.scheme == "otpauth"
    assert url.netloc == "totp"
    assert unquote(url.path) == f"/People and organizations:{user.email}"
    assert parse_qs(url.query)["secret"] == [body["secret"]]
    assert parse_qs(url.query)["issuer"] == ["People and organizations"]
    prefix = "data:image/svg+xml;base64,"
    assert body["qr_code_data_uri"].startswith(prefix)
    assert b"<svg" in base64.b64decode(body["qr_code_data_uri"][len(prefix) :])
    assert not Authenticator.objects.exists()  # nothing on until confirmed


def test_the_set_up_is_for_signed_in_users_only(anon_client):
    assert anon_client.get(reverse("mfa-totp-activate")).status_code == 401
    assert anon_client.get(reverse("mfa-status")).status_code == 401


def test_a_wrong_code_turns_nothing_on(clock, jwt_client, user):
    setup = setup_started(jwt_client._credentials["HTTP_AUTHORIZATION"][7:])
    wrong = wrong_code(setup["secret"])

    response = jwt_client.post(
        reverse("mfa-totp-activate"), {"activation_token": setup["activation_token"], "code": wrong}
    )

    assert response.status_code == 400
    assert "code" in response.json()
    assert not Authenticator.objects.filter(user=user).exists()
    assert jwt_client.get(reverse("mfa-status")).json()["mfa_enabled"] is False


def test_a_code_of_another_secret_turns_nothing_on(clock, jwt_client, user):
    setup = setup_started(jwt_client._credentials["HTTP_AUTHORIZATION"][7:])
    other = setup_started(jwt_client._credentials["HTTP_AUTHORIZATION"][7:])

    response = jwt_client.post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(other["secret"])},
    )

    assert response.status_code == 400
    assert not Authenticator.objects.filter(user=user).exists()


def test_another_users_activation_token_is_refused(clock, jwt_client, user):
    mallory = logged_in(UserFactory().email)
    setup = setup_started(mallory["access"])

    response = jwt_client.post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(setup["secret"])},
    )

    assert response.status_code == 400
    assert "activation_token" in response.json()
    assert not Authenticator.objects.exists()


def test_an_activation_token_expires_after_five_minutes(clock, jwt_client, user):
    setup = setup_started(jwt_client._credentials["HTTP_AUTHORIZATION"][7:])
    clock.shift(301)

    response = jwt_client.post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(setup["secret"])},
    )

    assert response.status_code == 400
    assert "activation_token" in response.json()
    assert not Authenticator.objects.exists()


def test_turning_it_on_gives_ten_recovery_codes_and_mails_a_notice(ann):
    assert len(ann.recovery_codes) == 10
    assert len(set(ann.recovery_codes)) == 10
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ann.email]
    assert mail.outbox[0].subject == "Two-factor login was turned on"


def test_turning_it_on_twice_is_refused(ann):
    now = logged_in_with_code(ann)
    setup = setup_started(now["access"])

    response = bearer(now["access"]).post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(setup["secret"])},
    )

    assert response.status_code == 400
    assert Authenticator.objects.get(type="totp").data["secret"] != setup["secret"]


def test_refresh_tokens_issued_before_it_was_turned_on_are_revoked(ann):
    response = APIClient().post(reverse("token-refresh"), {"refresh": ann.before["refresh"]})

    assert response.status_code == 401
    assert not LoginSession.objects.filter(ended_at=None).exists()


def test_access_tokens_issued_before_it_was_turned_on_stop_working(ann):
    response = bearer(ann.before["access"]).get(reverse("profile"))

    assert response.status_code == 401
    assert response.json()["detail"] == "The session has ended: log in again."


def test_tokens_of_a_login_after_it_was_turned_on_work(ann):
    tokens = logged_in_with_code(ann)

    assert bearer(tokens["access"]).get(reverse("profile")).status_code == 200
    refreshed = APIClient().post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    assert bearer(refreshed.json()["access"]).get(reverse("profile")).status_code == 200


def test_an_access_token_without_the_generation_claim_is_of_generation_0():
    user = UserFactory()  # tokens issued before the claim existed: still good until it is raised
    access = AccessToken.for_user(user)
    assert "sgen" not in access.payload

    assert bearer(str(access)).get(reverse("profile")).status_code == 200
    services.sign_out_everywhere(user=user)
    assert bearer(str(access)).get(reverse("profile")).status_code == 401


# Logging in


def logged_in_with_code(ann, value=None):
    token = first_step(ann.email)
    response = second_step(APIClient(), token, value or code(ann.secret))
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_password_alone_gives_an_ephemeral_token_and_no_access_or_refresh_token(ann):
    outstanding = OutstandingToken.objects.count()

    response = log_in(ann.email)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"mfa_required", "ephemeral_token"}
    assert body["mfa_required"] is True
    assert OutstandingToken.objects.count() == outstanding
    assert not LoginSession.objects.filter(ended_at=None).exists()


def test_a_wrong_password_is_refused_before_any_code(ann):
    response = log_in(ann.email, "not-the-password")

    assert response.status_code == 400
    assert "ephemeral_token" not in response.json()
    assert not MfaChallenge.objects.exists()


def test_the_token_and_a_current_code_log_in_as_a_login_does(ann):
    token = first_step(ann.email)

    response = second_step(APIClient(), token, code(ann.secret))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["user"]["email"] == ann.email
    assert body["user"]["mfa_enabled"] is True
    assert bearer(body["access"]).get(reverse("profile")).status_code == 200
    refreshed = APIClient().post(reverse("token-refresh"), {"refresh": body["refresh"]})
    assert refreshed.status_code == 200


def test_a_code_of_the_step_before_or_after_works_for_clocks_a_little_off(ann):
    assert second_step(APIClient(), first_step(ann.email), code(ann.secret, -1)).status_code == 400
    # -1 is the step used to turn it on: refused. The next step's code is accepted:
    assert second_step(APIClient(), first_step(ann.email), code(ann.secret, 1)).status_code == 200


def test_a_code_two_steps_away_is_refused(ann):
    response = second_step(APIClient(), first_step(ann.email), code(ann.secret, 2))

    assert response.status_code == 400
    assert response.json() == {"code": ["The code is not correct."]}


def test_an_ephemeral_token_works_for_one_successful_code(ann, clock):
    token = first_step(ann.email)
    assert second_step(APIClient(), token, code(ann.secret)).status_code == 200
    clock.shift(30)

    again = second_step(APIClient(), token, code(ann.secret))

    assert again.status_code == 400
    assert "ephemeral_token" in again.json()


def test_a_totp_code_cannot_log_in_twice(ann):
    value = code(ann.secret)
    logged_in_with_code(ann, value)

    replay = second_step(APIClient(), first_step(ann.email), value)

    assert replay.status_code == 400
    assert replay.json() == {"code": ["The code is not correct."]}


def test_an_older_code_of_the_window_is_refused_after_a_newer_one(ann, clock):
    older = code(ann.secret)
    logged_in_with_code(ann, code(ann.secret, 1))  # the next step's, accepted early

    response = second_step(APIClient(), first_step(ann.email), older)

    assert response.status_code == 400


def test_the_ephemeral_token_expires_after_five_minutes(ann, clock):
    token = first_step(ann.email)
    clock.shift(301)

    response = second_step(APIClient(), token, code(ann.secret))

    assert response.status_code == 400
    assert "ephemeral_token" in response.json()
    assert "access" not in response.json()


def test_the_ephemeral_token_still_works_just_before_five_minutes(ann, clock):
    token = first_step(ann.email)
    clock.shift(295)

    assert second_step(APIClient(), token, code(ann.secret)).status_code == 200


def test_a_forged_or_garbled_ephemeral_token_is_refused(ann):
    token = first_step(ann.email)

    for forged in [token[:-2] + "xx", "not-a-token", token + ":x", "a" * 512]:
        response = second_step(APIClient(), forged, code(ann.secret))
        assert response.status_code == 400, forged
        assert "ephemeral_token" in response.json()


def test_five_wrong_codes_per_ephemeral_token_then_429_even_with_the_right_code(ann, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account-address": "50/min"}
    token = first_step(ann.email)
    wrong = wrong_code(ann.secret)
    for _ in range(5):
        assert second_step(APIClient(), token, wrong).status_code == 400

    refused = second_step(APIClient(), token, code(ann.secret))

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 300
    assert "Too many wrong codes" in refused.json()["detail"]
    assert MfaChallenge.objects.get().failed_attempts == 5
    # A new login (the password again) gets a new token, which works:
    assert second_step(APIClient(), first_step(ann.email), code(ann.secret)).status_code == 200


def test_wrong_codes_count_against_the_accounts_login_limits_across_tokens(ann, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account": "3/min"}
    wrong = wrong_code(ann.secret)
    tokens = [first_step(ann.email) for _ in range(4)]  # a right password does not count
    for address, token in zip(("10.0.0.1", "10.0.0.2", "10.0.0.3"), tokens, strict=False):
        assert second_step(APIClient(REMOTE_ADDR=address), token, wrong).status_code == 400

    refused = second_step(APIClient(REMOTE_ADDR="10.0.0.4"), tokens[3], code(ann.secret))

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert log_in(ann.email, "wrong-password").status_code == 429  # the same limits


def test_a_right_code_does_not_count_against_the_login_limits(ann, settings, clock):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account": "2/min"}
    for _ in range(4):
        logged_in_with_code(ann)
        clock.shift(30)


def test_a_recovery_code_logs_in_once(ann):
    recovery = ann.recovery_codes[3]
    assert logged_in_with_code(ann, recovery)["user"]["email"] == ann.email

    again = second_step(APIClient(), first_step(ann.email), recovery)

    assert again.status_code == 400
    listed = bearer(logged_in_with_code(ann)["access"]).get(reverse("mfa-recovery-codes"))
    assert recovery not in listed.json()["codes"]
    assert len(listed.json()["codes"]) == 9


def test_a_deactivated_account_cannot_complete_its_login(ann):
    token = first_step(ann.email)
    User.objects.filter(email=ann.email).update(is_active=False)

    response = second_step(APIClient(), token, code(ann.secret))

    assert response.status_code == 400
    assert "access" not in response.json()


def test_an_account_without_two_factor_login_logs_in_in_one_step(clock):
    UserFactory(email="bob@example.com")

    body = logged_in("bob@example.com")

    assert set(body) == {"access", "refresh", "user"}
    assert body["user"]["mfa_enabled"] is False


# Recovery codes


def test_the_recovery_codes_listed_are_the_unused_ones(ann):
    access = logged_in_with_code(ann)["access"]

    response = bearer(access).get(reverse("mfa-recovery-codes"))

    assert response.status_code == 200
    assert response.json() == {"codes": ann.recovery_codes}


def test_regenerating_the_codes_takes_a_totp_code_and_kills_the_old_ones(ann, clock):
    access = logged_in_with_code(ann)["access"]
    clock.shift(30)

    response = bearer(access).post(
        reverse("mfa-recovery-codes-regenerate"), {"code": code(ann.secret)}
    )

    assert response.status_code == 200
    new = response.json()["codes"]
    assert len(new) == 10
    assert not set(new) & set(ann.recovery_codes)
    assert bearer(access).get(reverse("mfa-recovery-codes")).json() == {"codes": new}
    old = second_step(APIClient(), first_step(ann.email), ann.recovery_codes[0])
    assert old.status_code == 400
    assert second_step(APIClient(), first_step(ann.email), new[0]).status_code == 200


def test_regenerating_the_codes_refuses_a_recovery_code_or_a_wrong_code(ann):
    access = logged_in_with_code(ann)["access"]

    for value in [ann.recovery_codes[0], wrong_code(ann.secret), ""]:
        response = bearer(access).post(reverse("mfa-recovery-codes-regenerate"), {"code": value})
        assert response.status_code == 400, value
    assert bearer(access).get(reverse("mfa-recovery-codes")).json()["codes"] == ann.recovery_codes


# Turning it off


def test_turning_it_off_with_a_totp_code_makes_login_one_step_and_mails_a_notice(
    ann, clock, django_capture_on_commit_callbacks
):
    access = logged_in_with_code(ann)["access"]
    clock.shift(30)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(access).post(reverse("mfa-totp-deactivate"), {"code": code(ann.secret)})

    assert response.status_code == 200
    assert mfa_status(access) is False
    assert set(logged_in(ann.email)) == {"access", "refresh", "user"}
    assert not Authenticator.objects.exists()
    assert [message.subject for message in mail.outbox] == ["Two-factor login was turned off"]
    assert mail.outbox[0].to == [ann.email]


def test_turning_it_off_with_a_recovery_code(ann):
    access = logged_in_with_code(ann)["access"]

    response = bearer(access).post(reverse("mfa-totp-deactivate"), {"code": ann.recovery_codes[0]})

    assert response.status_code == 200
    assert mfa_status(access) is False


def test_a_wrong_code_does_not_turn_it_off(ann, django_capture_on_commit_callbacks):
    access = logged_in_with_code(ann)["access"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(access).post(
            reverse("mfa-totp-deactivate"), {"code": wrong_code(ann.secret)}
        )

    assert response.status_code == 400
    assert mfa_status(access) is True
    assert mail.outbox == []


def test_wrong_codes_to_turn_it_off_count_against_the_login_limits(ann, settings):
    access = logged_in_with_code(ann)["access"]
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account": "2/min"}
    for _ in range(2):
        response = bearer(access).post(
            reverse("mfa-totp-deactivate"), {"code": wrong_code(ann.secret)}
        )
        assert response.status_code == 400

    refused = bearer(access).post(reverse("mfa-totp-deactivate"), {"code": code(ann.secret)})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert mfa_status(access) is True


def test_turning_it_off_when_it_is_off_is_a_400(jwt_client):
    response = jwt_client.post(reverse("mfa-totp-deactivate"), {"code": "123456"})

    assert response.status_code == 400
    assert response.json() == {"code": ["Two-factor login is not on."]}


# The profile


def test_the_profile_shows_mfa_enabled_read_only(ann):
    access = logged_in_with_code(ann)["access"]

    response = bearer(access).patch(reverse("profile"), {"mfa_enabled": False}, format="json")

    assert response.status_code == 200
    assert response.json()["mfa_enabled"] is True
    assert bearer(access).get(reverse("profile")).json()["mfa_enabled"] is True
    assert mfa_status(access) is True


def test_the_directory_does_not_show_whether_others_use_two_factor_login(ann):
    viewer = logged_in(UserFactory().email)
    ann_id = User.objects.get(email=ann.email).pk

    detail = bearer(viewer["access"]).get(reverse("user-detail", args=[ann_id]))
    listing = bearer(viewer["access"]).get(reverse("user-list"))

    assert detail.status_code == 200
    assert "mfa_enabled" not in detail.json()
    assert all("mfa_enabled" not in row for row in listing.json()["results"])


def test_the_login_password_is_checked_first(ann):
    response = log_in(ann.email, PASSWORD + "x")

    assert response.status_code == 400
