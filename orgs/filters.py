import django_filters
from django import forms

from accounts.models import User

MAX_ID = 2**63 - 1  # the largest id any supported database stores


class IdFilter(django_filters.NumberFilter):
    """A whole-number id: `1.5`, `1e400` or an id too large for the database is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UserFilter(django_filters.FilterSet):
    organization = IdFilter(
        field_name="organizations", help_text="Only the members of the organization with this id."
    )

    class Meta:
        model = User
        fields = ["organization"]
