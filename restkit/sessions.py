"""The browsable API's own session, for the API's views that log in without one (a sign-up,
a login by email and password, which answer with tokens)."""

from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from rest_framework.authentication import CSRFCheck, SessionAuthentication


def browser_session_login(request, user) -> bool:
    """Log the browser in too when the request comes from the browsable API (its answer is a
    page of it) and passes Django's CSRF check: a form on another site must not log a browser
    into an account of its choosing (login CSRF). Returns whether it did; Django's login()
    records the login as services.user_login_record() would."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.format != "api":
        return False  # a JSON client: tokens only, no session cookie
    http_request = request._request
    check = CSRFCheck(lambda _request: None)  # as SessionAuthentication.enforce_csrf checks
    check.process_request(http_request)
    if check.process_view(http_request, None, (), {}) is not None:
        return False
    backend = getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0]
    login(http_request, user, backend=backend)
    request.user = user  # the page answering shows who is logged in (DRF's setter, for login())
    return True


def browser_session_keep(request) -> bool:
    """Keep the browser that made the request logged in after its account's sessions were all
    ended (a new password, two-factor login turned on), when it made it with its session.
    Returns whether it did."""
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return False
    update_session_auth_hash(request._request, request.user)
    return True
