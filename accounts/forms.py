from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.core.context import request_context
from dj_rest_auth.forms import AllAuthPasswordResetForm
from dj_rest_auth.serializers import LoginSerializer
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import Throttled

from restkit import mail
from restkit.languages import requested_language
from restkit.throttling import within_limit

from . import services
from .mfa import mfa_enabled
from .models import PHONE_INVALID, User

MFA_ADMIN_REFUSED = _(
    "This account uses two-factor login, which this page does not ask for: log in on the API's "
    "login page, which asks for your code, and come back to the admin."
)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]
        field_classes = {}


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = [
            "email",
            "password",
            "first_name",
            "last_name",
            "phone",
            "avatar",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]
        field_classes = {}
        error_messages = {"phone": {"invalid": PHONE_INVALID}}


class EmailAuthenticationForm(forms.Form):
    """The browsable API's login form: email and password, as everywhere else."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _("Please enter a correct email and password."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("password")
        if email and password:
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise forms.ValidationError(self.error_messages["invalid_login"])
            if not self.user_cache.is_active:
                raise forms.ValidationError(self.error_messages["inactive"])
            try:  # as POST /api/login/ requires, when email verification is mandatory
                LoginSerializer.validate_email_verification_status(self.user_cache)
            except serializers.ValidationError as exc:
                raise forms.ValidationError(exc.detail) from exc
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class MfaCodeForm(forms.Form):
    """The browsable API's second login step, for an account with two-factor login: the
    ephemeral token of the first (a hidden field) and a code, checked as by POST /api/login/mfa/
    (accounts.services.mfa_challenge_complete, with its limits)."""

    ephemeral_token = forms.CharField(max_length=512, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("From your authenticator app, or one of your recovery codes."),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        self.retry_after = None  # seconds, when a limit refused the code
        super().__init__(*args, **kwargs)

    def clean(self):
        token = self.cleaned_data.get("ephemeral_token")
        code = self.cleaned_data.get("code")
        if token and code:
            try:
                self.user_cache = services.mfa_challenge_complete(
                    request=self.request, token=token, code=code
                )
            except Throttled as exc:
                self.retry_after = exc.wait
                raise forms.ValidationError(str(exc.detail)) from exc
            except DjangoValidationError as exc:
                raise forms.ValidationError(
                    [message for messages in exc.message_dict.values() for message in messages]
                ) from exc
            # Django's login() asks which backend vouched for the user when several are set.
            self.user_cache.backend = "django.contrib.auth.backends.ModelBackend"
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form, which asks for no second factor: it refuses the accounts that
    have one (they log in on the browsable API's page, whose session the admin shares)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if mfa_enabled(user):
            raise forms.ValidationError(MFA_ADMIN_REFUSED, code="mfa_required")


class PasswordResetForm(AllAuthPasswordResetForm):
    """dj-rest-auth's reset form for allauth, without its username branch: there are no
    usernames here, and that branch reads a deprecated allauth setting on every reset. One
    account is sent at most THROTTLE_RATES["password-reset.mail"] mails; past that, requests
    still get the same answer, so that neither a 429 nor a difference tells anything."""

    def clean_email(self):
        email = super().clean_email()
        # Only the account's own address: not one of a change still waiting for confirmation.
        self.users = [user for user in self.users if user.email == email]
        return email

    def save(self, request, **kwargs):
        # The lookup of the accounts and the mails happen after the response (restkit.mail): the
        # request does the same work whether the address has an account or not, and so takes
        # the same time.
        mail.defer(
            password_reset_send,
            email=self.cleaned_data["email"],
            origin=mail.origin(request),
            language=requested_language(request),
        )
        return self.cleaned_data["email"]

    def send(self, request, url_generator, token_generator=default_token_generator):
        for user in self.users:
            if not within_limit("password-reset.mail", f"user-{user.pk}"):
                continue
            token = token_generator.make_token(user)
            context = {
                "current_site": get_current_site(request),
                "user": user,
                "password_reset_url": url_generator(request, user, token),
                "request": request,
                "token": token,
                "uid": user_pk_to_url_str(user),
            }
            get_adapter(request).send_mail(
                "account/email/password_reset_key", self.cleaned_data["email"], context
            )


def password_reset_send(*, email, origin, language=None):
    """The reset mails for `email`, if an account has it (a task of restkit.mail), in the
    `language` the request asked for, else in the account's (accounts.adapter)."""
    from .serializers.passwords import password_reset_url

    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        request = mail.MailRequest(origin, language=language)
        with request_context(request):  # the request allauth's adapter reads
            form.send(request, url_generator=password_reset_url)
