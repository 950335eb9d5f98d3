"""Rate limits: per client address and per account, answered with 429 and Retry-After."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from restkit.throttling import ScopedThrottle
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, which a test moves forward."""
    now = [1_000_000.0]
    monkeypatch.setattr(ScopedThrottle, "timer", lambda self: now[0])
    return now


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES}
    return settings.THROTTLE_RATES


def client_at(address, user=None):
    client = APIClient(REMOTE_ADDR=address)
    if user is not None:
        client.force_authenticate(user)
    return client


def login(client, email):
    return client.post(reverse("login"), {"email": email, "password": "wrong-password"})


def assert_throttled(response):
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_login_is_limited_per_address_whatever_the_account(rates, clock):
    rates["login.address"] = "3/min"
    client = client_at("10.0.0.1")

    for i in range(3):
        assert login(client, f"user{i}@example.com").status_code == 400
    assert_throttled(login(client, "another@example.com"))
    assert login(client_at("10.0.0.2"), "another@example.com").status_code == 400


def test_login_is_limited_per_account_whatever_the_address(rates, clock):
    rates["login.account"] = "2/min"
    UserFactory(email="ann@example.com")

    for i in range(2):
        assert login(client_at(f"10.0.1.{i}"), "ann@example.com").status_code == 400
    assert_throttled(login(client_at("10.0.1.9"), "ANN@example.com"))  # the same account
    # The right password does not get through either, while the account is throttled.
    response = client_at("10.0.1.10").post(
        reverse("login"), {"email": "ann@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert login(client_at("10.0.1.11"), "bob@example.com").status_code == 400


def test_a_limit_resets_when_its_window_has_passed(rates, clock):
    rates["login.account"] = "2/min"
    client = client_at("10.0.2.1")
    login(client, "ann@example.com")
    login(client, "ann@example.com")
    assert_throttled(login(client, "ann@example.com"))

    clock[0] += 61

    assert login(client, "ann@example.com").status_code == 400


def register(client, email):
    return client.post(reverse("register"), {"email": email, "password": "correct-horse-42"})


def test_registration_is_limited_per_address(rates, clock):
    rates["register.address"] = "2/hour"
    client = client_at("10.0.3.1")

    assert register(client, "a@example.com").status_code == 201
    assert register(client, "b@example.com").status_code == 201
    assert_throttled(register(client, "c@example.com"))
    assert register(client_at("10.0.3.2"), "c@example.com").status_code == 201


def test_registration_is_limited_per_account(rates, clock):
    rates["register.account"] = "2/hour"

    register(client_at("10.0.4.1"), "same@example.com")  # 201
    register(client_at("10.0.4.2"), "same@example.com")  # 400: taken
    assert_throttled(register(client_at("10.0.4.3"), "Same@Example.com"))


def change_password(client):
    return client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": "x-new-pass-1", "new_password2": "x-new-pass-1"},
    )


def test_password_change_is_limited_per_account(rates, clock):
    rates["password-change.account"] = "2/hour"
    user = UserFactory()

    for i in range(2):
        assert change_password(client_at(f"10.0.5.{i}", user)).status_code == 400
    assert_throttled(change_password(client_at("10.0.5.9", user)))


def test_password_change_is_limited_per_address(rates, clock):
    rates["password-change.address"] = "2/hour"
    client = client_at("10.0.6.1")

    for _ in range(2):
        client.force_authenticate(UserFactory())
        assert change_password(client).status_code == 400
    client.force_authenticate(UserFactory())
    assert_throttled(change_password(client))


def refresh(client, token):
    return client.post(reverse("token-refresh"), {"refresh": token})


def test_token_refresh_is_limited_per_account(rates, clock):
    rates["token-refresh.account"] = "2/min"
    user = UserFactory()
    token = str(RefreshToken.for_user(user))

    token = refresh(client_at("10.0.7.1"), token).json()["refresh"]
    token = refresh(client_at("10.0.7.2"), token).json()["refresh"]
    assert_throttled(refresh(client_at("10.0.7.3"), token))
    other = str(RefreshToken.for_user(UserFactory()))
    assert refresh(client_at("10.0.7.4"), other).status_code == 200


def test_token_refresh_is_limited_per_address(rates, clock):
    rates["token-refresh.address"] = "2/min"
    client = client_at("10.0.8.1")

    for _ in range(2):
        assert refresh(client, "garbage").status_code == 401
    assert_throttled(refresh(client, "garbage"))


def test_reads_are_limited_per_user_and_per_address(rates, clock):
    rates["api.account"] = "3/min"
    rates["api.address"] = "5/min"
    ann, bob = UserFactory.create_batch(2)

    for _ in range(3):
        assert client_at("10.0.9.1", ann).get(reverse("user-list")).status_code == 200
    assert_throttled(client_at("10.0.9.2", ann).get(reverse("user-list")))
    for _ in range(2):
        assert client_at("10.0.9.3", bob).get(reverse("user-list")).status_code == 200
    carol = UserFactory()
    for _ in range(3):
        assert client_at("10.0.9.3", carol).get(reverse("user-list")).status_code == 200
    # Five reads from 10.0.9.3, by two users: the address's limit.
    assert_throttled(client_at("10.0.9.3", UserFactory()).get(reverse("user-list")))


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(rates, clock):
    rates["login.address"] = "2/min"
    client = client_at("10.0.10.1")

    for i in range(2):
        client.credentials(HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        login(client, f"u{i}@example.com")
    client.credentials(HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert_throttled(login(client, "u9@example.com"))


def test_the_default_rates_are_generous_for_reads_and_strict_for_logins(settings):
    rates = settings.THROTTLE_RATES

    assert rates["api.address"] == "600/min"
    assert rates["login.account"] == "5/min"
