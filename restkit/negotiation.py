from django.utils.translation import gettext
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, answering an unknown `?format=` with a 406, as an unknown `Accept`
    header gets, rather than a 404 that says the resource does not exist."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise NotAcceptable(
                gettext("Unknown format %(format)s: use one of %(known)s.")
                % {"format": repr(format), "known": known}
            )
        return matching
