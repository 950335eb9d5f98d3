"""Fuzz every operation of docs/openapi.yaml against a live server with schemathesis.

Each operation gets generated requests, valid and invalid, and every answer must be a non-5xx
status that the schema documents for that operation, with the documented content type and a
body that matches the documented schema. The run is bounded and repeatable: 25 generated
examples per operation plus schemathesis's boundary cases, derandomized, so that every run sends
the same requests. A failure prints the request as a curl command; the server's log is
`gunicorn.log` in the test's `fuzz-server` temporary folder.
"""

import uuid
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import call, running_server, sign_up

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
PASSWORD = "correct-horse-42"

schema = schemathesis.openapi.from_path(SCHEMA_PATH)

CHECKS = [
    not_a_server_error,  # no 5xx
    status_code_conformance,  # the status is one the operation documents
    content_type_conformance,  # with the documented content type
    response_schema_conformance,  # and a body that matches the documented schema
]


def post(url, data, token=None):
    """call(), for the set-up: a status other than 2xx fails it; returns the body."""
    status, body = call(url, data, token)
    assert 200 <= status < 300, (url, status, body)
    return body


def register(server_url):
    """A new user over HTTP; returns their access token."""
    email = f"fuzz-{uuid.uuid4().hex[:12]}@example.com"
    return sign_up(server_url, email, PASSWORD)["access"]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """A server of the fuzz test's own, started as `live_server_url` is (gunicorn on a loopback
    port, production settings, an empty SQLite database), with every rate limit lifted.

    Not the shared `live_server_url`: the thousands of random users, organizations and
    memberships the fuzzer leaves would end up in the lists that the browser and Postman tests
    read, and its password-reset requests would use up that server's per-address budget, which
    the Postman run needs. The limits are lifted because every request comes from one address
    and most from one account; tests/api/test_throttling.py tests them.
    """
    unlimited = ",".join(f"{scope}=1000000/min" for scope in django_settings.THROTTLE_RATES)
    folder = tmp_path_factory.mktemp("fuzz-server")  # its gunicorn.log has every request
    with running_server(folder, API_THROTTLE_RATES=unlimited) as url:
        yield url


@pytest.fixture(scope="module")
def organizations(server_url):
    """A few organizations with a member, so that the generated ids sometimes name real ones."""
    api = f"{server_url}/api"
    token = register(server_url)
    for _ in range(3):
        organization = post(f"{api}/organizations/", {"name": f"Fuzz {uuid.uuid4().hex}"}, token)
        post(f"{api}/organizations/{organization['id']}/users/", {}, token)


@pytest.fixture
def auth_headers(server_url, organizations):
    """A fresh user for each operation, who created and joined an organization of their own.

    A user of their own per operation means that nothing one operation does (a password change
    or reset, an account deletion, a logout, an email change, leaving or deleting organizations)
    reaches the token of the next. Within an operation, the only requests that end a token need
    a secret that generated data cannot guess (the current password, a reset token), and the
    run lasts far less than the token's 15 minutes.
    """
    api = f"{server_url}/api"
    token = register(server_url)
    organization = post(f"{api}/organizations/", {"name": f"Fuzz {uuid.uuid4().hex}"}, token)
    post(f"{api}/organizations/{organization['id']}/users/", {}, token)
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same requests on every run, on CI too
    database=None,  # no .hypothesis/ folder: nothing is replayed from earlier runs
    # The fixtures run once per operation, not per example: that is intended.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_the_schema_says(case, server_url, auth_headers):
    response = case.call(base_url=server_url, headers=auth_headers, timeout=10)
    case.validate_response(response, checks=CHECKS, headers=auth_headers)
