from allauth.account.utils import user_pk_to_url_str
from dj_rest_auth import serializers as rest_auth_serializers
from dj_rest_auth.registration import serializers as registration_serializers
from dj_rest_auth.registration.serializers import RegisterSerializer as BaseRegisterSerializer
from dj_rest_auth.serializers import LoginSerializer as BaseLoginSerializer
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import UntypedToken

from api.fields import ModelSerializer, StrictCharField
from api.links import links

from . import services
from .avatars import validate_avatar
from .forms import PasswordResetForm
from .models import User, normalize_email, validate_mail_domain

# orgs depends on accounts, so the organization model is reached through the relation.
Organization = User._meta.get_field("organizations").related_model

AVATAR_STORAGE = User._meta.get_field("avatar").storage
USER_FIELDS = ["id", "url", "email", "first_name", "last_name", "phone", "avatar", "organizations"]
EMAIL_TAKEN = "A user with this email address already exists."
OLD_PASSWORD_WRONG = "Your old password was entered incorrectly. Please enter it again."


def password_field(**kwargs):
    """A password as typed: never trimmed, never echoed, bounded so hashing stays cheap."""
    return serializers.CharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        **kwargs,
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


class OrganizationSummarySerializer(serializers.Serializer):
    """An organization as embedded in a user: id, link and name."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="organization-detail")
    name = serializers.CharField(read_only=True)


class UserReadSerializer(serializers.ModelSerializer):
    """A user as the directory and the profile show them."""

    url = serializers.HyperlinkedIdentityField(view_name="user-detail")
    organizations = OrganizationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = USER_FIELDS
        read_only_fields = fields

    def to_representation(self, row):
        # Built by hand from a directory row (`User.objects.directory()`): the declared fields
        # describe the shape (schema, browsable API), but running them per row would cost several
        # times the queries' time.
        link = links(self.context["request"])
        return {
            "id": row["id"],
            "url": link.user(row["id"]),
            "email": row["email"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "phone": row["phone_e164"],
            "avatar": link.file(AVATAR_STORAGE, row["avatar"]),
            "organizations": [
                {"id": org["id"], "url": link.organization(org["id"]), "name": org["name"]}
                for org in row["organizations"]
            ],
        }


class AccountEmailField(serializers.EmailField):
    """An account's address, in its one normal form (trimmed, lowercase), checked in that form:
    lowercasing may lengthen it ("İ" becomes two characters), and the 254 limit is the stored
    one. Its domain must be one that mail can be sent to."""

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


class ProfileSerializer(ModelSerializer):
    """The authenticated user's own profile; organizations are written as a list of ids."""

    email = AccountEmailField()  # unique: see validate_email
    phone = PhoneNumberField(required=False, allow_blank=True)
    avatar = AvatarField()
    organizations = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Organization.objects.all(),
        pk_field=serializers.IntegerField(),  # whole ids only: 2.5 is no id
    )

    class Meta:
        model = User
        fields = USER_FIELDS
        read_only_fields = ["id"]
        extra_kwargs = {"url": {"view_name": "user-detail", "read_only": True}}

    def validate_email(self, value):
        value = normalize_email(value)
        if User.objects.filter(email=value).exclude(pk=self.instance.pk).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return value

    def update(self, instance, validated_data):
        email = instance.email
        try:
            with transaction.atomic():
                user = super().update(instance, validated_data)
                if user.email != email:
                    services.email_address_replace(user=user, request=self.context["request"])
                return user
        except IntegrityError as exc:  # another request took the address meanwhile
            raise serializers.ValidationError({"email": [EMAIL_TAKEN]}) from exc

    def to_representation(self, instance):
        row = User.objects.directory().get(pk=instance.pk)
        return UserReadSerializer(row, context=self.context).data


class TokensWithUserSerializer(serializers.Serializer):
    """The answer to a sign-up or a login."""

    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserReadSerializer()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class RegisterSerializer(BaseRegisterSerializer):
    """Sign-up with an email and one password; the profile fields may come along."""

    username = None
    password1 = None
    password2 = None
    email = AccountEmailField()
    password = password_field()
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    phone = PhoneNumberField(required=False, allow_blank=True)
    avatar = AvatarField()
    organizations = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Organization.objects.all(),
        pk_field=serializers.IntegerField(),  # whole ids only: 2.5 is no id
    )

    def validate_email(self, email):
        email = normalize_email(super().validate_email(email))
        if User.objects.filter(email=email).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return email

    def validate_password1(self, password):  # the base class's hook; our field is `password`
        return password

    def validate(self, data):
        candidate = User(
            email=data["email"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        try:
            validate_password(data["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return data

    def get_cleaned_data(self):
        # allauth's adapter reads these keys; without `password1` it saves an unusable password.
        return {
            "email": self.validated_data["email"],
            "password1": self.validated_data["password"],
            "first_name": self.validated_data.get("first_name", ""),
            "last_name": self.validated_data.get("last_name", ""),
        }

    def save(self, request):
        try:
            with transaction.atomic():
                return super().save(request)
        except IntegrityError as exc:  # a concurrent sign-up with the same address won
            raise serializers.ValidationError({"email": [EMAIL_TAKEN]}) from exc

    def custom_signup(self, request, user):
        user.phone = self.validated_data.get("phone", "")
        user.avatar = self.validated_data.get("avatar")
        user.save(update_fields=["phone", "avatar"])
        user.organizations.set(self.validated_data.get("organizations", []))


class LoginSerializer(BaseLoginSerializer):
    """Log in by email and password only; a `username` key is not a field and is ignored."""

    username = None
    email = AccountEmailField()
    password = password_field()

    def validate_email(self, value):
        return normalize_email(value)


def refresh_token_spend(refresh) -> None:
    """Blacklist a refresh token as it is used, or fail with a 401 if it already was.

    The blacklist row is unique per token, so of simultaneous requests spending one token (two
    refreshes, or a refresh and a logout) exactly one succeeds: a stolen token cannot be split
    into several live sessions.
    """
    _, spent_now = refresh.blacklist()
    if not spent_now:
        raise InvalidToken("Token is blacklisted")


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """A refresh token, exchanged for a new access token and a new refresh token; it can never
    be used again."""

    # simplejwt's rotation, except that the old token is spent with one atomic insert.
    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])  # signature, expiry, type, blacklist
        # The user as every authenticated request checks it: exists, active, same password.
        JWTAuthentication().get_user(refresh)
        refresh_token_spend(refresh)
        data = {"access": str(refresh.access_token)}
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
        data["refresh"] = str(refresh)
        return data


class TokenBlacklistSerializer(jwt_serializers.TokenBlacklistSerializer):
    """The refresh token to revoke: neither a refresh nor another logout can use it after."""

    def validate(self, attrs):
        refresh_token_spend(self.token_class(attrs["refresh"]))
        return {}


class TokenVerifySerializer(jwt_serializers.TokenVerifySerializer):
    """A token to check: valid while it could still be used, that is while its user exists, is
    active and has not changed password since it was issued."""

    # simplejwt's verify checks the signature, expiry and blacklist only; a 401 as elsewhere.
    def validate(self, attrs):
        try:
            super().validate(attrs)
        except serializers.ValidationError as exc:
            raise InvalidToken(exc.detail[0]) from exc
        JWTAuthentication().get_user(UntypedToken(attrs["token"]))
        return {}


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


class PasswordResetConfirmSerializer(rest_auth_serializers.PasswordResetConfirmSerializer):
    """Set a new password with the uid and token of a reset email; every session ends."""

    new_password1 = password_field()
    new_password2 = password_field()
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)

    def save(self):
        user = super().save()
        services.refresh_tokens_revoke(user=user)
        return user


class PasswordChangeSerializer(rest_auth_serializers.PasswordChangeSerializer):
    """Change the password, given the old one; every session ends, this one included."""

    old_password = password_field()
    new_password1 = password_field()
    new_password2 = password_field()

    def save(self):
        with transaction.atomic():
            # Of simultaneous changes, one wins: the others find the password changed under them,
            # so their old password is no longer the right one.
            stored = User.objects.select_for_update().values_list("password", flat=True)
            if stored.get(pk=self.user.pk) != self.user.password:
                raise serializers.ValidationError({"old_password": [OLD_PASSWORD_WRONG]})
            super().save()
            services.refresh_tokens_revoke(user=self.user)


class AccountDeleteSerializer(serializers.Serializer):
    """Confirms the deletion of one's account with its current password."""

    password = password_field()

    def validate_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The password is not correct.")
        return value


class ResendEmailVerificationSerializer(registration_serializers.ResendEmailVerificationSerializer):
    email = AccountEmailField()
