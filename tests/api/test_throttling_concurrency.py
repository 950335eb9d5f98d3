"""Simultaneous requests cannot pass more than a limit: each is counted by an atomic increment.

Each test runs with the counts in memory (the tests' cache, one process) and in Redis (as in
production) when a Redis server answers at TEST_REDIS_URL."""

import os
import sys
import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import PASSWORD, UserFactory
from tests.services import redis_answers
from tests.threads import simultaneously, statuses

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 50
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(
    autouse=True,
    params=[
        "memory",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(
                not redis_answers(REDIS_URL), reason=f"no Redis at {REDIS_URL}"
            ),
        ),
    ],
)
def counts_in(request, settings, fresh_cache):
    """Where the counts live; threads switch often, so that a read then a write would race.
    (After fresh_cache, which clears the tests' cache: in Redis that would flush the database.)"""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # the counts of this test only
            }
        }
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield request.param
    sys.setswitchinterval(interval)


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES}
    return settings.THROTTLE_RATES


def test_simultaneous_wrong_passwords_from_many_addresses_check_exactly_the_account_limit(rates):
    rates["login.account"] = "5/hour"
    UserFactory(email="ann@example.com")

    responses = simultaneously(
        lambda i: APIClient(REMOTE_ADDR=f"10.2.0.{i}").post(
            reverse("login"), {"email": "ann@example.com", "password": f"guess-{i}"}
        ),
        count=ATTEMPTS,
    )

    assert statuses(responses) == [400] * 5 + [429] * (ATTEMPTS - 5)


def test_simultaneous_wrong_passwords_from_one_address_check_exactly_its_limit(rates):
    UserFactory(email="ann@example.com")  # login.account-address: 5/min

    responses = simultaneously(
        lambda i: APIClient(REMOTE_ADDR="10.2.1.1").post(
            reverse("login"), {"email": "ann@example.com", "password": f"guess-{i}"}
        ),
        count=ATTEMPTS,
    )

    assert statuses(responses) == [400] * 5 + [429] * (ATTEMPTS - 5)
    owner = APIClient(REMOTE_ADDR="10.2.1.2").post(
        reverse("login"), {"email": "ann@example.com", "password": PASSWORD}
    )
    assert owner.status_code == 200  # the refused attempts did not count for the account


def test_simultaneous_refreshes_pass_at_most_the_limit(rates):
    rates["token-refresh.account"] = "5/min"
    user = UserFactory()
    tokens = [str(RefreshToken.for_user(user)) for _ in range(20)]

    responses = simultaneously(
        lambda i: APIClient(REMOTE_ADDR=f"10.2.2.{i}").post(
            reverse("token-refresh"), {"refresh": tokens[i]}
        ),
        count=len(tokens),
    )

    assert statuses(responses) == [200] * 5 + [429] * 15
