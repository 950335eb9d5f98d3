from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from dj_rest_auth.registration import serializers as registration_serializers
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from restkit.fields import AllErrorsAtOnceMixin, StrictCharField

from .. import services
from ..models import User
from .fields import AccountEmailField, AvatarField, PhoneField, password_field


class RegisterSerializer(AllErrorsAtOnceMixin, registration_serializers.RegisterSerializer):
    """Sign-up with an email and one password; the profile fields may come along."""

    validate_needs = ("password",)  # checked against the other fields that are valid

    username = None
    password1 = None
    password2 = None
    email = AccountEmailField()
    password = password_field()
    first_name = StrictCharField(
        max_length=150, required=False, allow_blank=True, label=_("First name")
    )
    last_name = StrictCharField(
        max_length=150, required=False, allow_blank=True, label=_("Last name")
    )
    phone = PhoneField()
    avatar = AvatarField()
    address_taken = False  # set by validate_email: the view then answers as for a new address

    def validate_email(self, email):
        email = get_adapter().clean_email(email)
        self.address_taken = User.objects.filter(
            email=email
        ).exists() or EmailAddress.objects.is_verified(email)
        # With mandatory verification the answer is the same as for a new address, and only the
        # owner learns of the attempt (by mail); without it a sign-up logs in at once, so a
        # taken address cannot be hidden behind a "check your mail" answer.
        if self.address_taken and not services.email_verification_mandatory():
            raise serializers.ValidationError(services.EMAIL_TAKEN)
        return email

    def validate_password1(self, password):  # the base class's hook; our field is `password`
        return password

    def validate(self, data):
        candidate = User(
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        try:
            validate_password(data["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return data

    def save(self, request):
        profile = {
            field: self.validated_data[field]
            for field in ("first_name", "last_name", "phone", "avatar")
            if field in self.validated_data
        }
        return services.user_register(
            request=request,
            email=self.validated_data["email"],
            password=self.validated_data["password"],
            language=translation.get_language_from_request(request),  # the account's mail's
            **profile,
        )


class VerifyEmailSerializer(registration_serializers.VerifyEmailSerializer):
    key = serializers.CharField(write_only=True, label=_("Key from the confirmation email"))


class ResendEmailVerificationSerializer(registration_serializers.ResendEmailVerificationSerializer):
    email = AccountEmailField()
