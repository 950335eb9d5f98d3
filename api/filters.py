from rest_framework import serializers
from rest_framework.filters import OrderingFilter, SearchFilter


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` with ties broken by id, so pages never repeat or skip a row."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering.append("id")
        return ordering


class FieldSearchFilter(SearchFilter):
    """`?search=`, whose errors (a NUL character) name the parameter, as field errors do."""

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.search_param: exc.detail}) from exc
