from dj_rest_auth.serializers import LoginSerializer as BaseLoginSerializer
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import UntypedToken

from .. import services
from ..authentication import JWTAuthentication
from ..tokens import SESSION_CLAIM, session_is_live
from .fields import AccountEmailField, password_field
from .profile import user_read_serializer


class LoginSerializer(BaseLoginSerializer):
    """Log in by email and password only; a `username` key is not a field and is ignored."""

    username = None
    email = AccountEmailField()
    password = password_field()


class SessionTokenSerializer(jwt_serializers.TokenObtainPairSerializer):
    """What dj-rest-auth issues the tokens of a login or a sign-up with: a new session."""

    @classmethod
    def get_token(cls, user):
        return services.login_session_start(user=user)


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """A refresh token, exchanged for a new access token and a new refresh token; it can never
    be used again."""

    # The new token is of the same session (services.refresh_token_rotate): presenting the old
    # one again later ends that session.

    refresh = serializers.CharField(label=_("Refresh token"))

    def validate(self, attrs):
        # The user as every authenticated request checks it: exists, active, same password.
        JWTAuthentication().get_user(UntypedToken(attrs["refresh"]))
        refresh = services.refresh_token_rotate(refresh=attrs["refresh"])
        return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenBlacklistSerializer(jwt_serializers.TokenBlacklistSerializer):
    """The refresh token to revoke: neither a refresh nor another logout can use it after."""

    # Its session ends with it (services.refresh_token_spend).

    refresh = serializers.CharField(label=_("Refresh token"))

    def validate(self, attrs):
        services.refresh_token_spend(refresh=attrs["refresh"])
        return {}


class TokenVerifySerializer(jwt_serializers.TokenVerifySerializer):
    """A token to check: valid while it could still be used, that is while its user exists, is
    active and has not changed password since it was issued."""

    # And, for a refresh token, while its session lasts (accounts.LoginSession).

    token = serializers.CharField(write_only=True, label=_("Token"))

    # simplejwt's verify checks the signature, expiry and blacklist only; a 401 as elsewhere.
    def validate(self, attrs):
        try:
            super().validate(attrs)
        except serializers.ValidationError as exc:
            raise InvalidToken(exc.detail[0]) from exc
        token = UntypedToken(attrs["token"])
        JWTAuthentication().get_user(token)
        is_refresh = token.get(api_settings.TOKEN_TYPE_CLAIM) == "refresh"
        if is_refresh and SESSION_CLAIM in token and not session_is_live(token[SESSION_CLAIM]):
            raise InvalidToken(services.SESSION_ENDED)
        return {}


class TokensWithUserSerializer(serializers.Serializer):
    """The answer to a sign-up or a login."""

    access = serializers.CharField()
    refresh = serializers.CharField()
    user = user_read_serializer()()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
