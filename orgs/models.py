import functools
import hashlib
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.db.models.query import ValuesIterable

NAME_TAKEN = "An organization with this name already exists."


def name_key(name: str) -> str:
    """What makes two organization names the same: equal in any letter case, in any script
    ("Ωmega" and "ωmega", "Straße" and "STRASSE"), however composed ("é" as one character or as
    "e" and an accent), with or without invisible characters (a zero-width space). Hashed:
    normalizing may make a name many times longer ("ﷺ" becomes 18 characters), and a hash has
    one length."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return hashlib.sha256(visible.encode("utf-8", "surrogatepass")).hexdigest()


# Letters and symbols that show as blank space.
BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
NAME_INVISIBLE = "A name needs at least one visible character."


def has_visible_character(name: str) -> bool:
    """Whether the name shows anything: a letter, digit, punctuation mark or symbol."""
    return any(
        unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LOOKING for char in name
    )


class MembersIterable(ValuesIterable):
    """Yields organization rows, each with its `users`, fetched for all rows in one query."""

    def __iter__(self):
        rows = list(super().__iter__())
        members = defaultdict(list)
        if rows:
            memberships = (
                Organization.users.through.objects.filter(
                    organization_id__in=[row["id"] for row in rows], user__is_active=True
                )
                .order_by("user_id")
                .values_list(
                    "organization_id",
                    "user_id",
                    "user__email",
                    "user__first_name",
                    "user__last_name",
                )
            )
            for organization, user, email, first, last in memberships:
                members[organization].append(
                    {"id": user, "email": email, "first_name": first, "last_name": last}
                )
        for row in rows:
            row["users"] = members[row["id"]]
            yield row


@functools.cache
def active_members_count():
    """The number of active members of the outer query's organization, as an expression."""
    # A correlated count runs only for the rows a page returns; a JOIN with GROUP BY would
    # count the members of every organization first. Built once: annotate() resolves a copy.
    memberships = (
        Organization.users.through.objects.filter(
            organization_id=models.OuterRef("pk"), user__is_active=True
        )
        .order_by()
        .values("organization_id")
        .annotate(count=models.Count("*"))
        .values("count")
    )
    return Coalesce(models.Subquery(memberships), 0)


@functools.cache
def active_creator():
    """The id of the outer query's organization's creator if that account is active, else None,
    as an expression. A subquery rather than a join, which would make SQLite count the members of
    every organization before it sorts them and keeps a page."""
    users = Organization.created_by.field.related_model.objects
    return models.Subquery(
        users.filter(pk=models.OuterRef("created_by_id"), is_active=True).values("pk")
    )


class OrganizationQuerySet(models.QuerySet):
    def with_users_count(self):
        """Annotate `users_count`: the active members (deactivated accounts are not shown)."""
        return self.annotate(users_count=active_members_count())

    def listing(self):
        """Organizations as plain rows for the read serializer, with their number of users and
        `creator_id`, which is None when the creator's account is deleted or deactivated (the
        directory shows neither, so a link to it would lead nowhere)."""
        return self.with_users_count().values(
            "id", "name", "description", "users_count", "created_at", creator_id=active_creator()
        )

    def with_members(self):
        """Organizations as plain rows, each with its users, in one query for all of a page's."""
        # The count is not in the rows, but `?ordering=users_count` may sort by it.
        rows = self.with_users_count().values("id", "name", "description")
        rows._iterable_class = MembersIterable  # as values() itself does, with its own iterable
        return rows


class Organization(models.Model):
    """A company or group that people belong to."""

    name = models.CharField("name", max_length=150)
    # name_key(name), kept by save(): unique, so that names are unique in any letter case. Not a
    # unique index on LOWER(name): SQLite's LOWER() only knows the ASCII letters.
    name_key = models.CharField(max_length=64, unique=True, editable=False)
    description = models.CharField("short description", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_organizations",
        verbose_name="created by",
    )
    created_at = models.DateTimeField("created at", auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not has_visible_character(self.name):
            raise ValidationError({"name": NAME_INVISIBLE})
        if Organization.objects.filter(name_key=name_key(self.name)).exclude(pk=self.pk).exists():
            raise ValidationError({"name": NAME_TAKEN})

    def can_manage(self, user) -> bool:
        """Whether `user` may edit or delete this organization and remove its members."""
        return user.is_staff or (self.created_by_id is not None and self.created_by_id == user.pk)
