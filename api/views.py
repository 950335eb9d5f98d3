import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
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
    "profile-invitations": "profile-invitations",
    "invitation-accept": "invitation-accept",
    "invitation-decline": "invitation-decline",
    "register": "register",
    "login": "login",
    "login-mfa": "login-mfa",
    "token-refresh": "token-refresh",
    "token-verify": "token-verify",
    "logout": "logout",
    "password-change": "password-change",
    "password-reset": "password-reset",
    "password-reset-confirm": "password-reset-confirm",
    "verify-email": "verify-email",
    "resend-email": "resend-email",
    "mfa": "mfa-status",
    "mfa-totp-activate": "mfa-totp-activate",
    "mfa-totp-deactivate": "mfa-totp-deactivate",
    "mfa-recovery-codes": "mfa-recovery-codes",
    "mfa-recovery-codes-regenerate": "mfa-recovery-codes-regenerate",
    "schema": "schema",
    "swagger-ui": "swagger-ui",
    "redoc": "redoc",
}


class ApiRootView(APIView):
    """The entry point: a link to every resource and action of the API."""

    # The browsable API's heading and text for this page.
    name = _("Home")
    description = _(
        "A link to every resource and action of the API. There are two ways to log in. An app "
        "sends the header Authorization: Bearer <access token> with each request, the access "
        "token coming from POST /api/login/ (or POST /api/register/). In this browser, use "
        '"Log in" at the top right instead: these pages then keep a session.'
    )

    permission_classes = [AllowAny]
    # The root needs no token: a stale one must not make it a 401. The browsable API's session
    # still shows who is logged in.
    authentication_classes = [SessionAuthentication]

    @extend_schema(
        operation_id="getApiRoot",
        summary=_("The API root"),
        description=_("Links to every resource and action of the API, by name."),
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
                description=_("Name to absolute URL."),
            )
        },
    )
    def get(self, request):
        return Response({name: reverse(url, request=request) for name, url in ROOT_LINKS.items()})


class PageLanguageMixin:
    """`?lang=` (a language of settings.LANGUAGES) chooses the language of the whole page, its
    title and Content-Language too: drf-spectacular passes it on to the schema the page loads,
    and translates only that."""

    def dispatch(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            return super().dispatch(request, *args, **kwargs)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            response.render()  # now, not once the language is the request's again
        response["Content-Language"] = language
        return response


class SchemaView(PageLanguageMixin, SpectacularAPIView):
    pass


class SwaggerView(PageLanguageMixin, SpectacularSwaggerSplitView):
    pass


class RedocView(PageLanguageMixin, SpectacularRedocView):
    pass


REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# The bundle always shows Redocly's logo, fetched from Redocly's CDN: another origin, which the
# Content-Security-Policy refuses (a failed request on every visit). An empty data: URL instead
# fails to decode without any request, and ReDoc then leaves the logo out.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
NO_IMAGE = b"data:,"


@functools.cache
def redoc_bundle_content() -> bytes:
    with open(finders.find(REDOC_BUNDLE), "rb") as bundle:
        return bundle.read().replace(REDOC_LOGO, NO_IMAGE)


def redoc_bundle(request):
    """ReDoc's script, as drf-spectacular-sidecar ships it, without the logo from its CDN."""
    response = HttpResponse(redoc_bundle_content(), content_type="text/javascript")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
