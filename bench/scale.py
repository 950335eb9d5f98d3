"""The directory at 10k and 1M users on PostgreSQL, the same requests at both sizes (`make
bench-scale`).

Builds (once; `--drop` removes them) PostgreSQL databases of 10,000 users in 1,000 organizations
and 1,000,000 users in 100,000 organizations, 3 memberships each (bench/scale_data.py), on the
server DATABASE_URL names (the local one by default). Then, in one process, through Django's test
client with a JWT and the throttles on, each request's median at both sizes, in alternating
blocks so that the machine's drift hits both; the ratio 1M / 10k; the plan of each request's
slowest query at 1M; each write's plans at 1M (is any a sequential scan?); and the resident
memory of the process over a few thousand 100-row pages. Exits non-zero if a request costs more
than LIMIT times at 1M what it costs at 10k. `--docs` writes the figures into
docs/benchmarks.md.
"""

import argparse
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-insecure-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
os.environ.setdefault(
    "API_THROTTLE_RATES",
    ",".join(
        f"{scope}.{key}=1000000/min"
        for scope in ("api", "login", "register")
        for key in ("address", "account")
    ),
)

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import scale_data  # noqa: E402
from restkit.pagination import encode_cursor  # noqa: E402

LIMIT = 1.5
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench-scale:start -->", "<!-- bench-scale:end -->"


def fixtures():
    """Ids the requests need, read from the current database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM accounts_user")
        [max_user] = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM orgs_organization")
        [organizations] = cursor.fetchone()
        cursor.execute(
            "SELECT name, id FROM orgs_organization ORDER BY name, id OFFSET %s LIMIT 1",
            [organizations // 2],
        )
        middle_org = list(cursor.fetchone())
        cursor.execute("SELECT organization_id FROM orgs_membership WHERE user_id = 8 LIMIT 1")
        [org] = cursor.fetchone()
    return {
        "middle_user": max_user // 2,
        "middle_org": middle_org,
        "org": org,
        "full_page_term": full_page_term("Surname4242", matches=200),
    }


def full_page_term(term, *, matches):
    """`term`, or its longest prefix that finds at least `matches` people: a search whose answer
    (a full page, and the count of what it finds) is the same at every size. `Surname4242` finds
    224 people at 1M and 2 at 10k, where `Surname42` finds 222."""
    with connection.cursor() as cursor:
        while len(term) > len("Surname"):
            cursor.execute(
                "SELECT count(*) FROM accounts_user WHERE upper(last_name) LIKE %s",
                [f"%{term.upper()}%"],
            )
            if cursor.fetchone()[0] >= matches:
                break
            term = term[:-1]
    return term


def requests(ids):
    """(label, path) of each measured request: the same at every size (one, the same answer)."""
    users_middle = encode_cursor(["id"], [ids["middle_user"]])
    orgs_middle = encode_cursor(["name", "id"], ids["middle_org"])
    return [
        ("users, page 1 of 100", "/api/users/?page_size=100"),
        ("users, middle page (cursor)", f"/api/users/?page_size=100&cursor={users_middle}"),
        ("users, last page", "/api/users/?page_size=100&page=last"),
        ("users, `ordering=last_name`", "/api/users/?page_size=100&ordering=last_name"),
        ("users, `ordering=-date_joined`", "/api/users/?page_size=100&ordering=-date_joined"),
        ("users, `ordering=email`", "/api/users/?page_size=100&ordering=email"),
        ("users, `search=ann` (common)", "/api/users/?page_size=100&search=ann"),
        ("users, `search=Surname4242` (rare)", "/api/users/?page_size=100&search=Surname4242"),
        (
            "users, a search finding 200+ (`Surname4242` at 1M, `Surname42` at 10k)",
            f"/api/users/?page_size=100&search={ids['full_page_term']}",
        ),
        ("users, `search=user4242@` (email)", "/api/users/?page_size=100&search=user4242@"),
        (
            "users, `search=example.com` (in every address)",
            "/api/users/?page_size=100&search=example.com",
        ),
        ("users, `search=zzzq` (no match)", "/api/users/?page_size=100&search=zzzq"),
        ("one user", "/api/users/8/"),
        ("users, `?organization=`", f"/api/users/?page_size=100&organization={ids['org']}"),
        ("members of one organization", f"/api/organizations/{ids['org']}/users/?page_size=100"),
        ("organizations, page 1", "/api/organizations/?page_size=100"),
        (
            "organizations, middle page (cursor)",
            f"/api/organizations/?page_size=100&cursor={orgs_middle}",
        ),
        ("organizations, last page", "/api/organizations/?page_size=100&page=last"),
        (
            "organizations, `ordering=-users_count`",
            "/api/organizations/?page_size=100&ordering=-users_count",
        ),
        ("organizations, `search=0042`", "/api/organizations/?page_size=100&search=0042"),
        ("organizations with users, 20", "/api/organizations/users/?page_size=20"),
    ]


def login(client):
    response = client.post(
        "/api/login/",
        {"email": "user7@example.com", "password": scale_data.PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['access']}"}


def timed(client, path, headers):
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return elapsed


def slowest_query_plan(client, path, headers):
    """EXPLAIN ANALYZE of the slowest query of one request, and the number of queries."""
    with CaptureQueriesContext(connection) as queries:
        client.get(path, headers=headers)
    slowest = max(
        (query for query in queries.captured_queries if not query["sql"].startswith("EXPLAIN")),
        key=lambda query: float(query["time"]),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {slowest['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return len(queries.captured_queries), plan


class Size:
    """One database, its client, token and requests."""

    def __init__(self, base_url, label):
        self.label = label
        self.name = scale_data.ensure(base_url, label)
        self.client = Client()
        self.headers = login(self.client)
        self.requests = requests(fixtures())
        self.samples = {label: [] for label, _ in self.requests}

    def activate(self):
        scale_data.use(self.name)
        for _label, path in self.requests:  # warm the connection and the caches
            timed(self.client, path, self.headers)

    def measure(self, rounds):
        for _ in range(rounds):
            for label, path in self.requests:
                self.samples[label].append(timed(self.client, path, self.headers))

    def median(self, label):
        return statistics.median(self.samples[label])


def writes(size):
    """Each write at this size: its median time and the plans of its queries (EXPLAIN only: a
    plan, not a run), with any sequential scan named."""
    client, headers = size.client, size.headers
    stamp = time.time_ns()
    org = size.requests and fixtures()["org"]
    results = []

    def run(label, method, path, body=None, status=(200, 201, 204), repeat=5, fresh=None):
        times, captured = [], None
        for i in range(repeat):
            data = fresh(i) if fresh else body
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                extra = {} if data is None else {"data": data, "content_type": "application/json"}
                response = getattr(client, method)(
                    path(i) if callable(path) else path, headers=headers, **extra
                )
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code in status, (label, response.status_code, response.content)
            captured = captured or queries.captured_queries
        plans, scans = [], set()
        with connection.cursor() as cursor:
            for query in captured:
                sql = query["sql"]
                if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT)", sql, re.IGNORECASE):
                    continue
                cursor.execute(f"EXPLAIN (COSTS OFF) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append((sql, plan))
                scans |= set(re.findall(r"Seq Scan on (\w+)", plan))
        results.append((label, statistics.median(times), len(captured), scans, plans))

    run(
        "registration",
        "post",
        "/api/register/",
        fresh=lambda i: {"email": f"new{stamp}-{i}@example.com", "password": "scale-pass-1234!"},
        repeat=3,
    )
    run("join an organization", "post", f"/api/organizations/{org}/users/", repeat=1)
    me = client.get("/api/profile/", headers=headers).json()["id"]
    run("leave it", "delete", f"/api/organizations/{org}/users/{me}/", repeat=1)
    client.post(f"/api/organizations/{org}/users/", headers=headers)  # back, as built
    run(
        "create an organization",
        "post",
        "/api/organizations/",
        fresh=lambda i: {"name": f"Scale {stamp} {i}"},
        repeat=3,
    )
    run("profile PATCH", "patch", "/api/profile/", {"first_name": "Ann"}, repeat=5)
    return results


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def memory(size, requests_count=2000):
    """Resident memory over `requests_count` 100-row pages, read every quarter."""
    path = "/api/users/?page_size=100&ordering=last_name"
    readings = [rss_mib()]
    for i in range(1, requests_count + 1):
        timed(size.client, path, size.headers)
        if i % (requests_count // 4) == 0:
            gc.collect()
            readings.append(rss_mib())
    return readings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drop", action="store_true", help="drop the scale databases and exit")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "10")))
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--small", default="10k", choices=scale_data.SIZES)
    parser.add_argument("--large", default="1m", choices=scale_data.SIZES)
    parser.add_argument("--docs", action="store_true", help="write into docs/benchmarks.md")
    args = parser.parse_args()
    base_url = os.environ["DATABASE_URL"]
    if connection.vendor != "postgresql":
        sys.exit("make bench-scale measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    if args.drop:
        for label in scale_data.SIZES:
            scale_data.drop(base_url, scale_data.database_name(label))
            print(f"dropped {scale_data.database_name(label)} (if it existed)")
        return 0

    small, large = Size(base_url, args.small), Size(base_url, args.large)
    print(
        f"\n{args.blocks} alternating blocks of {args.rounds} rounds per size, in-process, JWT, "
        "throttles on; medians in ms.\n"
    )
    for _ in range(args.blocks):
        for size in (small, large):
            size.activate()
            size.measure(args.rounds)

    large.activate()
    rows = []
    for label, path in large.requests:
        count, plan = slowest_query_plan(large.client, path, large.headers)
        ratio = large.median(label) / small.median(label)
        rows.append((label, small.median(label), large.median(label), ratio, count, plan))
    write_rows = writes(large)
    readings = memory(large)

    lines = table(rows, small.label, large.label)
    lines += ["", f"Writes at {large.label} (median ms; sequential scans in their plans):", ""]
    lines += ["| write | ms | queries | sequential scans |", "|---|---:|---:|---|"]
    for label, ms, count, scans, _plans in write_rows:
        lines.append(f"| {label} | {ms:.1f} | {count} | {', '.join(sorted(scans)) or 'none'} |")
    lines += [
        "",
        f"Resident memory over 2,000 pages of 100 users at {large.label} (MiB, every 500): "
        + " → ".join(f"{mib:.0f}" for mib in readings),
    ]
    print("\n".join(lines))
    worst = max(rows, key=lambda row: row[3])
    verdict = f"\nWorst: {worst[0]}, {worst[3]:.2f}x (limit {LIMIT}x)"
    print(verdict)
    if args.docs:
        write_docs(lines, rows, write_rows, small.label, large.label)
    return 0 if worst[3] <= LIMIT else 1


def table(rows, small, large):
    lines = [f"| request | {small} ms | {large} ms | {large} / {small} | queries |"]
    lines.append("|---|---:|---:|---:|---:|")
    for label, small_ms, large_ms, ratio, count, _plan in rows:
        flag = "" if ratio <= LIMIT else " **over**"
        lines.append(
            f"| {label} | {small_ms:.1f} | {large_ms:.1f} | {ratio:.2f}x{flag} | {count} |"
        )
    return lines


def write_docs(lines, rows, write_rows, small, large):
    body = [
        START,
        "",
        *lines,
        "",
        f"Plans at {large} (EXPLAIN ANALYZE of each request's slowest query):",
        "",
    ]
    for label, *_rest, plan in rows:
        body += [
            f"<details><summary>{label}</summary>",
            "",
            "```",
            plan,
            "```",
            "",
            "</details>",
            "",
        ]
    body += [f"Plans of the writes at {large} (EXPLAIN of each query):", ""]
    for label, _ms, _count, _scans, plans in write_rows:
        body += [f"<details><summary>{label}</summary>", ""]
        for sql, plan in plans:
            body += [
                "```sql",
                sql[:600] + (" …" if len(sql) > 600 else ""),
                "```",
                "```",
                plan,
                "```",
            ]
        body += ["", "</details>", ""]
    body.append(END)
    text = DOCS.read_text()
    block = "\n".join(body)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(text)
    print(f"\nWritten into {DOCS}")


if __name__ == "__main__":
    sys.exit(main())
