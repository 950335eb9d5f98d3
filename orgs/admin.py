from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import UserAdmin
from accounts.models import User

from . import services
from .models import Invitation, JoinRequest, JoinRequestStatus, Membership, Organization, Role


class MembershipFormSet(forms.BaseInlineFormSet):
    """Refuses, before anything is saved, a change that would take away the last active owner
    of an organization that has one (the services refuse it too; here it is a form error rather
    than a failed save). An organization without an owner gets one here: add or promote a
    member to `owner`."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        losing, gaining = set(), set()  # organization ids losing / gaining an owner row
        for form in self.forms:
            if not form.has_changed() and form not in self.deleted_forms:
                continue
            old = form.instance if form.instance.pk else None
            if old is not None:
                old = Membership.objects.select_related("user").get(pk=old.pk)
                if old.role == Role.OWNER and old.user.is_active:
                    losing.add(old.organization_id)
            data = form.cleaned_data
            if form not in self.deleted_forms and data.get("role") == Role.OWNER:
                user = data.get("user") or self.instance
                if getattr(user, "is_active", False):
                    organization = data.get("organization") or self.instance
                    gaining.add(organization.pk)
        for organization_id in losing - gaining:
            # Owners not touched by this form keep the organization owned.
            touched = [f.instance.pk for f in self.forms if f.instance.pk]
            kept = (
                Membership.objects.filter(
                    organization_id=organization_id, role=Role.OWNER, user__is_active=True
                )
                .exclude(pk__in=touched)
                .exists()
            )
            if not kept:
                raise ValidationError(services.LAST_OWNER)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ["user", "organization"]
    fields = ["user", "organization", "role", "joined_at"]
    readonly_fields = ["joined_at"]


class MembershipsThroughServices:
    """Saves the membership inline through orgs.services, as every other entry point does: first
    the rows that add a membership or make an owner, then the others, so that an organization is
    never left without an owner in between."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # What formset.save() would record, for the admin's history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        first, then = [], []
        for inline in formset.forms:
            removed = inline in formset.deleted_forms
            if not removed and not inline.has_changed():
                continue
            new = None
            if not removed:
                new = {**inline.cleaned_data, formset.fk.name: formset.instance}
            old = None
            if inline.instance.pk:  # the row as stored, before this form changed it
                old = Membership.objects.select_related("user", "organization").get(
                    pk=inline.instance.pk
                )
            if (
                old
                and new
                and (old.user_id, old.organization_id)
                == (
                    new["user"].pk,
                    new["organization"].pk,
                )
            ):
                (first if new["role"] == Role.OWNER else then).append(
                    lambda old=old, new=new: services.membership_role_set(
                        organization=old.organization,
                        user=old.user,
                        role=new["role"],
                        by=request.user,
                    )
                )
                formset.changed_objects.append((inline.instance, ["role"]))
                continue
            if new:
                first.append(
                    lambda new=new: services.membership_add(
                        organization=new["organization"],
                        user=new["user"],
                        by=request.user,
                        role=new["role"],
                    )
                )
                formset.new_objects.append(inline.instance)
            if old:
                then.append(
                    lambda old=old: services.membership_remove(
                        organization=old.organization, user=old.user, by=request.user
                    )
                )
                formset.deleted_objects.append(old)
        for operation in [*first, *then]:
            operation()


@admin.register(Organization)
class OrganizationAdmin(MembershipsThroughServices, admin.ModelAdmin):
    list_display = ["name", "join_policy", "created_by", "created_at", "users_count"]
    list_filter = ["join_policy"]
    search_fields = ["name", "description"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["created_by"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.organization_update(organization=obj, by=request.user, **changes)
            return
        created = services.organization_create(
            by=obj.created_by or request.user,
            name=obj.name,
            description=obj.description,
            join_policy=obj.join_policy,
        )
        obj.pk, obj.name_key, obj.created_at = created.pk, created.name_key, created.created_at
        obj.created_by = created.created_by

    def delete_model(self, request, obj):
        services.organization_delete(organization=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            services.organization_delete(organization=organization, by=request.user)


class AnsweredThroughServices(admin.ModelAdmin):
    """Join requests and invitations are made through the API; here staff see them and answer
    them, through orgs.services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def answer(self, request, queryset, service, **kwargs):
        done = 0
        for obj in queryset:
            try:
                service(obj, **kwargs)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{obj}: {' '.join(exc.messages) if hasattr(exc, 'messages') else exc}",
                    messages.WARNING,
                )
        if done:
            done_text = ngettext("%(count)d done.", "%(count)d done.", done) % {"count": done}
            self.message_user(request, done_text, messages.SUCCESS)


@admin.register(JoinRequest)
class JoinRequestAdmin(AnsweredThroughServices):
    list_display = ["user", "organization", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["user", "organization", "decided_by"]
    search_fields = ["user__email", "organization__name"]
    raw_id_fields = ["user", "organization", "decided_by"]
    actions = ["approve", "decline"]

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self.answer(
            request,
            queryset.filter(status=JoinRequestStatus.PENDING),
            self.decide,
            by=request.user,
            approve=True,
        )

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        self.answer(
            request,
            queryset.filter(status=JoinRequestStatus.PENDING),
            self.decide,
            by=request.user,
            approve=False,
        )

    @staticmethod
    def decide(join_request, **kwargs):
        services.join_request_decide(join_request=join_request, **kwargs)


@admin.register(Invitation)
class InvitationAdmin(AnsweredThroughServices):
    list_display = ["email", "organization", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    list_select_related = ["organization"]
    search_fields = ["email", "organization__name"]
    exclude = ["token_hash"]  # the token itself is stored nowhere
    raw_id_fields = ["organization", "invited_by", "decided_by"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        self.answer(request, queryset, self.revoke_one, by=request.user)

    @staticmethod
    def revoke_one(invitation, **kwargs):
        services.invitation_revoke(invitation=invitation, **kwargs)


class UserWithMembershipsForm(UserAdmin.form):
    """The accounts' change form: an account that is the only owner of an organization is not
    deactivated (make another member an owner first)."""

    def clean_is_active(self):
        is_active = self.cleaned_data.get("is_active")
        if self.instance.pk and self.instance.is_active and not is_active:
            owned = services.organizations_last_owned(user=self.instance)
            if owned:
                names = ", ".join(f"{o.name} ({o.pk})" for o in owned)
                raise ValidationError(
                    _("The only owner of: %(names)s. Make another member an owner first.")
                    % {"names": names}
                )
        return is_active


class UserWithMembershipsAdmin(MembershipsThroughServices, UserAdmin):
    """The accounts' admin, with the organizations each user belongs to and their role."""

    form = UserWithMembershipsForm
    inlines = [MembershipInline]
    list_filter = [*UserAdmin.list_filter, "organizations"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the add form asks for the login only

    def get_deleted_objects(self, objs, request):
        """An account that is the only owner of an organization is not deleted: the admin lists
        those organizations as what prevents it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            for organization in services.organizations_last_owned(user=user):
                owner = _("%(user)s: only owner of %(organization)s") % {
                    "user": user,
                    "organization": organization,
                }
                protected = [*protected, owner]
        return deleted, counts, perms_needed, protected


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipsAdmin)
