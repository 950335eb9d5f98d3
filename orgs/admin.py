from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User

from . import services
from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["joined_at"]


class MembershipsThroughServices:
    """Saves the membership inline through orgs.services, as every other entry point does."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # What formset.save() would record, for the admin's history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            removed = inline in formset.deleted_forms
            if not removed and not inline.has_changed():
                continue
            if inline.instance.pk:  # the row as stored, before this form changed it
                old = Membership.objects.select_related("user", "organization").get(
                    pk=inline.instance.pk
                )
                services.membership_remove(
                    organization=old.organization, user=old.user, by=request.user
                )
                formset.deleted_objects.append(old)
            if not removed:
                new = {**inline.cleaned_data, formset.fk.name: formset.instance}
                services.membership_add(
                    organization=new["organization"], user=new["user"], by=request.user
                )
                formset.new_objects.append(inline.instance)


@admin.register(Organization)
class OrganizationAdmin(MembershipsThroughServices, admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at", "users_count"]
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
            by=obj.created_by or request.user, name=obj.name, description=obj.description
        )
        obj.pk, obj.name_key, obj.created_at = created.pk, created.name_key, created.created_at
        obj.created_by = created.created_by

    def delete_model(self, request, obj):
        services.organization_delete(organization=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            services.organization_delete(organization=organization, by=request.user)


class UserWithMembershipsAdmin(MembershipsThroughServices, UserAdmin):
    """The accounts' admin, with the organizations each user belongs to."""

    inlines = [MembershipInline]
    list_filter = [*UserAdmin.list_filter, "organizations"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the add form asks for the login only


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipsAdmin)
