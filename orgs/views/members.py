from collections.abc import Mapping

from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.models import User

from .. import selectors, services
from ..models import Organization
from ..serializers.directory import MemberReadSerializer


def require_no_payload(request):
    """Joining and leaving take no fields, but a body, if sent, must still be a well-formed,
    small JSON object (or form): parsing it answers 400, 413 or 415 otherwise."""
    if not isinstance(request.data, Mapping):
        raise ParseError(gettext("Expected a JSON object, or no body."))


@extend_schema(
    parameters=[
        OpenApiParameter("organization_pk", int, OpenApiParameter.PATH, description=_("Its id.")),
    ]
)
@extend_schema_view(
    list=extend_schema(
        operation_id="listOrganizationMembers",
        summary=_("List the members of an organization"),
        description=_(
            "Its users, as full user objects, each with `membership_url`: the member's page, "
            "where they leave or are removed. Paginated."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read a member of an organization"),
        description=_("One member, as the list shows them; 404 for a user who is not a member."),
        operation_id="getOrganizationMember",
    ),
    create=extend_schema(
        operation_id="joinOrganization",
        summary=_("Join an organization"),
        description=_(
            "Makes the authenticated user a member; the body is ignored. 201 when they join, 200 "
            "when they already were a member (nothing changes)."
        ),
        request=None,
        responses={
            201: MemberReadSerializer,
            200: OpenApiResponse(MemberReadSerializer, description=_("Already a member.")),
        },
    ),
    destroy=extend_schema(
        operation_id="leaveOrganization",
        summary=_("Leave an organization, or remove a member"),
        description=_(
            "A user may remove themselves; the organization's creator or staff may remove anyone."
        ),
    ),
)
class OrganizationUsersViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of one organization: list them, join (POST), read one, or leave or remove one
    (DELETE on the member's page)."""

    serializer_class = MemberReadSerializer
    reads_body = True  # joining and leaving take no fields, but parse a body if one is sent
    form_button_labels = {
        "POST": _("Join this organization"),
        "DELETE": _("Leave / remove this member"),
    }
    search_fields = ["email", "first_name", "last_name"]  # email: guarded, see below
    ordering_fields = ["id", "email", "last_name", "date_joined"]
    ordering_sources = {"email": "shown_email"}
    ordering = ["id"]

    @cached_property
    def organization(self):
        return get_object_or_404(Organization, pk=self.kwargs["organization_pk"])

    def get_search_guards(self):
        # Never a hidden address; the lookup stays on the column, which its index serves.
        return {"email": selectors.contacts_visible(viewer=self.request.user)}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organization
            return User.objects.none()
        return selectors.member_rows(organization=self.organization, viewer=self.request.user)

    def get_object(self):
        """One member's row, given its organizations; 404 for a user who is not a member."""
        row = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return selectors.with_organizations([row])[0]

    def create(self, request, *args, **kwargs):
        require_no_payload(request)
        joined = services.membership_add(
            organization=self.organization, user=request.user, by=request.user
        )
        row = selectors.member_row(
            organization=self.organization, pk=request.user.pk, viewer=request.user
        )
        data = self.get_serializer(row).data
        return Response(data, status=status.HTTP_201_CREATED if joined else status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        require_no_payload(request)
        member = get_object_or_404(self.organization.users.all(), pk=kwargs["pk"])
        services.membership_remove(organization=self.organization, user=member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
