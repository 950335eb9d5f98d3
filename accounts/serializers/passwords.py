from allauth.account.utils import user_pk_to_url_str
from dj_rest_auth import serializers as rest_auth_serializers
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from restkit.fields import AllErrorsAtOnceMixin

from .. import services
from ..forms import PasswordResetForm
from .fields import AccountEmailField, password_field


def password_reset_url(request, user, temp_key):
    """The link of a reset email: the front end's page if PASSWORD_RESET_URL is set, else ours."""
    uid = user_pk_to_url_str(user)
    if settings.PASSWORD_RESET_URL:
        return settings.PASSWORD_RESET_URL.format(uid=uid, token=temp_key)
    return request.build_absolute_uri(reverse("password-reset-link", args=[uid, temp_key]))


class PasswordResetSerializer(rest_auth_serializers.PasswordResetSerializer):
    """Ask for a reset email; the answer is the same whether the address exists or not."""

    email = AccountEmailField()
    password_reset_form_class = PasswordResetForm

    def validate_email(self, value):
        # dj-rest-auth gives the form the address as sent: give it the normal form, which the
        # accounts are found by ("xn--bcher-kva.de" is stored as bücher.de).
        self.reset_form = self.password_reset_form_class(data={"email": value})
        if not self.reset_form.is_valid():
            raise serializers.ValidationError(self.reset_form.errors)
        return value

    def get_email_options(self):
        return {"url_generator": password_reset_url}


class PasswordResetConfirmSerializer(
    AllErrorsAtOnceMixin, rest_auth_serializers.PasswordResetConfirmSerializer
):
    """Set a new password with the uid and token of a reset email; every session ends."""

    validate_needs = ("uid", "token")

    new_password1 = password_field(label=_("New password"))
    new_password2 = password_field(label=_("New password (again)"))
    uid = serializers.CharField(max_length=64, label=_("User id from the reset link"))
    token = serializers.CharField(max_length=128, label=_("Token from the reset link"))

    def save(self):
        services.password_set(user=self.user, password=self.validated_data["new_password1"])
        return self.user


class PasswordChangeSerializer(
    AllErrorsAtOnceMixin, rest_auth_serializers.PasswordChangeSerializer
):
    """Change the password, given the old one; every session ends, this one included."""

    old_password = password_field(label=_("Current password"))
    new_password1 = password_field(label=_("New password"))
    new_password2 = password_field(label=_("New password (again)"))

    def save(self):
        # The hash the old password was checked against: if a simultaneous change replaced it
        # meanwhile, this one fails as if its old password were wrong.
        services.password_set(
            user=self.user,
            password=self.validated_data["new_password1"],
            replacing=self.user.password,
        )
