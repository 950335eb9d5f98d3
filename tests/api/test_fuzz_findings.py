"""What fuzzing the live server with schemathesis found (tests/e2e/test_fuzz.py), one test each.

Each test asserts the behaviour the API promises (docs/API.md, docs/openapi.yaml): a 4xx that
the operation documents, with a JSON object as its body, and nothing changed.
"""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.urls import reverse

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())


def documented_schema(path, method, status):
    """The body schema that docs/openapi.yaml gives for this answer, or fails saying it has none."""
    responses = SCHEMA["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document a {status}"
    return responses[str(status)]["content"]["application/json"]["schema"]


@pytest.fixture
def csrf_checking_jwt_client(jwt_client):
    """jwt_client with the CSRF checks that Django applies to every real client.

    The test client skips them by default, which hides what a real request gets.
    """
    jwt_client.handler.enforce_csrf_checks = True
    return jwt_client


# Finding 1: a body that is not JSON gets the documented 400 `{"detail": "JSON parse error - ..."}`
# (docs/API.md, Errors), but the 400 schema of every operation with a body allows only arrays of
# strings as values, so the schema contradicts the answer. A schema fix, not an app bug.
OPERATIONS_WITH_A_BODY = [
    ("post", "/api/register/", "/api/register/"),
    ("post", "/api/login/", "/api/login/"),
    ("post", "/api/logout/", "/api/logout/"),
    ("post", "/api/token/refresh/", "/api/token/refresh/"),
    ("post", "/api/token/verify/", "/api/token/verify/"),
    ("post", "/api/password/change/", "/api/password/change/"),
    ("post", "/api/password/reset/", "/api/password/reset/"),
    ("post", "/api/password/reset/confirm/", "/api/password/reset/confirm/"),
    ("post", "/api/register/resend-email/", "/api/register/resend-email/"),
    ("post", "/api/register/verify-email/", "/api/register/verify-email/"),
    ("put", "/api/profile/", "/api/profile/"),
    ("patch", "/api/profile/", "/api/profile/"),
    ("post", "/api/organizations/", "/api/organizations/"),
    ("put", "/api/organizations/{id}/", "/api/organizations/{org}/"),
    ("patch", "/api/organizations/{id}/", "/api/organizations/{org}/"),
]


@pytest.mark.parametrize(
    ("method", "path", "url"),
    OPERATIONS_WITH_A_BODY,
    ids=[f"{m} {p}" for m, p, _ in OPERATIONS_WITH_A_BODY],
)
def test_a_json_parse_error_matches_the_documented_400_schema(jwt_client, user, method, path, url):
    organization = OrganizationFactory(created_by=user)
    url = url.format(org=organization.pk)

    response = jwt_client.generic(method.upper(), url, b"\x00", content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("JSON parse error")
    jsonschema.validate(body, documented_schema(path, method, 400))


# Finding 2: a POST, PUT, PATCH or DELETE to a URL under /api/ that matches no route is a 403
# `{"detail": "CSRF check failed: CSRF cookie not set."}` rather than the JSON 404 that a GET gets
# (docs/API.md: "404 — no such URL"): the catch-all view api.views.not_found is not exempt from
# Django's CSRF check, which rejects any unsafe method without a CSRF cookie, token or not. The
# fuzzer met it through an id that is not a whole number, `POST /api/organizations/0.5/users/`
# (the routes' ids match `[^/.]+`, so a dot falls through to the catch-all).
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("url", ["/api/no-such-thing/", "/api/organizations/0.5/users/"])
def test_an_unknown_url_is_a_json_404_for_every_method(csrf_checking_jwt_client, method, url):
    response = csrf_checking_jwt_client.generic(method, url)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_joining_an_organization_by_a_decimal_id_is_a_404_and_joins_nothing(
    csrf_checking_jwt_client, user
):
    organization = OrganizationFactory()

    response = csrf_checking_jwt_client.post(f"/api/organizations/{organization.pk}.5/users/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not user.organizations.exists()


# Finding 3: a NUL character in `search` is a 400 whose body is a bare list,
# `["Null characters are not allowed."]` (DRF's SearchFilter raises a ValidationError without a
# field), not an object naming the field as every other 400 does; and the organization lists do
# not document a 400 at all (only GET /api/users/ does). Expected: a 400
# `{"search": ["Null characters are not allowed."]}`, documented for each list.
LISTS = [
    ("/api/users/", "/api/users/"),
    ("/api/organizations/", "/api/organizations/"),
    ("/api/organizations/users/", "/api/organizations/users/"),
    ("/api/organizations/{organization_pk}/users/", "/api/organizations/{org}/users/"),
]


@pytest.mark.parametrize(("path", "url"), LISTS, ids=[path for path, _ in LISTS])
def test_a_null_character_in_search_is_a_documented_400_naming_the_field(
    jwt_client, user, path, url
):
    organization = OrganizationFactory(created_by=user)
    organization.users.add(user)

    response = jwt_client.get(url.format(org=organization.pk), {"search": "a\x00b"})

    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, dict), body
    assert list(body) == ["search"]
    jsonschema.validate(body, documented_schema(path, "get", 400))


# Finding 4: DELETE /api/profile/ (delete your account) needs the current `password` in its body
# (docs/API.md), but docs/openapi.yaml gives the operation no request body and documents only
# 204, 401 and 429, so the 400 that a request without the password gets is undocumented (and so
# would be a 415 for another content type). A schema fix: a request body {"password": string,
# required} in JSON, form and multipart, and the 400 and 415 responses.
def test_deleting_the_account_without_its_password_is_a_documented_400(jwt_client, user):
    response = jwt_client.delete("/api/profile/")

    assert response.status_code == 400
    body = response.json()
    assert body == {"password": ["This field is required."]}
    assert type(user).objects.filter(pk=user.pk).exists()
    operation = SCHEMA["paths"]["/api/profile/"]["delete"]
    body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
    assert body_schema, "DELETE /api/profile/ documents no request body"
    jsonschema.validate(body, documented_schema("/api/profile/", "delete", 400))


# Outside testing: a lone surrogate ("\ud800", valid in JSON, not encodable as UTF-8) in the
# fields the throttles read to name the account was a 500 on every public endpoint.
SURROGATE = "\ud800"
PUBLIC_BODIES = {
    "register": {"email": f"{SURROGATE}@example.com", "password": "correct-horse-42"},
    "login": {"email": f"{SURROGATE}@example.com", "password": "x"},
    "password-reset": {"email": f"{SURROGATE}@example.com"},
    "resend-email": {"email": f"{SURROGATE}@example.com"},
    "token-refresh": {"refresh": SURROGATE},
    "token-verify": {"token": SURROGATE},
    "logout": {"refresh": SURROGATE},
    "verify-email": {"key": SURROGATE},
    "password-reset-confirm": {
        "uid": SURROGATE,
        "token": SURROGATE,
        "new_password1": "correct-horse-42",
        "new_password2": "correct-horse-42",
    },
}


@pytest.mark.parametrize("name", PUBLIC_BODIES)
def test_a_lone_surrogate_in_a_public_endpoints_body_is_a_400(anon_client, name):
    body = json.dumps(PUBLIC_BODIES[name])
    assert "\\ud800" in body

    response = anon_client.generic("POST", reverse(name), body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert "Surrogate characters are not allowed" in json.dumps(response.json())
