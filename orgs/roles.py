"""Who may do what in an organization, decided once, here, from the role of the one who acts:
the services enforce these rules and the views only translate their answers.

Owners may do everything; admins edit the organization, invite members, answer join requests
and remove members whose role is `member`; members may leave. Staff may do everything. Only
owners (and staff) delete the organization or change roles.
"""

from accounts.models import User

from .models import Membership, Organization, Role

MANAGERS = {Role.OWNER, Role.ADMIN}


def role_of(*, organization: Organization, user: User) -> str | None:
    """The role of `user` in `organization`, or None when they are not a member."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )


def can_edit(*, organization: Organization, user: User) -> bool:
    """Edit the name, description and join policy."""
    return user.is_staff or role_of(organization=organization, user=user) in MANAGERS


def can_delete(*, organization: Organization, user: User) -> bool:
    return user.is_staff or role_of(organization=organization, user=user) == Role.OWNER


def can_manage_members(*, organization: Organization, user: User) -> bool:
    """See and answer join requests, see and revoke invitations."""
    return can_edit(organization=organization, user=user)


def can_invite(*, organization: Organization, user: User, role: str) -> bool:
    """Invite someone with `role`: owners and admins invite members, only owners admins."""
    if user.is_staff:
        return True
    acting = role_of(organization=organization, user=user)
    return acting == Role.OWNER or (acting == Role.ADMIN and role == Role.MEMBER)


def can_remove(*, organization: Organization, user: User, member: User, role: str) -> bool:
    """Take `member`, whose role is `role`, out: oneself, anyone for owners, members for admins."""
    if user.is_staff or user.pk == member.pk:
        return True
    acting = role_of(organization=organization, user=user)
    return acting == Role.OWNER or (acting == Role.ADMIN and role == Role.MEMBER)


def can_change_roles(*, organization: Organization, user: User) -> bool:
    return user.is_staff or role_of(organization=organization, user=user) == Role.OWNER
