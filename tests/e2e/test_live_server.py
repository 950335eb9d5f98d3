import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from tests.e2e.conftest import call, sign_up


def test_a_newcomer_registers_logs_in_and_reads_the_profile(live_server_url):
    api = f"{live_server_url}/api"

    status, registered = call(
        f"{api}/register/", {"email": "e2e@example.com", "password": "correct-horse-42"}
    )
    assert status == 201
    status, login = call(
        f"{api}/login/", {"email": "E2E@example.com", "password": "correct-horse-42"}
    )
    assert status == 200
    status, profile = call(f"{api}/profile/", token=login["access"])
    assert status == 200
    assert profile["id"] == registered["user"]["id"]
    assert profile["url"] == f"{api}/users/{profile['id']}/"


def test_errors_are_json_without_debug_pages(live_server_url):
    status, body = call(f"{live_server_url}/api/no-such-page/")

    assert status == 404
    assert body == {"detail": "Not found."}


def test_swagger_ui_and_its_assets_are_served_locally(live_server_url):
    with urllib.request.urlopen(f"{live_server_url}/api/docs/", timeout=10) as response:
        page = response.read().decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)

    assert any("swagger-ui-bundle" in asset for asset in assets), page
    for asset in assets:
        with urllib.request.urlopen(f"{live_server_url}{asset}", timeout=10) as response:
            assert response.status == 200, asset


def chunked_post(url, body: bytes):
    """POST `body` in chunks, without a Content-Length, as streaming clients send it."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    size = 7 if len(body) < 1000 else 65536
    chunks = (body[i : i + size] for i in range(0, len(body), size))
    connection.request(
        "POST",
        parts.path,
        body=chunks,
        headers={"Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_a_chunked_body_is_read_whole(live_server_url):
    api = f"{live_server_url}/api"
    sign_up(live_server_url, "chunked@example.com", "correct-horse-42")
    body = json.dumps({"email": "chunked@example.com", "password": "correct-horse-42"}).encode()

    status, login = chunked_post(f"{api}/login/", body)

    assert status == 200, login
    assert login["user"]["email"] == "chunked@example.com"


def test_a_chunked_body_above_the_size_limit_is_a_413(live_server_url):
    body = json.dumps({"email": "x@example.com", "password": "p" * 300_000}).encode()

    status, answer = chunked_post(f"{live_server_url}/api/login/", body)

    assert status == 413
    assert answer == {"detail": "The request body is too large: at most 262144 bytes."}
