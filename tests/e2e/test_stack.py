"""`make stack`'s script starts nginx, gunicorn and the mail worker together, serves through
nginx, and stops them all on SIGTERM."""

import signal
import subprocess
import sys
import time
import urllib.request

import pytest
import redis

from tests.e2e.conftest import ROOT, manage, server_env
from tests.e2e.test_nginx import NGINX
from tests.services import REDIS_SERVER, free_port, redis_process, wait_for_port


@pytest.mark.skipif(not (NGINX and REDIS_SERVER), reason="needs nginx and redis-server")
def test_one_command_runs_the_whole_stack(tmp_path):
    with redis_process(tmp_path) as server:
        nginx_port = free_port()
        env = {
            **server_env(tmp_path),
            "REDIS_URL": server.url,
            "PORT": str(free_port()),
            "NGINX_PORT": str(nginx_port),
            "GUNICORN_WORKERS": "2",
        }
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            manage(tmp_path, *command, env=env)
        stack = subprocess.Popen(
            [sys.executable, "deploy/stack.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(nginx_port, timeout=30)
            wait_for_port(int(env["PORT"]), timeout=30)
            ready = f"http://127.0.0.1:{nginx_port}/api/health/ready/"
            with urllib.request.urlopen(ready, timeout=10) as response:
                status, request_id = response.status, response.headers["X-Request-ID"]
            workers = redis_workers(server.port)
        finally:
            stack.send_signal(signal.SIGTERM)
            exit_code = stack.wait(timeout=60)

    assert status == 200
    assert len(request_id) == 32  # nginx's own id, kept by the API
    assert workers == 1  # the mail worker registered itself in Redis
    assert exit_code == 0


def redis_workers(port):
    connection = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while not connection.smembers("rq:workers") and time.monotonic() < deadline:
        time.sleep(0.2)
    return len(connection.smembers("rq:workers"))
