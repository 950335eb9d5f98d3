from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from .models import User


@transaction.atomic
def refresh_tokens_revoke(*, user: User) -> int:
    """Revoke every refresh token `user` holds; return how many were still live."""
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = [BlacklistedToken(token=token) for token in live]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account: its memberships go with it, its avatar file is removed once the
    transaction commits, and the organizations it created stay, without a creator."""
    refresh_tokens_revoke(user=user)
    user.delete()


@transaction.atomic
def email_address_replace(*, user: User, request: HttpRequest | Request | None = None) -> None:
    """Make `user.email`, just changed, the account's only address in allauth's records.

    Login and password reset look addresses up there too: an old address left behind would still
    log in and receive the account's reset links. The new address starts unverified; when
    verification is on, it is sent a confirmation, which mandatory verification requires before
    the next login (the tokens already held keep working, so a mistyped address can be fixed).
    """
    EmailAddress.objects.filter(user=user).delete()
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.NONE:
        transaction.on_commit(lambda: address.send_confirmation(request))
