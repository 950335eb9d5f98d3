"""Messages of the libraries that reach clients but have no Russian the language "ru" loads, in
the product's catalog, which answers for every app (LOCALE_PATHS comes first): simplejwt's (a
401's `detail` and `messages`), which it ships as ru_RU only, and those of Django, DRF,
dj-rest-auth and drf-spectacular that their catalogs lack. Nothing imports this module:
makemessages reads it."""

from django.utils.translation import gettext_noop

MESSAGES = [
    # Django: why a CSRF check failed (restkit.errors.csrf_failure).
    gettext_noop("CSRF cookie not set."),
    gettext_noop("CSRF token missing."),
    gettext_noop("CSRF token from POST incorrect."),
    gettext_noop("Referer checking failed - no Referer."),
    gettext_noop("Referer checking failed - Referer is malformed."),
    # Django: the limits on a form's fields and files, which it does not translate.
    gettext_noop(
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
    ),
    gettext_noop("The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."),
    # drf-spectacular: a 204's description.
    gettext_noop("No response body"),
    # DRF: the description of `search` (SearchFilter).
    gettext_noop("A search term."),
    # dj-rest-auth: a reset link's uid or token that is not one.
    gettext_noop("Invalid value"),
    # dj-rest-auth: the confirmation of two-factor login's set-up (its mfa app has no Russian).
    gettext_noop("Invalid or expired activation token."),
    gettext_noop("Invalid activation token for this user."),
    gettext_noop("Invalid code. Please check your authenticator app and try again."),
    # simplejwt.
    gettext_noop("Authorization header must contain two space-delimited values"),
    gettext_noop("Given token not valid for any token type"),
    gettext_noop("Token contained no recognizable user identification"),
    gettext_noop("User not found"),
    gettext_noop("User is inactive"),
    gettext_noop("The user's password has been changed."),
    gettext_noop("Token is invalid"),
    gettext_noop("Token is expired"),
    gettext_noop("Token is invalid or expired"),
    gettext_noop("No active account found with the given credentials"),
    gettext_noop("No active account found for the given token."),
    gettext_noop("Token has no id"),
    gettext_noop("Token has no type"),
    gettext_noop("Token has wrong type"),
    gettext_noop("Token has no '{}' claim"),
    gettext_noop("Token '{}' claim has expired"),
]
