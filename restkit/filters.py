import operator
from functools import reduce

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from rest_framework import serializers
from rest_framework.filters import OrderingFilter, SearchFilter


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` with ties broken by id, so pages never repeat or skip a row. A field that
    cannot be sorted by is a 400 naming the ones that can, not silently the default order."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) < len(fields):
            choices = ", ".join(self.choices(view))
            detail = gettext("Sort by one of: %(choices)s.") % {"choices": choices}
            raise serializers.ValidationError({self.ordering_param: [detail]})
        return valid

    def choices(self, view):
        return [sign + name for name in view.ordering_fields for sign in ("", "-")]

    def get_schema_operation_parameters(self, view):
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["description"] = gettext(
            "The field to sort by, ascending, or descending with a leading `-`; ties are broken "
            "by `id`, in the same direction."
        )
        parameter["schema"]["enum"] = self.choices(view)
        # Names for generated clients' enums: LAST_NAME_DESC, not VALUE_3.
        parameter["schema"]["x-enum-varnames"] = [
            name.removeprefix("-").upper() + ("_DESC" if name.startswith("-") else "")
            for name in parameter["schema"]["enum"]
        ]
        return [parameter]

    def get_ordering(self, request, queryset, view):
        # A view's `ordering_sources` maps a public name to what it sorts by (a masked value).
        sources = getattr(view, "ordering_sources", {})
        ordering = []
        for term in super().get_ordering(request, queryset, view) or []:
            sign, name = ("-", term[1:]) if term.startswith("-") else ("", term)
            ordering.append(sign + sources.get(name, name))
        if not {"id", "-id", "pk", "-pk"} & set(ordering):
            # In the direction of the last term: one index on (field, id) serves both directions.
            ordering.append("-id" if ordering and ordering[-1].startswith("-") else "id")
        return ordering


class FieldSearchFilter(SearchFilter):
    """`?search=` of at most MAX_TERMS words and MAX_LENGTH characters, one of them at least
    MIN_LENGTH long, each word found in any letter case, whose errors (a NUL character, too many
    words, too short) name the parameter, as field errors do.

    A view's `get_search_guards()` may map a search field to a condition that must hold too for
    a row to match on that field (an address the viewer may see): the lookup on the column
    itself stays the one its index serves.

    A view's `search_vocabularies` may map a search field to the distinct values it holds, an
    object whose `containing(word)` gives those that contain the word, or None if too many do
    (accounts.Name for names): the rows are then looked up by those values, an equality an
    ordinary index serves, rather than by the fragment over every row."""

    # Each word is a condition on every search field: a thousand of them overflowed SQLite's
    # expression tree (a 500) and took PostgreSQL seconds; one very long word overflowed
    # SQLite's limit on LIKE patterns. A word shorter than three characters has no trigram, so
    # the indexes (restkit.indexes.contains_index) cannot narrow it: alone, it would read the
    # whole table.
    MAX_TERMS = 10
    MAX_LENGTH = 200
    MIN_LENGTH = 3

    def filter_queryset(self, request, queryset, view):
        fields = self.get_search_fields(view, request)
        terms = self.get_search_terms(request)
        if not fields or not terms:
            return queryset
        guards = view.get_search_guards() if hasattr(view, "get_search_guards") else {}
        lookups = {field: self.construct_search(field, queryset) for field in fields}
        vocabularies = getattr(view, "search_vocabularies", {})
        values = {}  # (vocabulary, term): the values that contain it, looked up once

        def matches(field, term):
            vocabulary = vocabularies.get(field)
            if vocabulary is not None:
                if (vocabulary, term) not in values:
                    values[vocabulary, term] = vocabulary.containing(term)
                if values[vocabulary, term] is not None:
                    return Q(**{f"{field}__in": values[vocabulary, term]})
            return Q(**{lookups[field]: term})

        # No distinct(): search fields are columns of the listed rows, never a to-many relation.
        return queryset.filter(
            reduce(
                operator.and_,
                (
                    reduce(
                        operator.or_,
                        (matches(field, term) & guards.get(field, Q()) for field in lookups),
                    )
                    for term in terms
                ),
            )
        )

    def construct_search(self, field_name, queryset):
        lookup = super().construct_search(field_name, queryset)
        if lookup.endswith("__icontains"):  # in any letter case of any script: api/lookups.py
            return lookup.removesuffix("icontains") + "uicontains"
        return lookup

    def get_search_terms(self, request):
        try:
            terms = super().get_search_terms(request)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.search_param: exc.detail}) from exc
        if len(request.query_params.get(self.search_param, "")) > self.MAX_LENGTH:
            limit = self.MAX_LENGTH
            detail = ngettext(
                "Search for at most %(count)d character.",
                "Search for at most %(count)d characters.",
                limit,
            )
        elif len(terms) > self.MAX_TERMS:
            limit = self.MAX_TERMS
            detail = ngettext(
                "Search for at most %(count)d word.", "Search for at most %(count)d words.", limit
            )
        elif terms and max(len(term) for term in terms) < self.MIN_LENGTH:
            limit = self.MIN_LENGTH
            detail = ngettext(
                "Search for at least %(count)d character in one word.",
                "Search for at least %(count)d characters in one word.",
                limit,
            )
        else:
            return terms
        raise serializers.ValidationError({self.search_param: [detail % {"count": limit}]})


MAX_ID = 2**63 - 1  # the largest id any supported database stores


class IdFilter(django_filters.NumberFilter):
    """A whole-number id: `1.5`, `1e400` or an id too large for the database is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
