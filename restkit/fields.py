from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .links import links


class StrictCharField(serializers.CharField):
    """A text field that takes text only: DRF's own turns a number into its digits."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, with text model fields taking text only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """A read-only absolute link to the resource whose id is the source (`id` by default):
    hyperlinks by the hundred at the cost of one reverse() per request (see links.py)."""

    def __init__(self, view_name, lookup_url_kwarg="pk", **kwargs):
        self.view_name, self.lookup_url_kwarg = view_name, lookup_url_kwarg
        kwargs.setdefault("source", "id")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return links(self.context["request"]).url(self.view_name, value, self.lookup_url_kwarg)


class FileLinkField(serializers.FileField):
    """A stored file's absolute URL, from its name (a plain row) or its file (an instance)."""

    def __init__(self, storage, **kwargs):
        self.storage = storage
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return links(self.context["request"]).file(self.storage, getattr(value, "name", value))
