"""Every read of users with their organizations and of organizations with their users, shaped
once: the viewsets' querysets, and the related rows of a page, fetched in one query.

Lists are read as plain rows (`.values()`), not model instances: building thousands of
instances per page would cost several times the queries themselves.

Who may see whose email and phone is decided here, once, in the SQL of each read: the user
themselves, staff, and, as the user chose (`contact_visibility`), people who share an
organization with them or everyone. Anyone else reads both as None, and search and ordering
use the same masked values, so they never match or sort on what the viewer cannot see.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Case,
    CharField,
    EmailField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from accounts.models import ContactVisibility, User

from .models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organization,
)

Row = dict[str, Any]


def colleagues_of(viewer: User) -> QuerySet:
    """The ids of the people who share an organization with `viewer` (and theirs), as a
    subquery."""
    # Not correlated with the row: the database computes the viewer's colleagues once (a hashed
    # subplan on PostgreSQL), even for the rows an OFFSET skips.
    return Membership.objects.filter(
        organization__in=Membership.objects.filter(user=viewer).values("organization_id")
    ).values("user_id")


def contacts_visible(*, viewer: User, user: str = "", searched: bool = False) -> Q:
    """Whether `viewer` may see the email and phone of the user at the path `user` ("" for the
    queried user itself, "user__" from a membership), as a condition of the query.

    `searched`: the condition beside a search of the address, which may be in nearly every row
    (`example.com`): the colleagues are then an array the rows are read by (restkit.lookups
    `in_array`), not a set each row is tested against."""
    if viewer.is_staff:
        return Q()
    colleagues = colleagues_of(viewer)
    return (
        Q(**{f"{user}pk": viewer.pk})
        | Q(**{f"{user}contact_visibility": ContactVisibility.EVERYONE})
        | Q(
            **{
                f"{user}contact_visibility": ContactVisibility.ORGANIZATIONS,
                f"{user}pk__{'in_array' if searched else 'in'}": colleagues,
            }
        )
    )


def shown_contacts(*, viewer: User, user: str = "") -> dict[str, Any]:
    """`shown_email` and `shown_phone` (E.164 text) of the user at the path `user`, as the viewer
    may see them: None where they may not."""
    visible = contacts_visible(viewer=viewer, user=user)
    email = f"{user}email"
    # Stored in E.164 already: read as text rather than parsed into a PhoneNumber per row.
    phone = Cast(f"{user}phone", CharField())
    if not visible:  # staff: no condition
        return {"shown_email": Cast(email, EmailField()), "shown_phone": phone}
    return {
        "shown_email": Case(
            When(visible, then=email), default=Value(None), output_field=EmailField()
        ),
        "shown_phone": Case(
            When(visible, then=phone), default=Value(None), output_field=CharField()
        ),
    }


# date_joined, not shown, is the position of a row in `?ordering=date_joined` (a cursor).
USER_ROW_FIELDS = ("id", "first_name", "last_name", "avatar", "date_joined")


def user_rows(*, viewer: User) -> QuerySet:
    """The directory as `viewer` sees it: active users as rows, without organizations."""
    return User.objects.active().values(*USER_ROW_FIELDS, **shown_contacts(viewer=viewer))


def user_rows_by_shown_email(*, viewer: User) -> list[QuerySet]:
    """The rows of user_rows(viewer=viewer) as disjoint parts, each of which an index reads in
    the order of the address the viewer sees, then the id (restkit.pagination merges them a
    page at a time): the order of the masked address itself is the viewer's alone, which no
    index holds.

    Shown: the people who show theirs to everyone ((contact_visibility, email, id)), the
    viewer's colleagues who show it to organizations (a few), the viewer. Hidden, a NULL
    address, hence by id: those who show it to nobody and the other people who show it to
    organizations ((contact_visibility, id)). Staff see every address: one part, by the
    address's unique index. Every account holds one of the ContactVisibility choices (the
    field's choices, which every write validates); any other value would be in no part.
    """
    users = User.objects.active()
    phone = Cast("phone", CharField())
    hidden_email, hidden_phone = Value(None, EmailField()), Value(None, CharField())

    def shown(condition: Q) -> QuerySet:
        rows = users.filter(condition)
        return rows.values(*USER_ROW_FIELDS, shown_email=F("email"), shown_phone=phone)

    def hidden(condition: Q) -> QuerySet:
        rows = users.filter(condition)
        return rows.values(*USER_ROW_FIELDS, shown_email=hidden_email, shown_phone=hidden_phone)

    if viewer.is_staff:
        return [shown(Q())]
    colleagues, others = colleagues_of(viewer), ~Q(pk=viewer.pk)
    organizations = Q(contact_visibility=ContactVisibility.ORGANIZATIONS)
    return [
        shown(Q(contact_visibility=ContactVisibility.EVERYONE) & others),
        shown(organizations & Q(pk__in=colleagues) & others),
        shown(Q(pk=viewer.pk)),
        hidden(Q(contact_visibility=ContactVisibility.NOBODY) & others),
        hidden(organizations & ~Q(pk__in=colleagues) & others),
    ]


def member_rows(*, organization: Organization, viewer: User) -> QuerySet:
    """The active members of `organization`, as directory rows that `viewer` sees, each with
    the organization's id (`organization_id`, for the link to the membership), and their `role`
    and `joined_at` in it (from the membership row the filter joins, not a second join)."""
    return (
        user_rows(viewer=viewer)
        .filter(memberships__organization=organization)
        .annotate(
            organization_id=Value(organization.pk),
            role=F("memberships__role"),
            joined_at=F("memberships__joined_at"),
        )
    )


def member_row(*, organization: Organization, pk: int, viewer: User) -> Row:
    """One active member as a directory row with organizations; User.DoesNotExist otherwise."""
    rows = member_rows(organization=organization, viewer=viewer).filter(pk=pk)
    return with_organizations([rows.get()])[0]


def with_organizations(rows: Iterable[Row]) -> list[Row]:
    """The user rows, each given `organizations` (id and name, by id), for all in one query."""
    rows = list(rows)
    organizations = defaultdict(list)
    if rows:
        memberships = (
            Membership.objects.filter(user_id__in=[row["id"] for row in rows])
            .order_by("organization_id")
            .values_list("user_id", "organization_id", "organization__name")
        )
        for user_id, organization_id, name in memberships:
            organizations[user_id].append({"id": organization_id, "name": name})
    for row in rows:
        row["organizations"] = organizations[row["id"]]
    return rows


def organization_rows() -> QuerySet:
    """Organizations as rows, with `users_count` and `creator_id` (see OrganizationQuerySet)."""
    return Organization.objects.with_active_creator().values(
        "id", "name", "description", "join_policy", "users_count", "created_at", "creator_id"
    )


def organizations() -> QuerySet:
    """Organizations as instances, annotated as the rows of organization_rows() are."""
    return Organization.objects.with_active_creator()


def organization_with_users_rows() -> QuerySet:
    """Organizations as rows of id, name and description, for with_users()."""
    # users_count, not shown, is the position of a row in `?ordering=users_count` (a cursor).
    return Organization.objects.values("id", "name", "description", "join_policy", "users_count")


def with_users(rows: Iterable[Row], *, viewer: User) -> list[Row]:
    """The organization rows, each given its active `users` (by id) as `viewer` sees them, for
    all in one query."""
    rows = list(rows)
    members = defaultdict(list)
    if rows:
        memberships = (
            Membership.objects.filter(
                organization_id__in=[row["id"] for row in rows], user__is_active=True
            )
            .order_by("user_id")
            .values_list(
                "organization_id",
                "user_id",
                shown_contacts(viewer=viewer, user="user__")["shown_email"],
                "user__first_name",
                "user__last_name",
            )
        )
        for organization, user, email, first_name, last_name in memberships:
            members[organization].append(
                {"id": user, "shown_email": email, "first_name": first_name, "last_name": last_name}
            )
    for row in rows:
        row["users"] = members[row["id"]]
    return rows


def join_requests(*, viewer: User) -> QuerySet:
    """Join requests with their organization and user, the user's email as `viewer` may see it
    (`shown_email`)."""
    return (
        JoinRequest.objects.select_related("organization", "user")
        .annotate(shown_email=shown_contacts(viewer=viewer, user="user__")["shown_email"])
        .order_by("created_at", "id")
    )


def pending_join_requests(*, organization: Organization, viewer: User) -> QuerySet:
    """The pending requests to join `organization`, oldest first."""
    return join_requests(viewer=viewer).filter(
        organization=organization, status=JoinRequestStatus.PENDING
    )


def invitations(*, organization: Organization) -> QuerySet:
    """The invitations to `organization`, newest first, whatever their status."""
    return Invitation.objects.filter(organization=organization).select_related("organization")


def pending_invitations_of(*, user: User) -> QuerySet:
    """The pending, unexpired invitations sent to `user`'s address (in any letter case), newest
    first, with their organizations."""
    return (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(
            email_lower=user.email.lower(),
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("organization")
        .order_by("-created_at", "-id")
    )
