"""What docs/openapi.yaml, the committed schema, documents for each answer."""

from pathlib import Path

import yaml

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[1] / "docs" / "openapi.yaml").read_text())


def documented_schema(path, method, status):
    """The body schema that docs/openapi.yaml gives for this answer, or fails saying it has none;
    with the schema's components, which its references point into."""
    responses = SCHEMA["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document a {status}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": SCHEMA["components"]}
