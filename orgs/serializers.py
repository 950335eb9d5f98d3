from django.db import IntegrityError, transaction
from rest_framework import serializers

from accounts.models import User

from .models import Organization

NAME_TAKEN = "An organization with this name already exists."


class UserSummarySerializer(serializers.ModelSerializer):
    """A member as embedded in an organization."""

    url = serializers.HyperlinkedIdentityField(view_name="user-detail")

    class Meta:
        model = User
        fields = ["id", "url", "email", "first_name", "last_name"]
        read_only_fields = fields


class OrganizationReadSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organization-detail")
    users_count = serializers.IntegerField(read_only=True)
    users_url = serializers.HyperlinkedIdentityField(
        view_name="organization-users-list", lookup_url_kwarg="organization_pk"
    )
    created_by = serializers.HyperlinkedRelatedField(view_name="user-detail", read_only=True)

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


class OrganizationWithUsersSerializer(serializers.ModelSerializer):
    """An organization with the full list of its users."""

    url = serializers.HyperlinkedIdentityField(view_name="organization-detail")
    users = UserSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "url", "name", "description", "users"]
        read_only_fields = fields


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """Create or edit an organization; the reply has the read shape."""

    class Meta:
        model = Organization
        fields = ["name", "description"]
        # The case-insensitive uniqueness is checked in validate_name, with a clear message.
        validators = []

    def validate_name(self, value):
        taken = Organization.objects.filter(name__iexact=value)
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
        instance = Organization.objects.with_users_count().get(pk=instance.pk)
        return OrganizationReadSerializer(instance, context=self.context).data
