"""JSON answers for the errors Django handles itself (handler400 and friends, CSRF failures)."""

import functools
import sys

from django import http
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt


class JsonResponse(http.JsonResponse):
    """Django's, writing text as UTF-8 rather than \\u escapes, as DRF's answers do."""

    def __init__(self, data, **kwargs):
        kwargs.setdefault("json_dumps_params", {"ensure_ascii": False})
        super().__init__(data, **kwargs)


# What the database layer raises when the server is down, refuses or drops the connection (and
# SQLite's "database is locked" past its timeout): worth a retry, unlike an IntegrityError.
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER_SECONDS = 5


def database_unavailable():
    """A JSON 503 asking the client to come back in a few seconds."""
    response = JsonResponse(
        {"detail": gettext("The service is temporarily unavailable: try again shortly.")},
        status=503,
    )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


@csrf_exempt  # so that an unknown URL is a 404 for every method, not a CSRF failure
def not_found(request, exception=None):
    """A JSON 404 for any URL that matches no route."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


def body_too_large(limit):
    """The 413's message, for a body above `limit` bytes."""
    return ngettext(
        "The request body is too large: at most %(limit)d byte.",
        "The request body is too large: at most %(limit)d bytes.",
        limit,
    ) % {"limit": limit}


def server_error(request):
    """A JSON 500, carrying no detail of what went wrong; a 503 when the database failed
    outside a view (in a middleware), where DatabaseUnavailableMiddleware does not see it."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable()
    return JsonResponse({"detail": gettext("A server error occurred.")}, status=500)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):  # form fields above DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return JsonResponse({"detail": body_too_large(limit)}, status=413)
    return JsonResponse({"detail": gettext("Bad request.")}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse(
        {"detail": gettext("You do not have permission to perform this action.")}, status=403
    )


def csrf_failure(request, reason=""):
    """A JSON 403 when a browser session's form lacks its CSRF token."""
    # Django's reason, in English; the usual ones are in the catalog (restkit/messages.py).
    detail = gettext("CSRF check failed: %(reason)s") % {"reason": gettext(reason)}
    return JsonResponse({"detail": detail}, status=403)


def reads_only(view):
    """Django's require_safe, answering other methods with a JSON 405 as DRF's views do."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            detail = gettext('Method "%(method)s" not allowed.') % {"method": request.method}
            response = JsonResponse({"detail": detail}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper
