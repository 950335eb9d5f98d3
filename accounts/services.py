from django.db import transaction
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
