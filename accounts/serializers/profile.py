from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from restkit.fields import ModelSerializer
from restkit.throttling import check_password_counted

from .. import services
from ..models import User
from .fields import AccountEmailField, AvatarField, AvatarUploadField, PhoneField, password_field

PROFILE_FIELDS = [
    "id",
    "url",
    "email",
    "first_name",
    "last_name",
    "phone",
    "avatar",
    "contact_visibility",
    "language",
]
CURRENT_PASSWORD_REQUIRED = _("Your current password is required to change your email address.")
PASSWORD_WRONG = _("The password is not correct.")


def user_read_serializer() -> type[serializers.Serializer]:
    """The shape a user is shown in (settings.ACCOUNTS_USER_READ_SERIALIZER): the profile, the
    sign-up and the login answer with it. A setting, so that the apps built on accounts may add
    to it (the organizations) without accounts importing them."""
    return import_string(settings.ACCOUNTS_USER_READ_SERIALIZER)


class ProfileSerializer(ModelSerializer):
    """The authenticated user's own profile, written through services.profile_update."""

    # Shown in its own, write shape (the browsable API fills its forms with it); the view
    # answers in the read shape, user_read_serializer().

    email = AccountEmailField()  # unique: see validate_email
    phone = PhoneField()
    avatar = AvatarField(
        write_only=True,
        help_text=_("An image to upload (multipart); left out or left empty, the avatar stays."),
    )
    remove_avatar = serializers.BooleanField(
        write_only=True,
        required=False,
        label=_("Remove the avatar"),
        help_text=_("Removes the avatar (as DELETE /api/profile/avatar/ does)."),
    )
    # A stolen access token alone must not move the account to another address (and from there
    # reset its password). Blank is allowed: an HTML form sends the empty field on every change.
    current_password = password_field(
        label=_("Current password"),
        required=False,
        allow_blank=True,
        help_text=_("Your current password: required when `email` changes, ignored otherwise."),
    )

    class Meta:
        model = User
        fields = [*PROFILE_FIELDS, "remove_avatar", "current_password"]
        read_only_fields = ["id"]
        extra_kwargs = {"url": {"view_name": "user-detail", "read_only": True}}

    def validate_email(self, value):
        if User.objects.filter(email=value).exclude(pk=self.instance.pk).exists():
            raise serializers.ValidationError(services.EMAIL_TAKEN)
        return value

    def validate(self, attrs):
        if attrs.pop("remove_avatar", False):
            if attrs.get("avatar"):
                raise serializers.ValidationError(
                    {"remove_avatar": [_("Upload an avatar or remove it, not both.")]}
                )
            attrs["avatar"] = None
        password = attrs.pop("current_password", "")
        if "email" in attrs and attrs["email"] != self.instance.email:  # both in normal form
            if not password:
                raise serializers.ValidationError({"current_password": CURRENT_PASSWORD_REQUIRED})
            right = check_password_counted(  # under the login limits: 429 once they are spent
                self.context["request"],
                email=self.instance.email,
                check=lambda: self.instance.check_password(password),
            )
            if not right:
                raise serializers.ValidationError({"current_password": PASSWORD_WRONG})
        return attrs

    def update(self, instance, validated_data):
        return services.profile_update(
            user=instance, request=self.context["request"], **validated_data
        )


class AccountDeleteSerializer(serializers.Serializer):
    """Confirms the deletion of one's account with its current password."""

    password = password_field()

    def validate_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(PASSWORD_WRONG)
        return value


class AvatarUploadSerializer(serializers.Serializer):
    """A new avatar, in multipart/form-data: renamed and shrunk to fit 200x200 px."""

    avatar = AvatarUploadField(help_text=_("A JPEG, PNG, GIF or WebP image."))

    def update(self, instance, validated_data):
        return services.profile_update(
            user=instance, request=self.context["request"], avatar=validated_data["avatar"]
        )
