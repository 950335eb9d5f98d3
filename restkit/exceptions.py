import math
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status, views
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    Throttled,
    ValidationError,
)
from rest_framework.serializers import as_serializer_error

from .errors import body_too_large


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def throttled_detail(wait):
    """The 429's message with the wait in whole seconds, in the plural form the language needs
    ("1 секунду", "3 секунды", "5 секунд"): DRF's picks its form by the English rule."""
    seconds = math.ceil(wait)
    return ngettext(
        "Request was throttled. Expected available in %(wait)d second.",
        "Request was throttled. Expected available in %(wait)d seconds.",
        seconds,
    ) % {"wait": seconds}


def throttled(wait, reason):
    """DRF's Throttled for a refusal of our own, saying `reason` and then the wait, in the plural
    form the language needs (DRF's Throttled(wait, detail) would pick it by the English rule)."""
    seconds = math.ceil(wait)
    wait_text = ngettext(
        "Expected available in %(wait)d second.",
        "Expected available in %(wait)d seconds.",
        seconds,
    ) % {"wait": seconds}
    exc = Throttled(detail=f"{reason} {wait_text}")
    exc.wait = seconds  # Retry-After
    return exc


CSRF_FAILED = "CSRF Failed: "

# Django's get_object_or_404 says this in English only, naming the model's class.
NO_SUCH_OBJECT = re.compile(r"No (\w+) matches the given query\.")


def not_found_detail(message):
    """Django's "No Organization matches the given query." in the language of the answer, the
    model named by its verbose name ("No Organization..." still, in English); any other
    message as it is."""
    match = NO_SUCH_OBJECT.fullmatch(message)
    models = [m for m in apps.get_models() if match and m._meta.object_name == match[1]]
    if len(models) != 1:
        return message
    name = capfirst(models[0]._meta.verbose_name)
    return gettext("No %(object)s matches the given query.") % {"object": name}


def exception_handler(exc, context):
    """DRF's handler, which also answers a ValidationError of Django's (raised by a service) as
    a 400 of field errors, and Django's limits on request bodies (met while DRF parses one) with
    a JSON 413 or 400, in debug mode too, where Django would answer with its page."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = ParseError(gettext(str(exc)))  # Django's English message: restkit/messages.py
    elif isinstance(exc, Http404) and exc.args:
        exc = NotFound(not_found_detail(str(exc.args[0])))
    elif isinstance(exc, PermissionDenied) and str(exc.detail).startswith(CSRF_FAILED):
        # DRF's session authentication says why in English (Django's reason).
        reason = gettext(str(exc.detail).removeprefix(CSRF_FAILED))
        exc = PermissionDenied(gettext("CSRF Failed: %(reason)s") % {"reason": reason})
    elif isinstance(exc, NotFound) and isinstance(exc.detail, str):
        exc = NotFound(not_found_detail(exc.detail))  # a view's own "No User matches..."
    elif (
        isinstance(exc, Throttled)
        and exc.wait is not None
        and str(exc.detail).startswith(str(Throttled.default_detail))  # DRF's own, not throttled()
    ):
        wait, exc = exc.wait, Throttled(detail=throttled_detail(exc.wait))
        exc.wait = wait  # Retry-After; not given to Throttled(), which would add its own text
    return views.exception_handler(exc, context)
