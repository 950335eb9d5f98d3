from django.db.models import Manager
from rest_framework import serializers

from accounts.models import User
from restkit.fields import FileLinkField, LinkField, RowSerializerMixin

from .. import selectors

# The read serializers take a plain row (orgs.selectors) or an instance alike; their fields are
# declared here, once each: the larger shapes build on the summaries.


class OrganizationSummaryListSerializer(serializers.ListSerializer):
    """The organizations of one user, by id: a directory row's list as fetched for its page, or,
    for a user instance (the profile, a login), its relation, read here in one query."""

    def to_representation(self, data):
        if isinstance(data, Manager):
            data = data.order_by("id")
        return super().to_representation(data)


class OrganizationSummarySerializer(RowSerializerMixin, serializers.Serializer):
    """An organization as embedded in a user: id, link and name."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField("organization-detail")
    name = serializers.CharField(read_only=True)

    class Meta:
        list_serializer_class = OrganizationSummaryListSerializer


class UserSummarySerializer(RowSerializerMixin, serializers.Serializer):
    """A member as embedded in an organization."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField("user-detail")
    email = serializers.EmailField(read_only=True, label="Email address")
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)


class UserListSerializer(serializers.ListSerializer):
    """A page of directory rows: the organizations of all its users are fetched here, in one
    query (selectors.with_organizations), before each row is serialized."""

    def to_representation(self, data):
        return super().to_representation(selectors.with_organizations(data))


class UserReadSerializer(UserSummarySerializer):
    """A user as the directory and the profile show them."""

    phone = serializers.CharField(source="phone_e164", read_only=True)
    avatar = FileLinkField(storage=User._meta.get_field("avatar").storage)
    organizations = OrganizationSummarySerializer(many=True, read_only=True)

    class Meta:
        list_serializer_class = UserListSerializer
