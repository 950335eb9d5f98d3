from collections.abc import Mapping

from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from accounts.serializers import UserReadSerializer

from . import services
from .models import Organization
from .permissions import IsCreatorOrStaffOrReadOnly
from .serializers import (
    OrganizationReadSerializer,
    OrganizationWithUsersSerializer,
    OrganizationWriteSerializer,
)


def require_no_payload(request):
    """Joining and leaving take no fields, but a body, if sent, must still be a well-formed,
    small JSON object (or form): parsing it answers 400, 413 or 415 otherwise."""
    if not isinstance(request.data, Mapping):
        raise ParseError("Expected a JSON object, or no body.")


@extend_schema_view(
    list=extend_schema(
        summary="List organizations",
        description=(
            "Every organization with its number of users, paginated. Search names with `search`, "
            "sort with `ordering`."
        ),
    ),
    create=extend_schema(
        summary="Create an organization",
        description="Any signed-in user may; the name must be unique in any letter case.",
        responses={201: OrganizationReadSerializer},
    ),
    retrieve=extend_schema(summary="Read an organization", description="One organization."),
    update=extend_schema(
        summary="Replace an organization",
        description="Only its creator or staff may.",
        responses={200: OrganizationReadSerializer},
    ),
    partial_update=extend_schema(
        summary="Update an organization",
        description="Changes only the fields sent. Only its creator or staff may.",
        responses={200: OrganizationReadSerializer},
    ),
    destroy=extend_schema(
        summary="Delete an organization",
        description="Only its creator or staff may. Its members stay; they just leave it.",
    ),
    with_users=extend_schema(
        summary="List organizations with their users",
        description="Every organization with the full list of its users, paginated.",
        operation_id="organizations_with_users_list",
        responses=OrganizationWithUsersSerializer(many=True),
    ),
)
class OrganizationViewSet(viewsets.ModelViewSet):
    """Organizations: anyone signed in lists and creates them; creators and staff edit them."""

    permission_classes = [IsAuthenticated, IsCreatorOrStaffOrReadOnly]
    search_fields = ["name"]
    ordering_fields = ["name", "id", "users_count"]
    ordering = ["name"]

    def get_queryset(self):
        if self.action == "with_users":
            return Organization.objects.with_members()
        if self.action == "list":
            return Organization.objects.listing()
        # One organization: an instance, for the permission checks (the browsable API checks
        # them for its forms on every page too).
        return Organization.objects.all()

    def get_serializer_class(self):
        if self.action == "with_users":
            return OrganizationWithUsersSerializer
        # By method, not action: the browsable API builds its forms with a cloned POST/PUT request.
        if self.request.method in {"POST", "PUT", "PATCH"}:
            return OrganizationWriteSerializer
        return OrganizationReadSerializer

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @action(detail=False, url_path="users", url_name="with-users")
    def with_users(self, request):
        """Every organization with the full list of its users."""
        return self.list(request)


@extend_schema(
    parameters=[
        OpenApiParameter("organization_pk", int, OpenApiParameter.PATH, description="Its id."),
    ]
)
@extend_schema_view(
    list=extend_schema(
        summary="List the members of an organization",
        description="Its users, as full user objects, paginated.",
    ),
    create=extend_schema(
        summary="Join an organization",
        description=(
            "Makes the authenticated user a member; the body is ignored. 201 when they join, 200 "
            "when they already were a member (nothing changes)."
        ),
        request=None,
        responses={
            201: UserReadSerializer,
            200: OpenApiResponse(UserReadSerializer, description="Already a member."),
        },
    ),
    destroy=extend_schema(
        summary="Leave an organization, or remove a member",
        description=(
            "A user may remove themselves; the organization's creator or staff may remove anyone."
        ),
    ),
)
class OrganizationUsersViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of one organization: list them, join (POST) or leave or remove one (DELETE)."""

    serializer_class = UserReadSerializer
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["id", "email", "last_name", "date_joined"]
    ordering = ["id"]

    @cached_property
    def organization(self):
        return get_object_or_404(Organization, pk=self.kwargs["organization_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organization
            return User.objects.none()
        return self.organization.users.filter(is_active=True).directory()

    def create(self, request, *args, **kwargs):
        require_no_payload(request)
        joined = services.member_add(organization=self.organization, user=request.user)
        data = self.get_serializer(User.objects.directory().get(pk=request.user.pk)).data
        return Response(data, status=status.HTTP_201_CREATED if joined else status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        require_no_payload(request)
        member = get_object_or_404(self.organization.users.all(), pk=kwargs["pk"])
        services.member_remove(organization=self.organization, user=member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
