"""Two-factor login (accounts.mfa): dj_rest_auth.mfa's serializers, with our limits and rules."""

from dj_rest_auth.mfa import serializers as mfa_serializers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from restkit.throttling import check_password_counted

from .. import services
from ..mfa import mfa_enabled, totp_time_step


def code_field(help_text):
    return serializers.CharField(max_length=32, write_only=True, help_text=help_text)


class MfaStatusSerializer(mfa_serializers.MFAStatusSerializer):
    """Whether logging in takes a second factor; when it was turned on and a code last used."""


class TotpSetupSerializer(mfa_serializers.TOTPActivateInitSerializer):
    """A new TOTP secret to put in an authenticator app; nothing changes until it is confirmed."""

    secret = serializers.CharField(read_only=True, help_text=_("The secret, in base32."))
    totp_url = serializers.CharField(
        read_only=True, help_text=_("The same as an otpauth:// URL, naming the product and you.")
    )
    qr_code_data_uri = serializers.CharField(
        read_only=True, help_text=_("The URL as a QR code to scan: an SVG image in a data: URI.")
    )
    activation_token = serializers.CharField(
        read_only=True, help_text=_("To send back with a code: valid for 5 minutes.")
    )


class TotpActivateSerializer(mfa_serializers.TOTPActivateConfirmSerializer):
    """Turn two-factor login on: the activation token of the set-up and a code it gives."""

    activation_token = serializers.CharField(max_length=1024, write_only=True)
    code = code_field(_("A current 6-digit code of your authenticator app, for the new secret."))

    def validate(self, attrs):
        attrs = super().validate(attrs)  # the token is ours, recent, this user's; the code right
        attrs["time_step"] = totp_time_step(attrs["secret"], attrs["code"])
        if attrs["time_step"] is None:  # a code dj_rest_auth.mfa reads more loosely than we do
            raise serializers.ValidationError({"code": [services.MFA_CODE_WRONG]})
        return attrs

    def save(self):
        return services.mfa_enable(
            user=self.context["request"].user,
            secret=self.validated_data["secret"],
            time_step=self.validated_data["time_step"],
        )


class RecoveryCodesShownSerializer(serializers.Serializer):
    """The recovery codes just made: shown this once; each logs in once instead of a TOTP code."""

    recovery_codes = serializers.ListField(child=serializers.CharField(), read_only=True)


class RecoveryCodesSerializer(mfa_serializers.RecoveryCodesSerializer):
    """Recovery codes not used yet."""


class MfaCodeSerializer(serializers.Serializer):
    """A code of the account's, which the change it confirms spends; wrong codes count against
    the login limits of the account (429 once they are spent)."""

    accepts_recovery_code = True

    code = code_field(
        _("A current 6-digit code of your authenticator app, or an unused recovery code.")
    )

    def validate_code(self, value):
        user = self.context["request"].user
        if not mfa_enabled(user):
            raise serializers.ValidationError(services.MFA_OFF)
        right = check_password_counted(
            self.context["request"],
            email=user.email,
            check=lambda: services.mfa_code_use(
                user=user, code=value, recovery=self.accepts_recovery_code
            ),
        )
        if not right:
            raise serializers.ValidationError(services.MFA_CODE_WRONG)
        return value


class TotpCodeSerializer(MfaCodeSerializer):
    """A current TOTP code of the account's (not a recovery code)."""

    accepts_recovery_code = False

    code = code_field(_("A current 6-digit code of your authenticator app."))


class MfaLoginSerializer(serializers.Serializer):
    """The second step of a login: the ephemeral token of the first and a code."""

    ephemeral_token = serializers.CharField(
        max_length=512, write_only=True, help_text=_("From the answer of `POST /api/login/`.")
    )
    code = code_field(
        _("A current 6-digit code of your authenticator app, or an unused recovery code.")
    )

    def validate(self, attrs):
        attrs["user"] = services.mfa_challenge_complete(
            request=self.context["request"], token=attrs["ephemeral_token"], code=attrs["code"]
        )
        return attrs


@extend_schema_field({"type": "boolean", "enum": [True]})
class AlwaysTrueField(serializers.BooleanField):
    pass


class MfaRequiredSerializer(serializers.Serializer):
    """The answer to a login whose password is right for an account with two-factor login: no
    token yet; send a code with `ephemeral_token` to `POST /api/login/mfa/`."""

    mfa_required = AlwaysTrueField(help_text=_("Always true: tells this answer from the tokens."))
    ephemeral_token = serializers.CharField(
        help_text=_("For `POST /api/login/mfa/`: one successful use, 5 minutes, 5 wrong codes.")
    )
