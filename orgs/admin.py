from django.contrib import admin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at", "users_count"]
    search_fields = ["name", "description"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_users_count().select_related("created_by")

    @admin.display(ordering="users_count", description="users")
    def users_count(self, obj):
        return obj.users_count
