import copy
from collections.abc import Mapping
from datetime import UTC
from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import get_script_prefix
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.serializers import as_serializer_error

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


class PlainChoiceField(serializers.ChoiceField):
    """A read-only choice stored as its representation (a TextChoices value): a plain row's value
    is taken as it is, with no conversion per row."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def row_converter(self):
        return None


class UTCDateTimeField(serializers.DateTimeField):
    """A read-only moment, always in UTC ("...Z"), as DRF writes it; a plain row's value is
    converted by one plain function, without DRF's lookups of its settings for each value."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, default_timezone=UTC, **kwargs)

    def row_converter(self):
        return utc_iso


def utc_iso(value):
    text = value.astimezone(UTC).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """A read-only absolute link to the resource whose id is the source (`id` by default):
    hyperlinks by the hundred at the cost of one reverse() per request (see links.py).

    A nested resource's link takes its parents' ids too: `parent_lookups` maps each parent's
    URL kwarg to the key (of a row) or attribute (of an instance) holding its id; the field then
    reads the whole row, its own id under `lookup_field`."""

    def __init__(
        self, view_name, lookup_url_kwarg="pk", parent_lookups=None, lookup_field="id", **kwargs
    ):
        self.view_name, self.lookup_url_kwarg = view_name, lookup_url_kwarg
        self.parent_lookups = dict(parent_lookups or {})
        if self.parent_lookups:
            kwargs["source"] = "*"
            self.keys = [*self.parent_lookups.values(), lookup_field]
        kwargs.setdefault("source", "id")
        super().__init__(read_only=True, **kwargs)

    @cached_property
    def template(self):  # fields are bound anew for each request's serializer
        if self.parent_lookups:
            kwargs = [*self.parent_lookups, self.lookup_url_kwarg]
            return links(self.context["request"]).pattern(self.view_name, kwargs)
        return links(self.context["request"]).template(self.view_name, self.lookup_url_kwarg)

    def to_representation(self, value):
        return self.row_converter()(value)

    def row_converter(self):
        if self.parent_lookups:
            pattern, keys = self.template, self.keys
            return lambda row: pattern.format(*(read(row, key) for key in keys))
        prefix, suffix = self.template
        return lambda value: f"{prefix}{value}{suffix}"


def read(obj, key):
    """A row's value under `key`, or an instance's attribute."""
    return obj[key] if isinstance(obj, dict) else getattr(obj, key)


class FileLinkField(serializers.FileField):
    """A stored file's absolute URL, from its name (a plain row) or its file (an instance)."""

    def __init__(self, storage, **kwargs):
        self.storage = storage
        super().__init__(read_only=True, allow_null=True, **kwargs)

    @cached_property
    def links(self):
        return links(self.context["request"])

    def to_representation(self, value):
        return self.links.file(self.storage, getattr(value, "name", value))

    def row_converter(self):
        storage, host = self.storage, self.links.request.build_absolute_uri("/")[:-1]

        def convert(name):
            url = storage.url(name) if name else None
            return f"{host}{url}" if url and url.startswith("/") else url

        return convert


class AllErrorsAtOnceMixin:
    """A serializer whose validate() runs even when some fields are invalid, on the fields that
    are valid, once those it needs (`validate_needs`) are: a form gets every error in one 400
    (a bad phone and a weak password together), not one round after another. A field already
    in error keeps its own messages only (validate() sees it as missing)."""

    validate_needs = ()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(data, Mapping):  # no fields at all
                raise
            errors = as_serializer_error(exc)
        valid = self.valid_fields(data, errors)
        if all(name in valid for name in self.validate_needs):
            try:
                self.validate(valid)
            except (serializers.ValidationError, DjangoValidationError) as exc:
                for name, messages in as_serializer_error(exc).items():
                    errors.setdefault(name, messages)
        raise serializers.ValidationError(errors)

    def valid_fields(self, data, errors):
        """The values of the fields given without error (their validate_<name> methods aside)."""
        valid = {}
        for field in self._writable_fields:
            if field.field_name in errors:
                continue
            try:
                value = field.run_validation(field.get_value(data))
            except (serializers.ValidationError, DjangoValidationError, SkipField):
                continue
            self.set_value(valid, field.source_attrs, value)
        return valid


class RowSerializerMixin:
    # DRF's to_representation for plain rows (dicts, from `.values()`) by the hundred. It reads
    # the same declared fields, so the shape is still declared once, but walks them once per
    # serializer class and site (not per request, nor per row) into a plan of plain functions,
    # reads each row by key, and takes text or a whole number as it is. An instance goes through
    # DRF's own path. (A comment, not a docstring: the schema would show it as the serializers'.)

    # Fields whose row value is taken as it is: `.values()` reads these columns as text and
    # whole numbers already.
    PLAIN = (serializers.CharField, serializers.EmailField, serializers.IntegerField)

    @cached_property
    def row_plan(self):
        """[(name, key, convert or None)] for the readable fields, made once per serializer
        class and site (scheme, host and script prefix, on which the links depend)."""
        request = self.context["request"]
        key = (type(self), request.build_absolute_uri(get_script_prefix()))
        plan = ROW_PLANS.get(key)
        if plan is None:
            if len(ROW_PLANS) >= MAX_ROW_PLANS:  # a bounded cache: ALLOWED_HOSTS bounds it too
                ROW_PLANS.clear()
            plan = ROW_PLANS[key] = type(self)(context={"request": request}).build_row_plan()
        return plan

    def build_row_plan(self):
        """The plan, whose functions keep nothing of the request it is made in (links as text,
        other fields as unbound copies): it outlives that request."""
        return [
            (
                field.field_name,
                field.source_attrs[0] if field.source_attrs else None,  # None: the whole row
                None if type(field) in self.PLAIN else row_converter(field),
            )
            for field in self.fields.values()
            if not field.write_only
        ]

    def to_representation(self, instance):
        if isinstance(instance, dict):
            return represent_row(self.row_plan, instance)
        return super().to_representation(instance)


ROW_PLANS = {}
MAX_ROW_PLANS = 256


def represent_row(plan, row):
    data = {}
    for name, key, convert in plan:
        value = row if key is None else row[key]
        data[name] = value if convert is None or value is None else convert(value)
    return data


def row_converter(field):
    """The function turning a row's value into the field's representation: the field's own
    `row_converter()` where it has one; for a nested list of rows of a row serializer, each row
    converted directly."""
    if hasattr(field, "row_converter"):
        return field.row_converter()
    child = getattr(field, "child", None)
    if isinstance(child, RowSerializerMixin):
        plan = child.row_plan
        return lambda rows: [represent_row(plan, row) for row in rows]
    return copy.deepcopy(field).to_representation  # an unbound copy, free of the request
