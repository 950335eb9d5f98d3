"""The Node.js tools of package.json, for the tests that run them (Postman's newman, Redocly,
the TypeScript client generators and tsc)."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_BIN = ROOT / "node_modules" / ".bin"


def node_tool(name: str) -> Path:
    """The path of node_modules/.bin/<name>; skips the test, saying what to install, when Node.js
    or the tool is missing (CI has both)."""
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH: install Node.js 20 or later, then run `npm ci`")
    tool = NODE_BIN / name
    if not tool.exists():
        pytest.skip(f"{tool.relative_to(ROOT)} is missing: run `npm ci` in {ROOT}")
    return tool
