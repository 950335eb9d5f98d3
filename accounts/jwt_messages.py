"""simplejwt's messages that reach clients (a 401's `detail` and `messages`), in the product's
catalog: simplejwt ships its Russian as ru_RU only, which the language "ru" does not load, and
the catalog of LOCALE_PATHS answers for every app. Nothing imports this module: makemessages
reads it."""

from django.utils.translation import gettext_noop

MESSAGES = [
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
