"""Health checks for load balancers: /api/health/live/ (the process answers) and
/api/health/ready/ (the database and the cache answer in time, and the server is not draining).

Plain Django views: no authentication, no throttling, not in the OpenAPI schema (they are for
the infrastructure, not for client apps), and logged below INFO (restkit.logs).
"""

import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .errors import JsonResponse, reads_only


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    cache.get("health-check")


CHECKS = {"database": check_database, "cache": check_cache}


def within(check, timeout):
    """'ok', or what went wrong in a few words: the error's class, never its message (which may
    name hosts or users)."""
    outcome = []

    def run():
        try:
            check()
            outcome.append("ok")
        except Exception as error:
            outcome.append(f"failed: {type(error).__name__}")
        finally:
            connections.close_all()  # this thread's own connections

    # In a thread of its own, so that a frozen server cannot hold the probe beyond the bound;
    # such a thread ends with the client's own timeout.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome[0] if outcome else f"no answer within {timeout:g} s"


def draining():
    return bool(settings.DRAIN_FILE) and Path(settings.DRAIN_FILE).exists()


@csrf_exempt
@reads_only
@never_cache
def live(request):
    """The process answers requests."""
    return JsonResponse({"status": "live"})


@csrf_exempt
@reads_only
@never_cache
def ready(request):
    """200 when this server should get traffic, else 503 naming each failed check."""
    checks = {
        name: within(CHECKS[name], settings.HEALTH_TIMEOUT) for name in settings.HEALTH_CHECKS
    }
    if draining():
        checks["draining"] = "the server is shutting down"
    ok = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
