"""The throttling counts fail open: with their Redis stopped or frozen, requests are served,
uncounted, and only the first one after a failure waits for the cache, for at most the cache's
timeout. The Redis is a process of the test's own."""

import logging
import time

import pytest
import redis

from restkit.throttling import ScopedThrottle, cache_breaker, within_limit
from tests.services import REDIS_SERVER, redis_process

pytestmark = pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The default cache in a redis-server of this test's own, with the production options."""
    with redis_process(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            }
        }
        cache_breaker.open_until = 0.0
        cache_breaker.warned_at = -cache_breaker.warn_every
        yield server
        cache_breaker.open_until = 0.0


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


@pytest.mark.parametrize("fault", ["stop", "freeze"])
def test_requests_are_served_uncounted_while_the_cache_fails(
    redis_cache, fault, settings, api_client, caplog
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api.account": "2/min"}
    getattr(redis_cache, fault)()

    with caplog.at_level(logging.WARNING, logger="restkit.breaker"):
        statuses = [api_client.get("/api/users/").status_code for _ in range(5)]
        time.sleep(settings.CACHE_RETRY_SECONDS)  # the breaker tries the cache again
        statuses += [api_client.get("/api/users/").status_code for _ in range(5)]

    assert statuses == [200] * 10  # over the limit of 2, as nothing could be counted
    [warning] = caplog.records  # once a minute at most, however many failures
    assert warning.getMessage().startswith("cache unavailable")


def test_only_the_first_request_after_a_failure_waits_for_the_cache(redis_cache, rf):
    redis_cache.freeze()
    request = rf.get("/api/")
    request.user = None

    def decide():
        return ScopedThrottle().take(request, None, None)

    first, first_wait = timed(decide)
    others = [timed(decide) for _ in range(20)]

    assert first
    assert all(allowed for allowed, _ in others)
    assert first_wait < 0.25  # the socket timeout, 100 ms, and no retry
    assert max(wait for _, wait in others) < 0.02  # the breaker is open: no wait at all


def test_counting_resumes_within_a_second_of_the_cache_returning(redis_cache, settings):
    redis_cache.stop()
    assert within_limit("password-reset.mail", "user-1")  # uncounted: the cache is down
    redis_cache.start()

    counts = redis.Redis(port=redis_cache.port)
    start = time.monotonic()
    while not counts.keys("*"):
        assert time.monotonic() - start < settings.CACHE_RETRY_SECONDS + 0.5
        within_limit("password-reset.mail", "user-1")
        time.sleep(0.05)
    assert cache_breaker.open_until <= time.monotonic()
