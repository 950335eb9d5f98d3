"""Keeps Organization.users_count, the stored number of active members, right on every path that
changes it: joins and leaves (the services, the admin's inlines, `organizations.set()`), and an
account's deactivation, reactivation or deletion. Each recount is one UPDATE by index.

Bulk writes send no signals: after `bulk_create` of memberships or `update(is_active=...)`, call
users_count_refresh() on the organizations concerned.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.models import User

from . import services
from .models import Membership, Organization, users_count_refresh


@receiver(pre_delete, sender=User)
def user_deleting(sender, instance, **kwargs):
    """An account is not deleted while it is the only owner of an organization, on any path (the
    profile, the admin): ValidationError naming them (orgs.services.last_owner_check)."""
    services.last_owner_check(user=instance)


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        users_count_refresh([instance.organization_id])


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, origin=None, **kwargs):
    if getattr(origin, "model", type(origin)) is Organization:  # it is gone with its members
        return
    users_count_refresh([instance.organization_id])


@receiver(m2m_changed, sender=Membership)
def memberships_changed(sender, instance, action, pk_set, **kwargs):
    if action == "pre_clear":  # which ones, while the rows still say
        instance._organizations_cleared = list(organizations_of(instance))
    elif action in {"post_add", "post_remove"}:
        users_count_refresh(list(pk_set) if isinstance(instance, User) else [instance.pk])
    elif action == "post_clear":
        users_count_refresh(getattr(instance, "_organizations_cleared", []))


@receiver(post_save, sender=User)
def user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    # A new account belongs nowhere yet; a save that leaves is_active alone changes no count.
    if created or raw or (update_fields is not None and "is_active" not in update_fields):
        return
    users_count_refresh(organizations_of(instance))


def organizations_of(instance):
    """The ids of the organizations of a user, or of the organization itself."""
    if isinstance(instance, Organization):
        return [instance.pk]
    return Membership.objects.filter(user=instance).values("organization_id")
