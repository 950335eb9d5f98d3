import json

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The reasons Python's json module gives (json.decoder), in the language of the answer.
JSON_ERRORS = {
    "Expecting value": _("Expecting value"),
    "Expecting ',' delimiter": _("Expecting ',' delimiter"),
    "Expecting ':' delimiter": _("Expecting ':' delimiter"),
    "Expecting property name enclosed in double quotes": _(
        "Expecting property name enclosed in double quotes"
    ),
    "Extra data": _("Extra data"),
    "Invalid \\uXXXX escape": _("Invalid \\uXXXX escape"),
    "Unterminated string starting at": _("Unterminated string starting at"),
}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; JSON nested deeper than the decoder goes is a 400, not a 500, and a
    syntax error is told in the language of the answer, where it is, as DRF words it.

    The body's size is bounded before any parser runs: DRF reads it through Django's
    `request.body`, refused above DATA_UPLOAD_MAX_MEMORY_SIZE (see api.exceptions).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(gettext("JSON parse error - nested too deeply.")) from exc
        except ParseError as exc:
            error = exc.__context__  # DRF raises its ParseError while handling the decoder's
            if not isinstance(error, json.JSONDecodeError) or error.msg not in JSON_ERRORS:
                raise
            detail = gettext(
                "JSON parse error - %(reason)s: line %(line)d column %(column)d (char %(char)d)"
            ) % {
                "reason": JSON_ERRORS[error.msg],
                "line": error.lineno,
                "column": error.colno,
                "char": error.pos,
            }
            raise ParseError(detail) from error
