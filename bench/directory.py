"""List-endpoint benchmark: each endpoint beside its floor, interleaved (`make bench`).

Builds a throwaway database (SQLite in a temporary folder or, when DATABASE_URL names a PostgreSQL
database, "<name>_bench" beside it, dropped at the end) with 10,000 users in 1,000 organizations,
3 memberships each, logs a real user in, and measures each endpoint and its floor
(bench/floors.py) through Django's test client with the JWT in the header; then each endpoint
over HTTP, served by gunicorn. Exits non-zero if a list endpoint is above 2x its floor.
"""

import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

WORKDIR = tempfile.mkdtemp(prefix="bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-insecure-key-not-for-production")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
# Throttling still runs on every request, at rates the measuring loops never reach.
os.environ.setdefault(
    "API_THROTTLE_RATES",
    ",".join(
        f"{scope}.{key}=1000000/min"
        for scope in ("api", "login", "register")
        for key in ("address", "account")
    ),
)

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from rest_framework.request import Request  # noqa: E402

from accounts.authentication import JWTAuthentication  # noqa: E402
from accounts.models import User  # noqa: E402
from orgs.models import Membership, Organization, name_key, users_count_refresh  # noqa: E402

USERS, ORGANIZATIONS, MEMBERSHIPS = 10_000, 1_000, 3
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
PASSWORD = "benchmark-pass-123"


def build_directory():
    """The directory, in bulk: the same rows for the same seed."""
    rng = random.Random(2024)
    if connection.vendor == "sqlite":  # a file in a temporary folder
        call_command("migrate", "--no-input", verbosity=0)
    else:  # a database of its own beside the one DATABASE_URL names, which it never touches
        connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        User(
            email=f"user{i}@example.com",
            password=password,
            first_name=rng.choice(["Ann", "Bob", "Chloé", "Dmitry", "Eve", "Fatima"]),
            last_name=f"Surname{rng.randrange(5000)}",
            phone=f"+1415555{i:04d}" if i % 2 else "",
        )
        for i in range(USERS)
    )
    user_ids = list(User.objects.values_list("id", flat=True))
    Organization.objects.bulk_create(
        Organization(
            name=f"Organization {i:04d}",
            name_key=name_key(f"Organization {i:04d}"),  # bulk_create does not call save()
            description=f"Description of organization {i}",
            created_by_id=rng.choice(user_ids),
        )
        for i in range(ORGANIZATIONS)
    )
    org_ids = list(Organization.objects.values_list("id", flat=True))

    Membership.objects.bulk_create(
        Membership(user_id=user_id, organization_id=org_id)
        for user_id in user_ids
        for org_id in rng.sample(org_ids, MEMBERSHIPS)
    )
    users_count_refresh(org_ids)  # bulk_create sends no signals
    if connection.vendor == "postgresql":  # the planner statistics autovacuum would gather
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user_ids, org_ids


def endpoints(user_ids, org_ids):
    """(label, API path, floor path) for each measured request."""
    busy_org = Organization.objects.order_by("-users_count", "id").values_list("id", flat=True)[0]
    return [
        ("users, page 1 of 100", "/api/users/?page_size=100", "/floor/users/?page_size=100"),
        (
            "users, page 90 of 100",
            "/api/users/?page_size=100&page=90",
            "/floor/users/?page_size=100&page=90",
        ),
        ("one user", f"/api/users/{user_ids[4242]}/", f"/floor/users/{user_ids[4242]}/"),
        (
            "organizations, 100",
            "/api/organizations/?page_size=100",
            "/floor/organizations/?page_size=100",
        ),
        (
            "organizations with users, 20",
            "/api/organizations/users/?page_size=20",
            "/floor/organizations/users/?page_size=20",
        ),
        (
            "members of one organization, 100",
            f"/api/organizations/{busy_org}/users/?page_size=100",
            f"/floor/organizations/{busy_org}/users/?page_size=100",
        ),
    ]


def timed(client, path, headers):
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return elapsed


def count_queries(client, path, headers):
    with CaptureQueriesContext(connection) as queries:
        client.get(path, headers=headers)
    return len(queries)


def p90(values):
    return statistics.quantiles(values, n=10)[-1]


def measure(client, headers, cases):
    for label, api, floor in cases:
        got = orjson.loads(client.get(api, headers=headers).content)
        want = orjson.loads(client.get(floor, headers=headers).content)
        assert got == want, f"{label}: the endpoint and its floor differ"
    samples = {label: ([], []) for label, _, _ in cases}
    for _ in range(ROUNDS):
        for label, api, floor in cases:  # interleaved: drift hits every variant alike
            samples[label][0].append(timed(client, api, headers))
            samples[label][1].append(timed(client, floor, headers))
    rows = []
    for label, api, floor in cases:
        api_ms, floor_ms = samples[label]
        rows.append(
            (
                label,
                count_queries(client, api, headers),
                count_queries(client, floor, headers),
                statistics.median(api_ms),
                p90(api_ms),
                statistics.median(floor_ms),
                p90(floor_ms),
                statistics.median(api_ms) / statistics.median(floor_ms),
            )
        )
    return rows


def print_table(rows):
    print(
        "| endpoint | queries (API / floor) | API median ms | API p90 ms "
        "| floor median ms | floor p90 ms | API / floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, q_api, q_floor, med, p90_api, floor_med, floor_p90, ratio in rows:
        print(
            f"| {label} | {q_api} / {q_floor} | {med:.2f} | {p90_api:.2f} "
            f"| {floor_med:.2f} | {floor_p90:.2f} | {ratio:.2f}x |"
        )


def http_run(cases, token, seconds=5, connections=4):
    """Each API endpoint under a short bounded load: gunicorn (2 workers with REDIS_URL, else
    one with 4 threads), loopback only."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "GUNICORN_DRAIN_SECONDS": "0",  # no load balancer to wait for
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),  # no line per request
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    else:  # the throwaway database the benchmark made
        env["DATABASE_URL"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + (connection.settings_dict["NAME"])
        )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            # Several processes only with a shared cache for the throttles (gunicorn.conf.py).
            *(["--workers", "2"] if env.get("REDIS_URL") else ["--workers", "1", "--threads", "4"]),
            "--log-level",
            "warning",
            "--no-control-socket",
        ],
        env=env,
        stdout=subprocess.DEVNULL,  # the access log, written as in production, not printed
    )
    rows = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for label, api, _floor in cases:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.http_load",
                    f"http://127.0.0.1:{port}{api}",
                    token,
                    str(seconds),
                    str(connections),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rows.append((label, orjson.loads(out)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def auth_costs(client, headers):
    """Login, registration and JWT validation, each a median (ms)."""
    login, register = [], []
    for i in range(15):
        body = {"email": "user7@example.com", "password": PASSWORD}
        start = time.perf_counter()
        assert client.post("/api/login/", body, content_type="application/json").status_code == 200
        login.append((time.perf_counter() - start) * 1000)
        body = {"email": f"new{i}-{time.time_ns()}@example.com", "password": PASSWORD}
        start = time.perf_counter()
        assert (
            client.post("/api/register/", body, content_type="application/json").status_code == 201
        )
        register.append((time.perf_counter() - start) * 1000)
    # What a token costs each authenticated request: the authentication class DRF runs, on its
    # own (a request-to-request difference would drown in the noise of the rest of the request).
    request = Request(RequestFactory().get("/api/", headers=headers))
    authentication = JWTAuthentication()
    validation = []
    for _ in range(ROUNDS * 20):
        start = time.perf_counter()
        user, _token = authentication.authenticate(request)
        validation.append((time.perf_counter() - start) * 1000)
        assert user.email == "user7@example.com"
    return {
        "login (one Argon2 check, tokens issued)": statistics.median(login),
        "registration (one Argon2 hash, inserts, tokens issued)": statistics.median(register),
        "JWT validation with the user lookup, per authenticated request": statistics.median(
            validation
        ),
    }


def main():
    named = connection.settings_dict["NAME"]
    try:
        return run()
    finally:
        if connection.settings_dict["NAME"] != named:  # the benchmark's own PostgreSQL database
            connection.creation.destroy_test_db(named, verbosity=0)
        shutil.rmtree(WORKDIR, ignore_errors=True)


def run():
    print(
        f"Database: {connection.vendor}; building {USERS} users in {ORGANIZATIONS} organizations..."
    )
    user_ids, org_ids = build_directory()
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        login = client.post(
            "/api/login/",
            {"email": "user7@example.com", "password": PASSWORD},
            content_type="application/json",
        )
        headers = {"Authorization": f"Bearer {login.json()['access']}"}
        cases = endpoints(user_ids, org_ids)
        print(
            f"Each endpoint and its floor: {ROUNDS} interleaved rounds, in-process, with a JWT.\n"
        )
        rows = measure(client, headers, cases)
        costs = auth_costs(client, headers)
    print_table(rows)
    print("\nAuthentication costs (median, in-process):\n")
    print("| operation | ms |\n|---|---:|")
    for label, ms in costs.items():
        print(f"| {label} | {ms:.2f} |")
    print("\nHTTP: gunicorn with 1 worker of 4 threads (2 workers with REDIS_URL), 4 keep-alive")
    print("connections for 5 s per endpoint from a")
    print("second process (machine-dependent: compare within one run only).\n")
    print("| endpoint | requests | errors | requests/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, result in http_run(cases, headers["Authorization"].split()[1]):
        print(
            f"| {label} | {result['requests']} | {result['errors']} | {result['rps']:.0f} "
            f"| {result['p50_ms']:.1f} | {result['p99_ms']:.1f} |"
        )
    lists = [row for row in rows if row[0] != "one user"]
    worst = max(row[-1] for row in lists)
    print(f"\nWorst list endpoint: {worst:.2f}x its floor (goal: at most 2.00x)")
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
