"""Settings for the people-and-organizations API.

Whatever differs between machines comes from the environment (see README.md, "Configuration");
every default is the safe one.
"""

import ipaddress
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-never-use-it-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 on a developer machine).")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's social accounts are never offered, but dj-rest-auth's registration views
    # import their models, which need the sites framework.
    "django.contrib.sites",
    # The trigram extension and indexes of the directory's search (restkit/indexes.py); on SQLite
    # it adds nothing.
    "django.contrib.postgres",
    "corsheaders",
    "csp",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from here, not from a CDN
    "phonenumber_field",
    "imagekit",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "dj_rest_auth",
    "dj_rest_auth.registration",
    "dj_rest_auth.mfa",  # two-factor login: its Authenticator holds each account's TOTP and codes
    "django_prometheus",
    "django_rq",  # `manage.py rqworker`: the mail worker
    "restkit",
    "accounts",
    "orgs",
    "django_cleanup.apps.CleanupConfig",  # last: deletes replaced and orphaned avatar files
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "restkit.logs.RequestLogMiddleware",  # first: its id and its timing cover everything
    "restkit.middleware.HostValidationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn too
    # The language of the answer, from Accept-Language (or the language cookie), for every
    # middleware after it too: the 411 and 413 below answer in it. Django reads no session for
    # the language any more, so it need not follow SessionMiddleware; CommonMiddleware, which
    # resolves URLs in the active language, comes after it.
    "django.middleware.locale.LocaleMiddleware",
    "restkit.middleware.RequestSizeLimitMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "restkit.middleware.OptionalTrailingSlashMiddleware",
    "restkit.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],  # the emails' wording, over allauth's
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database (PostgreSQL through
# psycopg 3: postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server is a 503 within seconds (restkit.errors), not a request that waits
    # for the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked": each transaction
    # takes the write lock when it begins, and waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# The cache holds the throttling counts: Redis when REDIS_URL is set, shared by every worker and
# machine; otherwise memory local to each process. The counts are not worth a slow request: a
# cache that does not answer within CACHE_TIMEOUT_MS is left alone for CACHE_RETRY_SECONDS, and
# requests are served uncounted meanwhile (restkit/throttling.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT_MS", "100")) / 1000
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "api"),
            # No retries: redis-py retries only when told to, and the breaker decides instead.
            "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT, "socket_timeout": CACHE_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# /api/health/ready/: the dependencies it checks, and how long it waits for each. With one Redis
# shared by every server, leaving "cache" out keeps the servers in the load balancer during a
# Redis outage, which they serve through (docs/operations.md).
HEALTH_CHECKS = env_list("HEALTH_READY_CHECKS", "database,cache")
if not set(HEALTH_CHECKS) <= {"database", "cache"}:
    raise ImproperlyConfigured("HEALTH_READY_CHECKS lists database and/or cache.")
HEALTH_TIMEOUT = float(os.environ.get("HEALTH_TIMEOUT_SECONDS", "1"))
# While this file exists the readiness check fails: gunicorn.conf.py creates it on SIGTERM,
# before it stops, so that the load balancer stops sending requests first.
DRAIN_FILE = os.environ.get("API_DRAIN_FILE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin and the browsable API's login page
    "accounts.backends.EmailAuthenticationBackend",  # the API's login (allauth's)
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "rest_framework:login"
LOGIN_REDIRECT_URL = "api-root"
SITE_ID = 1

# English by default; Russian for a request that asks for it (Accept-Language: ru), for a
# user's mail when their `language` is "ru", and on the documentation pages with ?lang=ru. One
# catalog for the whole product, compiled and committed: `make messages` (docs/API.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without a collectstatic run (development, tests), serve static files from the apps' folders,
# and do not warn that STATIC_ROOT does not exist yet.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Avatars in S3-compatible object storage (django-storages) when AWS_STORAGE_BUCKET_NAME is set,
# so that every app server sees the same files; else in MEDIA_ROOT on this machine's disk.
# Credentials come as boto3 reads them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the
# machine's role. The bucket stays private: avatar URLs are signed, valid AWS_QUERYSTRING_EXPIRE
# seconds, unless AWS_S3_CUSTOM_DOMAIN names a public (CDN) domain that serves them.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as BotoConfig

    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # MinIO, R2, moto...
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = not AWS_S3_CUSTOM_DOMAIN
    AWS_QUERYSTRING_EXPIRE = int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600"))
    AWS_DEFAULT_ACL = None  # the bucket's policy decides
    AWS_S3_FILE_OVERWRITE = False  # a name taken gets another: never another user's file
    # A slow object store fails an upload in seconds, not after botocore's default minute.
    AWS_S3_CLIENT_CONFIG = BotoConfig(
        connect_timeout=3, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}
    )

# Behind a proxy that terminates HTTPS (DJANGO_HTTPS=1): redirect plain HTTP, send HSTS, mark the
# cookies secure, and trust the proxy's X-Forwarded-Proto header.
HTTPS = env_bool("DJANGO_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Content-Security-Policy on every response (django-csp): the HTML pages (browsable API, admin,
# Swagger UI, ReDoc) run only scripts served by this site, and load nothing from another origin.
# No inline script anywhere, so no nonce is needed. Inline styles stay allowed: DRF's and the
# admin's templates use style attributes, and Swagger UI and ReDoc inject <style> elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: URLs
        "worker-src": ["'self'", "blob:"],  # ReDoc runs its search in a worker made from a blob
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Browser clients on other origins (single-page apps): none unless listed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Request bodies: JSON and form fields at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (Django's own
# setting, applied to JSON by our parser too); a whole request, avatar included, at most
# REQUEST_MAX_BYTES. Larger ones get a 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("API_MAX_JSON_KB", "256")) * 1024)

# Avatars: uploads above either limit are refused before they are decoded.
AVATAR_MAX_UPLOAD_BYTES = int(float(os.environ.get("AVATAR_MAX_UPLOAD_MB", "5")) * 1024 * 1024)
AVATAR_MAX_PIXELS = int(float(os.environ.get("AVATAR_MAX_MEGAPIXELS", "40")) * 1_000_000)
# PNG, GIF, WebP and progressive JPEG are decoded in full (a baseline JPEG at 1/8 scale): at this
# limit one costs at most about 1 s of CPU and 150 MiB (docs/benchmarks.md, `make bench-avatar`).
AVATAR_MAX_PIXELS_FULL_DECODE = int(
    float(os.environ.get("AVATAR_MAX_MEGAPIXELS_FULL_DECODE", "5")) * 1_000_000
)
REQUEST_MAX_BYTES = AVATAR_MAX_UPLOAD_BYTES + 1024 * 1024  # room for the form's other fields
# Uploads up to that limit are held in memory, never in a temporary file on disk that a worker
# killed mid-request would leave behind.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

# Canonical URLs end in a slash; the middleware serves the slashless form without a redirect.
APPEND_SLASH = False

# Who sees a user's email and phone besides the user and staff, for accounts that have not
# chosen: "organizations" (people who share one with them), "everyone" or "nobody".
DIRECTORY_CONTACT_VISIBILITY_DEFAULT = os.environ.get(
    "DIRECTORY_CONTACT_VISIBILITY_DEFAULT", "organizations"
)
if DIRECTORY_CONTACT_VISIBILITY_DEFAULT not in {"organizations", "everyone", "nobody"}:
    raise ImproperlyConfigured(
        "DIRECTORY_CONTACT_VISIBILITY_DEFAULT is organizations, everyone or nobody."
    )

PHONENUMBER_DEFAULT_FORMAT = "E164"
PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION") or None

REST_FRAMEWORK = {
    # JWT first: its WWW-Authenticate header is what makes an anonymous request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browsable API
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "restkit.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "restkit.filters.FieldSearchFilter",
        "restkit.filters.StableOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "restkit.renderers.BrowsableAPIRenderer",  # DRF's, with a form for every operation
    ],
    "DEFAULT_PARSER_CLASSES": [
        "restkit.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "restkit.exceptions.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "restkit.negotiation.ContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["restkit.throttling.ScopedThrottle"],
    # How many proxies in front of the API set X-Forwarded-For; 0 trusts only the peer address.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "DEFAULT_SCHEMA_CLASS": "restkit.schema.AutoSchema",
    # The browsable API's headings and texts, in the language of the answer.
    "VIEW_NAME_FUNCTION": "restkit.renderers.view_name",
    "VIEW_DESCRIPTION_FUNCTION": "restkit.renderers.view_description",
}

SPECTACULAR_SETTINGS = {
    # In the language of the request, or of ?lang= on the documentation pages.
    "TITLE": _("People and organizations API"),
    "DESCRIPTION": _(
        "People, who sign up and log in by email and password, and the organizations they "
        "belong to. Authenticate with `Authorization: Bearer <access token>` from "
        "`POST /api/login/` or `POST /api/register/` (for an account with two-factor login, "
        "from `POST /api/login/mfa/`, the login's second step)."
    ),
    "VERSION": "2.0.0",  # CHANGELOG.md
    # Proprietary: all rights reserved (the page linked says what that means).
    "LICENSE": {"name": "Proprietary", "url": "https://choosealicense.com/no-permission/"},
    "SERVE_INCLUDE_SCHEMA": False,
    # Relative: the server that serves the schema (Swagger UI calls it; clients set their own).
    "SERVERS": [{"url": "/", "description": _("The server that serves this schema.")}],
    # Bearer tokens only: the browsable API's session is for this site's own pages, and
    # Swagger UI's Authorize would otherwise offer the session cookie first.
    "AUTHENTICATION_WHITELIST": ["accounts.authentication.JWTAuthentication"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "restkit.schema.plain_request_fields",
        "restkit.schema.plain_email_strings",
        "api.schema.add_examples",
        "api.schema.add_descriptions",
    ],
    # Choice sets sharing a field name (`role`, `status`), each named for what it is.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "orgs.models.Role",
        "InvitedRoleEnum": "orgs.models.INVITED_ROLES",
        "JoinRequestStatusEnum": "orgs.models.JoinRequestStatus",
        "InvitationStatusEnum": "orgs.models.InvitationStatus",
    },
    "COMPONENT_SPLIT_REQUEST": True,  # multipart uploads get a binary field in requests only
    "SCHEMA_PATH_PREFIX": "/api",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The token given to Authorize lives in the page only: never in localStorage, where any
    # script of the origin could read it long after the tab is closed. No validator badge either
    # (a request to validator.swagger.io, which the Content-Security-Policy refuses).
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "validatorUrl": None},
}

# Requests per client address, per account and per account at one address; see
# restkit/throttling.py. API_THROTTLE_RATES overrides any of them: "login.account=50/hour".
THROTTLE_RATES = {
    "api.address": "600/min",
    "api.account": "300/min",
    # Failed logins only (a right password does not count). Strict for one account at one
    # address; across all addresses, ASVS's ceiling of 100 an hour, so that others' failures do
    # not lock the owner out while many addresses still cannot guess fast.
    "login.address": "20/min",
    "login.account-address": "5/min",
    "login.account": "100/hour",
    "register.address": "20/hour",
    "register.account": "5/hour",
    "password-change.address": "20/hour",
    "password-change.account": "5/hour",
    "token-refresh.address": "60/min",
    "token-refresh.account": "30/min",
    "password-reset.address": "20/hour",
    # No 429 per account, which anyone could cause and which would tell that the address exists:
    # the mails that one account is sent are capped instead, silently.
    "password-reset.account": None,
    "password-reset.mail": "3/hour",
    "account-delete.account": "5/hour",
}
THROTTLE_RATES.update(item.split("=", 1) for item in env_list("API_THROTTLE_RATES") if "=" in item)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "15"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_REFRESH_SERIALIZER": "accounts.serializers.tokens.TokenRefreshSerializer",
    "TOKEN_BLACKLIST_SERIALIZER": "accounts.serializers.tokens.TokenBlacklistSerializer",
    # Tokens carry a hash of the password: a change or a reset ends every access token at once.
    "CHECK_REVOKE_TOKEN": True,
}
# A login's chain of refresh tokens ends this long after the login, however often it is rotated.
JWT_SESSION_MAX_AGE = timedelta(days=int(os.environ.get("JWT_SESSION_MAX_DAYS", "30")))
# A spent refresh token presented again ends its whole session (RFC 9700, 4.14.2: a thief's newer
# tokens die too), unless it was spent this recently: then it is one client's simultaneous
# refreshes, whose winner keeps the session.
JWT_REUSE_GRACE = timedelta(seconds=int(os.environ.get("JWT_REUSE_GRACE_SECONDS", "10")))

# Django's setting, in seconds, which allauth's reset links use too (Django's default: 3 days).
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSWORD_RESET_TIMEOUT_MINUTES", "60"))
# How long an invitation to an organization (its mailed token) can be accepted.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))

REST_AUTH = {
    "USE_JWT": True,
    "JWT_AUTH_HTTPONLY": False,  # tokens in the body, for mobile and single-page clients
    "SESSION_LOGIN": False,  # the API is stateless; the browsable API has its own login page
    "TOKEN_MODEL": None,
    "OLD_PASSWORD_FIELD_ENABLED": True,
    # Every token ends; the browsable-API session that made the change stays (its view says so).
    "LOGOUT_ON_PASSWORD_CHANGE": True,
    "LOGIN_SERIALIZER": "accounts.serializers.tokens.LoginSerializer",
    # Login and sign-up tokens start a session (accounts.LoginSession).
    "JWT_TOKEN_CLAIMS_SERIALIZER": "accounts.serializers.tokens.SessionTokenSerializer",
    # The profile and the sign-up with the organizations one belongs to: the orgs app adds them
    # to the accounts' serializers, which know nothing of organizations.
    "REGISTER_SERIALIZER": "orgs.serializers.profile.RegisterSerializer",
    "USER_DETAILS_SERIALIZER": "orgs.serializers.profile.ProfileSerializer",
    # The answer of a login or a sign-up: the tokens and the user in the read shape.
    "JWT_SERIALIZER": "accounts.serializers.tokens.TokensWithUserSerializer",
    "PASSWORD_RESET_SERIALIZER": "accounts.serializers.passwords.PasswordResetSerializer",
    "PASSWORD_RESET_CONFIRM_SERIALIZER": (
        "accounts.serializers.passwords.PasswordResetConfirmSerializer"
    ),
    "PASSWORD_CHANGE_SERIALIZER": "accounts.serializers.passwords.PasswordChangeSerializer",
    # Two-factor login (accounts/mfa.py): the name authenticator apps show beside the account,
    # and the life of the token between a login's password and its code, in seconds.
    "MFA_TOTP_ISSUER": "People and organizations",
    "MFA_EPHEMERAL_TOKEN_TIMEOUT": 300,
}
# The shape one's own account is shown in by the profile, the sign-up and the login.
ACCOUNTS_USER_READ_SERIALIZER = "orgs.serializers.directory.ProfileReadSerializer"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "none" (the default: `make run` needs no mail), "optional" or "mandatory": then sign-up answers
# without tokens, and login waits until the link of the confirmation email is followed.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "none")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION is none, optional or mandatory.")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # confirming is a POST to /api/register/verify-email/
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# Links in the emails: a page of a front end if these are set ({uid}, {token} and {key} are
# filled in), else this API's own pages, which explain which request completes the step.
PASSWORD_RESET_URL = os.environ.get("PASSWORD_RESET_URL", "")
EMAIL_VERIFICATION_URL = os.environ.get("EMAIL_VERIFICATION_URL", "")
INVITATION_URL = os.environ.get("INVITATION_URL", "")

# Mail: SMTP when EMAIL_HOST is set, else printed on the console (`make run` shows the emails).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# Requests never wait for mail: EMAIL_BACKEND queues it (restkit/mail.py), for `make worker` with
# REDIS_URL, else for this process once the response is sent; MAIL_DELIVERY_BACKEND sends it.
EMAIL_BACKEND = "restkit.mail.QueuedEmailBackend"
MAIL_DELIVERY_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Seconds before each new try of a mail that failed (the worker's; RQ's scheduler runs them).
MAIL_RETRY_DELAYS = [
    int(delay) for delay in env_list("MAIL_RETRY_DELAYS", "10,30,60,300,900,3600,14400")
]
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "People and organizations <no-reply@localhost>"
)

# Readable text by default (`make run`); LOG_FORMAT=json for a log collector: one JSON object a
# line, a traceback inside its record. Every line carries the id of its request (restkit.logs).
# django-rq's queues: "mail" (restkit/mail.py), used only with REDIS_URL. imagekit looks up
# "default" when it is imported, so both are always defined; a connection opens on first use.
RQ_QUEUES = {
    name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 60}
    for name in ("default", "mail")
}

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT is text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "restkit.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "restkit.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request line says it all, with the duration and the request id.
        "django.server": {"level": "WARNING"},
    },
}

# /metrics (Prometheus): for these client addresses or networks, and for a scraper that sends
# `Authorization: Bearer <METRICS_TOKEN>`; a 404 for anyone else.
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(item, strict=False)
    for item in env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
]
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_MAIL_QUEUE_DEPTH = "restkit.mail.queue_depth"
PROMETHEUS_EXPORT_MIGRATIONS = False  # a query at every start, for a figure nobody reads

CSRF_FAILURE_VIEW = "restkit.errors.csrf_failure"
