"""Mail never holds a request: with Redis, a worker sends it and retries while the SMTP server
is down; without, the server sends it once the response is out, however slow the SMTP server."""

import json
import subprocess
import sys
import time
import urllib.request
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from tests.e2e.conftest import ROOT, call, running_server, server_env, sign_up
from tests.e2e.test_password_reset_by_email import Inbox
from tests.services import REDIS_SERVER, free_port, redis_process


def arrived(inbox, seconds):
    deadline = time.monotonic() + seconds
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def timed_reset(url, email):
    start = time.monotonic()
    status, _ = call(f"{url}/api/password/reset/", {"email": email})
    return status, time.monotonic() - start


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_the_worker_sends_a_mail_once_the_smtp_server_is_back(tmp_path):
    smtp_port = free_port()
    settings = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    with (
        redis_process(tmp_path) as redis,
        running_server(tmp_path, REDIS_URL=redis.url, **settings) as url,
    ):
        env = {**server_env(tmp_path), **settings, "REDIS_URL": redis.url}
        env["MAIL_RETRY_DELAYS"] = "1,1,1,1,1,1,1,1,1,1"
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "mail", "--with-scheduler"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            sign_up(url, "queued@example.com", "correct-horse-42")
            status, seconds = timed_reset(url, "queued@example.com")  # no SMTP server yet
            time.sleep(2)  # the worker tries, fails and schedules a retry meanwhile

            inbox = Inbox()
            smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
            smtp.start()
            back = time.monotonic()
            try:
                messages = arrived(inbox, 15)
                delay = time.monotonic() - back
            finally:
                smtp.stop()
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    print(f"\nreset answered in {seconds * 1000:.0f} ms; mail {delay:.1f} s after SMTP was back")
    assert status == 200
    assert seconds < 1  # the answer waits for no SMTP server
    [message] = messages
    assert message["To"] == "queued@example.com"
    assert message["Subject"] == "Reset your password"


class SlowInbox(Inbox):
    """An SMTP server that takes two seconds over every message."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(2)
        return await super().handle_DATA(server, session, envelope)


def test_without_redis_mail_goes_after_the_response(tmp_path):
    inbox = SlowInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        settings = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port)}
        with running_server(tmp_path, **settings) as url:
            sign_up(url, "later@example.com", "correct-horse-42")
            status, seconds = timed_reset(url, "later@example.com")
            messages = arrived(inbox, 10)
    finally:
        smtp.stop()

    assert status == 200
    assert seconds < 1  # not the SMTP server's two seconds
    [message] = messages
    assert message["To"] == "later@example.com"


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_the_worker_writes_a_reset_mail_in_the_language_of_the_request(tmp_path):
    """The worker renders the reset mail, in another process: the language the request asked
    for travels with the task."""
    smtp_port = free_port()
    settings = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    try:
        with (
            redis_process(tmp_path) as redis,
            running_server(tmp_path, REDIS_URL=redis.url, **settings) as url,
        ):
            env = {**server_env(tmp_path), **settings, "REDIS_URL": redis.url}
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "rqworker", "mail", "--with-scheduler"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                sign_up(url, "russian@example.com", "correct-horse-42")
                request = urllib.request.Request(
                    f"{url}/api/password/reset/",
                    data=json.dumps({"email": "russian@example.com"}).encode(),
                    headers={"Content-Type": "application/json", "Accept-Language": "ru"},
                )
                with urllib.request.urlopen(request, timeout=15) as response:
                    answer = json.loads(response.read())
                [message] = arrived(inbox, 15)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
    finally:
        smtp.stop()

    assert answer == {"detail": "Письмо с инструкциями по восстановлению пароля выслано."}
    assert str(make_header(decode_header(message["Subject"]))) == "Сброс пароля"
    body = message.get_payload(decode=True).decode()
    assert "Кто-то (вероятно, вы) запросил сброс пароля учётной записи russian@example.com." in (
        body
    )
