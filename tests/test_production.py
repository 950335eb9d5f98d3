"""The production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "API_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DJANGO_HTTPS": "1",
        **extra,
    }


def test_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_catch_debug_left_on():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DEBUG" in result.stderr + result.stdout
