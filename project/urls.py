from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views.login_pages import BrowsableAPILoginCodeView, BrowsableAPILoginView
from restkit.metrics import metrics
from restkit.throttling import throttled

# The browsable API's session login and logout (DRF looks them up in this namespace).
browsable_api_auth = (
    [
        path("login/", BrowsableAPILoginView.as_view(), name="login"),
        path("login/code/", BrowsableAPILoginCodeView.as_view(), name="login-code"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "rest_framework",
)


def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the site's icon, a static file."""
    return redirect(static_url("restkit/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api-root"), name="home"),
    path("favicon.ico", favicon),
    path(
        "admin/login/", throttled(admin.site.login, scope="login")
    ),  # before the admin's own route
    path("admin/", admin.site.urls),
    path("api/auth/", include(browsable_api_auth)),
    path("api/", include("api.urls")),
    path("metrics", metrics, name="metrics"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "restkit.errors.bad_request"
handler403 = "restkit.errors.permission_denied"
handler404 = "restkit.errors.not_found"
handler500 = "restkit.errors.server_error"
