"""Imports run one way: restkit imports no app, accounts knows nothing of orgs, and api/ is the
only place that wires them all together."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package):
    """The top-level packages that the modules of `package` import (migrations aside)."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("restkit", {"accounts", "orgs", "api", "project"}),
        ("accounts", {"orgs", "api", "project"}),
        ("orgs", {"api", "project"}),
    ],
)
def test_imports_run_one_way(package, forbidden):
    assert imported_packages(package) & forbidden == set()
