"""Rate limits per client address and per account, with the rates in settings.THROTTLE_RATES.

A view names its limits with `throttle_scope` (views without rates of their own count under
"api"); each scope has up to two rates, "<scope>.address" and "<scope>.account". The counts live
in the default cache: Redis when REDIS_URL is set, so every worker and machine shares them.
"""

import functools
import hashlib
import math
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import UntypedToken

from .emails import normalize_email


class ScopedThrottle(SimpleRateThrottle):
    kind = ""  # "address" or "account"

    def allow_request(self, request, view):
        rates = settings.THROTTLE_RATES  # read per request: tests change it
        self.scope = f"{getattr(view, 'throttle_scope', None)}.{self.kind}"
        if self.scope not in rates:  # no scope, or one without its own rates
            self.scope = f"api.{self.kind}"
        self.rate = rates.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):  # the rate is set in allow_request
        return None

    def get_cache_key(self, request, view):
        ident = self.get_identity(request)
        if not ident:
            return None
        # Hashed: an identity comes from the request, so it may be long or hold any character,
        # even a lone surrogate, which JSON allows and UTF-8 cannot encode (the view refuses it).
        digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class AddressThrottle(ScopedThrottle):
    """Counts the requests of one client address (REMOTE_ADDR, or X-Forwarded-For behind
    NUM_PROXIES trusted proxies)."""

    kind = "address"

    def get_identity(self, request):
        return self.get_ident(request)


class AccountThrottle(ScopedThrottle):
    """Counts the requests that concern one account, from whatever address they come: the
    authenticated user, else the `email` (or `username`) of the body, else the user of a
    `refresh` token."""

    kind = "account"

    def get_identity(self, request):
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        data = request.data if isinstance(request.data, Mapping) else {}
        email = data.get("email") or data.get("username")  # the admin's login form says username
        if isinstance(email, str) and email.strip():
            return f"email-{normalize_email(email)}"
        refresh = data.get("refresh")
        if isinstance(refresh, str) and refresh:
            try:
                return f"user-{UntypedToken(refresh)[jwt_settings.USER_ID_CLAIM]}"
            except (TokenError, KeyError, UnicodeError):
                return None  # a bad token is refused anyway; its address is still counted
        return None


def throttle_wait(request, view):
    """The seconds to wait if the API's throttles refuse this form POST to a Django view (a login
    page), else None; `view.throttle_scope` names the limits, as for an API view."""
    api_request = Request(request, parsers=[FormParser(), MultiPartParser()])
    try:
        api_request.data  # noqa: B018  (parsed once, then shared with the form)
    except APIException:  # not a form: no account named; the form will find no fields either
        throttles = [AddressThrottle()]
    else:
        throttles = [AddressThrottle(), AccountThrottle()]
    waits = [t.wait() or 0 for t in throttles if not t.allow_request(api_request, view)]
    return max(waits) if waits else None


def throttled(django_view, scope):
    """A Django view whose POSTs count against the API's limits of `scope` (the admin's login
    page under "login": a password guessed there is guessed at the API's pace)."""

    @functools.wraps(django_view)
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
        return django_view(request, *args, **kwargs)

    view.throttle_scope = scope
    return view
