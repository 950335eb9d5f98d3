"""JSON answers for the errors Django handles itself (handler400 and friends, CSRF failures)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # so that an unknown URL is a 404 for every method, not a CSRF failure
def not_found(request, exception=None):
    """A JSON 404 for any URL that matches no route."""
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    """A JSON 500, carrying no detail of what went wrong."""
    return JsonResponse({"detail": "A server error occurred."}, status=500)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):  # form fields above DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is too large: at most {limit} bytes."
        return JsonResponse({"detail": detail}, status=413)
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse(
        {"detail": "You do not have permission to perform this action."}, status=403
    )


def csrf_failure(request, reason=""):
    """A JSON 403 when a browser session's form lacks its CSRF token."""
    return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=403)
