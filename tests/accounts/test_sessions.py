"""Sessions that end: a login's chain of refresh tokens lasts JWT_SESSION_MAX_AGE at most, a
spent refresh token presented again ends its chain, and a login through the API is recorded."""

import base64
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import LoginSession, User
from tests.clients import log_in, sign_up
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFRESH = "/api/token/refresh/"


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def refresh(token):
    return APIClient().post(REFRESH, {"refresh": token})


def log_out(token):
    return APIClient().post(reverse("logout"), {"refresh": token})


def verify(token):
    return APIClient().post(reverse("token-verify"), {"token": token})


def tokens_of(how):
    """The tokens of a new session, started by a login or a sign-up."""
    if how == "login":
        UserFactory(email="ann@example.com")
        return log_in("ann@example.com").json()
    return sign_up("ann@example.com").json()


@pytest.fixture(params=["login", "register"])
def tokens(request):
    return tokens_of(request.param)


def started_ago(age):
    """Time travel: the one session started `age` ago."""
    LoginSession.objects.update(started_at=timezone.now() - age)


def test_a_session_refused_once_its_max_age_has_passed_however_often_it_was_refreshed(tokens):
    for _ in range(3):
        tokens = refresh(tokens["refresh"]).json()
    started_ago(timedelta(days=30, minutes=-1))
    tokens = refresh(tokens["refresh"]).json()  # still within the 30 days
    assert verify(tokens["refresh"]).status_code == 200

    started_ago(timedelta(days=30, minutes=1))

    response = refresh(tokens["refresh"])
    assert response.status_code == 401
    assert response.json()["detail"] == "The session has ended: log in again."
    assert verify(tokens["refresh"]).status_code == 401
    assert LoginSession.objects.count() == 1  # rotation kept one session


def test_renewed_tokens_expire_with_their_session_at_the_latest(settings, tokens):
    settings.JWT_SESSION_MAX_AGE = timedelta(minutes=5)  # shorter than both token lifetimes
    (session,) = LoginSession.objects.all()

    renewed = refresh(tokens["refresh"]).json()

    for token in (renewed["access"], renewed["refresh"]):
        assert claims(token)["exp"] <= session.started_at.timestamp() + 5 * 60


@pytest.mark.parametrize("how", ["login", "register"])
def test_the_first_tokens_of_a_session_expire_with_it_too(settings, how):
    settings.JWT_SESSION_MAX_AGE = timedelta(minutes=5)

    tokens = tokens_of(how)

    (session,) = LoginSession.objects.all()
    assert claims(tokens["refresh"])["sid"] == str(session.pk)
    for token in (tokens["access"], tokens["refresh"]):
        assert claims(token)["exp"] <= session.started_at.timestamp() + 5 * 60


def test_rotation_keeps_the_session_of_the_login(tokens):
    sid = claims(tokens["refresh"])["sid"]

    renewed = refresh(tokens["refresh"]).json()

    assert claims(renewed["refresh"])["sid"] == sid
    assert claims(renewed["access"])["sid"] == sid


@pytest.mark.parametrize("present_again", [refresh, log_out], ids=["refresh", "logout"])
def test_a_rotated_refresh_token_presented_again_ends_its_whole_session(settings, present_again):
    settings.JWT_REUSE_GRACE = timedelta(0)
    stolen = tokens_of("login")
    thiefs = refresh(stolen["refresh"]).json()  # the thief refreshed first
    other_device = log_in("ann@example.com").json()

    response = present_again(stolen["refresh"])  # the victim's client, later

    assert response.status_code == 401
    assert response.json()["detail"] == "Token is blacklisted"
    assert refresh(thiefs["refresh"]).status_code == 401  # the thief's newer token died too
    assert verify(thiefs["refresh"]).status_code == 401
    assert refresh(other_device["refresh"]).status_code == 200  # another session goes on


def test_a_logged_out_token_presented_again_is_refused(settings):
    settings.JWT_REUSE_GRACE = timedelta(0)
    tokens = tokens_of("login")
    assert log_out(tokens["refresh"]).status_code == 200

    for present_again in (refresh, log_out):
        assert present_again(tokens["refresh"]).status_code == 401


def test_a_token_presented_again_within_the_grace_is_refused_and_the_newer_one_lives():
    tokens = tokens_of("login")
    renewed = refresh(tokens["refresh"]).json()

    assert refresh(tokens["refresh"]).status_code == 401  # at once: a retry, not a theft

    assert refresh(renewed["refresh"]).status_code == 200


def test_logout_ends_the_session_of_the_token():
    tokens = tokens_of("login")

    assert log_out(tokens["refresh"]).status_code == 200

    (session,) = LoginSession.objects.all()
    assert session.ended_at is not None
    assert verify(tokens["refresh"]).status_code == 401


def test_a_refresh_token_from_before_sessions_starts_one_from_its_issue_time(user):
    old = RefreshToken.for_user(user)  # as simplejwt issued them: no session claim

    renewed = refresh(str(old)).json()

    (session,) = LoginSession.objects.all()
    assert claims(renewed["refresh"])["sid"] == str(session.pk)
    assert session.started_at.timestamp() == old["iat"]
    assert refresh(str(old)).status_code == 401


def test_logging_in_through_the_api_records_last_login():
    UserFactory(email="ann@example.com", last_login=None)
    before = timezone.now()

    assert log_in("ann@example.com").status_code == 200

    last_login = User.objects.get(email="ann@example.com").last_login
    assert last_login is not None
    assert before <= last_login <= timezone.now()


def test_a_failed_login_records_nothing():
    UserFactory(email="ann@example.com", last_login=None)

    assert log_in("ann@example.com", "not-the-password").status_code == 400

    assert User.objects.get(email="ann@example.com").last_login is None


def test_signing_up_records_the_first_login():
    assert sign_up("ann@example.com").status_code == 201

    assert User.objects.get(email="ann@example.com").last_login is not None


def test_signing_up_with_mandatory_verification_records_no_login(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    assert sign_up("ann@example.com").status_code == 202

    assert User.objects.get(email="ann@example.com").last_login is None
