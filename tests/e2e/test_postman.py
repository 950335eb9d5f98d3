"""The Postman collection in docs/postman/, run with newman against the live gunicorn server."""

import json
import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import call, sign_up
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


def mailed_token(log: Path, invitation_id: int) -> str:
    """The token of invitation `invitation_id`, from its mail as the server printed it (the
    console backend: no SMTP in this run); sent once the response is out, so waited for."""
    pattern = re.compile(rf"^({invitation_id}\.[\w-]+)$", re.MULTILINE)
    deadline = time.monotonic() + 10
    while not (found := pattern.search(log.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found, f"no mail with the token of invitation {invitation_id} in {log}"
    return found.group(1)


def invitations_by_mail(url: str, log: Path) -> dict[str, str]:
    """Three organizations invite one address, as a client would, over HTTP; their tokens read
    from the mails. Returns the newman environment variables of the invitation steps: one
    invitation to accept by token, one to decline, one left pending (accepted from the
    profile)."""
    run = secrets.token_hex(4)
    invited = f"postman.invited.{run}@example.com"
    access = sign_up(url, f"postman.inviter.{run}@example.com", "inviter-pass-123")["access"]
    tokens, ids = [], []
    for name in ("accepted", "declined", "pending"):
        status, org = call(
            f"{url}/api/organizations/",
            {"name": f"Postman {name} {run}", "join_policy": "invitation"},
            access,
        )
        assert status == 201, org
        status, invitation = call(org["invitations_url"], {"email": invited}, access)
        assert status == 201, invitation
        tokens.append(mailed_token(log, invitation["id"]))
        ids.append(org["id"])
    return {
        "invitedEmail": invited,
        "invitationToken": tokens[0],
        "declineToken": tokens[1],
        "invitedOrgId": str(ids[0]),
        "pendingOrgId": str(ids[2]),
    }


def test_the_postman_collection_passes_against_the_live_server(request):
    newman = node_tool("newman")
    live_server_url = request.getfixturevalue("live_server_url")  # no server for a skip
    log = request.getfixturevalue("live_server_folder") / "gunicorn.log"
    invitations = invitations_by_mail(live_server_url, log)

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
                *(
                    arg
                    for key, value in invitations.items()
                    for arg in ("--env-var", f"{key}={value}")
                ),
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
    # The invitation steps ran (they are skipped without the tokens).
    assert "Accept the invitation" in result.stdout
    assert "skipped" not in result.stdout.lower(), result.stdout
