"""Two-factor login on dj_rest_auth.mfa: its Authenticator rows hold an account's TOTP secret and
recovery codes; what it leaves open is closed here and in accounts.services (the mfa_* ones).

- A TOTP code is accepted once: the time step of the last code used is stored, and only a later
  step passes (dj_rest_auth.mfa compares with the last code only, so an older code of the window
  would pass again after a newer one).
- The ephemeral token of a login names an MfaChallenge row: it works for one right code and at
  most MFA_MAX_FAILED_CODES wrong ones, and expires MFA_EPHEMERAL_TOKEN_TIMEOUT seconds after the
  password step (dj_rest_auth.mfa's is the signed user id alone, good for any number of tries).
"""

import hmac
import re

import pyotp
from dj_rest_auth.app_settings import api_settings
from dj_rest_auth.mfa.utils import is_mfa_enabled
from django.core import signing
from django.utils import timezone

# Wrong codes one ephemeral token takes; then only a new login (with the password) goes on.
MFA_MAX_FAILED_CODES = 5

_challenges = signing.TimestampSigner(salt="accounts.mfa.challenge")


def mfa_enabled(user) -> bool:
    """Whether logging in as `user` takes a second factor."""
    return bool(is_mfa_enabled(user))


def token_lifetime() -> int:
    return int(api_settings.MFA_EPHEMERAL_TOKEN_TIMEOUT)


def challenge_token(challenge_id) -> str:
    """The ephemeral token of a challenge: its id, signed with the time it was issued."""
    return _challenges.sign(str(challenge_id))


def challenge_id(token: str) -> str:
    """The id a token names; raises signing.BadSignature (SignatureExpired included) unless it is
    one of ours, issued less than MFA_EPHEMERAL_TOKEN_TIMEOUT seconds ago."""
    return _challenges.unsign(token, max_age=token_lifetime())


def totp_time_step(secret: str, code: str) -> int | None:
    """The time step whose code `code` is, within one step of now (a clock a little off still
    works), or None."""
    digits = int(api_settings.MFA_TOTP_DIGITS)
    if not re.fullmatch(rf"[0-9]{{{digits}}}", code.strip()):
        return None
    totp = pyotp.TOTP(secret, digits=digits, interval=int(api_settings.MFA_TOTP_PERIOD))
    now = totp.timecode(timezone.now())
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code.strip()):
            return step
    return None
