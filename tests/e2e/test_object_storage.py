"""Avatars in S3-compatible object storage, against moto's S3 server: uploaded, served by the URL
the API gives, replaced (the old object deleted), and deleted with the account."""

import json
import subprocess
import sys
import urllib.request
import uuid

import boto3
import pytest

from tests.e2e.conftest import call, running_server, sign_up
from tests.images import image_bytes
from tests.services import free_port, wait_for_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
}


@pytest.fixture
def s3_endpoint():
    """moto's S3-compatible server on a free loopback port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def upload_avatar(url, token, data):
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="me.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(f"{url}/api/profile/avatar/", data=body, method="PUT")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["avatar"]


def test_avatars_live_in_object_storage(tmp_path, s3_endpoint):
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=CREDENTIALS["AWS_S3_REGION_NAME"],
    )
    s3.create_bucket(Bucket="avatars")

    def keys():
        return [item["Key"] for item in s3.list_objects_v2(Bucket="avatars").get("Contents", [])]

    settings = {
        **CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": "avatars",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
    }
    with running_server(tmp_path, **settings) as url:
        token = sign_up(url, "s3@example.com", "correct-horse-42")["access"]

        first = upload_avatar(url, token, image_bytes(fmt="PNG"))
        [first_key] = keys()
        with urllib.request.urlopen(first, timeout=10) as response:  # from the object store
            served = response.read()

        second = upload_avatar(url, token, image_bytes(size=(50, 50), fmt="PNG"))
        [second_key] = keys()

        request = urllib.request.Request(
            f"{url}/api/profile/",
            data=json.dumps({"password": "correct-horse-42"}).encode(),
            method="DELETE",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            deleted = response.status
        remaining = keys()
        assert call(f"{url}/api/login/", {"email": "s3@example.com", "password": "x"})[0] == 400

    assert first.startswith(f"{s3_endpoint}/avatars/{first_key}?")  # a signed URL
    assert served.startswith(b"\x89PNG")
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.png"))
    assert second_key != first_key  # the replaced object is gone
    assert second.startswith(f"{s3_endpoint}/avatars/{second_key}?")
    assert deleted == 204
    assert remaining == []
