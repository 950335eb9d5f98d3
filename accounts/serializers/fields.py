from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from restkit.emails import normalize_email, validate_mail_domain

from ..avatars import validate_avatar


def password_field(**kwargs):
    """A password as typed: never trimmed, never echoed, bounded so hashing stays cheap."""
    return serializers.CharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        **kwargs,
    )


class AccountEmailField(serializers.EmailField):
    """An account's address, in its one normal form (restkit.emails), checked in that form:
    lowercasing may lengthen it ("İ" becomes two characters), and the 254 limit is the stored
    one. Its domain must be one that mail can be sent to. Every serializer that takes an
    account's address takes it through this field: no other place normalizes one."""

    def __init__(self, **kwargs):
        super().__init__(max_length=254, **kwargs)
        self.validators.append(validate_mail_domain)

    def to_internal_value(self, data):
        return normalize_email(super().to_internal_value(data))

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:  # two validators may say the same thing
            raise serializers.ValidationError(list(dict.fromkeys(exc.detail))) from exc


# In a JSON body the avatar can only be removed: a file is uploaded with PUT /api/profile/avatar/.
@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": (
            "null or an empty string removes the avatar; upload one with "
            "`PUT /api/profile/avatar/`."
        ),
    }
)
class AvatarField(serializers.FileField):
    """An uploaded avatar (multipart); null or an empty value removes it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        return super().validate_empty_values(None if data == "" else data)

    def to_internal_value(self, data):
        file = super().to_internal_value(data)
        try:
            validate_avatar(file)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return file


@extend_schema_field(OpenApiTypes.BINARY)
class AvatarUploadField(AvatarField):
    """The image file of PUT /api/profile/avatar/: required, never null."""

    def __init__(self, **kwargs):
        super().__init__(required=True, allow_null=False, **kwargs)
