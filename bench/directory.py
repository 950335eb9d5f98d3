"""List-endpoint benchmark: each endpoint beside its floor, interleaved (`make bench`).

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL of DATABASE_URL) with
10,000 users in 1,000 organizations, 3 memberships each, logs a real user in, and measures each
endpoint and its floor (bench/floors.py) through Django's test client with the JWT in the header.
"""

import os
import random
import statistics
import sys
import tempfile
import time

WORKDIR = tempfile.mkdtemp(prefix="bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-insecure-key-not-for-production")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from orgs.models import Organization  # noqa: E402

USERS, ORGANIZATIONS, MEMBERSHIPS = 10_000, 1_000, 3
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
PASSWORD = "benchmark-pass-123"


def build_directory():
    """The directory, in bulk: the same rows for the same seed."""
    rng = random.Random(2024)
    is_postgres = connection.vendor == "postgresql"
    if is_postgres:  # a throwaway schema state: start from empty tables
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
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
            description=f"Description of organization {i}",
            created_by_id=rng.choice(user_ids),
        )
        for i in range(ORGANIZATIONS)
    )
    org_ids = list(Organization.objects.values_list("id", flat=True))
    Membership = User.organizations.through
    Membership.objects.bulk_create(
        Membership(user_id=user_id, organization_id=org_id)
        for user_id in user_ids
        for org_id in rng.sample(org_ids, MEMBERSHIPS)
    )
    return user_ids, org_ids


def endpoints(user_ids, org_ids):
    """(label, API path, floor path) for each measured request."""
    busy_org = (
        Organization.objects.with_users_count()
        .order_by("-users_count", "id")
        .values_list("id", flat=True)[0]
    )
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


def main():
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
    print_table(rows)
    lists = [row for row in rows if row[0] != "one user"]
    worst = max(row[-1] for row in lists)
    print(f"\nWorst list endpoint: {worst:.2f}x its floor (goal: at most 2.00x)")
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
