"""The API's bearer tokens: simplejwt's, which also end when the account signs out everywhere."""

from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from .tokens import GENERATION_CLAIM, SESSION_ENDED


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's check of a token's user (exists, active, the password the token was issued
    under), and the account's session generation the token was issued under: raised by
    accounts.services.sign_out_everywhere (two-factor login turned on, a new password), which
    so ends the access tokens already out, not only the refresh tokens. A token without the
    claim was issued at generation 0."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if validated_token.get(GENERATION_CLAIM, 0) != user.session_generation:
            raise AuthenticationFailed(SESSION_ENDED, code="session_ended")
        return user
