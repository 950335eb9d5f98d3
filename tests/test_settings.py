import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "project.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings()

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("env", "debug"),
    [
        ({"DJANGO_SECRET_KEY": "x" * 50}, "False"),
        ({"DJANGO_DEBUG": "1"}, "True"),
        ({"DJANGO_DEBUG": "yes", "DJANGO_SECRET_KEY": "x" * 50}, "True"),
    ],
)
def test_debug_is_off_unless_asked_for(env, debug):
    result = load_settings(**env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == debug


def test_an_unknown_default_contact_visibility_refuses_to_start():
    result = load_settings(DJANGO_DEBUG="1", DIRECTORY_CONTACT_VISIBILITY_DEFAULT="friends")

    assert result.returncode != 0
    assert "DIRECTORY_CONTACT_VISIBILITY_DEFAULT" in result.stderr


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_an_upload_up_to_the_request_limit_stays_in_memory(settings, rf):
    """No temporary file on disk that a worker killed mid-request would leave behind."""
    from django.core.files.uploadedfile import InMemoryUploadedFile
    from django.core.files.uploadhandler import load_handler
    from django.http.multipartparser import MultiPartParser

    size = settings.AVATAR_MAX_UPLOAD_BYTES
    boundary = "BoUnDaRy"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = rf.post("/", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    handlers = [load_handler(name, request) for name in settings.FILE_UPLOAD_HANDLERS]

    _, files = MultiPartParser(request.META, request, handlers).parse()

    assert isinstance(files["avatar"], InMemoryUploadedFile)
    assert files["avatar"].size == size


def session_settings(**env):
    code = (
        "from django.conf import settings as s; "
        "print(s.JWT_SESSION_MAX_AGE.days, s.JWT_REUSE_GRACE.seconds, s.PASSWORD_RESET_TIMEOUT)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JWT_", "PASS"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def test_sessions_last_30_days_and_reset_links_an_hour_by_default():
    assert session_settings() == ["30", "10", "3600"]


def test_session_and_reset_lifetimes_come_from_the_environment():
    env = {
        "JWT_SESSION_MAX_DAYS": "7",
        "JWT_REUSE_GRACE_SECONDS": "0",
        "PASSWORD_RESET_TIMEOUT_MINUTES": "15",
    }

    assert session_settings(**env) == ["7", "0", "900"]


def invitation_days(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INVITATION"))}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.INVITATION_DAYS)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_invitations_last_7_days_unless_invitation_days_says_otherwise():
    assert invitation_days() == "7"
    assert invitation_days(INVITATION_DAYS="2") == "2"
