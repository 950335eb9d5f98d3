"""Rate limits: per client address and per account, answered with 429 and Retry-After."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from restkit.throttling import ScopedThrottle, check_password_counted
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


def test_failed_logins_are_limited_per_account_whatever_the_address(rates, clock):
    rates["login.account"] = "2/min"  # the ceiling across all addresses (100/hour by default)
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
    assert rates["login.account-address"] == "5/min"
    assert rates["login.account"] == "100/hour"  # ASVS: at most 100 failed attempts an hour
    assert rates["password-reset.account"] is None
    assert rates["password-reset.mail"] == "3/hour"


# No one can lock someone else out.


def log_in_at(address, email, password):
    return client_at(address).post(reverse("login"), {"email": email, "password": password})


def test_the_owner_logs_in_at_their_address_after_many_failures_from_other_addresses(clock):
    UserFactory(email="ann@example.com")
    for i in range(20):
        assert log_in_at(f"10.0.11.{i}", "ann@example.com", "guess").status_code == 400

    response = log_in_at("10.0.11.200", "ann@example.com", PASSWORD)

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "ann@example.com"


def test_failed_logins_of_one_account_at_one_address_are_limited_strictly(clock):
    UserFactory(email="ann@example.com")
    for _ in range(5):
        assert log_in_at("10.0.12.1", "ann@example.com", "guess").status_code == 400

    refused = log_in_at("10.0.12.1", "ANN@example.com", PASSWORD)  # not checked
    assert_throttled(refused)
    assert log_in_at("10.0.12.1", "bob@example.com", "guess").status_code == 400
    assert log_in_at("10.0.12.2", "ann@example.com", PASSWORD).status_code == 200


def test_a_login_with_the_right_password_does_not_count(rates, clock):
    rates["login.account-address"] = "3/min"
    rates["login.address"] = "3/min"
    UserFactory(email="ann@example.com")

    for _ in range(10):
        assert log_in_at("10.0.13.1", "ann@example.com", PASSWORD).status_code == 200
    for _ in range(3):
        assert log_in_at("10.0.13.1", "ann@example.com", "guess").status_code == 400
    assert_throttled(log_in_at("10.0.13.1", "ann@example.com", PASSWORD))


def test_refused_logins_do_not_use_up_the_account_limit(rates, clock):
    """An address past its own limit for an account cannot go on to exhaust the account's."""
    rates["login.account"] = "10/hour"
    UserFactory(email="ann@example.com")

    for _ in range(50):
        log_in_at("10.0.14.1", "ann@example.com", "guess")  # 5 checked, then 429s

    assert log_in_at("10.0.14.2", "ann@example.com", PASSWORD).status_code == 200


def browsable_login(address, email, password):
    return Client(REMOTE_ADDR=address).post(
        reverse("rest_framework:login"), {"email": email, "password": password}
    )


def test_the_owner_logs_in_at_the_browsable_api_after_many_failures_from_other_addresses(clock):
    UserFactory(email="ann@example.com")
    for i in range(20):
        assert browsable_login(f"10.0.15.{i}", "ann@example.com", "guess").status_code == 200

    assert browsable_login("10.0.15.200", "ann@example.com", PASSWORD).status_code == 302
    for _ in range(4):  # the right password did not count: five failures still get checked
        assert browsable_login("10.0.15.200", "ann@example.com", "guess").status_code == 200
    assert browsable_login("10.0.15.200", "ann@example.com", "guess").status_code == 200
    refused = browsable_login("10.0.15.200", "ann@example.com", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()


def admin_login(address, email, password):
    return Client(REMOTE_ADDR=address).post(
        reverse("admin:login"), {"username": email, "password": password}
    )


def test_the_owner_logs_in_at_the_admin_after_many_failures_from_other_addresses(clock):
    User.objects.create_superuser("admin@example.com", "admin-pass-123")
    for i in range(20):
        assert admin_login(f"10.0.16.{i}", "admin@example.com", "guess").status_code == 200

    assert admin_login("10.0.16.200", "admin@example.com", "admin-pass-123").status_code == 302
    for _ in range(5):
        assert admin_login("10.0.16.200", "admin@example.com", "guess").status_code == 200
    refused = admin_login("10.0.16.200", "admin@example.com", "admin-pass-123")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_a_password_checked_elsewhere_counts_as_a_login_attempt(clock):
    """check_password_counted: a wrong password counts towards the login limits of the account
    at that address, a right one does not, and a reached limit refuses without checking."""
    user = UserFactory(email="ann@example.com")
    request = APIRequestFactory().post("/", REMOTE_ADDR="10.0.17.1")
    checked = []

    def check(password):
        checked.append(password)
        return user.check_password(password)

    assert check_password_counted(request, email="ANN@example.com", check=lambda: check(PASSWORD))
    for _ in range(4):
        assert not check_password_counted(request, email=user.email, check=lambda: check("no"))
    assert log_in_at("10.0.17.1", "ann@example.com", "guess").status_code == 400  # the fifth
    with pytest.raises(Throttled) as refused:
        check_password_counted(request, email=user.email, check=lambda: check(PASSWORD))

    assert refused.value.wait > 0
    assert len(checked) == 5
    assert_throttled(log_in_at("10.0.17.1", "ann@example.com", PASSWORD))
    assert log_in_at("10.0.17.2", "ann@example.com", PASSWORD).status_code == 200


def reset(address, email):
    return client_at(address).post(reverse("password-reset"), {"email": email})


def test_password_reset_always_answers_200_and_mails_one_account_three_times_an_hour(clock):
    UserFactory(email="ann@example.com")
    unknown = reset("10.0.18.99", "nobody@example.com")

    responses = [reset(f"10.0.18.{i}", "ann@example.com") for i in range(10)]

    assert {r.status_code for r in responses} == {200}
    assert {r.content for r in responses} == {unknown.content}
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {"ann@example.com"}
    clock[0] += 3600  # the next hour
    assert reset("10.0.18.1", "ann@example.com").status_code == 200
    assert len(mail.outbox) == 4


def test_password_reset_mails_to_one_account_do_not_limit_another(clock):
    UserFactory(email="ann@example.com")
    UserFactory(email="bob@example.com")
    for i in range(5):
        reset(f"10.0.19.{i}", "ann@example.com")

    assert reset("10.0.19.9", "bob@example.com").status_code == 200
    assert mail.outbox[-1].to == ["bob@example.com"]
