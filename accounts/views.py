import functools
import math

from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.registration import views as registration_views
from django.contrib.auth import logout as django_logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from api.schema import ErrorSerializer
from api.throttling import AccountThrottle, AddressThrottle

from . import services
from .filters import UserFilter
from .forms import EmailAuthenticationForm
from .models import User
from .serializers import (
    AccountDeleteSerializer,
    DetailSerializer,
    ProfileSerializer,
    ResendEmailVerificationSerializer,
    TokenRefreshSerializer,
    TokensWithUserSerializer,
    TokenVerifySerializer,
    UserReadSerializer,
)

BAD_TOKEN = OpenApiResponse(
    ErrorSerializer, description="The token is invalid, expired or revoked."
)


@extend_schema(
    summary="Sign up",
    description=(
        "Creates an account from an email and a password (checked by the password validators), "
        "with optional name, phone, avatar (multipart) and organization ids, and logs it in: "
        "the answer carries an access and a refresh token. When email verification is required "
        "(ACCOUNT_EMAIL_VERIFICATION=mandatory), it carries only a `detail` instead, and a "
        "confirmation email is sent."
    ),
    responses={
        201: PolymorphicProxySerializer(
            component_name="SignUpResult",
            serializers=[TokensWithUserSerializer, DetailSerializer],
            resource_type_field_name=None,
        )
    },
)
class RegisterView(registration_views.RegisterView):
    authentication_classes = ()  # a stale token in the headers must not block signing up
    throttle_scope = "register"


@extend_schema(
    summary="Log in",
    description=(
        "Exchanges an email and a password for an access token (sent as "
        "`Authorization: Bearer <access>`) and a refresh token. Wrong credentials get one "
        "message, whether or not the email exists."
    ),
    responses={200: TokensWithUserSerializer},
)
class LoginView(rest_auth_views.LoginView):
    authentication_classes = ()  # a stale token in the headers must not block logging in
    throttle_scope = "login"


@extend_schema(
    summary="Change the password",
    description=(
        "Sets a new password; the old one is required and stops working at once, and so does "
        "every token of the account, this one included: log in again."
    ),
    responses={200: DetailSerializer},
)
class PasswordChangeView(rest_auth_views.PasswordChangeView):
    throttle_scope = "password-change"


@extend_schema(
    summary="Ask for a password reset email",
    description=(
        "Sends an email with a one-time link to set a new password, if an active account has "
        "this address. The answer is the same either way, so it tells nobody which addresses "
        "have accounts."
    ),
    responses={200: DetailSerializer},
)
class PasswordResetView(rest_auth_views.PasswordResetView):
    authentication_classes = ()
    throttle_scope = "password-reset"


@extend_schema(
    summary="Set a new password with a reset token",
    description=(
        "Takes the `uid` and `token` of the reset email's link and the new password twice. The "
        "token works once; the old password and every token of the account stop working."
    ),
    responses={200: DetailSerializer},
)
class PasswordResetConfirmView(rest_auth_views.PasswordResetConfirmView):
    authentication_classes = ()
    throttle_scope = "password-reset"


@extend_schema(exclude=True)
class PasswordResetLinkView(PasswordResetConfirmView):
    """Where the reset email's link leads when no front end is configured: it says how to finish,
    and its form (in the browsable API) sets the new password."""

    def get(self, request, uid, token):
        return Response(
            {
                "detail": (
                    "To choose a new password, POST uid, token, new_password1 and new_password2 "
                    "to the url below (or fill in the form of this page)."
                ),
                "url": request.build_absolute_uri(reverse("password-reset-confirm")),
                "uid": uid,
                "token": token,
            }
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        for name in ("uid", "token"):  # the browsable API's form comes filled in
            serializer.fields[name].initial = self.kwargs[name]
        return serializer


@extend_schema(
    summary="Confirm an email address",
    description=(
        "Takes the `key` of the confirmation email sent at sign-up (when email verification is "
        "on) and marks the address as confirmed: logging in works from then on."
    ),
    responses={200: DetailSerializer, 404: ErrorSerializer},
)
class VerifyEmailView(registration_views.VerifyEmailView):
    authentication_classes = ()
    throttle_scope = "register"


@extend_schema(
    summary="Send the confirmation email again",
    description="The answer is the same whether or not an unconfirmed account has this address.",
    responses={200: DetailSerializer},
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
                "detail": "To confirm your email address, POST the key below to the url below.",
                "url": request.build_absolute_uri(reverse("verify-email")),
                "key": key,
            }
        )


@extend_schema(
    summary="Refresh the tokens",
    description=(
        "Exchanges a refresh token for a new access token and a new refresh token; the refresh "
        "token sent can never be used again (rotation)."
    ),
    responses={200: TokenRefreshSerializer, 401: BAD_TOKEN},
)
class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_scope = "token-refresh"


@extend_schema(
    summary="Verify a token",
    description="Answers 200 with an empty object if the token is valid and not revoked.",
    responses={200: OpenApiResponse(description="The token is valid."), 401: BAD_TOKEN},
)
class TokenVerifyView(jwt_views.TokenVerifyView):
    serializer_class = TokenVerifySerializer


@extend_schema(
    summary="Log out",
    description="Revokes the refresh token sent: it can never be used again.",
    responses={200: DetailSerializer, 401: BAD_TOKEN},
)
class LogoutView(jwt_views.TokenBlacklistView):
    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        django_logout(request)  # and end a browsable-API session, if there is one
        return Response({"detail": "Successfully logged out."})


@extend_schema_view(
    get=extend_schema(
        summary="Read your profile",
        description="The authenticated user, with their organizations.",
        responses={200: UserReadSerializer},
    ),
    put=extend_schema(
        summary="Replace your profile",
        description=(
            "Replaces the profile: `email` is required, the other fields are optional and keep "
            "their value when left out of a JSON body. In form data (as HTML forms send it), a "
            "missing `organizations` means none. `organizations` is the full list of ids of the "
            "organizations you belong to. Send `multipart/form-data` to upload an avatar in the "
            "field `avatar`."
        ),
        responses={200: UserReadSerializer},
    ),
    patch=extend_schema(
        summary="Update your profile",
        description=(
            "Changes only the fields sent. An empty or null `avatar` removes the avatar; send "
            "`multipart/form-data` to upload one. A new `email` replaces the old address "
            "everywhere: the old one no longer logs in or receives password resets. When email "
            "verification is on, the new address is sent a confirmation email, and with "
            "mandatory verification it must be confirmed before the next login."
        ),
        responses={200: UserReadSerializer},
    ),
)
class ProfileView(generics.RetrieveUpdateDestroyAPIView):
    """The authenticated user's own profile."""

    serializer_class = ProfileSerializer
    delete_serializer_class = AccountDeleteSerializer

    @property
    def throttle_scope(self):
        return "account-delete" if self.request.method == "DELETE" else None

    def get_object(self):
        return self.request.user

    @extend_schema(
        summary="Delete your account",
        description=(
            "Deletes the account, given its current `password` in the body: its memberships and "
            "its avatar go with it, and all its tokens stop working at once. The organizations "
            "it created stay, without a creator."
        ),
        responses={204: None},
    )
    def delete(self, request, *args, **kwargs):
        serializer = self.delete_serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    delete=extend_schema(
        summary="Remove your avatar",
        description="Removes the avatar and deletes its file.",
        responses={204: None},
    )
)
class ProfileAvatarView(generics.GenericAPIView):
    """Remove the authenticated user's avatar (the file goes with it)."""

    serializer_class = ProfileSerializer

    def delete(self, request, *args, **kwargs):
        request.user.avatar = None
        request.user.save(update_fields=["avatar"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List users",
        description=(
            "Every user with the organizations they belong to, paginated. Filter with "
            "`organization`, search email and names with `search`, sort with `ordering`."
        ),
    ),
    retrieve=extend_schema(summary="Read a user", description="One user and their organizations."),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of all users, each with the organizations they belong to."""

    serializer_class = UserReadSerializer
    filterset_class = UserFilter
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["id", "email", "last_name", "date_joined"]
    ordering = ["id"]

    def get_queryset(self):
        return User.objects.filter(is_active=True).directory()


class BrowsableAPILoginView(auth_views.LoginView):
    """The browsable API's login page, by email and password, under the rules of
    POST /api/login/: the same rate limits, counted together, and a confirmed address when
    verification is mandatory (see EmailAuthenticationForm)."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        wait = throttle_wait(request, self)
        if wait is None:
            return super().post(request, *args, **kwargs)
        seconds = math.ceil(wait)
        context = self.get_context_data(
            form=self.get_form_class()(request),  # unbound: the password is not checked
            throttled=f"Too many attempts: try again in {seconds} seconds.",
        )
        response = self.render_to_response(context, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(seconds)
        return response


def throttle_wait(request, view):
    """The seconds to wait if the API's throttles refuse this form POST, else None."""
    api_request = Request(request, parsers=[FormParser(), MultiPartParser()])
    try:
        api_request.data  # noqa: B018  (parsed once, then shared with the form)
    except APIException:  # not a form: no account named; the form will find no fields either
        throttles = [AddressThrottle()]
    else:
        throttles = [AddressThrottle(), AccountThrottle()]
    waits = [t.wait() or 0 for t in throttles if not t.allow_request(api_request, view)]
    return max(waits) if waits else None


def login_throttled(login_view):
    """A login page of Django's own (the admin's), counted against the login rate limits of
    POST /api/login/: a password guessed there is guessed at the API's pace."""

    @functools.wraps(login_view)
    def view(request, *args, **kwargs):
        if request.method == "POST":
            wait = throttle_wait(request, view)
            if wait is not None:
                seconds = math.ceil(wait)
                response = HttpResponse(
                    f"Too many attempts: try again in {seconds} seconds.",
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(seconds)
                return response
        return login_view(request, *args, **kwargs)

    view.throttle_scope = "login"
    return view
