"""The API's routers: DRF's and drf-nested-routers', whose ids in paths are whole numbers."""

from rest_framework_nested import routers


class DigitIdsMixin:
    """A viewset's id in its paths (and a nested route's parent id) is ASCII digits, Django's
    `int` path converter, unless the viewset sets `lookup_value_converter`: anything else in its
    place is no route, a JSON 404, never a lookup. The default admits any text, and int() reads
    an Arabic-Indic "1" as 1 and fails on "²", which str.isdigit() lets through."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, use_regex_path=False, **kwargs)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_converter"):  # a subclass, to read it from
            viewset = type(viewset.__name__, (viewset,), {"lookup_value_converter": "int"})
        return super().get_lookup_regex(viewset, lookup_prefix)


class SimpleRouter(DigitIdsMixin, routers.SimpleRouter):
    pass


class NestedSimpleRouter(DigitIdsMixin, routers.NestedSimpleRouter):
    pass
