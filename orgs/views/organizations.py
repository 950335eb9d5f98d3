from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services
from ..permissions import OrganizationRolePermission
from ..serializers.organizations import (
    OrganizationReadSerializer,
    OrganizationWithUsersSerializer,
    OrganizationWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        operation_id="listOrganizations",
        summary=_("List organizations"),
        description=_(
            "Every organization with its number of users, paginated. Search names with `search`, "
            "sort with `ordering`."
        ),
    ),
    create=extend_schema(
        operation_id="createOrganization",
        summary=_("Create an organization"),
        description=_(
            "Any signed-in user may, and becomes its `owner` (its first member). The name must "
            "be unique in any letter case; `join_policy` is `open` unless given."
        ),
        responses={201: OrganizationReadSerializer},
    ),
    retrieve=extend_schema(
        operation_id="getOrganization",
        summary=_("Read an organization"),
        description=_("One organization."),
    ),
    update=extend_schema(
        operation_id="replaceOrganization",
        summary=_("Replace an organization"),
        description=_("Its owners and admins, and staff, may."),
        responses={200: OrganizationReadSerializer},
    ),
    partial_update=extend_schema(
        operation_id="updateOrganization",
        summary=_("Update an organization"),
        description=_(
            "Changes only the fields sent (`name`, `description`, `join_policy`). Its owners "
            "and admins, and staff, may."
        ),
        responses={200: OrganizationReadSerializer},
    ),
    destroy=extend_schema(
        operation_id="deleteOrganization",
        summary=_("Delete an organization"),
        description=_(
            "Its owners and staff may. Its members stay; they just leave it. Its join requests "
            "and invitations go with it."
        ),
    ),
    with_users=extend_schema(
        operation_id="listOrganizationsWithUsers",
        summary=_("List organizations with their users"),
        description=_("Every organization with the full list of its users, paginated."),
        responses=OrganizationWithUsersSerializer(many=True),
    ),
)
class OrganizationViewSet(viewsets.ModelViewSet):
    """Organizations: anyone signed in lists and creates them; their owners and admins edit
    them, their owners delete them."""

    permission_classes = [IsAuthenticated, OrganizationRolePermission]
    search_fields = ["name"]
    ordering_fields = ["name", "id", "users_count"]
    ordering = ["name"]

    def get_queryset(self):
        if self.action == "with_users":
            return selectors.organization_with_users_rows()
        if self.action == "list":
            return selectors.organization_rows()
        # One organization: an instance, for the permission checks (the browsable API checks
        # them for its forms on every page too), annotated as the rows are.
        return selectors.organizations()

    def get_serializer_class(self):
        if self.action == "with_users":
            return OrganizationWithUsersSerializer
        # By method, not action: the browsable API builds its forms with a cloned POST/PUT request.
        if self.request.method in {"POST", "PUT", "PATCH"}:
            return OrganizationWriteSerializer
        return OrganizationReadSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.read(serializer.save(), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.read(serializer.save())

    def perform_destroy(self, instance):
        services.organization_delete(organization=instance, by=self.request.user)

    def read(self, organization, status=status.HTTP_200_OK):
        """The reply to a write: the organization read again, with its count, in the read shape."""
        row = selectors.organizations().get(pk=organization.pk)
        return Response(
            OrganizationReadSerializer(row, context=self.get_serializer_context()).data,
            status=status,
        )

    @action(detail=False, url_path="users", url_name="with-users")
    def with_users(self, request):
        """Every organization with the full list of its users."""
        return self.list(request)
