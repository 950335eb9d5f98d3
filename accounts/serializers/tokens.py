from dj_rest_auth.serializers import LoginSerializer as BaseLoginSerializer
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from .fields import AccountEmailField, password_field
from .profile import user_read_serializer


class LoginSerializer(BaseLoginSerializer):
    """Log in by email and password only; a `username` key is not a field and is ignored."""

    username = None
    email = AccountEmailField()
    password = password_field()


class SingleUseRefreshToken(RefreshToken):
    """A refresh token that is spent by one atomic insert into the blacklist: of simultaneous
    requests spending it (two refreshes, or a refresh and a logout) exactly one succeeds, so a
    stolen token cannot be split into several live sessions."""

    def blacklist(self):
        blacklisted, spent_now = super().blacklist()  # get_or_create on a unique token
        if not spent_now:
            raise InvalidToken("Token is blacklisted")
        return blacklisted, spent_now


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """A refresh token, exchanged for a new access token and a new refresh token; it can never
    be used again."""

    token_class = SingleUseRefreshToken

    def validate(self, attrs):
        # The user as every authenticated request checks it: exists, active, same password.
        JWTAuthentication().get_user(self.token_class(attrs["refresh"]))
        return super().validate(attrs)


class TokenBlacklistSerializer(jwt_serializers.TokenBlacklistSerializer):
    """The refresh token to revoke: neither a refresh nor another logout can use it after."""

    token_class = SingleUseRefreshToken


class TokenVerifySerializer(jwt_serializers.TokenVerifySerializer):
    """A token to check: valid while it could still be used, that is while its user exists, is
    active and has not changed password since it was issued."""

    # simplejwt's verify checks the signature, expiry and blacklist only; a 401 as elsewhere.
    def validate(self, attrs):
        try:
            super().validate(attrs)
        except serializers.ValidationError as exc:
            raise InvalidToken(exc.detail[0]) from exc
        JWTAuthentication().get_user(UntypedToken(attrs["token"]))
        return {}


class TokensWithUserSerializer(serializers.Serializer):
    """The answer to a sign-up or a login."""

    access = serializers.CharField()
    refresh = serializers.CharField()
    user = user_read_serializer()()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
