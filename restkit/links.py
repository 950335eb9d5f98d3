"""Absolute URLs of the API's resources, at the cost of one reverse() per request and view name,
not one per row."""

from django.urls import reverse

# A stand-in id: reversed once, then replaced by each real id.
_PLACEHOLDER = "8675309000000000001"


class Links:
    def __init__(self, request):
        self.request = request
        self._prefixes = {}

    def template(self, view_name, kwarg="pk"):
        """The absolute URL of `view_name` split around the object's id: (prefix, suffix)."""
        key = (view_name, kwarg)
        if key not in self._prefixes:
            path = reverse(view_name, kwargs={kwarg: _PLACEHOLDER})
            self._prefixes[key] = self.request.build_absolute_uri(path).split(_PLACEHOLDER)
        return self._prefixes[key]

    def pattern(self, view_name, kwargs):
        """The absolute URL of `view_name` with a `{}` where each of `kwargs` goes, in order:
        for a URL with several ids (a nested resource's)."""
        key = (view_name, tuple(kwargs))
        if key not in self._prefixes:
            placeholders = {kwarg: f"{_PLACEHOLDER}{i}" for i, kwarg in enumerate(kwargs)}
            url = self.request.build_absolute_uri(reverse(view_name, kwargs=placeholders))
            url = url.replace("{", "{{").replace("}", "}}")
            for placeholder in placeholders.values():
                url = url.replace(placeholder, "{}")
            self._prefixes[key] = url
        return self._prefixes[key]

    def url(self, view_name, pk, kwarg="pk"):
        """The absolute URL of `view_name` for the object with this id."""
        prefix, suffix = self.template(view_name, kwarg)
        return f"{prefix}{pk}{suffix}"

    def file(self, storage, name):
        """The absolute URL of a stored file, or None if there is none."""
        return self.request.build_absolute_uri(storage.url(name)) if name else None


def links(request) -> Links:
    """The request's Links, made on first use."""
    if not hasattr(request, "api_links"):
        request.api_links = Links(request)
    return request.api_links
