from dj_rest_auth.registration import views as registration_views
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from restkit.errors import JsonResponse
from restkit.schema import ErrorSerializer
from restkit.sessions import browser_session_login

from .. import services
from ..serializers.registration import ResendEmailVerificationSerializer, VerifyEmailSerializer
from ..serializers.tokens import DetailSerializer, TokensWithUserSerializer


@extend_schema_view(
    post=extend_schema(
        operation_id="register",
        summary=_("Sign up"),
        description=_(
            "Creates an account from an email and a password (checked by the password validators), "
            "with optional name, phone and organization ids, and logs it in: the answer (201) "
            "carries an access and a refresh token (from the browsable API's page, the browser is "
            "logged in too). When email verification is required "
            "(ACCOUNT_EMAIL_VERIFICATION=mandatory), the answer is 202 with only a `detail`, and a "
            "confirmation email is sent; an address that already has an account gets the same "
            "answer, nothing is created and its owner is mailed instead (without mandatory "
            "verification a taken address is a 400)."
        ),
        responses={
            201: OpenApiResponse(
                TokensWithUserSerializer, description=_("Signed up and logged in.")
            ),
            202: OpenApiResponse(
                DetailSerializer,
                description=_("Accepted: confirm the address by email, then log in."),
            ),
        },
    )
)
class RegisterView(registration_views.RegisterView):
    authentication_classes = ()  # a stale token in the headers must not block signing up
    throttle_scope = "register"

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if "access" not in response.data:  # waiting for the confirmation email
            response.status_code = status.HTTP_202_ACCEPTED
        return response

    def perform_create(self, serializer):
        if serializer.address_taken:  # only with mandatory verification: answered as a new one
            services.user_register_attempt_on_taken_address(
                request=self.request,
                email=serializer.validated_data["email"],
                password=serializer.validated_data["password"],
            )
            return None
        user = super().perform_create(serializer)
        # Logged in at once (not waiting for the email): the browsable API's page logs the
        # browser in too, which records the login.
        logged_in = getattr(self, "refresh_token", None)
        if logged_in and not browser_session_login(self.request, user):
            services.user_login_record(user=user, request=self.request)
        return user


@extend_schema_view(
    post=extend_schema(
        operation_id="verifyEmail",
        summary=_("Confirm an email address"),
        description=_(
            "Takes the `key` of the confirmation email sent at sign-up (when email verification is "
            "on) and marks the address as confirmed: logging in works from then on."
        ),
        responses={200: DetailSerializer, 404: ErrorSerializer},
    )
)
class VerifyEmailView(registration_views.VerifyEmailView):
    authentication_classes = ()
    throttle_scope = "register"

    def get_serializer(self, *args, **kwargs):
        return VerifyEmailSerializer(*args, **kwargs)  # dj-rest-auth's, its field labelled


@extend_schema_view(
    post=extend_schema(
        operation_id="resendVerificationEmail",
        summary=_("Send the confirmation email again"),
        description=_(
            "The answer is the same whether or not an unconfirmed account has this address."
        ),
        responses={200: DetailSerializer},
    )
)
class ResendEmailVerificationView(registration_views.ResendEmailVerificationView):
    authentication_classes = ()
    throttle_scope = "register"
    serializer_class = ResendEmailVerificationSerializer  # the address in its normal form


@extend_schema(exclude=True)
class VerifyEmailLinkView(VerifyEmailView):
    """Where the confirmation email's link leads when no front end is configured."""

    def get(self, request, key):
        return Response(
            {
                "detail": gettext(
                    "To confirm your email address, POST the key below to the url below."
                ),
                "url": request.build_absolute_uri(reverse("verify-email")),
                "key": key,
            }
        )


def verification_sent(request):
    """Where allauth would send a browser once the confirmation email is sent."""
    return JsonResponse({"detail": gettext("Verification e-mail sent.")})
