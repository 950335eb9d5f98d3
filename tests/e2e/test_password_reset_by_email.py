"""A password reset end to end: the email goes through a real SMTP server on loopback, and the
link it carries completes the reset over HTTP against the live server."""

import re
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tests.e2e.conftest import call, free_port, running_server, sign_up


class Inbox(Message):
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


def test_a_password_is_reset_with_the_link_of_a_real_email(smtp_server, tmp_path):
    settings = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_server.port)}
    with running_server(tmp_path, **settings) as url:
        sign_up(url, "mail@example.com", "old-pass-123x")

        status, body = call(f"{url}/api/password/reset/", {"email": "mail@example.com"})
        assert (status, body) == (200, {"detail": "Password reset e-mail has been sent."})

        # Sent once the response is out (restkit/mail.py).
        deadline = time.monotonic() + 10
        while not smtp_server.handler.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        [message] = smtp_server.handler.messages
        assert message["To"] == "mail@example.com"
        assert message["Subject"] == "Reset your password"
        text = message.get_payload(decode=True).decode()
        link = re.search(r"http://127\.0\.0\.1:\d+/api/password/reset/confirm/\S+/", text).group(0)

        status, page = call(link)  # what a person who clicks the link sees
        assert status == 200
        new = "new-pass-456y"
        status, body = call(
            page["url"],
            {
                "uid": page["uid"],
                "token": page["token"],
                "new_password1": new,
                "new_password2": new,
            },
        )
        assert status == 200

        login = f"{url}/api/login/"
        assert call(login, {"email": "mail@example.com", "password": "old-pass-123x"})[0] == 400
        assert call(login, {"email": "mail@example.com", "password": new})[0] == 200
        reused = call(
            page["url"],
            {
                "uid": page["uid"],
                "token": page["token"],
                "new_password1": new,
                "new_password2": new,
            },
        )
        assert reused[0] == 400
