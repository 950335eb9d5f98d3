"""Refresh tokens of login sessions: each carries its session's id (`sid`), which rotation
passes on, and expires with the session at the latest."""

import uuid
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import AccessToken, BlacklistMixin, RefreshToken
from rest_framework_simplejwt.utils import datetime_to_epoch

from .models import LoginSession

SESSION_CLAIM = "sid"
# The account's session generation when the token was issued (accounts.authentication).
GENERATION_CLAIM = "sgen"
SPENT = _("Token is blacklisted")
SESSION_ENDED = _("The session has ended: log in again.")


def session_key(claim: object) -> uuid.UUID | None:
    """The session id in a `sid` claim; None if it is missing or not one."""
    try:
        return uuid.UUID(str(claim)) if claim is not None else None
    except ValueError:
        return None


def session_is_live(claim: object) -> bool:
    key = session_key(claim)
    session = LoginSession.objects.filter(pk=key).first() if key else None
    return session is not None and session.is_live()


class SpentTokenError(TokenError):
    """A refresh token presented after it was spent (rotated, logged out or revoked)."""

    def __init__(self, session_id: str | None, spent_at: datetime):
        super().__init__(SPENT)
        self.session_id = session_id
        self.spent_at = spent_at


class SessionRefreshToken(RefreshToken):
    """A refresh token of a login session; `accounts.services` issues, rotates and spends them."""

    expires_at: datetime | None = None  # of the session, once known: caps the access token too

    @classmethod
    def for_session(cls, session: LoginSession) -> "SessionRefreshToken":
        """The first token of `session`; not yet outstanding."""
        # Token's claims without BlacklistMixin's outstanding row: that is written by the caller,
        # once the session claim is in the token it stores.
        token = super(BlacklistMixin, cls).for_user(session.user)
        token[SESSION_CLAIM] = str(session.pk)
        token[GENERATION_CLAIM] = session.user.session_generation
        token.set_exp_within(session)
        return token

    @property
    def session_id(self) -> str | None:
        return self.payload.get(SESSION_CLAIM)  # None in tokens issued before sessions

    def check_blacklist(self) -> None:
        spent_at = (
            BlacklistedToken.objects.filter(token__jti=self.payload[api_settings.JTI_CLAIM])
            .values_list("blacklisted_at", flat=True)
            .first()
        )
        if spent_at is not None:
            raise SpentTokenError(self.session_id, spent_at)

    def spend(self) -> tuple[BlacklistedToken, bool]:
        """Blacklist this token: the row, and whether this call inserted it (of simultaneous
        calls, exactly one does)."""
        return super().blacklist()  # a get_or_create on a unique token; typed as the row alone

    def renew(self, session: LoginSession) -> None:
        """Become the next token of `session`: a new id and lifetime, the same claims."""
        self.set_jti()
        self.set_iat()
        self[SESSION_CLAIM] = str(session.pk)
        self.set_exp_within(session)

    def set_exp_within(self, session: LoginSession) -> None:
        self.expires_at = session.expires_at
        self.set_exp()
        self.payload["exp"] = min(self.payload["exp"], datetime_to_epoch(session.expires_at))

    @property
    def access_token(self) -> AccessToken:
        access = super().access_token
        if self.expires_at is not None:
            access.payload["exp"] = min(access["exp"], datetime_to_epoch(self.expires_at))
        return access
