"""The language a request asks for, beyond the one LocaleMiddleware activates for its answer."""

from django.conf import settings
from django.utils import translation


def requested_language(request) -> str | None:
    """The language of settings.LANGUAGES that `request` asked for, by the language cookie or
    Accept-Language; None when it did not say (a client that sends neither), unlike
    LocaleMiddleware, which then answers in LANGUAGE_CODE."""
    if request is None:
        return None
    if not (
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get("Accept-Language")
    ):
        return None
    return translation.get_language_from_request(request)
