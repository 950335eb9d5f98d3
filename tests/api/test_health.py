"""The load balancer's checks: liveness, and readiness naming what fails."""

import pytest

from tests.services import REDIS_SERVER, redis_process

LIVE = "/api/health/live/"
READY = "/api/health/ready/"


@pytest.mark.django_db
def test_a_live_process_answers_live(anon_client):
    response = anon_client.get(LIVE)

    assert (response.status_code, response.json()) == (200, {"status": "live"})
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_server_whose_database_and_cache_answer_is_ready(anon_client):
    response = anon_client.get(READY)

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_a_server_whose_cache_is_down_is_not_ready_and_says_why(anon_client, settings, tmp_path):
    with redis_process(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://:secret-password@127.0.0.1:{server.port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            }
        }
        server.stop()
        response = anon_client.get(READY)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed: ConnectionError"},
    }
    assert b"secret" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.mark.django_db
def test_a_draining_server_is_not_ready_but_live(anon_client, settings, tmp_path):
    settings.DRAIN_FILE = str(tmp_path / "draining")
    (tmp_path / "draining").touch()

    ready = anon_client.get(READY)
    live = anon_client.get(LIVE)

    assert ready.status_code == 503
    assert ready.json()["checks"]["draining"] == "the server is shutting down"
    assert live.status_code == 200


@pytest.mark.django_db
def test_the_checks_are_not_throttled(anon_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api.address": "1/min"}

    statuses = {anon_client.get(url).status_code for url in [LIVE, READY] * 5}

    assert statuses == {200}


@pytest.mark.django_db
def test_the_checks_only_answer_reads(anon_client):
    refused = anon_client.post(LIVE)

    assert (refused.status_code, refused["Allow"]) == (405, "GET, HEAD")
    assert refused.json() == {"detail": 'Method "POST" not allowed.'}
    assert anon_client.head(READY).status_code == 200
