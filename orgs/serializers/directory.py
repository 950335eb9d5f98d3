from django.db.models import Manager
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from accounts.mfa import mfa_enabled
from accounts.models import ContactVisibility, Language, User
from restkit.fields import (
    FileLinkField,
    LinkField,
    PlainChoiceField,
    RowSerializerMixin,
    UTCDateTimeField,
)

from .. import selectors
from ..models import Role

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


CONTACT_RULE = _(
    "Shown to the user, to staff, and to the people the user chose with `contact_visibility` "
    "(by default those who share an organization with them); null to anyone else."
)


class UserSummarySerializer(RowSerializerMixin, serializers.Serializer):
    """A member as embedded in an organization."""

    id = serializers.IntegerField(read_only=True)
    url = LinkField("user-detail")
    email = serializers.EmailField(
        source="shown_email",
        read_only=True,
        allow_null=True,
        label=_("Email address"),
        help_text=CONTACT_RULE,
    )
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)


class UserListSerializer(serializers.ListSerializer):
    """A page of directory rows: the organizations of all its users are fetched here, in one
    query (selectors.with_organizations), before each row is serialized."""

    def to_representation(self, data):
        return super().to_representation(selectors.with_organizations(data))


class UserReadSerializer(UserSummarySerializer):
    """A user as the directory and the profile show them."""

    phone = serializers.CharField(
        source="shown_phone",
        read_only=True,
        allow_null=True,
        help_text=format_lazy(
            "{} {}", _('In E.164 form ("+14155552671"), "" when there is none.'), CONTACT_RULE
        ),
    )
    avatar = FileLinkField(storage=User._meta.get_field("avatar").storage)
    organizations = OrganizationSummarySerializer(many=True, read_only=True)

    class Meta:
        list_serializer_class = UserListSerializer


class MemberReadSerializer(UserReadSerializer):
    """A member of one organization: the user, and the link to their membership (where they
    leave, or are removed)."""

    # Rows of selectors.member_rows(), which carry the organization's id.
    membership_url = LinkField(
        "organization-users-detail", parent_lookups={"organization_pk": "organization_id"}
    )
    role = PlainChoiceField(
        choices=Role.choices,
        help_text=_("`owner`, `admin` or `member` (see the rules of each in docs/API.md)."),
    )
    joined_at = UTCDateTimeField()

    class Meta:
        list_serializer_class = UserListSerializer


@extend_schema_field(OpenApiTypes.URI)
class RouteLinkField(serializers.Field):
    """A read-only absolute link to a route without parameters (one's own invitations)."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        return reverse(self.view_name, request=self.context.get("request"))


class ProfileReadSerializer(UserReadSerializer):
    """One's own account: a user as the directory shows them, with one's own contact details
    always, and who else sees them."""

    email = serializers.EmailField(read_only=True, label=_("Email address"))
    phone = serializers.CharField(
        source="phone_e164",
        read_only=True,
        help_text=_('In E.164 form ("+14155552671"), "" when there is none.'),
    )
    contact_visibility = serializers.ChoiceField(
        choices=ContactVisibility.choices,
        read_only=True,
        help_text=_("Who, besides you and staff, sees your email and phone."),
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        read_only=True,
        help_text=_("The language of your emails."),
    )
    invitations_url = RouteLinkField(
        "profile-invitations",
        help_text=_(
            "Your pending invitations to organizations, each with the link that accepts it."
        ),
    )
    mfa_enabled = serializers.SerializerMethodField(
        help_text=_("Whether logging in asks for a code after the password (see /api/mfa/).")
    )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_mfa_enabled(self, user) -> bool:
        return mfa_enabled(user)
