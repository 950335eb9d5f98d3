from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# The API root's entries: name in the body -> URL name.
ROOT_LINKS = {
    "users": "user-list",
    "organizations": "organization-list",
    "organizations-with-users": "organization-with-users",
    "profile": "profile",
    "register": "register",
    "login": "login",
    "token-refresh": "token-refresh",
    "token-verify": "token-verify",
    "logout": "logout",
    "password-change": "password-change",
    "password-reset": "password-reset",
    "password-reset-confirm": "password-reset-confirm",
    "verify-email": "verify-email",
    "resend-email": "resend-email",
    "schema": "schema",
    "swagger-ui": "swagger-ui",
    "redoc": "redoc",
}


class ApiRootView(APIView):
    """The entry point: a link to every resource and action of the API."""

    permission_classes = [AllowAny]
    # The root needs no token: a stale one must not make it a 401. The browsable API's session
    # still shows who is logged in.
    authentication_classes = [SessionAuthentication]

    @extend_schema(
        summary="The API root",
        description="Links to every resource and action of the API, by name.",
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
                description="Name to absolute URL.",
            )
        },
    )
    def get(self, request):
        return Response({name: reverse(url, request=request) for name, url in ROOT_LINKS.items()})


def verification_sent(request):
    return JsonResponse({"detail": "Verification e-mail sent."})


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
