from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class OrganizationQuerySet(models.QuerySet):
    def with_users_count(self):
        return self.annotate(users_count=models.Count("users", distinct=True))


class Organization(models.Model):
    """A company or group that people belong to."""

    name = models.CharField("name", max_length=150)
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
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="orgs_organization_name_ci_unique",
                violation_error_message="An organization with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name

    def can_manage(self, user) -> bool:
        """Whether `user` may edit or delete this organization and remove its members."""
        return user.is_staff or (self.created_by_id is not None and self.created_by_id == user.pk)
