from rest_framework import permissions


class IsCreatorOrStaffOrReadOnly(permissions.BasePermission):
    """Anyone signed in may read; only the creator or staff may change or delete."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.can_manage(request.user)
