"""On SIGTERM gunicorn first fails its readiness check while it goes on serving, then finishes
the requests in progress before it exits."""

import signal
import socket
import time
import urllib.parse

from tests.e2e.conftest import call, running_server_process

DRAIN_SECONDS = 2


def test_sigterm_drains_then_finishes_the_requests_in_progress(tmp_path):
    with running_server_process(tmp_path, GUNICORN_DRAIN_SECONDS=str(DRAIN_SECONDS)) as (
        url,
        server,
    ):
        port = urllib.parse.urlsplit(url).port
        body = b'{"email": "nobody@example.com", "password": "wrong-password"}'
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(
            b"POST /api/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(0.2)  # in a worker, which waits for the rest of the body

        server.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        ready = call(f"{url}/api/health/ready/")
        live = call(f"{url}/api/health/live/")
        root = call(f"{url}/api/")

        time.sleep(DRAIN_SECONDS)  # the workers have been told to stop by now
        slow.sendall(body[10:])
        answer = slow.recv(65536)
        slow.close()
        exit_code = server.wait(timeout=30)

    assert ready == (
        503,
        {
            "status": "unavailable",
            "checks": {"database": "ok", "cache": "ok", "draining": "the server is shutting down"},
        },
    )
    assert live[0] == 200
    assert root[0] == 200  # still served while the load balancer catches up
    assert answer.startswith(b"HTTP/1.1 400 ")  # the slow login was answered, not reset
    assert exit_code == 0
