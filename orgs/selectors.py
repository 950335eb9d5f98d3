"""Every read of users with their organizations and of organizations with their users, shaped
once: the viewsets' querysets, and the related rows of a page, fetched in one query.

Lists are read as plain rows (`.values()`), not model instances: building thousands of
instances per page would cost several times the queries themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from accounts.models import User

from .models import Membership, Organization

Row = dict[str, Any]


def user_rows() -> QuerySet:
    """The directory: active users as rows (see `User.objects.rows()`), without organizations."""
    return User.objects.active().rows()


def member_rows(*, organization: Organization) -> QuerySet:
    """The active members of `organization`, as directory rows."""
    return User.objects.active().filter(organizations=organization).rows()


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


def user_row(*, pk: int) -> Row:
    """One active user as a directory row with organizations; User.DoesNotExist otherwise."""
    return with_organizations([user_rows().get(pk=pk)])[0]


def organization_rows() -> QuerySet:
    """Organizations as rows, with `users_count` and `creator_id` (see OrganizationQuerySet)."""
    return (
        Organization.objects.with_users_count()
        .with_active_creator()
        .values("id", "name", "description", "users_count", "created_at", "creator_id")
    )


def organizations() -> QuerySet:
    """Organizations as instances, annotated as the rows of organization_rows() are."""
    return Organization.objects.with_users_count().with_active_creator()


def organization_with_users_rows() -> QuerySet:
    """Organizations as rows of id, name and description, for with_users()."""
    # The count is not in the rows, but `?ordering=users_count` may sort by it.
    return Organization.objects.with_users_count().values("id", "name", "description")


def with_users(rows: Iterable[Row]) -> list[Row]:
    """The organization rows, each given its active `users` (by id), for all in one query."""
    rows = list(rows)
    members = defaultdict(list)
    if rows:
        memberships = (
            Membership.objects.filter(
                organization_id__in=[row["id"] for row in rows], user__is_active=True
            )
            .order_by("user_id")
            .values_list(
                "organization_id", "user_id", "user__email", "user__first_name", "user__last_name"
            )
        )
        for organization, user, email, first_name, last_name in memberships:
            members[organization].append(
                {"id": user, "email": email, "first_name": first_name, "last_name": last_name}
            )
    for row in rows:
        row["users"] = members[row["id"]]
    return rows
