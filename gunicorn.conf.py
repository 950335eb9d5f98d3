"""gunicorn's settings for `make serve` and production: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os
import tempfile
import time
from pathlib import Path

wsgi_app = "project.wsgi:application"
# Loopback unless told otherwise: a proxy on the same machine reaches it, nobody else does. Behind a
# proxy or load balancer on another host, set GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# The usual (2 x cores) + 1 synchronous workers; the API is stateless, so any worker serves any
# request. But the throttling counts live in the cache: without REDIS_URL it is each process's
# memory, and several processes would each allow the full limits (five guesses a minute, times
# the workers). Then one process serves, with as many threads instead, sharing its counts.
SHARED_CACHE = bool(os.environ.get("REDIS_URL"))
CONCURRENCY = multiprocessing.cpu_count() * 2 + 1
workers = int(os.environ.get("GUNICORN_WORKERS", CONCURRENCY if SHARED_CACHE else 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if SHARED_CACHE else CONCURRENCY))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# On SIGTERM the readiness check fails for this long while every request is still served, so
# that the load balancer stops sending new ones; then the workers finish the requests in progress
# (graceful_timeout at most) and exit. Set it to the balancer's check interval times the failures
# it needs (docs/operations.md, "Draining").
DRAIN_SECONDS = float(os.environ.get("GUNICORN_DRAIN_SECONDS", "5"))
keepalive = 5
# Recycle workers now and then, so that no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The API logs each request itself, with its duration, user and request id (restkit/logs.py);
# gunicorn's own access log, without them, only when asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if os.environ.get("LOG_FORMAT") == "json":  # gunicorn's own lines in the API's JSON shape
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": []},  # gunicorn's loggers have their own
        "loggers": {  # and do not pass their lines on to the API's root logger too
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
        "formatters": {"json": {"()": "restkit.logs.JsonFormatter"}},
        "handlers": {  # the names gunicorn's default loggers use
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
    }
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True
# The longest request line gunicorn reads (a long `?search=`); longer ones get its own 414 page.
limit_request_line = 8190


def on_starting(server):
    """Refuse several worker processes (GUNICORN_WORKERS or --workers) without a shared cache;
    drain before stopping on SIGTERM."""
    if server.cfg.workers > 1 and not SHARED_CACHE:
        raise RuntimeError(
            f"{server.cfg.workers} workers without REDIS_URL would each keep their own "
            "throttling counts: set REDIS_URL, or run one worker (with GUNICORN_THREADS)."
        )
    # Several worker processes add up their Prometheus metrics through files in a folder
    # (restkit/metrics.py), emptied at each start; the workers, forked later, inherit its name.
    if server.cfg.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="gunicorn-metrics-")
    for stale in Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR", "/nonexistent")).glob("*.db"):
        stale.unlink()
    # Likewise the drain file's name (settings.DRAIN_FILE).
    if not os.environ.get("API_DRAIN_FILE"):
        folder = tempfile.mkdtemp(prefix="gunicorn-")
        os.environ["API_DRAIN_FILE"] = os.path.join(folder, "draining")
    drain_file = Path(os.environ["API_DRAIN_FILE"])
    drain_file.unlink(missing_ok=True)
    stop = server.handle_term

    def handle_term():
        if DRAIN_SECONDS > 0:
            drain_file.touch()
            server.log.info(
                "Draining for %g s: readiness fails, requests are served", DRAIN_SECONDS
            )
            time.sleep(DRAIN_SECONDS)  # the workers go on serving; only the arbiter waits
        stop()

    server.handle_term = handle_term  # the arbiter looks its signal handlers up by name


def child_exit(server, worker):
    """A worker's gauges leave the metrics with it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    Path(os.environ["API_DRAIN_FILE"]).unlink(missing_ok=True)
