"""The API under gunicorn while a dependency fails: a Redis of the test's own stopped, then
frozen (the throttling counts fail open, every request is served without waiting for it), and
the connection to PostgreSQL cut (a 503 with Retry-After); each recovers within a second.

Each test prints its figures (requests served, worst latency), which docs/operations.md quotes.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
import redis

from tests.e2e.conftest import running_server, sign_up
from tests.services import REDIS_SERVER, TcpProxy, redis_process

POSTGRES = ("127.0.0.1", 5432)


def send(method, url, token, data=None):
    """One request; returns (status, seconds taken, headers, decoded body)."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    return status, time.monotonic() - start, headers, json.loads(raw or b"null")


def load(url, token, seconds, clients=4):
    """Reads and writes from `clients` threads for `seconds`: every answer."""
    answers = []
    deadline = time.monotonic() + seconds

    def client(n):
        i = 0
        while time.monotonic() < deadline:
            i += 1
            if i % 2:
                answers.append(send("GET", f"{url}/api/users/", token))
            else:
                name = f"Name {n}-{i}"
                answers.append(send("PATCH", f"{url}/api/profile/", token, {"first_name": name}))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def figures(name, answers):
    statuses = sorted({status for status, *_ in answers})
    worst = max(seconds for _, seconds, *_ in answers)
    print(f"\n{name}: {len(answers)} requests, statuses {statuses}, worst {worst * 1000:.0f} ms")
    return worst


def within(seconds, condition):
    """How long `condition()` took to come true, failing after `seconds`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "did not recover in time"
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_requests_are_served_while_redis_is_down_or_frozen(tmp_path):
    with (
        redis_process(tmp_path) as server,
        running_server(tmp_path, REDIS_URL=server.url) as url,
    ):
        token = sign_up(url, "faults@example.com", "correct-horse-42")["access"]
        cache = redis.Redis(port=server.port, socket_timeout=5)

        def counted_again():
            send("GET", f"{url}/api/users/", token)
            return bool(cache.keys("*throttle*"))

        up = load(url, token, 0.5)

        server.stop()
        stopped = load(url, token, 1.5)
        server.start()
        cache = redis.Redis(port=server.port, socket_timeout=5)
        recovery = within(1.5, counted_again)
        print(f"Redis restarted: counting again after {recovery * 1000:.0f} ms")

        server.freeze()
        frozen = load(url, token, 1.5)
        server.thaw()
        cache.flushdb()
        recovery = within(1.5, counted_again)
        print(f"Redis thawed: counting again after {recovery * 1000:.0f} ms")

    figures("Redis up", up)
    for name, answers in (("Redis stopped", stopped), ("Redis frozen", frozen)):
        worst = figures(name, answers)
        assert {status for status, *_ in answers} == {200}
        # Without the breaker and timeouts a frozen Redis held each request for good. A request
        # waits for the cache at most once (100 ms); the rest is this machine's load
        # (tests/api/test_throttling_fail_open.py times the cache's part alone).
        assert worst < 1.5


@pytest.fixture
def postgres_database():
    """A database of this test's own on the local PostgreSQL, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"people_ops_fault_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(
            host=POSTGRES[0], port=POSTGRES[1], user="postgres", dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL answers at 127.0.0.1:5432")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_database_outage_is_a_503_with_retry_after_and_recovers(tmp_path, postgres_database):
    proxy = TcpProxy(POSTGRES)
    proxy.start()
    database_url = f"postgres://postgres@127.0.0.1:{proxy.port}/{postgres_database}"
    with running_server(tmp_path, DATABASE_URL=database_url) as url:
        token = sign_up(url, "outage@example.com", "correct-horse-42")["access"]
        assert {status for status, *_ in load(url, token, 0.5)} == {200}

        proxy.cut()
        outage = load(url, token, 1)
        ready = send("GET", f"{url}/api/health/ready/", token)
        proxy.start()
        recovery = within(1, lambda: send("GET", f"{url}/api/users/", token)[0] == 200)
        print(f"\nPostgreSQL back: 200 again after {recovery * 1000:.0f} ms")
        assert {status for status, *_ in load(url, token, 0.5)} == {200}

        proxy.freeze()  # a server that stops answering: the readiness check says so in time
        frozen = send("GET", f"{url}/api/health/ready/", token)
        proxy.thaw()
    proxy.cut()

    status, seconds, _, body = frozen
    print(f"PostgreSQL frozen: readiness answered {status} in {seconds * 1000:.0f} ms")
    assert status == 503
    assert body["checks"]["database"] == "no answer within 1 s"
    assert seconds < 2

    assert ready[0] == 503
    assert ready[3]["checks"] == {"database": "failed: OperationalError", "cache": "ok"}
    worst = figures("PostgreSQL unreachable", outage)
    assert {status for status, *_ in outage} == {503}
    for _, _, headers, body in outage:
        assert headers["Retry-After"] == "5"
        assert body == {"detail": "The service is temporarily unavailable: try again shortly."}
    assert worst < 1
