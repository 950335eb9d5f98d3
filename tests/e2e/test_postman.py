"""The Postman collection in docs/postman/, run with newman against the live gunicorn server."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.node import node_tool

ROOT = Path(__file__).resolve().parents[2]
POSTMAN = ROOT / "docs" / "postman"
METHODS = {"get", "post", "put", "patch", "delete"}
PATH_PARAMETER = re.compile(r"\{\{?[^/{}]+\}?\}")


def requests_in(items):
    """Every request of a collection's item list, folders flattened."""
    for item in items:
        if "item" in item:
            yield from requests_in(item["item"])
        else:
            yield item["request"]


def operation(method: str, path: str) -> str:
    """`GET /api/users/{}/`: path parameters, `{id}` or `{{userId}}`, all written `{}`."""
    return f"{method.upper()} {PATH_PARAMETER.sub('{}', path)}"


def as_text(output) -> str:
    """A timed-out run's output: bytes on POSIX, even with `text=True`."""
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def test_the_collection_covers_every_operation_of_the_schema():
    schema = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    collection = json.loads((POSTMAN / "collection.json").read_text())
    documented = {
        operation(method, path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in METHODS
    }
    covered = {
        operation(request["method"], "/" + "/".join(request["url"]["path"]))
        for request in requests_in(collection["item"])
    }

    assert documented - covered == set()


def test_the_postman_collection_passes_against_the_live_server(request):
    newman = node_tool("newman")
    live_server_url = request.getfixturevalue("live_server_url")  # no server for a skip

    try:
        result = subprocess.run(
            [
                str(newman),
                "run",
                "docs/postman/collection.json",
                "-e",
                "docs/postman/environment.json",
                "--env-var",
                f"baseUrl={live_server_url}",
                "--working-dir",
                "docs/postman",
                "--reporters",
                "cli",
                "--color",
                "off",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"newman ran over {exc.timeout} s:\n{as_text(exc.stdout)}{as_text(exc.stderr)}")

    assert result.returncode == 0, result.stdout + result.stderr
