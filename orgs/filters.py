import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from restkit.filters import IdFilter


class UserFilter(django_filters.FilterSet):
    organization = IdFilter(
        field_name="organizations",
        help_text=_("Only the members of the organization with this id."),
    )

    class Meta:
        model = User
        fields = ["organization"]
