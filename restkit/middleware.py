import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.translation import gettext

from .errors import DATABASE_ERRORS, JsonResponse, body_too_large, database_unavailable

security_logger = logging.getLogger("django.security.DisallowedHost")
logger = logging.getLogger("restkit.middleware")


class HostValidationMiddleware:
    """Refuse a Host header outside ALLOWED_HOSTS with a JSON 400, in debug mode too.

    Django would refuse it later with its error page (HTML under `make run`); this answers first,
    in the API's own shape, and logs it where Django does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost as error:
            security_logger.error(str(error), extra={"status_code": 400, "request": request})
            # Before LocaleMiddleware, which would answer for the host it refuses.
            with translation.override(translation.get_language_from_request(request)):
                return JsonResponse({"detail": gettext("Invalid Host header.")}, status=400)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds REQUEST_MAX_BYTES, before reading any of it,
    and one that sends a body of undeclared length."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.headers.get("transfer-encoding", "").lower():
            # Not given a length by api.wsgi.ChunkedBodyMiddleware: it would be read as empty.
            return JsonResponse(
                {"detail": gettext("Send the request body with a Content-Length header.")},
                status=411,
            )
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            return JsonResponse({"detail": body_too_large(limit)}, status=413)
        return self.get_response(request)


class OptionalTrailingSlashMiddleware:
    """Serve `/api/users/5` as `/api/users/5/`, without the redirect that APPEND_SLASH sends.

    A redirect would turn a client's POST into a GET; answering in place keeps every method.
    Links the API writes keep their canonical trailing slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.endswith("/") and not self._resolves(path) and self._resolves(path + "/"):
            request.path_info = path + "/"
            request.path = request.path + "/"
        return self.get_response(request)

    @staticmethod
    def _resolves(path):
        try:
            match = get_resolver().resolve(path)
        except Resolver404:
            return False
        return match.url_name != "not-found"


class DatabaseUnavailableMiddleware:
    """Answer a view that could not reach the database with a 503 and Retry-After, logged as
    one warning line rather than a 500's traceback: an outage is not a bug in the code, and
    clients and proxies may retry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable: %s: %s", type(exception).__name__, exception)
            return database_unavailable()
        return None
