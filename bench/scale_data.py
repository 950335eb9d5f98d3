"""The directories `make bench-scale` measures: PostgreSQL databases of 10k, 100k or 1M users,
built once with COPY and kept for the next run (`--drop` removes them).

Each is loaded at the schema of the last migration before the directory indexes
(BASE_MIGRATIONS), then migrated to the latest: the index migrations run on full tables, as they
would on a live database, and the run prints how long they took.
"""

import hashlib
import io
import random
import time
import unicodedata
from datetime import UTC, datetime, timedelta

import psycopg
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection

PASSWORD = "benchmark-pass-123"
# label: (users, organizations); 3 memberships each, as `make bench`.
SIZES = {"10k": (10_000, 1_000), "100k": (100_000, 10_000), "1m": (1_000_000, 100_000)}
MEMBERSHIPS = 3
FIRST_NAMES = ["Ann", "Bob", "Chloé", "Dmitry", "Eve", "Fatima"]
SURNAMES = 5000
BASE_MIGRATIONS = [("accounts", "0008_login_sessions"), ("orgs", "0003_membership")]
START = datetime(2020, 1, 1, tzinfo=UTC)


def database_name(label):
    return f"people_scale_{label}"


def server_url(base_url):
    """The maintenance database on the server DATABASE_URL names."""
    return base_url.rsplit("/", 1)[0] + "/postgres"


def exists(base_url, name):
    with psycopg.connect(server_url(base_url), autocommit=True) as admin:
        return bool(
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def drop(base_url, name):
    with psycopg.connect(server_url(base_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def use(name):
    """Point Django's connection at the database `name`."""
    connection.close()
    connection.settings_dict["NAME"] = name


def name_key(name):  # orgs.models.name_key, for names of ASCII letters and digits
    folded = unicodedata.normalize("NFKC", name).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


def copy(raw, table, columns, lines):
    """COPY the tab-separated `lines` into `table`, in blocks."""
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out,
    ):
        block = io.StringIO()
        for n, line in enumerate(lines, 1):
            block.write(line)
            block.write("\n")
            if n % 50_000 == 0:
                out.write(block.getvalue())
                block = io.StringIO()
        out.write(block.getvalue())


def load(users, organizations):
    """The rows, by COPY, for the same seed the same directory as `make bench` draws."""
    rng = random.Random(2024)
    password = make_password(PASSWORD)
    connection.ensure_connection()
    raw = connection.connection
    copy(
        raw,
        "accounts_user",
        [
            "email",
            "password",
            "first_name",
            "last_name",
            "phone",
            "avatar",
            "contact_visibility",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
        ],
        (
            "\t".join(
                [
                    f"user{i}@example.com",
                    password,
                    rng.choice(FIRST_NAMES),
                    f"Surname{rng.randrange(SURNAMES)}",
                    f"+1415555{i % 10_000:04d}" if i % 2 else "",
                    "",
                    "organizations",
                    "f",
                    "f",
                    "t",
                    (START + timedelta(seconds=i * 60 + rng.randrange(60))).isoformat(),
                ]
            )
            for i in range(users)
        ),
    )
    user_ids = [row[0] for row in raw.execute("SELECT id FROM accounts_user ORDER BY id")]
    copy(
        raw,
        "orgs_organization",
        ["name", "name_key", "description", "created_by_id", "created_at"],
        (
            "\t".join(
                [
                    f"Organization {i:06d}",
                    name_key(f"Organization {i:06d}"),
                    f"Description of organization {i}",
                    str(rng.choice(user_ids)),
                    START.isoformat(),
                ]
            )
            for i in range(organizations)
        ),
    )
    org_ids = [row[0] for row in raw.execute("SELECT id FROM orgs_organization ORDER BY id")]
    joined = START.isoformat()
    copy(
        raw,
        "orgs_membership",
        ["user_id", "organization_id", "joined_at"],
        (
            f"{user_id}\t{org_id}\t{joined}"
            for user_id in user_ids
            for org_id in rng.sample(org_ids, MEMBERSHIPS)
        ),
    )
    add_email_addresses(raw)
    raw.commit()


def add_email_addresses(raw):
    """allauth's verified, primary address of each account, as sign-up leaves it: the table the
    sign-up looks an address up in."""
    raw.execute(
        'INSERT INTO account_emailaddress (user_id, email, verified, "primary") '
        "SELECT id, email, true, true FROM accounts_user u WHERE NOT EXISTS "
        "(SELECT 1 FROM account_emailaddress e WHERE e.user_id = u.id)"
    )


def ensure(base_url, label, log=print):
    """The database of size `label`, built if absent, migrated to the latest either way."""
    name = database_name(label)
    users, organizations = SIZES[label]
    if not exists(base_url, name):
        log(f"Building {name}: {users:,} users, {organizations:,} organizations...")
        started = time.monotonic()
        with psycopg.connect(server_url(base_url), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        use(name)
        for app, migration in BASE_MIGRATIONS:
            call_command("migrate", app, migration, "--no-input", verbosity=0)
        load(users, organizations)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"  loaded in {time.monotonic() - started:.0f} s")
    use(name)
    started = time.monotonic()
    call_command("migrate", "--no-input", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"  {name}: migrations (and VACUUM ANALYZE) in {time.monotonic() - started:.1f} s")
    return name
