"""The API behind deploy/nginx.conf (Debian's nginx): slow clients no longer hold gunicorn's
workers, the per-address limits see each client's own address, nginx serves the static and
media files, and bodies over the API's limit stop at nginx."""

import http.client
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest

from deploy.nginx_conf import render
from tests.e2e.conftest import running_server
from tests.services import free_port, wait_for_port

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
pytestmark = pytest.mark.skipif(not NGINX, reason="nginx is not installed (Debian's nginx)")


def nginx_config(folder, port, upstream):
    """deploy/nginx.conf with this test's paths and ports in the lines marked EDIT."""
    path = folder / "nginx.conf"
    path.write_text(
        render(
            folder=folder,
            port=port,
            upstream=upstream,
            static_root=folder / "static",
            media_root=folder / "media",
            user="root",  # the test's folders are its own
            host="127.0.0.1",
        )
    )
    return path


def get(port, path, source="127.0.0.1", timeout=5, headers=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def slow_clients(port, count):
    """`count` connections each in the middle of sending a request, and staying there."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(
            b"POST /api/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"email": '
        )
        sockets.append(sock)
    return sockets


def probes(port, count=6, timeout=2.0):
    """Health probes sent together: how many answered 200 within `timeout`."""
    answered = []

    def probe():
        try:
            answered.append(get(port, "/api/health/live/", timeout=timeout)[0] == 200)
        except OSError:
            answered.append(False)

    threads = [threading.Thread(target=probe) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(answered)


def test_the_api_behind_nginx(tmp_path):
    settings = {
        "API_NUM_PROXIES": "1",
        "API_THROTTLE_RATES": "api.address=5/min,api.account=1000/min",
    }
    with running_server(tmp_path, **settings) as url:
        upstream = urllib.parse.urlsplit(url).netloc
        port = free_port()
        nginx = subprocess.Popen(
            [
                *(NGINX, "-p", str(tmp_path)),
                *("-c", str(nginx_config(tmp_path, port, upstream)), "-g", "daemon off;"),
            ],
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port)
            (tmp_path / "media" / "avatars").mkdir(parents=True, exist_ok=True)
            (tmp_path / "media" / "avatars" / "a.txt").write_text("an avatar")

            # Each client address has its own count; what a client claims does not count.
            spoof = {"X-Forwarded-For": "198.51.100.7"}
            first = [get(port, "/api/", "127.0.0.2", headers=spoof)[0] for _ in range(6)]
            second = get(port, "/api/", "127.0.0.3")[0]

            static = get(port, "/static/rest_framework/css/bootstrap.min.css")
            media = get(port, "/media/avatars/a.txt")
            metrics = get(port, "/metrics")[0]
            too_large = oversized_upload(port)

            direct_port = int(upstream.rsplit(":", 1)[1])
            held = slow_clients(port, 20)
            time.sleep(0.5)
            behind_nginx = probes(port)
            for sock in held:
                sock.close()

            held = slow_clients(direct_port, 20)
            time.sleep(0.5)
            direct = probes(direct_port, timeout=1.0)
            for sock in held:
                sock.close()
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)

    print(f"\n20 slow clients: {behind_nginx} of 6 probes answered behind nginx, {direct} direct")
    assert first == [200] * 5 + [429]
    assert second == 200
    assert static[0] == 200
    assert media == (200, b"an avatar")
    assert metrics == 404
    assert too_large == (413, b'{"detail": "The request body is too large."}')
    assert behind_nginx == 6


def oversized_upload(port):
    """A 7 MB body, over the API's 6 MB: refused by nginx from its headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("PUT", "/api/profile/avatar/")
        connection.putheader("Content-Length", str(7 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
