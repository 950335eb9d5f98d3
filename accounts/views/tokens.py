from dj_rest_auth import views as rest_auth_views
from django.contrib.auth import logout as django_logout
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from restkit.schema import ErrorSerializer
from restkit.sessions import browser_session_login
from restkit.throttling import attempt_succeeded

from .. import services
from ..mfa import mfa_enabled
from ..serializers.mfa import MfaLoginSerializer, MfaRequiredSerializer
from ..serializers.tokens import (
    DetailSerializer,
    TokenRefreshSerializer,
    TokensWithUserSerializer,
    TokenVerifySerializer,
)

BAD_TOKEN = OpenApiResponse(
    ErrorSerializer, description=_("The token is invalid, expired or revoked.")
)


# A generated client tells the two answers apart by their required fields (`access` or
# `mfa_required`); the tokens are listed first, so that a client trying each in turn finds them.
LOGIN_ANSWER = PolymorphicProxySerializer(
    component_name="LoginResult",
    serializers=[TokensWithUserSerializer, MfaRequiredSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    post=extend_schema(
        operation_id="login",
        summary=_("Log in"),
        description=_(
            "Exchanges an email and a password for an access token (sent as "
            "`Authorization: Bearer <access>`) and a refresh token. Wrong credentials get one "
            "message, whether or not the email exists. From the browsable API's page, the "
            "browser is logged in too. For an account with two-factor login the answer is "
            '`{"mfa_required": true, "ephemeral_token": ...}` instead, without any token: '
            "send the token with a code to `POST /api/login/mfa/`."
        ),
        responses={200: LOGIN_ANSWER},
    )
)
class LoginView(rest_auth_views.LoginView):
    authentication_classes = ()  # a stale token in the headers must not block logging in
    throttle_scope = "login"

    def login(self):
        self.user = self.serializer.validated_data["user"]
        if self.requires_second_factor():
            # The password was right (and the address confirmed, if that is required): no
            # token and no session until a code comes too.
            self.ephemeral_token = services.mfa_challenge_start(user=self.user)
            return
        super().login()
        # dj-rest-auth calls Django's login() only for session logins, which the API does not
        # make, except for the browsable API's own page.
        if not browser_session_login(self.request, self.user):  # which records it
            services.user_login_record(user=self.user, request=self.request)

    def requires_second_factor(self):
        return mfa_enabled(self.user)

    def get_response(self):
        if getattr(self, "ephemeral_token", None):
            answer = {"mfa_required": True, "ephemeral_token": self.ephemeral_token}
            return Response(MfaRequiredSerializer(answer).data)
        return super().get_response()

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            attempt_succeeded(request)  # only failed logins count
        return response


@extend_schema_view(
    post=extend_schema(
        operation_id="loginWithCode",
        summary=_("Log in: the second factor"),
        description=_(
            "The second step of a login for an account with two-factor login: the "
            "`ephemeral_token` of `POST /api/login/` and a `code`, a current TOTP code of the "
            "authenticator app or an unused recovery code. Answers as a login does: an access "
            "token, a refresh token and the user. The token works for one successful code and "
            "5 minutes; a TOTP code is accepted once, a recovery code once ever. A wrong code is "
            "a 400; after 5 wrong codes for one token, or once the account's login limits are "
            "spent, a 429 with `Retry-After` (then log in again with the password)."
        ),
        responses={200: TokensWithUserSerializer},
    )
)
class MfaLoginView(LoginView):
    serializer_class = MfaLoginSerializer
    # Each code is counted under the account's login limits (accounts.services); the view's own
    # limit is the API's per address.
    throttle_scope = "login-mfa"

    def get_serializer_class(self):
        return MfaLoginSerializer

    def requires_second_factor(self):
        return False  # this is the second factor


@extend_schema_view(
    post=extend_schema(
        operation_id="refreshToken",
        summary=_("Refresh the tokens"),
        description=_(
            "Exchanges a refresh token for a new access token and a new refresh token of the same "
            "session; the refresh token sent can never be used again (rotation). A session ends "
            "JWT_SESSION_MAX_DAYS (30 by default) after the login that started it, however often "
            "it is refreshed. A spent refresh token presented again is refused (401); presented "
            "more than JWT_REUSE_GRACE_SECONDS (10 by default) after it was spent, it also ends "
            "its whole session: the newer tokens of that session stop working too (a stolen "
            "token is detected). Within those seconds, a client's retry of a refresh whose answer "
            "it lost does not log it out."
        ),
        responses={200: TokenRefreshSerializer, 401: BAD_TOKEN},
    )
)
class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_scope = "token-refresh"


@extend_schema_view(
    post=extend_schema(
        operation_id="verifyToken",
        summary=_("Verify a token"),
        description=_("Answers 200 with an empty object if the token is valid and not revoked."),
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": False, "example": {}},
                description=_("The token is valid: an empty object."),
            ),
            401: BAD_TOKEN,
        },
    )
)
class TokenVerifyView(jwt_views.TokenVerifyView):
    serializer_class = TokenVerifySerializer


@extend_schema_view(
    post=extend_schema(
        operation_id="logout",
        summary=_("Log out"),
        description=_(
            "Revokes the refresh token sent and ends its session: neither it nor any newer refresh "
            "token of that login can be used again."
        ),
        responses={200: DetailSerializer, 401: BAD_TOKEN},
    )
)
class LogoutView(jwt_views.TokenBlacklistView):
    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        django_logout(request)  # and end a browsable-API session, if there is one
        return Response({"detail": gettext("Successfully logged out.")})
