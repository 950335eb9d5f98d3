from rest_framework import permissions

from . import roles


class OrganizationRolePermission(permissions.BasePermission):
    """Anyone signed in may read; owners, admins and staff edit; owners and staff delete
    (orgs.roles, which the services enforce again for every other entry point)."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return roles.can_delete(organization=obj, user=request.user)
        return roles.can_edit(organization=obj, user=request.user)
