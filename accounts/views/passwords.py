from dj_rest_auth import views as rest_auth_views
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from restkit.sessions import browser_session_keep

from ..serializers.tokens import DetailSerializer


@extend_schema_view(
    post=extend_schema(
        operation_id="changePassword",
        summary=_("Change the password"),
        description=_(
            "Sets a new password; the old one is required and stops working at once, and so does "
            "every token of the account, this one included: log in again. From a browsable-API "
            "session, that session stays logged in; every other one ends. `detail` says which."
        ),
        responses={200: DetailSerializer},
    )
)
class PasswordChangeView(rest_auth_views.PasswordChangeView):
    throttle_scope = "password-change"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        if browser_session_keep(request):
            detail = gettext(
                "New password has been saved. You stay logged in here; every other session "
                "and every refresh token of the account was signed out."
            )
        else:
            detail = gettext(
                "New password has been saved. Every session and token of the account was "
                "signed out, this one included: log in again."
            )
        return Response({"detail": detail})


@extend_schema_view(
    post=extend_schema(
        operation_id="requestPasswordReset",
        summary=_("Ask for a password reset email"),
        description=_(
            "Sends an email with a one-time link to set a new password, if an active account has "
            "this address. The answer is the same either way, so it tells nobody which addresses "
            "have accounts."
        ),
        responses={200: DetailSerializer},
    )
)
class PasswordResetView(rest_auth_views.PasswordResetView):
    authentication_classes = ()
    throttle_scope = "password-reset"


@extend_schema_view(
    post=extend_schema(
        operation_id="confirmPasswordReset",
        summary=_("Set a new password with a reset token"),
        description=_(
            "Takes the `uid` and `token` of the reset email's link and the new password twice. The "
            "token works once; the old password and every token of the account stop working."
        ),
        responses={200: DetailSerializer},
    )
)
class PasswordResetConfirmView(rest_auth_views.PasswordResetConfirmView):
    authentication_classes = ()
    throttle_scope = "password-reset"


@extend_schema(exclude=True)
class PasswordResetLinkView(PasswordResetConfirmView):
    """Where the reset email's link leads when no front end is configured: it says how to finish,
    and its form (in the browsable API) sets the new password."""

    def get(self, request, uid, token):
        return Response(
            {
                "detail": gettext(
                    "To choose a new password, POST uid, token, new_password1 and new_password2 "
                    "to the url below (or fill in the form of this page)."
                ),
                "url": request.build_absolute_uri(reverse("password-reset-confirm")),
                "uid": uid,
                "token": token,
            }
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        for name in ("uid", "token"):  # the browsable API's form comes filled in
            serializer.fields[name].initial = self.kwargs[name]
        return serializer
