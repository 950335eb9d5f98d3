"""Rate limits per client address, per account and per (account, address), with the rates in
settings.THROTTLE_RATES.

A view names its limits with `throttle_scope` (views without rates of their own count under
"api"); each scope has up to three rates: "<scope>.address", "<scope>.account" and
"<scope>.account-address". A rate of None means no limit of that kind.

Each limit is a counter per window (a minute, an hour... from the first request it counts) in
the default cache, taken by an atomic increment before the request runs: simultaneous requests
cannot pass more than the limit between them. A refused request gives its increments back, so a
429 costs nothing; and a view whose attempts count only when they fail (a login) gives them back
when the password was right (`attempt_succeeded`). The cache is Redis when REDIS_URL is set, so
that every worker and machine shares the counts; without it, gunicorn.conf.py runs a single
worker process.

The limits fail open: when the cache fails or does not answer within CACHE_TIMEOUT_MS, the
request is served uncounted, and a circuit breaker skips the cache for CACHE_RETRY_SECONDS so that
no other request waits for it meanwhile (restkit/breaker.py; one warning a minute in the log).
"""

import contextlib
import dataclasses
import functools
import hashlib
import math
import time
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import UntypedToken

from .breaker import CircuitBreaker, Unavailable
from .emails import normalize_email
from .metrics import CACHE_FAILURES, THROTTLE_REJECTIONS

# The order they are counted in: a request refused by its address's limit, or by its address's
# limit for one account, never touches the account's own count, which others' requests share.
KINDS = ("address", "account-address", "account")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

cache_breaker = CircuitBreaker("cache", retry_after=settings.CACHE_RETRY_SECONDS)
cache_breaker.on_failure.append(lambda error: CACHE_FAILURES.inc())


@dataclasses.dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    window_end: float


def rate_of(scope, kind):
    """The rate "<number>/<unit>" of this scope and kind (else of "api"), or None."""
    rates = settings.THROTTLE_RATES  # read each time: tests change it
    name = f"{scope}.{kind}"
    return rates[name] if name in rates else rates.get(f"api.{kind}")


def counter(name, ident, rate, now):
    """The counter of `ident` under the rate `name`. Its window opens with the first request it
    counts, not on the clock's minute or hour, so that attempts made together are never split
    over two windows."""
    number, unit = rate.split("/")
    duration = UNITS[unit[0]]
    # Hashed: an identity comes from the request, so it may be long or hold any character, even
    # a lone surrogate, which JSON allows and UTF-8 cannot encode (the view refuses it).
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"throttle:{name}:{digest}"
    cache.add(f"{key}:opened", now, duration)
    opened = cache.get(f"{key}:opened", now)
    if now >= opened + duration:  # passed, on a clock the cache's expiry does not follow
        opened = now
        cache.set(f"{key}:opened", opened, duration)
    return Counter(f"{key}:{opened}", int(number), opened + duration)


def take(counter, now):
    """Add one to the counter, atomically (an increment in the cache, never a read then a
    write); returns the new count."""
    timeout = max(1, math.ceil(counter.window_end - now))  # the count ends with its window
    for _ in range(3):
        cache.add(counter.key, 0, timeout)
        try:
            return cache.incr(counter.key)
        except ValueError:  # expired or evicted between the two calls: create it again
            continue
    return 1  # the cache keeps nothing: count as the first


def give_back(keys):
    with contextlib.suppress(Unavailable), cache_breaker.guard():
        for key in keys:
            with contextlib.suppress(ValueError):  # expired or evicted: nothing to give back
                cache.decr(key)


def reservations(request):
    """The counter keys taken by this request (an HttpRequest or DRF's Request around one)."""
    http_request = getattr(request, "_request", request)
    if not hasattr(http_request, "throttle_keys"):
        http_request.throttle_keys = []
    return http_request.throttle_keys


def attempt_succeeded(request):
    """This request's attempt does not count: a login with the right password gives back what
    it took from the login limits."""
    keys = reservations(request)
    give_back(keys)
    keys.clear()


def account_identity(request):
    """The account a request concerns, from whatever address it comes: the authenticated user,
    else the `email` (or `username`) of the body, else the user of a `refresh` token."""
    if request.user and request.user.is_authenticated:
        return f"user-{request.user.pk}"
    data = request.data if isinstance(request.data, Mapping) else {}
    email = data.get("email") or data.get("username")  # the admin's login form says username
    if isinstance(email, str) and email.strip():
        return email_identity(email)
    refresh = data.get("refresh")
    if isinstance(refresh, str) and refresh:
        try:
            return f"user-{UntypedToken(refresh)[jwt_settings.USER_ID_CLAIM]}"
        except (TokenError, KeyError, UnicodeError):
            return None  # a bad token is refused anyway; its address is still counted
    return None


def email_identity(email):
    return f"email-{normalize_email(email)}"


class ScopedThrottle(BaseThrottle):
    """DRF's throttle for every view: takes one from each limit of the view's scope (per client
    address, REMOTE_ADDR or X-Forwarded-For behind NUM_PROXIES trusted proxies; per account; per
    account at that address), or refuses the request, giving back what it took."""

    def __init__(self):
        self.refused_until = None
        self.now = None
        self.taken = []  # the keys of the counters taken

    def timer(self):
        return time.time()

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if not self.take(request, scope, account_identity(request)):
            return False
        reservations(request).extend(self.taken)
        return True

    def take(self, request, scope, account):
        """Take one from each limit of `scope` for this request, or none if one is reached;
        True (nothing taken) while the cache is unavailable."""
        try:
            with cache_breaker.guard():
                return self.take_from_cache(request, scope, account)
        except Unavailable:
            self.taken = []
            return True

    def take_from_cache(self, request, scope, account):
        self.now = self.timer()
        address = self.get_ident(request)
        identities = {
            "address": address,
            "account": account,
            "account-address": account and f"{account} at {address}",
        }
        taken = self.taken = []
        for kind in KINDS:
            rate = rate_of(scope, kind)
            if rate is None or not identities[kind]:
                continue
            current = counter(f"{scope}.{kind}", identities[kind], rate, self.now)
            taken.append(current.key)
            if take(current, self.now) > current.limit:
                THROTTLE_REJECTIONS.labels(scope or "api", kind).inc()
                give_back(taken)
                taken.clear()
                self.refused_until = current.window_end
                return False
        return True

    def wait(self):
        return None if self.refused_until is None else self.refused_until - self.now


def check_password_counted(request, *, email: str, check: Callable[[], bool]) -> bool:
    """Check a password elsewhere than at login (a `current_password`, say), or a second-factor
    code, under the login limits of the account `email` at the request's address: raises DRF's
    Throttled (429 with Retry-After) without calling `check` when a limit is reached; else
    returns check(), and a False counts as a failed login."""
    throttle = ScopedThrottle()
    if not throttle.take(request, "login", email_identity(email)):
        raise Throttled(throttle.wait())
    if check():
        give_back(throttle.taken)
        return True
    return False


def within_limit(name: str, ident: str) -> bool:
    """Count one use of the rate `name` of THROTTLE_RATES by `ident` (a count nobody sees: the
    mails sent to one account, say); False once the limit is passed."""
    rate = settings.THROTTLE_RATES.get(name)
    if rate is None:
        return True
    now = ScopedThrottle().timer()
    try:
        with cache_breaker.guard():
            current = counter(name, ident, rate, now)
            return take(current, now) <= current.limit
    except Unavailable:
        return True


def throttle_wait(request, view):
    """The seconds to wait if the limits of `view.throttle_scope` refuse this form POST to a
    Django view (a login page), else None; what it took counts until attempt_succeeded()."""
    api_request = Request(request, parsers=[FormParser(), MultiPartParser()])
    try:
        api_request.data  # noqa: B018  (parsed once, then shared with the form)
    except APIException:  # not a form: no account named; the form will find no fields either
        account = None
    else:
        account = account_identity(api_request)
    throttle = ScopedThrottle()
    if throttle.take(api_request, getattr(view, "throttle_scope", None), account):
        reservations(request).extend(throttle.taken)
        return None
    return throttle.wait()


def too_many_attempts(seconds):
    """What a login page answers when its limits are reached."""
    return ngettext(
        "Too many attempts: try again in %(seconds)d second.",
        "Too many attempts: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def throttled(django_view, scope):
    """A login view of Django's (the admin's) whose POSTs count against the API's limits of
    `scope`: a password guessed there is guessed at the API's pace, and a right one (the view
    redirects) does not count."""

    @functools.wraps(django_view)
    def view(request, *args, **kwargs):
        if request.method != "POST":
            return django_view(request, *args, **kwargs)
        wait = throttle_wait(request, view)
        if wait is not None:
            seconds = math.ceil(wait)
            response = HttpResponse(
                too_many_attempts(seconds),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(seconds)
            return response
        response = django_view(request, *args, **kwargs)
        if response.status_code == status.HTTP_302_FOUND:  # logged in: a failure shows the form
            attempt_succeeded(request)
        return response

    view.throttle_scope = scope
    return view
