"""The profile and the sign-up of accounts, with the organizations one belongs to (wired in by
settings.REST_AUTH: accounts knows nothing of organizations)."""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.serializers import profile, registration

from .. import services
from ..models import Organization


class OrganizationIdField(serializers.PrimaryKeyRelatedField):
    """An organization, by id; an organization object with an `id` (as the profile shows them)
    counts as that id, so that the read shape sent back is valid."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and "id" in data:
            data = data["id"]
        return super().to_internal_value(data)


def organization_ids_field():
    return OrganizationIdField(
        many=True,
        required=False,
        queryset=Organization.objects.all(),
        pk_field=serializers.IntegerField(),  # whole ids only: 2.5 is no id
        label=_("Organizations"),
    )


class ProfileSerializer(profile.ProfileSerializer):
    """The authenticated user's own profile; organizations are written as a list of ids."""

    organizations = organization_ids_field()

    class Meta(profile.ProfileSerializer.Meta):
        fields = [*profile.ProfileSerializer.Meta.fields, "organizations"]

    @transaction.atomic
    def update(self, instance, validated_data):
        organizations = validated_data.pop("organizations", None)
        user = super().update(instance, validated_data)
        if organizations is not None:
            services.memberships_set(user=user, organizations=organizations, by=user)
        return user


class RegisterSerializer(registration.RegisterSerializer):
    """Sign-up with an email and one password; the profile fields may come along."""

    organizations = organization_ids_field()

    @transaction.atomic
    def save(self, request):
        user = super().save(request)
        organizations = self.validated_data.get("organizations", [])
        services.memberships_set(user=user, organizations=organizations, by=user)
        return user
