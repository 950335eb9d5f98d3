import io

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .exceptions import RequestTooLarge


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded like Django's form parsing by DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestTooLarge(f"A JSON body may have at most {limit} bytes.")
            stream = io.BytesIO(body)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # nested deeper than the decoder goes
            raise ParseError("JSON parse error - nested too deeply.") from exc
