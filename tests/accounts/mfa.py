"""Two-factor login in tests: accounts with TOTP on, and codes computed from their secret (at the
time of the `clock` fixture of conftest.py, when a test uses it)."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pyotp
from django.urls import reverse

from tests.clients import bearer, log_in

START = dt.datetime(2026, 11, 30, 12, 0, 5, tzinfo=dt.UTC)  # 5 s into a 30 s time step


def code(secret, shift=0):
    """The TOTP code of `secret` now, or `shift` time steps (of 30 s) from now."""
    totp = pyotp.TOTP(secret)
    return totp.at(dt.datetime.now(dt.UTC), counter_offset=shift)


def setup_started(access):
    response = bearer(access).get(reverse("mfa-totp-activate"))
    assert response.status_code == 200, response.json()
    return response.json()


def enable(access, shift=0):
    """Turn TOTP on for the holder of `access`: (secret, recovery codes). The code used is of
    `shift` steps from now (it cannot be used again)."""
    setup = setup_started(access)
    response = bearer(access).post(
        reverse("mfa-totp-activate"),
        {"activation_token": setup["activation_token"], "code": code(setup["secret"], shift)},
    )
    assert response.status_code == 200, response.json()
    return setup["secret"], response.json()["recovery_codes"]


def secret_of(setup):
    return parse_qs(urlparse(setup["totp_url"]).query)["secret"][0]


def first_step(email):
    """POST /api/login/ for an account with TOTP on: its ephemeral token."""
    response = log_in(email)
    assert response.status_code == 200, response.json()
    assert response.json()["mfa_required"] is True
    return response.json()["ephemeral_token"]


def second_step(client, token, value):
    return client.post(reverse("login-mfa"), {"ephemeral_token": token, "code": value})


def turned_on(user):
    """Turn TOTP on for `user` through the service, as its confirmation does, with a code of the
    step before now: the current code is unused. Returns (secret, recovery codes)."""
    from accounts import services

    secret = pyotp.random_base32()
    step = pyotp.TOTP(secret).timecode(dt.datetime.now(dt.UTC)) - 1
    return secret, services.mfa_enable(user=user, secret=secret, time_step=step)


def wrong_code(secret):
    """Six digits that are none of the codes accepted now (the previous, current, next)."""
    accepted = {code(secret, shift) for shift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(123456, 10**6) if f"{n:06d}" not in accepted)
