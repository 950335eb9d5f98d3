from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.models import User
from restkit.filters import MAX_ID

from .. import selectors, services
from ..models import Membership
from ..serializers.directory import MemberReadSerializer
from ..serializers.members import JoinRequestReadSerializer, MemberRoleSerializer
from .directory import UserRowsMixin
from .nested import ORGANIZATION_PK, OrganizationChildMixin, require_no_payload


@extend_schema(parameters=[ORGANIZATION_PK])
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
            "Asks to join, as the organization's `join_policy` says; the body is ignored. A "
            "pending invitation to the user's address is accepted (201, with its role). "
            "Otherwise `open`: 201 when they join, as a `member`; `approval`: 202 with a join "
            "request that an owner or admin answers (200 with the same request when one is "
            "already pending); `invitation`: 403. 200 when they already were a member (nothing "
            "changes)."
        ),
        request=None,
        responses={
            201: MemberReadSerializer,
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="JoinAnswer",
                    serializers=[MemberReadSerializer, JoinRequestReadSerializer],
                    resource_type_field_name=None,
                ),
                description=_(
                    "Already a member (the member); or, under `approval`, a join request "
                    "already pending (the request)."
                ),
            ),
            202: OpenApiResponse(JoinRequestReadSerializer, description=_("A join request made.")),
        },
    ),
    partial_update=extend_schema(
        operation_id="changeMemberRole",
        summary=_("Change a member's role"),
        description=_(
            "`owner`, `admin` or `member`. Owners and staff may; never the last owner's (400: "
            "make another member an owner first). The member is mailed the change."
        ),
        request=MemberRoleSerializer,
        responses={200: MemberReadSerializer},
    ),
    destroy=extend_schema(
        operation_id="leaveOrganization",
        summary=_("Leave an organization, or remove a member"),
        description=_(
            "Anyone may leave (their own id); owners may remove anyone, admins those whose role "
            "is `member`, staff anyone. The last owner can neither leave nor be removed (400)."
        ),
    ),
)
class OrganizationUsersViewSet(
    OrganizationChildMixin,
    UserRowsMixin,
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
    may_forbid = {"POST"}  # joining an organization by invitation only
    form_button_labels = {
        "POST": _("Join this organization"),
        "PATCH": _("Change the role"),
        "DELETE": _("Leave / remove this member"),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organization
            return User.objects.none()
        return selectors.member_rows(organization=self.organization, viewer=self.request.user)

    def get_object(self):
        """One member's row, given its organizations; 404 for a user who is not a member."""
        row = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return selectors.with_organizations([row])[0]

    def get_serializer_class(self):
        # By method, not action: the browsable API builds its forms with a cloned request.
        if self.request.method == "PATCH":
            return MemberRoleSerializer
        return MemberReadSerializer

    def create(self, request, *args, **kwargs):
        require_no_payload(request)
        outcome, result = services.organization_join(
            organization=self.organization, user=request.user
        )
        if outcome in JOIN_REQUEST_STATUSES:
            data = JoinRequestReadSerializer(result, context=self.get_serializer_context()).data
            return Response(data, status=JOIN_REQUEST_STATUSES[outcome])
        return self.member(request.user.pk, JOINED_STATUSES[outcome])

    def partial_update(self, request, *args, **kwargs):
        member = self.membership(kwargs["pk"]).user
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membership_role_set(
            organization=self.organization,
            user=member,
            by=request.user,
            **serializer.validated_data,
        )
        return self.member(member.pk)

    def destroy(self, request, *args, **kwargs):
        require_no_payload(request)
        member = self.membership(kwargs["pk"]).user
        services.membership_remove(organization=self.organization, user=member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def membership(self, pk):
        """The membership of the user `pk` in this organization; 404 for a non-member."""
        if pk > MAX_ID:  # the database would refuse it (a lookup through a foreign key)
            raise NotFound(NOT_A_MEMBER)
        membership = (
            Membership.objects.select_related("user")
            .filter(organization=self.organization, user_id=pk, user__is_active=True)
            .first()
        )
        if membership is None:
            raise NotFound(NOT_A_MEMBER)
        return membership

    def member(self, pk, status=status.HTTP_200_OK):
        """The reply: the member's row, in the read shape."""
        row = selectors.member_row(organization=self.organization, pk=pk, viewer=self.request.user)
        return Response(
            MemberReadSerializer(row, context=self.get_serializer_context()).data, status=status
        )


NOT_A_MEMBER = "No User matches the given query."
# What organization_join did -> the answer's status.
JOINED_STATUSES = {"joined": status.HTTP_201_CREATED, "member": status.HTTP_200_OK}
JOIN_REQUEST_STATUSES = {"requested": status.HTTP_202_ACCEPTED, "pending": status.HTTP_200_OK}
