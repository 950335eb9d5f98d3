from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User

from .models import Organization


def member_add(*, organization: Organization, user: User) -> bool:
    """Make `user` a member of `organization`; return False if they already were.

    Of simultaneous joins, the one whose row the unique (user, organization) pair lets in is the
    one that joined: the others find the row and answer that they already were members.
    """
    _, joined = Organization.users.through.objects.get_or_create(
        user=user, organization=organization
    )
    return joined


@transaction.atomic
def member_remove(*, organization: Organization, user: User, by: User) -> None:
    """Take `user` out of `organization`; only the user, the creator or staff may."""
    if by != user and not organization.can_manage(by):
        raise PermissionDenied
    user.organizations.remove(organization)
