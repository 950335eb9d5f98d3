import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from imagekit.models import ProcessedImageField
from phonenumber_field.modelfields import PhoneNumberField

from restkit.constraints import one_of
from restkit.emails import normalize_email, validate_mail_domain
from restkit.indexes import contains_index

from .avatars import AvatarSpec, avatar_upload_to, validate_avatar

# What every form and serializer that takes a phone says of one it cannot read.
PHONE_INVALID = _(
    "Enter a valid phone number in international form: + and the country code, e.g. +14155550123."
)


class NormalizedEmailField(models.EmailField):
    """An email field that stores and looks up every address in its normal form.

    Normalising here, not in each form or serializer, covers every path at once: registration,
    profile edits, the admin, `createsuperuser` and plain ORM lookups such as `get(email=...)`.
    """

    def to_python(self, value):
        return normalize_email(super().to_python(value))

    def get_prep_value(self, value):
        return normalize_email(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = normalize_email(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class UserQuerySet(models.QuerySet):
    def active(self):
        """The accounts shown anywhere: deactivated ones are hidden."""
        return self.filter(is_active=True)


class ContactVisibility(models.TextChoices):
    """Who may see a user's email and phone, besides the user and staff."""

    ORGANIZATIONS = "organizations", _("people who share an organization with them")
    EVERYONE = "everyone", _("everyone signed in")
    NOBODY = "nobody", _("nobody else")


class Language(models.TextChoices):
    """The languages the product speaks (settings.LANGUAGES): a user's mail is in theirs."""

    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Русский"


def default_contact_visibility():
    """The deployment's default for new accounts (DIRECTORY_CONTACT_VISIBILITY_DEFAULT)."""
    return settings.DIRECTORY_CONTACT_VISIBILITY_DEFAULT


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, who signs in by email and password. The organizations they belong to are the orgs
    app's: `user.organizations`, through `orgs.Membership`."""

    email = NormalizedEmailField(_("email address"), unique=True, validators=[validate_mail_domain])
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    avatar = ProcessedImageField(
        spec=AvatarSpec,
        upload_to=avatar_upload_to,
        validators=[validate_avatar],
        blank=True,
        verbose_name=_("avatar"),
    )
    contact_visibility = models.CharField(
        _("contact visibility"),
        max_length=16,
        choices=ContactVisibility,
        default=default_contact_visibility,
        help_text=_("Who, besides the user and staff, sees the user's email and phone."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language,
        default=Language.ENGLISH,
        # In the database too: a row written by code that predates the column (during a rolling
        # deploy, or by an older migration's models) still gets one.
        db_default=Language.ENGLISH,
        help_text=_("The language of the user's emails; at sign-up, the language of the request."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to sign every browser out (accounts.services.sign_out_everywhere): a browser
    # session's cookie is checked against it, as against the password (below).
    session_generation = models.PositiveIntegerField(
        _("session generation"), default=0, db_default=0, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["id"]
        constraints = [
            one_of("contact_visibility", ContactVisibility),
            one_of("language", Language),
        ]
        indexes = [
            # The directory's orderings, each with the id as tie-breaker (in the same direction:
            # one index serves both), so that a page is one index range scan at any size.
            models.Index(fields=["last_name", "id"], name="user_last_name_id"),
            # The name search's lookup by the names it found (Name), with the one above.
            models.Index(fields=["first_name"], name="user_first_name"),
            models.Index(fields=["date_joined", "id"], name="user_date_joined_id"),
            # The address as a viewer sees it (orgs.selectors.user_rows_by_shown_email): the
            # people who show theirs to everyone by address, the hidden ones by id.
            models.Index(
                fields=["contact_visibility", "email", "id"], name="user_visibility_email_id"
            ),
            models.Index(fields=["contact_visibility", "id"], name="user_visibility_id"),
            # The directory's search, on PostgreSQL (restkit.indexes.contains_index).
            contains_index("email", name="user_email_trigrams"),
            contains_index("first_name", name="user_first_name_trigrams"),
            contains_index("last_name", name="user_last_name_trigrams"),
        ]

    def __str__(self):
        return self.email

    @property
    def phone_e164(self) -> str:
        """The phone as text in E.164 form, or "" when there is none (as directory rows read it)."""
        return str(self.phone) if self.phone else ""

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def _get_session_auth_hash(self, secret=None):
        """What a browser session must match to stay logged in: Django's HMAC of the password
        hash (its SECRET_KEY_FALLBACKS included), taken with the session generation too, so
        that raising it ends every session as a new password does. Django's own while the
        generation is 0: the sessions open before the generation existed stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.models.User.get_session_auth_hash",
            f"{self.password}\n{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class NameQuerySet(models.QuerySet):
    # A name or a good part of one: a few names contain it. Past this many, the fragment is a
    # common one (`Surname4`, or `ann` in a real directory), and the search looks it up in the
    # people's own columns, through their trigram indexes: an index probe per name and column
    # would cost more.
    SEARCH_MAX = 200

    def containing(self, fragment: str) -> list[str] | None:
        """The names that contain `fragment` in any letter case, as the search compares them
        (restkit.lookups), or None if more than SEARCH_MAX do."""
        found = self.filter(value__uicontains=fragment).values_list("value", flat=True)
        names = list(found[: self.SEARCH_MAX + 1])
        return None if len(names) > self.SEARCH_MAX else names


class Name(models.Model):
    """A first or last name that accounts have, as written, and how many have it (a first and a
    last name alike count twice): the directory's name search looks a fragment up here, then
    the people by the names it found, by index (restkit.filters.FieldSearchFilter).

    A million people share a few thousand names: a fragment's trigram index walk over this table
    costs the same at any size, where the one over the people's own column grew with it (a rare
    surname, 224 people of 1M: 5.4 ms, against 0.3 ms here).

    Kept by triggers on accounts_user (migration 0017), whatever writes the row: a name is added
    with its first account and removed with its last, so none outlives the people who had it.
    """

    value = models.CharField(_("first or last name"), max_length=150, primary_key=True)
    users = models.IntegerField(_("number of accounts"))

    objects = NameQuerySet.as_manager()

    class Meta:
        verbose_name = _("first or last name")
        verbose_name_plural = _("first and last names")
        indexes = [contains_index("value", name="name_value_trigrams")]

    def __str__(self):
        return self.value


class LoginSession(models.Model):
    """The chain of refresh tokens one login (or sign-up) started: each token carries the
    session's id in its `sid` claim and rotation passes it on, so the chain ends as a whole, at
    JWT_SESSION_MAX_AGE after the login at the latest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("user")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # Logout, reuse or a new password.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self):
        return f"{self.user_id} since {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self) -> datetime:
        # From the setting as it is now: shortening it shortens the sessions already started.
        return self.started_at + settings.JWT_SESSION_MAX_AGE

    def is_live(self) -> bool:
        return self.ended_at is None and timezone.now() < self.expires_at


class MfaChallenge(models.Model):
    """The second step of a login whose password was right, for an account with two-factor
    login (the state of which dj_rest_auth.mfa's Authenticator holds): the ephemeral token names
    it, and it counts the wrong codes sent with that token and ends at the first right one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="mfa_challenges", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor login challenge")
        verbose_name_plural = _("two-factor login challenges")

    def __str__(self):
        return f"{self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
