"""docs/API.md documents exactly the operations of the OpenAPI schema."""

import re
from pathlib import Path

import yaml

DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADING = re.compile(r"^### `(GET|POST|PUT|PATCH|DELETE) (/api/\S*)`$", re.MULTILINE)
METHODS = {"get", "post", "put", "patch", "delete"}


def test_api_reference_covers_every_operation_of_the_schema():
    schema = yaml.safe_load((DOCS / "openapi.yaml").read_text())
    in_schema = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in METHODS
    }

    documented = HEADING.findall((DOCS / "API.md").read_text())

    assert len(documented) == len(set(documented)), "an operation is documented twice"
    assert set(documented) == in_schema
