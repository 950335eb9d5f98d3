"""How one gets into an organization that is not open: join requests, answered by its owners and
admins, and invitations, sent by them and accepted with the mailed token."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import selectors, services
from ..models import Invitation, JoinRequest
from ..serializers.members import (
    InvitationCreateSerializer,
    InvitationReadSerializer,
    InvitationTokenSerializer,
    JoinRequestReadSerializer,
    MyInvitationSerializer,
)
from ..serializers.organizations import OrganizationReadSerializer
from .nested import ORGANIZATION_PK, OrganizationChildMixin, require_no_payload


@extend_schema(parameters=[ORGANIZATION_PK])
@extend_schema_view(
    list=extend_schema(
        operation_id="listJoinRequests",
        summary=_("List the pending join requests of an organization"),
        description=_("Oldest first, paginated. Owners, admins and staff only (403 otherwise)."),
    ),
    retrieve=extend_schema(
        operation_id="getJoinRequest",
        summary=_("Read a join request"),
        description=_("Its owners, admins and staff, and the requester, may."),
    ),
    destroy=extend_schema(
        operation_id="withdrawJoinRequest",
        summary=_("Withdraw your join request"),
        description=_("The requester takes back a pending request (204); a decided one is a 400."),
    ),
    approve=extend_schema(
        operation_id="approveJoinRequest",
        summary=_("Approve a join request"),
        description=_(
            "The requester becomes a `member` and is mailed the answer. Owners, admins and staff "
            "only; a request already decided is a 400."
        ),
        request=None,
        responses={200: JoinRequestReadSerializer},
    ),
    decline=extend_schema(
        operation_id="declineJoinRequest",
        summary=_("Decline a join request"),
        description=_(
            "The requester is mailed the answer. Owners, admins and staff only; a request "
            "already decided is a 400."
        ),
        request=None,
        responses={200: JoinRequestReadSerializer},
    ),
)
class OrganizationRequestsViewSet(
    OrganizationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Requests to join an organization whose join policy is `approval`: its owners and admins
    list and answer them; the requester may withdraw theirs."""

    serializer_class = JoinRequestReadSerializer
    may_forbid = True  # the list and the answers: owners and admins only
    reads_body = True  # the answers take no fields, but parse a body if one is sent
    form_button_labels = {"DELETE": _("Withdraw this request")}
    ordering_fields = ["created_at"]
    ordering = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organization
            return JoinRequest.objects.none()
        viewer = self.request.user
        if self.action == "list":
            self.require_manager()
            return selectors.pending_join_requests(organization=self.organization, viewer=viewer)
        requests = selectors.join_requests(viewer=viewer).filter(organization=self.organization)
        return requests if self.is_manager else requests.filter(user=viewer)

    def destroy(self, request, *args, **kwargs):
        require_no_payload(request)
        services.join_request_withdraw(join_request=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self.decide(request, approve=True)

    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        return self.decide(request, approve=False)

    def decide(self, request, *, approve):
        require_no_payload(request)
        self.require_manager()
        services.join_request_decide(
            join_request=self.get_object(), by=request.user, approve=approve
        )
        # Read again: an approved requester now shares the organization, which may show their
        # email to the one who approved.
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(parameters=[ORGANIZATION_PK])
@extend_schema_view(
    list=extend_schema(
        operation_id="listInvitations",
        summary=_("List the invitations of an organization"),
        description=_(
            "Newest first, whatever their status, paginated. Owners, admins and staff only."
        ),
    ),
    create=extend_schema(
        operation_id="createInvitation",
        summary=_("Invite someone to an organization"),
        description=_(
            "Mails the address a one-time token that accepts the invitation (valid "
            "`INVITATION_DAYS` days, 7 by default). `role`: `member` (the default) or `admin`; "
            "owners and admins invite members, only owners admins. 400 when the address already "
            "belongs to a member or already has a pending invitation to this organization."
        ),
        request=InvitationCreateSerializer,
        responses={201: InvitationReadSerializer},
    ),
    retrieve=extend_schema(
        operation_id="getInvitation",
        summary=_("Read an invitation"),
        description=_("Owners, admins and staff only."),
    ),
    destroy=extend_schema(
        operation_id="revokeInvitation",
        summary=_("Revoke an invitation"),
        description=_("Its token stops working (204); one no longer pending is a 400."),
    ),
)
class OrganizationInvitationsViewSet(
    OrganizationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations to an organization: its owners and admins send, list and revoke them."""

    reads_body = True
    may_forbid = True  # owners and admins only
    form_button_labels = {"POST": _("Invite"), "DELETE": _("Revoke this invitation")}
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_serializer_class(self):
        # By method, not action: the browsable API builds its forms with a cloned request.
        if self.request.method == "POST":
            return InvitationCreateSerializer
        return InvitationReadSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organization
            return Invitation.objects.none()
        self.require_manager()
        return selectors.invitations(organization=self.organization)

    def create(self, request, *args, **kwargs):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _ = services.invitation_create(
            organization=self.organization,
            by=request.user,
            accept_url=reverse("invitation-accept", request=request),
            link_for=lambda token: invitation_link(request, token),
            **serializer.validated_data,
        )
        data = InvitationReadSerializer(invitation, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        require_no_payload(request)
        services.invitation_revoke(invitation=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(generics.GenericAPIView):
    """Accept an invitation with the token its mail carried."""

    serializer_class = InvitationTokenSerializer
    may_forbid = True  # another account's invitation
    form_button_labels = {"POST": _("Accept the invitation")}

    @extend_schema(
        operation_id="acceptInvitation",
        summary=_("Accept an invitation"),
        description=_(
            "Signed in as the account of the address the invitation was sent to (in any letter "
            "case; someone without an account signs up with that address first): 201 with the "
            "organization, which they joined with the invitation's role (200 if they already "
            "were a member). Another account: 403. A used, revoked, expired or unknown token: 400."
        ),
        responses={
            201: OrganizationReadSerializer,
            200: OpenApiResponse(OrganizationReadSerializer, description=_("Already a member.")),
        },
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome, membership = services.invitation_accept(
            token=serializer.validated_data["token"], user=request.user
        )
        row = selectors.organizations().get(pk=membership.organization_id)
        data = OrganizationReadSerializer(row, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_201_CREATED if outcome == "joined" else status.HTTP_200_OK
        )


def invitation_link(request, token: str) -> str:
    """The link of an invitation's mail: the front end's page if INVITATION_URL is set, else
    ours (InvitationLinkView)."""
    if settings.INVITATION_URL:
        return settings.INVITATION_URL.format(token=token)
    return reverse("invitation-link", args=[token], request=request)


@extend_schema(exclude=True)  # a page for a browser; the operation is acceptInvitation
class InvitationLinkView(InvitationAcceptView):
    """Where an invitation's mail links to: how to answer it, and a form that accepts it."""

    def get_permissions(self):
        if self.request.method == "GET":  # anyone holding the link may read how to use it
            return [AllowAny()]
        return super().get_permissions()

    def get(self, request, token):
        return Response(
            {
                "detail": _(
                    "To accept this invitation, sign in with the address it was sent to (or sign "
                    "up with it), then POST the token to `url` (or press this page's button). To "
                    "decline it, POST the token to `decline_url`."
                ),
                "url": reverse("invitation-accept", request=request),
                "decline_url": reverse("invitation-decline", request=request),
                "token": token,
            }
        )

    def post(self, request, token):
        return super().post(request)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        serializer.fields["token"].initial = self.kwargs["token"]  # the form comes filled in
        return serializer


class InvitationDeclineView(generics.GenericAPIView):
    """Decline an invitation with the token its mail carried."""

    serializer_class = InvitationTokenSerializer
    may_forbid = True
    form_button_labels = {"POST": _("Decline the invitation")}

    @extend_schema(
        operation_id="declineInvitation",
        summary=_("Decline an invitation"),
        description=_(
            "As for accepting: signed in as the invited address's account (403 otherwise); a "
            "used, revoked, expired or unknown token is a 400. Answers with the invitation."
        ),
        responses={200: MyInvitationSerializer},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_decline(
            token=serializer.validated_data["token"], user=request.user
        )
        return Response(MyInvitationSerializer(invitation, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="listMyInvitations",
        summary=_("List your pending invitations"),
        description=_(
            "The pending invitations sent to your address, newest first, paginated. Accept one "
            "by POSTing to its `accept_url` (joining the organization), or with the token of its "
            "mail."
        ),
    )
)
class ProfileInvitationsView(generics.ListAPIView):
    """Invitations sent to your address: accept one with a POST to its `accept_url`."""

    serializer_class = MyInvitationSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.pending_invitations_of(user=self.request.user)
