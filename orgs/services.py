"""Every write to organizations, memberships, join requests and invitations: keyword-only
functions, each one transaction, called by the views, the serializers' save(), the admin and
management commands alike, so that a rule about who may join, leave or manage (orgs.roles) is
written once, here.

The writes that could leave an organization without an owner (a leave, a removal, a change of
role, an account's deletion) first lock the organization's row: two of them at once then run one
after the other, and the second sees what the first did."""

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import roles
from .models import (
    INVITED_ROLES,
    NAME_TAKEN,
    Invitation,
    InvitationStatus,
    JoinPolicy,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organization,
    Role,
)

LAST_OWNER = _(
    "An organization needs at least one owner: make another member an owner first, "
    "or delete the organization."
)
BY_INVITATION = _("This organization is joined by invitation only.")
NOT_OPEN = _("Only organizations open to joining can be added here; not: {names}.")
# By the status the request or invitation already has (a whole sentence each: translated).
REQUEST_DECIDED: dict[str, Any] = {
    JoinRequestStatus.APPROVED: _("This request has already been approved."),
    JoinRequestStatus.DECLINED: _("This request has already been declined."),
}
INVITATION_UNKNOWN = _("This invitation token is invalid.")
INVITATION_DONE: dict[str, Any] = {
    InvitationStatus.ACCEPTED: _("This invitation has already been accepted."),
    InvitationStatus.DECLINED: _("This invitation has already been declined."),
    InvitationStatus.REVOKED: _("This invitation has already been revoked."),
}
ALREADY_ANSWERED = _("This has already been answered.")  # a status not above: a race
INVITATION_EXPIRED = _("This invitation has expired.")
INVITATION_NOT_YOURS = _("This invitation was sent to another email address.")
ALREADY_MEMBER = _("This address already belongs to a member.")
ALREADY_INVITED = _("This address already has a pending invitation to this organization.")
ADMINS_BY_OWNERS = _("Only owners may invite admins.")


def organization_create(
    *, by: User, name: str, description: str = "", join_policy: str = JoinPolicy.OPEN
) -> Organization:
    """Create an organization, with `by` as its creator and its owner."""
    organization = Organization(
        name=name, description=description, join_policy=join_policy, created_by=by
    )
    try:
        with transaction.atomic():
            organization.save()
            Membership.objects.create(organization=organization, user=by, role=Role.OWNER)
    except IntegrityError as exc:  # a concurrent request took the name meanwhile
        raise ValidationError({"name": NAME_TAKEN}) from exc
    return organization


def organization_update(*, organization: Organization, by: User, **changes: Any) -> Organization:
    """Change an organization's name, description or join policy; owners, admins and staff may."""
    if not roles.can_edit(organization=organization, user=by):
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
    """Delete an organization; its members stay, without it. Only its owners or staff may."""
    if not roles.can_delete(organization=organization, user=by):
        raise PermissionDenied
    organization.delete()


def _lock(organization: Organization) -> None:
    """Lock the organization's row until the transaction ends (SQLite: the whole database, as
    every transaction there is IMMEDIATE)."""
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))


def _is_last_owner(membership: Membership) -> bool:
    """Whether the membership is its organization's only active owner (under _lock)."""
    if membership.role != Role.OWNER or not membership.user.is_active:
        return False
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.OWNER, user__is_active=True
    ).exclude(pk=membership.pk)
    return not others.exists()


def membership_add(
    *, organization: Organization, user: User, by: User, role: str = Role.MEMBER
) -> bool:
    """Make `user` a member of `organization` with `role`; return False if they already were
    (their role then stays). A user joins an open organization by themselves; staff may add
    anyone anywhere, with any role.

    Of simultaneous joins, the one whose row the unique (user, organization) pair lets in is the
    one that joined: the others find the row and answer that they already were members.
    """
    if not by.is_staff:
        if by != user:
            raise PermissionDenied
        if organization.join_policy != JoinPolicy.OPEN or role != Role.MEMBER:
            raise PermissionDenied(
                BY_INVITATION if organization.join_policy == JoinPolicy.INVITATION else None
            )
    return _membership_create(organization=organization, user=user, role=role)


def _membership_create(*, organization: Organization, user: User, role: str) -> bool:
    with transaction.atomic():
        _, joined = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": role}
        )
        if joined:  # in by another way (an invitation, staff): a pending request is moot
            JoinRequest.objects.filter(
                organization=organization, user=user, status=JoinRequestStatus.PENDING
            ).delete()
    return joined


@transaction.atomic
def membership_remove(*, organization: Organization, user: User, by: User) -> None:
    """Take `user` out of `organization`: the user themselves leaving, an owner removing anyone,
    an admin removing a member, or staff. Never the last active owner."""
    _lock(organization)
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=organization, user=user)
        .first()
    )
    if membership is None:
        return
    if not roles.can_remove(organization=organization, user=by, member=user, role=membership.role):
        raise PermissionDenied
    if _is_last_owner(membership):
        raise ValidationError(LAST_OWNER)
    membership.delete()


@transaction.atomic
def membership_role_set(*, organization: Organization, user: User, role: str, by: User) -> bool:
    """Give the member `user` the role `role`; only owners and staff may, and never so that the
    organization is left without an active owner. Return whether the role changed; mails the
    member when it did. Membership.DoesNotExist for a user who is not a member."""
    if role not in Role.values:
        invalid = gettext('"%(role)s" is not a valid role.') % {"role": role}
        raise ValidationError({"role": invalid})
    _lock(organization)  # before the check: the actor's own role may be changing meanwhile
    if not roles.can_change_roles(organization=organization, user=by):
        raise PermissionDenied
    membership = Membership.objects.select_related("user").get(organization=organization, user=user)
    if membership.role == role:
        return False
    if _is_last_owner(membership):
        raise ValidationError({"role": LAST_OWNER})
    membership.role = role
    membership.save(update_fields=["role"])
    _notify(
        "orgs/email/role_changed",
        user.email,
        {"organization": organization.name, "role": role},
    )
    return True


@transaction.atomic
def memberships_set(*, user: User, organizations: Iterable[Organization], by: User) -> None:
    """Make `organizations` exactly the ones `user` belongs to, one join or leave at a time
    through membership_add and membership_remove, so that their rules hold here too: only open
    organizations are joined this way (all those that are not are named at once), and leaving
    keeps the last-owner rule."""
    wanted = {organization.pk: organization for organization in organizations}
    current = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    closed = sorted(
        (o for pk, o in wanted.items() if pk not in current and o.join_policy != JoinPolicy.OPEN),
        key=lambda o: o.pk,
    )
    if closed and not by.is_staff:
        names = ", ".join(f"{o.name} ({o.pk})" for o in closed)
        raise ValidationError({"organizations": NOT_OPEN.format(names=names)})
    leaving = Organization.objects.filter(pk__in=current - wanted.keys()).in_bulk()
    # In the order of the ids: each join or leave locks its organization (its member count), and
    # two simultaneous changes over the same organizations then lock them in one order.
    for pk in sorted(leaving.keys() | (wanted.keys() - current)):
        if pk in leaving:
            try:
                membership_remove(organization=leaving[pk], user=user, by=by)
            except ValidationError as exc:
                raise ValidationError(
                    {"organizations": f"{leaving[pk].name} ({pk}): {LAST_OWNER}"}
                ) from exc
        else:
            membership_add(organization=wanted[pk], user=user, by=by)


def organizations_last_owned(*, user: User) -> list[Organization]:
    """The organizations of which `user` is the only active owner, by id."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("organization_id")
    others = Membership.objects.filter(role=Role.OWNER, user__is_active=True).exclude(user=user)
    return list(
        Organization.objects.filter(pk__in=owned)
        .exclude(pk__in=others.values("organization_id"))
        .order_by("pk")
    )


def last_owner_check(*, user: User) -> None:
    """Refuse (ValidationError naming them) while `user` is the only active owner of some
    organization: before their account is deleted or deactivated. Locks those organizations
    first, in the order of their ids, so that another owner's simultaneous leave is seen."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("organization_id")
    list(
        Organization.objects.select_for_update()
        .filter(pk__in=owned)
        .order_by("pk")
        .values_list("pk")
    )
    organizations = organizations_last_owned(user=user)
    if organizations:
        names = ", ".join(f"{o.name} ({o.pk})" for o in organizations)
        only_owner = gettext(
            "You are the only owner of: %(names)s. Make another member an owner, or delete "
            "these organizations, first."
        )
        raise ValidationError({"organizations": only_owner % {"names": names}})


# Joining, by the organization's join policy


def organization_join(
    *, organization: Organization, user: User
) -> tuple[str, Membership | JoinRequest]:
    """`user` asks to join `organization`: returns what happened and the membership or request.

    - "member": they already were a member;
    - "joined": they joined (an open organization, staff, or a pending invitation accepted);
    - "requested" / "pending": a join request was made / was already pending (`approval`).
    PermissionDenied when the organization is joined by invitation only.
    """
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is not None:
        return "member", membership
    invitation = _pending_invitations(email=user.email).filter(organization=organization).first()
    if invitation is not None:
        return _invitation_accept(invitation=invitation, user=user)
    if organization.join_policy == JoinPolicy.OPEN or user.is_staff:
        joined = _membership_create(organization=organization, user=user, role=Role.MEMBER)
        membership = Membership.objects.get(organization=organization, user=user)
        return ("joined" if joined else "member"), membership
    if organization.join_policy == JoinPolicy.INVITATION:
        raise PermissionDenied(BY_INVITATION)
    return join_request_create(organization=organization, user=user)


def join_request_create(*, organization: Organization, user: User) -> tuple[str, JoinRequest]:
    """A pending request of `user` to join `organization`: ("requested", a new one), or
    ("pending", the one already pending). Simultaneous requests make one (a unique constraint on
    the pending ones)."""
    pending = JoinRequest.objects.filter(
        organization=organization, user=user, status=JoinRequestStatus.PENDING
    )
    try:
        with transaction.atomic():
            return "requested", JoinRequest.objects.create(organization=organization, user=user)
    except IntegrityError:
        return "pending", pending.get()


def join_request_decide(*, join_request: JoinRequest, by: User, approve: bool) -> JoinRequest:
    """Approve (the user becomes a member) or decline a pending request; owners, admins and staff
    may. Decided once: of simultaneous decisions the first wins and the others get a
    ValidationError, as does deciding a request already decided. Mails the requester."""
    organization = join_request.organization
    if not roles.can_manage_members(organization=organization, user=by):
        raise PermissionDenied
    status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    with transaction.atomic():
        if not join_request.decide(status, by=by):
            raise ValidationError(REQUEST_DECIDED.get(join_request.status, ALREADY_ANSWERED))
        if approve:
            _membership_create(organization=organization, user=join_request.user, role=Role.MEMBER)
        _notify(
            "orgs/email/join_request_decided",
            join_request.user.email,
            {"organization": organization.name, "approved": approve},
        )
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, by: User) -> None:
    """The requester takes back their pending request (it is deleted)."""
    if by.pk != join_request.user_id:
        raise PermissionDenied
    if not JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequestStatus.PENDING
    ).delete()[0]:
        join_request.refresh_from_db(fields=["status"])
        raise ValidationError(REQUEST_DECIDED.get(join_request.status, ALREADY_ANSWERED))


# Invitations


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _pending_invitations(*, email: str) -> Any:
    """The pending, unexpired invitations sent to `email`, in any letter case."""
    return Invitation.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.lower(),
        status=InvitationStatus.PENDING,
        expires_at__gt=timezone.now(),
    )


def invitation_create(
    *,
    organization: Organization,
    by: User,
    email: str,
    role: str,
    accept_url: str = "",
    link_for: Callable[[str], str] | None = None,
) -> tuple[Invitation, str]:
    """Invite `email` to `organization` with `role` (member or admin: only owners and staff
    invite admins), and mail it the token that accepts, in a link made by `link_for(token)`;
    returns the invitation and the token.

    Only a hash of the token is stored. The token is "<invitation id>.<secret>": the invitation
    is found by its id and the secret's hash compared in constant time."""
    if role not in dict(INVITED_ROLES):
        invalid = gettext('"%(role)s" is not a valid choice: "member" or "admin".')
        raise ValidationError({"role": invalid % {"role": role}})
    if not roles.can_manage_members(organization=organization, user=by):
        raise PermissionDenied
    if not roles.can_invite(organization=organization, user=by, role=role):
        raise PermissionDenied(ADMINS_BY_OWNERS)
    email_lower = email.lower()
    members = Membership.objects.filter(organization=organization).annotate(
        email_lower=Lower("user__email")
    )
    if members.filter(email_lower=email_lower).exists():
        raise ValidationError({"email": ALREADY_MEMBER})
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Expired invitations stop counting as pending, to make room for the new one.
            Invitation.objects.annotate(email_lower=Lower("email")).filter(
                organization=organization,
                email_lower=email_lower,
                status=InvitationStatus.PENDING,
                expires_at__lte=now,
            ).update(status=InvitationStatus.EXPIRED)
            invitation = Invitation.objects.create(
                organization=organization,
                email=email,
                role=role,
                token_hash=_token_hash(secret),
                invited_by=by,
                created_at=now,
                expires_at=now + timedelta(days=settings.INVITATION_DAYS),
            )
            token = f"{invitation.pk}.{secret}"
            _notify(
                "orgs/email/invitation",
                email,
                {
                    "organization": organization.name,
                    "role": role,
                    "invited_by": by.email,
                    "token": token,
                    "accept_url": accept_url,
                    "link": link_for(token) if link_for else "",
                    "expires_at": invitation.expires_at,
                },
            )
    except IntegrityError as exc:  # one pending invitation per address and organization
        raise ValidationError({"email": ALREADY_INVITED}) from exc
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token names, whatever its status; ValidationError for any token that
    names none (malformed, unknown id, wrong secret)."""
    pk, _dot, secret = token.partition(".")
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18 and secret):
        raise ValidationError({"token": INVITATION_UNKNOWN})
    invitation = Invitation.objects.select_related("organization").filter(pk=int(pk)).first()
    expected = invitation.token_hash if invitation else _token_hash("")
    if not hmac.compare_digest(expected, _token_hash(secret)) or invitation is None:
        raise ValidationError({"token": INVITATION_UNKNOWN})
    return invitation


def _check_answerable(invitation: Invitation, user: User) -> None:
    """PermissionDenied unless the invitation was sent to `user`'s address; ValidationError
    unless it is still pending and unexpired."""
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied(INVITATION_NOT_YOURS)
    status = invitation.shown_status
    if status == InvitationStatus.EXPIRED:
        raise ValidationError({"token": INVITATION_EXPIRED})
    if status != InvitationStatus.PENDING:
        raise ValidationError({"token": INVITATION_DONE.get(status, ALREADY_ANSWERED)})


def _decide(invitation: Invitation, user: User, status: str) -> None:
    """Mark the invitation decided if it is still pending and unexpired: one decision wins."""
    if not invitation.decide(status, by=user, expires_at__gt=timezone.now()):
        _check_answerable(invitation, user)
        raise ValidationError({"token": INVITATION_DONE.get(invitation.status, ALREADY_ANSWERED)})


def invitation_accept(*, token: str, user: User) -> tuple[str, Membership]:
    """Accept the invitation that `token` names, as `user`, to whose address it was sent: they
    become a member with its role ("joined"), or stay what they are if already a member
    ("member"). Simultaneous accepts of one invitation add one membership."""
    invitation = invitation_for_token(token)
    _check_answerable(invitation, user)
    return _invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def _invitation_accept(*, invitation: Invitation, user: User) -> tuple[str, Membership]:
    _decide(invitation, user, InvitationStatus.ACCEPTED)
    joined = _membership_create(
        organization=invitation.organization, user=user, role=invitation.role
    )
    membership = Membership.objects.get(organization=invitation.organization, user=user)
    return ("joined" if joined else "member"), membership


@transaction.atomic
def invitation_decline(*, token: str, user: User) -> Invitation:
    """Decline the invitation that `token` names, as `user`, to whose address it was sent."""
    invitation = invitation_for_token(token)
    _check_answerable(invitation, user)
    _decide(invitation, user, InvitationStatus.DECLINED)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    """Withdraw a pending invitation: its token stops working. Owners, admins and staff may."""
    if not roles.can_manage_members(organization=invitation.organization, user=by):
        raise PermissionDenied
    if not invitation.decide(InvitationStatus.REVOKED, by=by):
        raise ValidationError(INVITATION_DONE.get(invitation.status, ALREADY_ANSWERED))


def _notify(template_prefix: str, email: str, context: dict[str, Any]) -> None:
    """Mail `email` once the transaction commits (through the mail queue, restkit.mail)."""
    transaction.on_commit(lambda: get_adapter().send_mail(template_prefix, email, context))
