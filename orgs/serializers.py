from datetime import UTC

from django.db import IntegrityError, transaction
from rest_framework import serializers

from accounts.models import User
from api.fields import ModelSerializer
from api.links import links

from .models import NAME_INVISIBLE, NAME_TAKEN, Organization, has_visible_character, name_key


class UserSummarySerializer(serializers.ModelSerializer):
    """A member as embedded in an organization."""

    url = serializers.HyperlinkedIdentityField(view_name="user-detail")

    class Meta:
        model = User
        fields = ["id", "url", "email", "first_name", "last_name"]
        read_only_fields = fields

    def to_representation(self, row):
        return self.represent(row, links(self.context["request"]))

    @staticmethod
    def represent(row, link):
        """A member row of `Organization.objects.with_members()`, for embedding by the hundred."""
        return {
            "id": row["id"],
            "url": link.user(row["id"]),
            "email": row["email"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
        }


class OrganizationReadSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organization-detail")
    users_count = serializers.IntegerField(read_only=True)
    users_url = serializers.HyperlinkedIdentityField(
        view_name="organization-users-list", lookup_url_kwarg="organization_pk"
    )
    created_by = serializers.HyperlinkedRelatedField(
        view_name="user-detail", read_only=True, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)  # always in UTC

    class Meta:
        model = Organization
        fields = [
            "id",
            "url",
            "name",
            "description",
            "users_count",
            "users_url",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, organization):
        # Built by hand from a row of `Organization.objects.listing()`, as UserReadSerializer is.
        row = (
            organization
            if isinstance(organization, dict)
            else Organization.objects.listing().get(pk=organization.pk)
        )
        link = links(self.context["request"])
        creator = row["creator_id"]
        return {
            "id": row["id"],
            "url": link.organization(row["id"]),
            "name": row["name"],
            "description": row["description"],
            "users_count": row["users_count"],
            "users_url": link.organization_users(row["id"]),
            "created_by": link.user(creator) if creator is not None else None,
            "created_at": self.fields["created_at"].to_representation(row["created_at"]),
        }


class OrganizationWithUsersSerializer(serializers.ModelSerializer):
    """An organization with the full list of its users."""

    url = serializers.HyperlinkedIdentityField(view_name="organization-detail")
    users = UserSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "url", "name", "description", "users"]
        read_only_fields = fields

    def to_representation(self, row):
        # A row of `Organization.objects.with_members()`.
        link = links(self.context["request"])
        member = UserSummarySerializer.represent
        return {
            "id": row["id"],
            "url": link.organization(row["id"]),
            "name": row["name"],
            "description": row["description"],
            "users": [member(user, link) for user in row["users"]],
        }


class OrganizationWriteSerializer(ModelSerializer):
    """Create or edit an organization; the reply has the read shape."""

    class Meta:
        model = Organization
        fields = ["name", "description"]
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

    def save(self, **kwargs):
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError as exc:  # a concurrent request took the name meanwhile
            raise serializers.ValidationError({"name": [NAME_TAKEN]}) from exc

    def to_representation(self, instance):
        return OrganizationReadSerializer(instance, context=self.context).data
