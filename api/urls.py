from django.urls import path, re_path

from accounts.views.mfa import (
    MfaStatusView,
    RecoveryCodesRegenerateView,
    RecoveryCodesView,
    TotpActivateView,
    TotpDeactivateView,
)
from accounts.views.passwords import (
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetLinkView,
    PasswordResetView,
)
from accounts.views.profile import ProfileAvatarView, ProfileView
from accounts.views.registration import (
    RegisterView,
    ResendEmailVerificationView,
    VerifyEmailLinkView,
    VerifyEmailView,
    verification_sent,
)
from accounts.views.tokens import (
    LoginView,
    LogoutView,
    MfaLoginView,
    TokenRefreshView,
    TokenVerifyView,
)
from orgs.views.directory import UserViewSet
from orgs.views.invitations import (
    InvitationAcceptView,
    InvitationDeclineView,
    InvitationLinkView,
    OrganizationInvitationsViewSet,
    OrganizationRequestsViewSet,
    ProfileInvitationsView,
)
from orgs.views.members import OrganizationUsersViewSet
from orgs.views.organizations import OrganizationViewSet
from restkit import health, routers
from restkit.errors import not_found

from . import views

router = routers.SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("organizations", OrganizationViewSet, basename="organization")
org_router = routers.NestedSimpleRouter(router, "organizations", lookup="organization")
org_router.register("users", OrganizationUsersViewSet, basename="organization-users")
org_router.register("requests", OrganizationRequestsViewSet, basename="organization-requests")
org_router.register(
    "invitations", OrganizationInvitationsViewSet, basename="organization-invitations"
)

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api-root"),
    path("register/", RegisterView.as_view(), name="register"),
    path("login/", LoginView.as_view(), name="login"),
    path("login/mfa/", MfaLoginView.as_view(), name="login-mfa"),
    path("mfa/", MfaStatusView.as_view(), name="mfa-status"),
    path("mfa/totp/activate/", TotpActivateView.as_view(), name="mfa-totp-activate"),
    path("mfa/totp/deactivate/", TotpDeactivateView.as_view(), name="mfa-totp-deactivate"),
    path("mfa/recovery-codes/", RecoveryCodesView.as_view(), name="mfa-recovery-codes"),
    path(
        "mfa/recovery-codes/regenerate/",
        RecoveryCodesRegenerateView.as_view(),
        name="mfa-recovery-codes-regenerate",
    ),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", TokenVerifyView.as_view(), name="token-verify"),
    path("password/change/", PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/confirm/<str:uid>/<str:token>/",
        PasswordResetLinkView.as_view(),
        name="password-reset-link",
    ),
    path("register/verify-email/", VerifyEmailView.as_view(), name="verify-email"),
    path("register/resend-email/", ResendEmailVerificationView.as_view(), name="resend-email"),
    # allauth names these two pages: the link of its confirmation emails, and where it would send
    # a browser once the email is sent.
    path(
        "register/verification-sent/",
        verification_sent,
        name="account_email_verification_sent",
    ),
    path(
        "register/verify-email/<str:key>/",
        VerifyEmailLinkView.as_view(),
        name="account_confirm_email",
    ),
    path("profile/", ProfileView.as_view(), name="profile"),
    path("profile/avatar/", ProfileAvatarView.as_view(), name="profile-avatar"),
    path("profile/invitations/", ProfileInvitationsView.as_view(), name="profile-invitations"),
    path("invitations/accept/", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("invitations/decline/", InvitationDeclineView.as_view(), name="invitation-decline"),
    # The link of an invitation's mail (INVITATION_URL replaces it with a front end's page).
    path("invitations/<str:token>/", InvitationLinkView.as_view(), name="invitation-link"),
    path("health/live/", health.live, name="health-live"),
    path("health/ready/", health.ready, name="health-ready"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # Swagger UI's start-up script is fetched from /api/docs/?script, not inlined in the page, and
    # ReDoc's page loads no web fonts from Google: both pass the Content-Security-Policy.
    path("docs/", views.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/redoc.standalone.js", views.redoc_bundle, name="redoc-bundle"),
    path(
        "redoc/",
        views.RedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    *router.urls,
    *org_router.urls,
    # Anything else under /api/ is a JSON 404, in development too.
    re_path(r"^.*$", not_found, name="not-found"),
]
