"""The login limits, applied to a password checked elsewhere than at login."""

from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from restkit.throttling import AccountThrottle, AddressThrottle

from .models import User


class _LoginAccountThrottle(AccountThrottle):
    """The login's per-account count, keyed as POST /api/login/ keys it (by the email)."""

    def __init__(self, user: User):
        super().__init__()
        self.user = user

    def get_identity(self, request):
        return f"email-{self.user.email}"


class _LoginLimits:
    throttle_scope = "login"  # what the throttles read from a view


def count_failed_password(request: Request, user: User) -> None:
    """Count a wrong password given for `user` (to change the email, say) as a failed login:
    against the login limits of the client's address and of the account; 429 once they are
    spent, so that a stolen token cannot guess the password faster than the login page."""
    # A stand-in until restkit.throttling counts failed passwords itself: today's throttles
    # count each call as one request of the "login" scope.
    view = _LoginLimits()
    for throttle in (AddressThrottle(), _LoginAccountThrottle(user)):
        if not throttle.allow_request(request, view):
            raise Throttled(wait=throttle.wait())
