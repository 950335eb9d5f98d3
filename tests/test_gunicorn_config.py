"""gunicorn.conf.py: what `make serve` and production listen on."""

import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_config(monkeypatch, **environ) -> dict:
    """The settings gunicorn.conf.py defines, run in an environment of only `environ`'s variables
    among those it reads."""
    for name in ("GUNICORN_BIND", "PORT", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_by_default_gunicorn_listens_on_the_loopback_address_only(monkeypatch):
    assert load_config(monkeypatch)["bind"] == "127.0.0.1:8000"


def test_port_moves_the_loopback_address_to_another_port(monkeypatch):
    assert load_config(monkeypatch, PORT="9000")["bind"] == "127.0.0.1:9000"


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "unix:/run/api.sock"])
def test_gunicorn_bind_sets_any_address(monkeypatch, bind):
    assert load_config(monkeypatch, GUNICORN_BIND=bind)["bind"] == bind
