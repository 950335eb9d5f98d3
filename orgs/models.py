import functools
import hashlib
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from restkit.constraints import one_of
from restkit.indexes import contains_index

NAME_TAKEN = _("An organization with this name already exists.")


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
NAME_INVISIBLE = _("A name needs at least one visible character.")


def has_visible_character(name: str) -> bool:
    """Whether the name shows anything: a letter, digit, punctuation mark or symbol."""
    return any(
        unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LOOKING for char in name
    )


class OrganizationQuerySet(models.QuerySet):
    def with_active_creator(self):
        """Annotate `creator_id`: the creator's id, or None when that account is deleted or
        deactivated (the directory shows neither, so a link to it would lead nowhere)."""
        return self.annotate(creator_id=active_creator())


class JoinPolicy(models.TextChoices):
    """How someone becomes a member: at once, once an owner or admin approves, or invited."""

    OPEN = "open", pgettext_lazy("join policy", "open")
    APPROVAL = "approval", pgettext_lazy("join policy", "approval")
    INVITATION = "invitation", pgettext_lazy("join policy", "invitation")


class Organization(models.Model):
    """A company or group that people belong to."""

    name = models.CharField(_("name"), max_length=150)
    # name_key(name), kept by save(): unique, so that names are unique in any letter case. Not a
    # unique index on LOWER(name): SQLite's LOWER() only knows the ASCII letters.
    name_key = models.CharField(max_length=64, unique=True, editable=False)
    description = models.CharField(_("short description"), max_length=500, blank=True)
    users = models.ManyToManyField(
        User, through="Membership", related_name="organizations", verbose_name=_("users")
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_organizations",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The active members, kept by orgs.signals on every join, leave, deactivation and deletion:
    # stored so that sorting by it is an index scan, not a count of every organization's members.
    users_count = models.IntegerField(_("users"), default=0, editable=False)
    join_policy = models.CharField(
        _("join policy"), max_length=10, choices=JoinPolicy, default=JoinPolicy.OPEN
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        constraints = [one_of("join_policy", JoinPolicy)]
        indexes = [
            # The orderings, with the id as tie-breaker in the same direction (one index serves
            # both); search by name on PostgreSQL (restkit.indexes.contains_index).
            models.Index(fields=["name", "id"], name="organization_name_id"),
            models.Index(fields=["users_count", "id"], name="organization_users_count_id"),
            contains_index("name", name="organization_name_trigrams"),
        ]

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


class Role(models.TextChoices):
    """A member's role; what each may do is decided in orgs.roles."""

    OWNER = "owner", _("owner")
    ADMIN = "admin", _("admin")
    MEMBER = "member", _("member")


# The roles an invitation may give: an owner is made by an owner, among the members.
INVITED_ROLES = [(Role.MEMBER.value, _("member")), (Role.ADMIN.value, _("admin"))]


class Membership(models.Model):
    """A user's membership of an organization, with their role in it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="orgs_membership_user_organization_unique"
            ),
            one_of("role", Role),
        ]

    def __str__(self):
        return _("%(user)s in %(organization)s") % {
            "user": self.user,
            "organization": self.organization,
        }


class Decidable(models.Model):
    """Something pending until someone decides it, once: a join request, an invitation. Its
    `status` field holds "pending" or a decision."""

    PENDING = "pending"

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        abstract = True

    def decide(self, status: str, *, by: User | None, **still) -> bool:
        """Record the decision `status`, by `by`, if the row is still pending (and matches the
        lookups `still`). A conditional UPDATE: of simultaneous decisions one wins. False when
        it was decided already; `status` then holds the decision it has."""
        now = timezone.now()
        decided = (
            type(self)
            ._default_manager.filter(pk=self.pk, status=self.PENDING, **still)
            .update(status=status, decided_at=now, decided_by=by)
        )
        if decided:
            self.status, self.decided_at, self.decided_by = status, now, by
        else:
            self.refresh_from_db(fields=["status"])
        return bool(decided)


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request", "pending")
    APPROVED = "approved", pgettext_lazy("join request", "approved")
    DECLINED = "declined", pgettext_lazy("join request", "declined")


class JoinRequest(Decidable):
    """A user's request to join an organization whose join policy is `approval`."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("user")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus,
        default=JoinRequestStatus.PENDING,
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at", "id"]
        constraints = [
            # One pending request per user and organization: a second one finds the first.
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(status="pending"),
                name="orgs_joinrequest_one_pending",
            ),
            one_of("status", JoinRequestStatus),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "created_at", "id"],
                name="orgs_joinrequest_organization",
            )
        ]

    def __str__(self):
        return _("%(user)s asks to join %(organization)s") % {
            "user": self.user,
            "organization": self.organization,
        }


class InvitationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation", "pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "accepted")
    DECLINED = "declined", pgettext_lazy("invitation", "declined")
    REVOKED = "revoked", pgettext_lazy("invitation", "revoked")
    EXPIRED = "expired", pgettext_lazy("invitation", "expired")


class Invitation(Decidable):
    """An invitation of an email address to an organization, with the role it grants. Only a
    hash of its token is stored: the token itself is in the mail alone."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("email address"), max_length=254)
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus,
        default=InvitationStatus.PENDING,
    )
    token_hash = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending invitation per address (in any letter case) and organization.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(status="pending"),
                name="orgs_invitation_one_pending",
            ),
            one_of("role", Role),
            one_of("status", InvitationStatus),
        ]
        indexes = [
            models.Index(
                fields=["organization", "created_at", "id"], name="orgs_invitation_organization"
            ),
            models.Index(Lower("email"), name="orgs_invitation_email"),  # one's own invitations
        ]

    def __str__(self):
        return _("%(email)s invited to %(organization)s") % {
            "email": self.email,
            "organization": self.organization,
        }

    @property
    def shown_status(self) -> str:
        """The status, `expired` for a pending invitation past its expiry."""
        if self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return self.status


@transaction.atomic
def users_count_refresh(organization_ids) -> None:
    """Count again the active members of the organizations with these ids (a queryset of ids,
    or a list), each by the index on the memberships' organization.

    The rows are locked first, in a statement of their own, so that the count, a statement after
    it, sees every join and leave committed before ours (READ COMMITTED takes a snapshot per
    statement). Counted in the locking UPDATE itself, a simultaneous join was missed: its count
    came from a snapshot taken before the other had committed.
    """
    locked = (
        Organization.objects.select_for_update()
        .filter(pk__in=organization_ids)
        .order_by("pk")  # one order for every transaction: no deadlock between two of them
        .values_list("pk", flat=True)
    )
    Organization.objects.filter(pk__in=list(locked)).update(users_count=active_members_count())


@functools.cache
def active_members_count():
    """The number of active members of the outer query's organization, as an expression."""
    # Built once: update() and annotate() resolve a copy.
    memberships = (
        Membership.objects.filter(organization_id=models.OuterRef("pk"), user__is_active=True)
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
    return models.Subquery(
        User.objects.filter(pk=models.OuterRef("created_by_id"), is_active=True).values("pk")
    )
