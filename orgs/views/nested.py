"""What the viewsets under /api/organizations/{organization_pk}/ share: the organization, the
path parameter that names it, the check of its managers, and the body of an action that takes
no fields."""

from collections.abc import Mapping

from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.generics import get_object_or_404

from .. import roles
from ..models import Organization

ORGANIZATION_PK = OpenApiParameter(
    "organization_pk", int, OpenApiParameter.PATH, description=_("The organization's id.")
)


class OrganizationChildMixin:
    """A viewset nested under /api/organizations/{organization_pk}/ (its schema takes
    ORGANIZATION_PK). Ids in its paths are whole numbers (restkit.routers); one beyond what the
    database stores finds nothing, a 404 (Django's lookups of integers out of range)."""

    @cached_property
    def organization(self):
        return get_object_or_404(Organization, pk=self.kwargs["organization_pk"])

    @cached_property
    def is_manager(self):
        return roles.can_manage_members(organization=self.organization, user=self.request.user)

    def require_manager(self):
        if not self.is_manager:
            raise PermissionDenied(_("Only the organization's owners and admins may."))


def require_no_payload(request):
    """Joining and leaving take no fields, but a body, if sent, must still be a well-formed,
    small JSON object (or form): parsing it answers 400, 413 or 415 otherwise."""
    if not isinstance(request.data, Mapping):
        raise ParseError(gettext("Expected a JSON object, or no body."))
