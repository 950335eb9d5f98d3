import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from tests.node import node_tool

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return path.read_text()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_the_committed_schema_is_up_to_date(generated):
    assert generated == COMMITTED.read_text(), "Run `make schema` and commit docs/openapi.yaml."


def test_every_operation_has_a_summary_a_description_and_a_unique_id(generated):
    schema = yaml.safe_load(generated)
    ids = []
    for method, path, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        ids.append(operation["operationId"])

    assert len(ids) == len(set(ids))


def test_jwt_bearer_is_the_security_scheme(generated):
    schema = yaml.safe_load(generated)

    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    users = schema["paths"]["/api/users/"]["get"]
    assert {"jwtAuth": []} in users["security"]
    assert {} not in users["security"]  # not anonymous


def test_request_bodies_are_json_but_the_avatar_upload_is_multipart(generated):
    schema = yaml.safe_load(generated)
    media_types = {
        operation["operationId"]: set(operation["requestBody"]["content"])
        for _, _, operation in operations(schema)
        if "requestBody" in operation
    }

    assert media_types.pop("uploadAvatar") == {"multipart/form-data"}
    assert set(map(frozenset, media_types.values())) == {frozenset({"application/json"})}
    upload = schema["paths"]["/api/profile/avatar/"]["put"]["requestBody"]
    ref = upload["content"]["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
    avatar = schema["components"]["schemas"][ref]
    assert avatar["required"] == ["avatar"]
    assert avatar["properties"]["avatar"]["format"] == "binary"


def test_operation_ids_are_the_names_a_client_developer_would_choose(generated):
    schema = yaml.safe_load(generated)
    ids = {
        (method, path): operation["operationId"] for method, path, operation in operations(schema)
    }

    assert ids[("post", "/api/login/")] == "login"
    assert ids[("post", "/api/token/refresh/")] == "refreshToken"
    assert ids[("post", "/api/organizations/{organization_pk}/users/")] == "joinOrganization"
    assert (
        ids[("delete", "/api/organizations/{organization_pk}/users/{id}/")] == "leaveOrganization"
    )
    assert ids[("delete", "/api/profile/")] == "deleteAccount"
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", id) for id in ids.values()), ids


def test_public_operations_need_no_token_and_the_others_a_bearer_token(generated):
    schema = yaml.safe_load(generated)
    security = {
        operation["operationId"]: operation["security"] for _, _, operation in operations(schema)
    }

    public = {name for name, requirement in security.items() if requirement == []}
    assert public == {
        "getApiRoot",
        "register",
        "verifyEmail",
        "resendVerificationEmail",
        "login",
        "loginWithCode",
        "logout",
        "refreshToken",
        "verifyToken",
        "requestPasswordReset",
        "confirmPasswordReset",
    }
    assert all(security[name] == [{"jwtAuth": []}] for name in security.keys() - public)
    assert list(schema["components"]["securitySchemes"]) == ["jwtAuth"]  # no session cookie


def test_every_operation_with_a_body_documents_the_errors_of_reading_it(generated):
    schema = yaml.safe_load(generated)

    for method, path, operation in operations(schema):
        if method in {"post", "put", "patch", "delete"}:
            assert "413" in operation["responses"], (method, path)
        if "requestBody" in operation or operation["operationId"] in {
            "joinOrganization",
            "leaveOrganization",
        }:
            assert {"400", "415"} <= set(operation["responses"]), (method, path)


def test_the_verification_pending_sign_up_is_its_own_status(generated):
    schema = yaml.safe_load(generated)
    responses = schema["paths"]["/api/register/"]["post"]["responses"]

    assert responses["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/TokensWithUser"
    )
    assert responses["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/Detail")


def test_account_deletion_takes_only_the_password(generated):
    schema = yaml.safe_load(generated)
    body = schema["paths"]["/api/profile/"]["delete"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].split("/")[-1]

    assert list(schema["components"]["schemas"][ref]["properties"]) == ["password"]


def test_addresses_are_plain_strings(generated):
    """Shown as written (anna@bücher.de): `format: email` would make strict validators refuse
    them, and ajv refuses `idn-email` as an unknown format."""
    schema = yaml.safe_load(generated)
    emails = [
        prop
        for component in schema["components"]["schemas"].values()
        for name, prop in component.get("properties", {}).items()
        if name == "email"
    ]

    assert emails
    assert all(prop["type"] == "string" and "format" not in prop for prop in emails)


def test_every_property_of_a_body_has_a_realistic_example(generated):
    schema = yaml.safe_load(generated)

    for name, component in schema["components"]["schemas"].items():
        for prop_name, prop in component.get("properties", {}).items():
            nested = "$ref" in prop or "allOf" in prop or "$ref" in prop.get("items", {})
            if nested or prop.get("format") == "binary" or name == "ApiError":
                continue
            assert "example" in prop, (name, prop_name)
            assert prop["example"] != "string"
            assert "api.example.org" not in str(prop["example"])


def test_errors_and_pagination_are_described(generated):
    schema = yaml.safe_load(generated)
    users = schema["paths"]["/api/users/"]["get"]
    detail = schema["paths"]["/api/organizations/{id}/"]["patch"]

    assert {"200", "400", "401", "404"} <= set(users["responses"])
    assert {"200", "400", "401", "403", "404"} <= set(detail["responses"])
    page = users["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][page.split("/")[-1]]
    assert {"count", "next", "previous", "results"} <= set(envelope["required"])
    params = {p["name"] for p in users["parameters"]}
    assert {"search", "organization", "ordering", "page", "page_size"} <= params


def test_the_profile_reads_organizations_as_objects(generated):
    schema = yaml.safe_load(generated)
    response = schema["paths"]["/api/profile/"]["get"]["responses"]["200"]
    name = response["content"]["application/json"]["schema"]["$ref"].split("/")[-1]

    organizations = schema["components"]["schemas"][name]["properties"]["organizations"]
    assert organizations["items"]["$ref"].endswith("/OrganizationSummary")


def test_the_committed_schema_passes_redoclys_recommended_rules():
    """redocly.yaml: the recommended rules, apart from the trailing slash of every path."""
    redocly = node_tool("redocly")

    result = subprocess.run(
        [str(redocly), "lint", "docs/openapi.yaml", "--format", "stylish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout, result.stdout


def test_every_operation_documents_the_503_of_a_database_outage(generated):
    schema = yaml.safe_load(generated)

    for method, path, operation in operations(schema):
        assert "503" in operation["responses"], (method, path)
