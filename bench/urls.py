"""The API's URLs plus the floors, under /floor/."""

from django.urls import include, path

from . import floors

urlpatterns = [
    path("floor/users/", floors.users),
    path("floor/users/<int:pk>/", floors.user),
    path("floor/organizations/", floors.organizations),
    path("floor/organizations/users/", floors.organizations_with_users),
    path("floor/organizations/<int:pk>/users/", floors.organization_users),
    path("", include("project.urls")),
]
