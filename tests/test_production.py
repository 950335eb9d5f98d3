"""The production settings pass Django's deployment checks; gunicorn shares the throttling
counts of its workers, or runs one."""

import multiprocessing
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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


def gunicorn_settings(monkeypatch, **env):
    """gunicorn.conf.py as gunicorn reads it, under this environment."""
    for name in ("REDIS_URL", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_runs_one_process_with_threads_without_redis(monkeypatch):
    config = gunicorn_settings(monkeypatch)

    assert config["workers"] == 1  # the throttling counts of one process are all the counts
    assert config["threads"] == multiprocessing.cpu_count() * 2 + 1


def test_gunicorn_runs_several_processes_with_redis(monkeypatch):
    config = gunicorn_settings(monkeypatch, REDIS_URL="redis://cache.internal:6379/0")

    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["threads"] == 1


@pytest.mark.parametrize("option", [["--workers", "2"], []])
def test_gunicorn_refuses_several_workers_without_redis(option):
    env = production_env(GUNICORN_WORKERS="3", GUNICORN_BIND="127.0.0.1:0")
    env.pop("REDIS_URL", None)

    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *option],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "without REDIS_URL" in result.stderr
