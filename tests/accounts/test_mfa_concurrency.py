"""Simultaneous second steps from real threads: one ephemeral token, or one TOTP code, logs in
once however many requests race with it."""

import pyotp
import pytest
from dj_rest_auth.mfa.models import Authenticator
from dj_rest_auth.mfa.recovery_codes import RecoveryCodes
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import MfaChallenge
from tests.accounts.mfa import first_step, turned_on
from tests.clients import bearer, log_in
from tests.factories import UserFactory
from tests.threads import THREADS, simultaneously, statuses

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ann(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account-address": "100/min"}
    user = UserFactory(email="ann@example.com")
    user.secret, user.recovery_codes = turned_on(user)
    return user


def second_step(i, token, code):
    return APIClient(REMOTE_ADDR=f"10.2.0.{i}").post(
        reverse("login-mfa"), {"ephemeral_token": token, "code": code}
    )


def test_simultaneous_uses_of_one_ephemeral_token_log_in_once(ann):
    token = first_step(ann.email)
    codes = ann.recovery_codes[:THREADS]  # each one right, and different

    responses = simultaneously(lambda i: second_step(i, token, codes[i]))

    assert statuses(responses) == [200] + [400] * (THREADS - 1)
    assert MfaChallenge.objects.get().used_at is not None


def test_one_totp_code_sent_with_several_tokens_at_once_logs_in_once(ann):
    tokens = [first_step(ann.email) for _ in range(THREADS)]
    code = pyotp.TOTP(ann.secret).now()

    responses = simultaneously(lambda i: second_step(i, tokens[i], code))

    assert statuses(responses) == [200] + [400] * (THREADS - 1)


def test_one_recovery_code_sent_with_several_tokens_at_once_logs_in_once(ann):
    tokens = [first_step(ann.email) for _ in range(THREADS)]

    responses = simultaneously(lambda i: second_step(i, tokens[i], ann.recovery_codes[0]))

    assert statuses(responses) == [200] + [400] * (THREADS - 1)


def test_simultaneous_activations_turn_it_on_once(settings):
    user = UserFactory()
    access = log_in(user.email).json()["access"]
    setup = bearer(access).get(reverse("mfa-totp-activate")).json()
    body = {
        "activation_token": setup["activation_token"],
        "code": pyotp.TOTP(setup["secret"]).now(),
    }

    responses = simultaneously(lambda i: bearer(access).post(reverse("mfa-totp-activate"), body))

    # The others are refused: 400, or 401 where the first one had already ended the access
    # tokens out (turning it on signs out everywhere) when their request was authenticated.
    [ok, *refused] = statuses(responses)
    assert ok == 200
    assert set(refused) <= {400, 401}
    assert len(refused) == THREADS - 1
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    [shown] = [r.json()["recovery_codes"] for r in responses if r.status_code == 200]
    assert RecoveryCodes.get_unused_codes(user) == shown
