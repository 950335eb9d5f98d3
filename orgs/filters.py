import django_filters

from accounts.models import User
from restkit.filters import IdFilter


class UserFilter(django_filters.FilterSet):
    organization = IdFilter(
        field_name="organizations", help_text="Only the members of the organization with this id."
    )

    class Meta:
        model = User
        fields = ["organization"]
