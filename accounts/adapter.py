from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from restkit.languages import requested_language

from . import services
from .models import User


def mail_language(*, user: User | None, request) -> str:
    """The language of a mail to `user`: the one the request asked for when the request is the
    recipient's own (made by them, or anonymously for their address: a reset, a sign-up), else
    the user's `language` (a change made by staff, say)."""
    requester = getattr(request, "user", None)
    signed_in = requester is not None and requester.is_authenticated
    own = user is None or not signed_in or requester.pk == user.pk
    asked = requested_language(request) if own else None
    return asked or (user.language if user is not None else settings.LANGUAGE_CODE)


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to a stateless JSON API: no session, no flash messages.

    Registration answers with JWTs; without these overrides allauth's sign-up flow would also
    write a server-side session and a messages cookie that no client of this API reads.
    """

    def login(self, request, user):
        pass

    def stash_verified_email(self, request, email):
        pass

    def unstash_verified_email(self, request):
        return None

    def add_message(self, *args, **kwargs):
        pass

    def send_mail(self, template_prefix, email, context):
        """Every mail of the accounts, rendered in its recipient's language (mail_language)."""
        user = context.get("user") or User.objects.filter(email=email).first()
        with translation.override(mail_language(user=user, request=self.request)):
            super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The link of a confirmation email: the front end's page if EMAIL_VERIFICATION_URL is
        set (with `{key}` filled in), else this API's page."""
        if settings.EMAIL_VERIFICATION_URL:
            return settings.EMAIL_VERIFICATION_URL.format(key=emailconfirmation.key)
        return super().get_email_confirmation_url(request, emailconfirmation)

    def is_email_verified(self, request, email):
        # allauth reads a verified address stashed in the session; none is stashed here (and a
        # service may run with no request at all, from a management command).
        return False

    def confirm_email(self, request, email_address):
        # A pending change of address (services.email_change_request) is completed by our
        # service: allauth would only mark the address verified, beside the old one.
        if email_address.primary or email_address.email == email_address.user.email:
            return super().confirm_email(request, email_address)
        services.email_change_confirm(address=email_address)
        return True
