from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


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


def test_the_avatar_is_a_multipart_file_upload(generated):
    schema = yaml.safe_load(generated)
    body = schema["paths"]["/api/profile/"]["patch"]["requestBody"]["content"]

    ref = body["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
    assert schema["components"]["schemas"][ref]["properties"]["avatar"]["format"] == "binary"


def test_errors_and_pagination_are_described(generated):
    schema = yaml.safe_load(generated)
    users = schema["paths"]["/api/users/"]["get"]
    detail = schema["paths"]["/api/organizations/{id}/"]["patch"]

    assert {"200", "400", "401", "404"} <= set(users["responses"])
    assert {"200", "400", "401", "403", "404"} <= set(detail["responses"])
    page = users["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][page.split("/")[-1]]
    assert {"count", "next", "previous", "results"} <= set(envelope["properties"])
    params = {p["name"] for p in users["parameters"]}
    assert {"search", "organization", "ordering", "page", "page_size"} <= params


def test_the_profile_reads_organizations_as_objects(generated):
    schema = yaml.safe_load(generated)
    response = schema["paths"]["/api/profile/"]["get"]["responses"]["200"]
    name = response["content"]["application/json"]["schema"]["$ref"].split("/")[-1]

    organizations = schema["components"]["schemas"][name]["properties"]["organizations"]
    assert organizations["items"]["$ref"].endswith("/OrganizationSummary")
