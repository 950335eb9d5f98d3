from django.http import JsonResponse
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

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
}


@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    """The entry point: a link to every resource and action of the API."""
    return Response(
        {
            name: reverse(url_name, request=request, format=format)
            for name, url_name in ROOT_LINKS.items()
        }
    )


def not_found(request, exception=None):
    """A JSON 404 for any URL that matches no route."""
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    """A JSON 500, carrying no detail of what went wrong."""
    return JsonResponse({"detail": "A server error occurred."}, status=500)


def bad_request(request, exception=None):
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse(
        {"detail": "You do not have permission to perform this action."}, status=403
    )


def csrf_failure(request, reason=""):
    """A JSON 403 when a browser session's form lacks its CSRF token."""
    return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=403)
