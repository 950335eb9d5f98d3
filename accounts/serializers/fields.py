from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.utils import html

from restkit.emails import normalize_email, validate_mail_domain

from ..avatars import validate_avatar
from ..models import PHONE_INVALID


def password_field(**kwargs):
    """A password as typed: never trimmed, never echoed, bounded so hashing stays cheap."""
    kwargs.setdefault("label", _("Password"))
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
        kwargs.setdefault("label", _("Email"))
        super().__init__(max_length=254, **kwargs)
        self.validators.append(validate_mail_domain)

    def to_internal_value(self, data):
        return normalize_email(super().to_internal_value(data))

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:  # two validators may say the same thing
            raise serializers.ValidationError(list(dict.fromkeys(exc.detail))) from exc


class PhoneField(PhoneNumberField):
    """A phone number, optional, which says how to write one it cannot read."""

    default_error_messages = {"invalid": PHONE_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


# In a JSON body the avatar can only be removed: a file is uploaded with PUT /api/profile/avatar/.
@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": _(
            "null or an empty string removes the avatar, the current avatar's URL leaves it as "
            "it is; upload one with `PUT /api/profile/avatar/`."
        ),
    }
)
class AvatarField(serializers.FileField):
    """An uploaded avatar (multipart); null (or "" in JSON) removes it. The text of the current
    avatar (its URL, as the profile shows it) leaves it as it is, so that the read shape sent
    back is valid; any other text is refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Avatar"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        # A file input left empty: browsers send it as a part with an empty file name, which
        # Django reads as the text "". It means "no new file", not "remove the avatar".
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return empty
        return super().get_value(dictionary)

    def validate_empty_values(self, data):
        return super().validate_empty_values(None if data == "" else data)

    def to_internal_value(self, data):
        if isinstance(data, str) and data in self.current_texts():
            raise SkipField  # unchanged
        file = super().to_internal_value(data)
        try:
            validate_avatar(file)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return file

    def current_texts(self):
        """The ways the current avatar is written: its stored name, its URL and its absolute
        URL (none when there is no avatar, or no account yet)."""
        avatar = getattr(self.parent.instance, self.source, None)
        if not avatar:
            return set()
        url = avatar.storage.url(avatar.name)
        request = self.context.get("request")
        return {avatar.name, url, request.build_absolute_uri(url) if request else url}


@extend_schema_field(OpenApiTypes.BINARY)
class AvatarUploadField(AvatarField):
    """The image file of PUT /api/profile/avatar/: required, never null."""

    def __init__(self, **kwargs):
        super().__init__(required=True, allow_null=False, **kwargs)

    def current_texts(self):
        return set()  # an upload is a file: even the current avatar's URL is no file
