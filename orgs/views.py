from django.db.models import Prefetch
from django.utils.functional import cached_property
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
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


class OrganizationViewSet(viewsets.ModelViewSet):
    """Organizations: anyone signed in lists and creates them; creators and staff edit them."""

    permission_classes = [IsAuthenticated, IsCreatorOrStaffOrReadOnly]
    search_fields = ["name"]
    ordering_fields = ["name", "id", "users_count"]
    ordering = ["name"]

    def get_queryset(self):
        if self.action == "with_users":
            members = User.objects.only("id", "email", "first_name", "last_name").order_by("id")
            return Organization.objects.prefetch_related(Prefetch("users", queryset=members))
        return Organization.objects.with_users_count().select_related("created_by")

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
        return self.organization.users.with_organizations()

    def create(self, request, *args, **kwargs):
        joined = services.member_add(organization=self.organization, user=request.user)
        user = User.objects.with_organizations().get(pk=request.user.pk)
        data = self.get_serializer(user).data
        return Response(data, status=status.HTTP_201_CREATED if joined else status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        member = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        services.member_remove(organization=self.organization, user=member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
