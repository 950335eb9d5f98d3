"""A real server for end-to-end tests: gunicorn on a loopback port, real settings, fresh DB."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "end-to-end-tests-only-insecure-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "GUNICORN_DRAIN_SECONDS": "0",  # a test that drains says so
        "API_DRAIN_FILE": str(folder / "draining"),
        # Every client of these tests comes from one address: lift the per-address limits.
        "API_THROTTLE_RATES": ",".join(
            f"{scope}.address=100000/min"
            for scope in (
                "api",
                "login",
                "register",
                "password-change",
                "password-reset",
                "token-refresh",
            )
        ),
    }


def manage(folder: Path, *command: str, env: dict | None = None) -> None:
    """`manage.py command` on the database and files of the server in `folder`."""
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env or server_env(folder),
        check=True,
        capture_output=True,
    )


@contextmanager
def running_server(folder: Path, **settings):
    """gunicorn serving the API from `folder` (database, media), with extra environment
    `settings`; yields its base URL (no trailing slash)."""
    with running_server_process(folder, **settings) as (url, _):
        yield url


@contextmanager
def running_server_process(folder: Path, **settings):
    """running_server(), yielding the base URL and gunicorn's process."""
    env = {**server_env(folder), **settings}
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        manage(folder, *command, env=env)
    port = free_port()
    log = (folder / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            # Two processes when they can share their throttling counts; else gunicorn.conf.py
            # refuses several, and one process serves with threads.
            *(["--workers", "2"] if env.get("REDIS_URL") else ["--workers", "1", "--threads", "4"]),
            "--access-logfile",
            "-",
            "--no-control-socket",  # several test servers may run on one machine
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {log.name}") from None
                time.sleep(0.2)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def call(url, data=None, token=None):
    """A request over HTTP as a client app sends it: JSON, a POST when there is `data`, with the
    bearer `token` if given; returns the status and the decoded body (None when empty)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def sign_up(base_url, email, password):
    """Sign up over HTTP, as a client app would; returns the body: the tokens and the new user."""
    status, body = call(f"{base_url}/api/register/", {"email": email, "password": password})
    assert status == 201, body
    return body


@pytest.fixture(scope="session")
def live_server_folder(tmp_path_factory):
    """The database and files of the session's live server (`manage` runs commands on them)."""
    return tmp_path_factory.mktemp("live-server")


@pytest.fixture(scope="session")
def live_server_url(live_server_folder):
    """The base URL of a gunicorn server with an empty database, shared by the session."""
    with running_server(live_server_folder) as url:
        yield url


def pytest_terminal_summary(terminalreporter):
    """Say plainly whether the end-to-end runs (server, newman, browser) ran or were skipped."""
    outcomes = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if "tests/e2e/" in report.nodeid and report.when in {"call", "setup"}:
                outcomes[report.nodeid] = outcome
    if outcomes:
        terminalreporter.section("end-to-end tests")
        for nodeid, outcome in sorted(outcomes.items()):
            terminalreporter.write_line(f"{outcome.upper():8} {nodeid}")
