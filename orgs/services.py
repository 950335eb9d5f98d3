"""Every write to organizations and memberships: keyword-only functions, each one transaction,
called by the views, the serializers' save(), the admin and management commands alike, so that
a rule about who may join, leave or manage is written once, here."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User

from .models import NAME_TAKEN, Membership, Organization


def organization_create(*, by: User, name: str, description: str = "") -> Organization:
    """Create an organization, with `by` as its creator."""
    organization = Organization(name=name, description=description, created_by=by)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:  # a concurrent request took the name meanwhile
        raise ValidationError({"name": NAME_TAKEN}) from exc
    return organization


def organization_update(*, organization: Organization, by: User, **changes: Any) -> Organization:
    """Change an organization's name or description; only its creator or staff may."""
    if not organization.can_manage(by):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(organization, field, value)
    try:
        with transaction.atomic():
            organization.save(update_fields=list(changes))
    except IntegrityError as exc:
        raise ValidationError({"name": NAME_TAKEN}) from exc
    return organization


@transaction.atomic
def organization_delete(*, organization: Organization, by: User) -> None:
    """Delete an organization; its members stay, without it. Only its creator or staff may."""
    if not organization.can_manage(by):
        raise PermissionDenied
    organization.delete()


def membership_add(*, organization: Organization, user: User, by: User) -> bool:
    """Make `user` a member of `organization`; return False if they already were. A user joins
    by themselves; staff may add anyone.

    Of simultaneous joins, the one whose row the unique (user, organization) pair lets in is the
    one that joined: the others find the row and answer that they already were members.
    """
    if by != user and not by.is_staff:
        raise PermissionDenied
    with transaction.atomic():
        _, joined = Membership.objects.get_or_create(user=user, organization=organization)
    return joined


@transaction.atomic
def membership_remove(*, organization: Organization, user: User, by: User) -> None:
    """Take `user` out of `organization`; only the user, the creator or staff may."""
    if by != user and not organization.can_manage(by):
        raise PermissionDenied
    Membership.objects.filter(organization=organization, user=user).delete()


@transaction.atomic
def memberships_set(*, user: User, organizations: Iterable[Organization], by: User) -> None:
    """Make `organizations` exactly the ones `user` belongs to, one join or leave at a time
    through membership_add and membership_remove, so that their rules hold here too."""
    wanted = {organization.pk: organization for organization in organizations}
    current = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    leaving = Organization.objects.filter(pk__in=current - wanted.keys()).in_bulk()
    # In the order of the ids: each join or leave locks its organization (its member count), and
    # two simultaneous changes over the same organizations then lock them in one order.
    for pk in sorted(leaving.keys() | (wanted.keys() - current)):
        if pk in leaving:
            membership_remove(organization=leaving[pk], user=user, by=by)
        else:
            membership_add(organization=wanted[pk], user=user, by=by)
