from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from restkit.fields import LinkField, ModelSerializer, PlainChoiceField, UTCDateTimeField

from .. import selectors, services
from ..models import (
    NAME_INVISIBLE,
    NAME_TAKEN,
    JoinPolicy,
    Organization,
    has_visible_character,
    name_key,
)
from .directory import OrganizationSummarySerializer, UserSummarySerializer


class OrganizationReadSerializer(OrganizationSummarySerializer):
    """An organization with its number of users."""

    description = serializers.CharField(read_only=True, label=_("Description"))
    join_policy = PlainChoiceField(choices=JoinPolicy.choices)
    users_count = serializers.IntegerField(read_only=True)
    users_url = LinkField("organization-users-list", lookup_url_kwarg="organization_pk")
    requests_url = LinkField(
        "organization-requests-list",
        lookup_url_kwarg="organization_pk",
        help_text=_("Its pending join requests (its owners and admins see them)."),
    )
    invitations_url = LinkField(
        "organization-invitations-list",
        lookup_url_kwarg="organization_pk",
        help_text=_("Its invitations (its owners and admins see and send them)."),
    )
    created_by = LinkField("user-detail", source="creator_id", allow_null=True)
    created_at = UTCDateTimeField()

    class Meta:
        list_serializer_class = serializers.ListSerializer


class OrganizationWithUsersListSerializer(serializers.ListSerializer):
    """A page of organization rows: the members of all of them are fetched here, in one query
    (selectors.with_users), before each row is serialized."""

    def to_representation(self, data):
        viewer = self.context["request"].user
        return super().to_representation(selectors.with_users(data, viewer=viewer))


class OrganizationWithUsersSerializer(OrganizationSummarySerializer):
    """An organization with the full list of its users."""

    description = serializers.CharField(read_only=True, label=_("Description"))
    join_policy = PlainChoiceField(choices=JoinPolicy.choices)
    users = UserSummarySerializer(many=True, read_only=True)

    class Meta:
        list_serializer_class = OrganizationWithUsersListSerializer


class OrganizationWriteSerializer(ModelSerializer):
    """Create or edit an organization; the reply has the read shape."""

    # Written through orgs.services; the views reply with OrganizationReadSerializer.

    class Meta:
        model = Organization
        fields = ["name", "description", "join_policy"]
        extra_kwargs = {
            "description": {"label": _("Description")},
            "join_policy": {
                "help_text": _(
                    "`open`: anyone joins at once; `approval`: joining makes a request that an "
                    "owner or admin answers; `invitation`: by invitation only."
                )
            },
        }
        # The case-insensitive uniqueness is checked in validate_name, with a clear message.
        validators = []

    def validate_name(self, value):
        if not has_visible_character(value):
            raise serializers.ValidationError(NAME_INVISIBLE)
        taken = Organization.objects.filter(name_key=name_key(value))
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(NAME_TAKEN)
        return value

    def create(self, validated_data):
        return services.organization_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.organization_update(
            organization=instance, by=self.context["request"].user, **validated_data
        )
