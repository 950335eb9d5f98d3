from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User

from .models import Organization


def member_add(*, organization: Organization, user: User) -> bool:
    """Make `user` a member of `organization`; return False if they already were."""
    if user.organizations.filter(pk=organization.pk).exists():
        return False
    user.organizations.add(organization)  # ignores a concurrent duplicate
    return True


@transaction.atomic
def member_remove(*, organization: Organization, user: User, by: User) -> None:
    """Take `user` out of `organization`; only the user, the creator or staff may."""
    if by != user and not organization.can_manage(by):
        raise PermissionDenied
    user.organizations.remove(organization)
