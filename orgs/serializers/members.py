"""Roles, join requests and invitations: who is in an organization and how one gets in."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from restkit.fields import LinkField, StrictCharField, UTCDateTimeField

from ..models import INVITED_ROLES, InvitationStatus, JoinRequestStatus, Role
from .directory import CONTACT_RULE, OrganizationSummarySerializer


class MemberRoleSerializer(serializers.Serializer):
    """A member's new role."""

    role = serializers.ChoiceField(choices=Role.choices)


class RequesterSerializer(serializers.Serializer):
    """The user who asks to join (read from the request: source "*")."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField("user-detail")
    email = serializers.EmailField(
        source="shown_email", read_only=True, allow_null=True, help_text=CONTACT_RULE
    )
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        user = instance.user
        row = {
            "id": user.pk,
            # Annotated by the selector as the viewer may see it; the requester sees their own.
            "shown_email": getattr(instance, "shown_email", user.email),
            "first_name": user.first_name,
            "last_name": user.last_name,
        }
        return super().to_representation(row)


class JoinRequestReadSerializer(serializers.Serializer):
    """A request to join an organization whose join policy is `approval`."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField(
        "organization-requests-detail", parent_lookups={"organization_pk": "organization_id"}
    )
    organization = OrganizationSummarySerializer(read_only=True)
    user = RequesterSerializer(source="*", read_only=True)
    status = serializers.ChoiceField(choices=JoinRequestStatus.choices, read_only=True)
    created_at = UTCDateTimeField()


class InvitationReadSerializer(serializers.Serializer):
    """An invitation to an organization, as the organization's owners and admins see it."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField(
        "organization-invitations-detail", parent_lookups={"organization_pk": "organization_id"}
    )
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=InvitationStatus.choices,
        source="shown_status",
        read_only=True,
        help_text=_("`pending` until accepted, declined, revoked or expired."),
    )
    expires_at = UTCDateTimeField()
    created_at = UTCDateTimeField()


class InvitationCreateSerializer(serializers.Serializer):
    """Whom to invite, and with which role."""

    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=INVITED_ROLES,
        default=Role.MEMBER,
        help_text=_("`member` (the default) or `admin`: only owners invite admins."),
    )


class InvitationTokenSerializer(serializers.Serializer):
    """The token of an invitation, from the mail that carried it."""

    token = StrictCharField(max_length=200, trim_whitespace=True)


class MyInvitationSerializer(serializers.Serializer):
    """An invitation sent to one's own address: accept it by joining the organization."""

    id = serializers.IntegerField(read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=InvitationStatus.choices, source="shown_status", read_only=True
    )
    accept_url = LinkField(
        "organization-users-list",
        source="organization_id",
        lookup_url_kwarg="organization_pk",
        help_text=_("POST here (no body) to accept: it joins the organization with this role."),
    )
    expires_at = UTCDateTimeField()
    created_at = UTCDateTimeField()
