import django_filters

from .models import User


class UserFilter(django_filters.FilterSet):
    organization = django_filters.NumberFilter(
        field_name="organizations", help_text="Only the members of the organization with this id."
    )

    class Meta:
        model = User
        fields = ["organization"]
