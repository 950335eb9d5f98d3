from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import BrowsableAPILoginView, login_throttled

# The browsable API's session login and logout (DRF looks them up in this namespace).
browsable_api_auth = (
    [
        path("login/", BrowsableAPILoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "rest_framework",
)

urlpatterns = [
    path("admin/login/", login_throttled(admin.site.login)),  # before the admin's own route
    path("admin/", admin.site.urls),
    path("api/auth/", include(browsable_api_auth)),
    path("api/", include("api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "api.views.bad_request"
handler403 = "api.views.permission_denied"
handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
