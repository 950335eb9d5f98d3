"""Clients generated from docs/openapi.yaml run a client app's whole flow against the live server:
openapi-python-client's Python package, openapi-typescript's types with openapi-fetch, and
@hey-api/openapi-ts's SDK (the TypeScript flows type-checked by tsc, strict). The flows are
tests/e2e/clients/python_flow.py, flow.ts and heyapi_flow.ts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.node import node_tool

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "openapi.yaml"
CLIENTS = ROOT / "tests" / "e2e" / "clients"
PACKAGE = "people_client"  # the generated Python package, as python_flow.py imports it


def run(command, *, timeout=120, **kwargs):
    """`command`, its output kept; fails the test with that output on a non-zero exit."""
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"{command[0]} ran over {exc.timeout} s:\n{as_text(exc.stdout)}{as_text(exc.stderr)}"
        )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        shown = " ".join(str(part) for part in command)
        pytest.fail(f"{shown} exited with {result.returncode}:\n{output}", pytrace=False)
    return output


def as_text(output) -> str:
    """A timed-out run's output: bytes on POSIX, even with `text=True`."""
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def test_the_generated_python_client_runs_the_app_flow(request, tmp_path):
    # openapi-python-client formats what it writes with ruff, the venv's.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    generated = run(
        [
            Path(sys.executable).parent / "openapi-python-client",
            "generate",
            "--path",
            SCHEMA,
            "--meta",
            "none",
            "--output-path",
            tmp_path / PACKAGE,
        ],
        env=env,
    )
    assert "warning" not in generated.lower(), generated  # every operation generated as described
    live_server_url = request.getfixturevalue("live_server_url")

    output = run(
        [sys.executable, CLIENTS / "python_flow.py", live_server_url],
        env={**env, "PYTHONPATH": str(tmp_path)},
    )

    assert "Python client flow: every step passed" in output, output


def test_the_typescript_client_type_checks_and_runs_the_app_flow(request):
    tsc = node_tool("tsc")
    # build/schema.ts from the schema (openapi-typescript), build/flow.js from flow.ts.
    run(["node", CLIENTS / "build.mjs", SCHEMA], cwd=ROOT)
    run([tsc, "-p", CLIENTS, "--noEmit", "--strict"], cwd=ROOT)
    live_server_url = request.getfixturevalue("live_server_url")  # no server for a skip

    output = run(["node", CLIENTS / "build" / "flow.js", live_server_url], cwd=ROOT)

    assert "TypeScript client flow: every step passed" in output, output


def test_the_hey_api_sdk_type_checks_and_runs_the_app_flow(request):
    tsc = node_tool("tsc")
    node_tool("openapi-ts")  # run by heyapi_build.mjs
    # build/heyapi/ from the schema (@hey-api/openapi-ts); build/js/ from it and heyapi_flow.ts.
    run(["node", CLIENTS / "heyapi_build.mjs", SCHEMA], cwd=ROOT)
    run([tsc, "-p", CLIENTS / "tsconfig.heyapi.json", "--noEmit", "--strict"], cwd=ROOT)
    live_server_url = request.getfixturevalue("live_server_url")  # no server for a skip

    output = run(["node", CLIENTS / "build" / "js" / "heyapi_flow.js", live_server_url], cwd=ROOT)

    assert "@hey-api/openapi-ts client flow: every step passed" in output, output
