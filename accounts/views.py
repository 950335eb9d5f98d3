from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.registration import views as registration_views
from django.contrib.auth import logout as django_logout
from django.contrib.auth import views as auth_views
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from api.schema import ErrorSerializer

from .filters import UserFilter
from .forms import EmailAuthenticationForm
from .models import User
from .serializers import (
    DetailSerializer,
    ProfileSerializer,
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
        "the answer carries an access and a refresh token."
    ),
    responses={201: TokensWithUserSerializer},
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
    description="Sets a new password; the old one is required and stops working at once.",
    responses={200: DetailSerializer},
)
class PasswordChangeView(rest_auth_views.PasswordChangeView):
    throttle_scope = "password-change"


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
            "`multipart/form-data` to upload one."
        ),
        responses={200: UserReadSerializer},
    ),
)
class ProfileView(generics.RetrieveUpdateAPIView):
    """The authenticated user's own profile."""

    serializer_class = ProfileSerializer

    def get_object(self):
        return self.request.user


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
        return User.objects.directory()


class BrowsableAPILoginView(auth_views.LoginView):
    """The browsable API's login page, by email and password."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
