"""Two-factor login's settings, under /api/mfa/: dj_rest_auth.mfa's views, with our paths, rules
(accounts.mfa) and schema. The login's second step is accounts.views.tokens.MfaLoginView."""

from dj_rest_auth.mfa import views as mfa_views
from dj_rest_auth.mfa.recovery_codes import RecoveryCodes
from django.utils.decorators import method_decorator
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from restkit.sessions import browser_session_keep

from .. import services
from ..serializers.mfa import (
    MfaCodeSerializer,
    MfaStatusSerializer,
    RecoveryCodesSerializer,
    RecoveryCodesShownSerializer,
    TotpActivateSerializer,
    TotpCodeSerializer,
    TotpSetupSerializer,
)
from ..serializers.tokens import DetailSerializer

CODE_RULES = _(
    "A TOTP code is accepted once (not again within its 30 seconds), a recovery code once ever; "
    "wrong codes count against the account's login limits (429 with `Retry-After` once spent)."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="getMfaStatus",
        summary=_("Read your two-factor login status"),
        description=_("Whether logging in asks for a code after the password."),
        responses={200: MfaStatusSerializer},
    )
)
class MfaStatusView(mfa_views.MFAStatusView):
    throttle_scope = None  # the API's limits

    def get_serializer_class(self):
        return MfaStatusSerializer


@extend_schema_view(
    get=extend_schema(
        operation_id="startTotpSetup",
        summary=_("Start setting up two-factor login"),
        description=_(
            "A new TOTP secret, as text, as an otpauth:// URL and as a QR code, for an "
            "authenticator app; and an `activation_token` (5 minutes) to confirm it with. "
            "Nothing changes until `POST /api/mfa/totp/activate/`."
        ),
        responses={200: TotpSetupSerializer},
    ),
    post=extend_schema(
        operation_id="activateTotp",
        summary=_("Turn two-factor login on"),
        description=_(
            "Takes the `activation_token` of the set-up and a current code of the new secret: "
            "from then on a login asks for a code after the password. Answers with ten recovery "
            "codes, shown this once, each good for one login without the app. Every token "
            "issued before ends, access tokens included (log in again), and so does every "
            "browser session but this one's; the account's address is mailed a notice. A wrong "
            "code is a 400, and nothing changes."
        ),
        request=TotpActivateSerializer,
        responses={200: RecoveryCodesShownSerializer},
    ),
)
class TotpActivateView(mfa_views.TOTPActivateView):
    throttle_scope = None  # the API's limits

    def get_serializer_class(self):
        if self.request.method == "POST":
            return TotpActivateSerializer
        return TotpSetupSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = serializer.save()  # every session of the account ends
        browser_session_keep(request)  # but the browser turning it on
        return Response({"recovery_codes": codes})


@extend_schema_view(
    post=extend_schema(
        operation_id="deactivateTotp",
        summary=_("Turn two-factor login off"),
        description=format_lazy(
            "{} {}",
            _(
                "Takes a current TOTP `code` or an unused recovery code: from then on the "
                "password alone logs in, the secret and the recovery codes are gone, and the "
                "account's address is mailed a notice."
            ),
            CODE_RULES,
        ),
        responses={200: DetailSerializer},
    )
)
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class TotpDeactivateView(GenericAPIView):
    serializer_class = MfaCodeSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.mfa_disable(user=request.user)
        return Response({"detail": gettext("Two-factor login is off.")})


@extend_schema_view(
    get=extend_schema(
        operation_id="listRecoveryCodes",
        summary=_("List your unused recovery codes"),
        description=_("The recovery codes not used yet (none while two-factor login is off)."),
        responses={200: RecoveryCodesSerializer},
    )
)
class RecoveryCodesView(GenericAPIView):
    serializer_class = RecoveryCodesSerializer

    def get(self, request, *args, **kwargs):
        return Response({"codes": RecoveryCodes.get_unused_codes(request.user)})


@extend_schema_view(
    post=extend_schema(
        operation_id="regenerateRecoveryCodes",
        summary=_("Make new recovery codes"),
        description=format_lazy(
            "{} {}",
            _(
                "Takes a current TOTP `code` (not a recovery code) and answers with ten new "
                "recovery codes; the old ones stop working."
            ),
            CODE_RULES,
        ),
        request=TotpCodeSerializer,
        responses={200: RecoveryCodesSerializer},
    )
)
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class RecoveryCodesRegenerateView(GenericAPIView):
    serializer_class = TotpCodeSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"codes": services.recovery_codes_regenerate(user=request.user)})
