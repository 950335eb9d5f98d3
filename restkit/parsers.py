from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; JSON nested deeper than the decoder goes is a 400, not a 500.

    The body's size is bounded before any parser runs: DRF reads it through Django's
    `request.body`, refused above DATA_UPLOAD_MAX_MEMORY_SIZE (see api.exceptions).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(gettext("JSON parse error - nested too deeply.")) from exc
