import contextlib
from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.db.models.query import ValuesIterable
from django.utils import timezone
from imagekit.models import ProcessedImageField
from phonenumber_field.modelfields import PhoneNumberField

from .avatars import AvatarSpec, avatar_upload_to, validate_avatar


def normalize_email(value):
    """The one normal form of an address: trimmed, lowercase, and its domain in the form mail
    is delivered to, however it was written (in fullwidth letters, with a soft hyphen, in
    capitals: example.org; "xn--bcher-kva.de" is bücher.de)."""
    if not isinstance(value, str):
        return value
    local, at, domain = value.strip().lower().rpartition("@")
    with contextlib.suppress(UnicodeError):  # not a domain: validation refuses the address
        domain = domain.encode("idna").decode("idna")  # as Django encodes it to send mail
    return f"{local}{at}{domain}"


def validate_mail_domain(value):
    """Mail can be sent to the address: its domain has an IDNA form, every label of which is at
    most 63 characters long, and its "xn--" labels decode (Django's own validator checks
    neither)."""
    try:
        value.rpartition("@")[2].encode("idna").decode("idna")
    except UnicodeError as exc:
        raise ValidationError("Enter a valid email address.", code="invalid") from exc


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


class DirectoryIterable(ValuesIterable):
    """Yields directory rows, each with its `organizations`, fetched for all rows in one query."""

    def __iter__(self):
        rows = list(super().__iter__())
        organizations = defaultdict(list)
        if rows:
            memberships = (
                User.organizations.through.objects.filter(user_id__in=[row["id"] for row in rows])
                .order_by("organization_id")
                .values_list("user_id", "organization_id", "organization__name")
            )
            for user_id, organization_id, name in memberships:
                organizations[user_id].append({"id": organization_id, "name": name})
        for row in rows:
            row["organizations"] = organizations[row["id"]]
            yield row


class UserQuerySet(models.QuerySet):
    def directory(self):
        """Users as plain rows with their organizations: one query per page, and one for all the
        organizations of the page, with no model instance built (the directory's hot path)."""
        rows = self.values(
            "id",
            "email",
            "first_name",
            "last_name",
            "avatar",
            # Stored already in E.164: read as text rather than parsed into a PhoneNumber per row.
            phone_e164=Cast("phone", models.CharField()),
        )
        rows._iterable_class = DirectoryIterable  # as values() itself does, with its own iterable
        return rows


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
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
    """A person: signs in by email and password, and belongs to any number of organizations."""

    email = NormalizedEmailField("email address", unique=True, validators=[validate_mail_domain])
    first_name = models.CharField("first name", max_length=150, blank=True)
    last_name = models.CharField("last name", max_length=150, blank=True)
    phone = PhoneNumberField("phone", blank=True)
    avatar = ProcessedImageField(
        spec=AvatarSpec,
        upload_to=avatar_upload_to,
        validators=[validate_avatar],
        blank=True,
        verbose_name="avatar",
    )
    organizations = models.ManyToManyField(
        "orgs.Organization", related_name="users", blank=True, verbose_name="organizations"
    )
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Designates whether the user can log into the admin site.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Unselect this instead of deleting accounts.",
    )
    date_joined = models.DateTimeField("date joined", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["id"]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name
