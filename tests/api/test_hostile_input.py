"""Hostile input on every writable endpoint: refused with a JSON 4xx, and nothing changes.

Each endpoint has a valid body (`ENDPOINTS`); a hostile case spoils one thing in it, so the only
reason for a refusal is the spoiled part. `test_the_valid_body_is_accepted` shows that each valid
body, with the padding the size tests add, does go through.

The tables run as subtests of one test per endpoint (or field): each case in a savepoint rolled
back after it, with the throttling counts cleared, so the cases stay independent while sharing the
set-up, which keeps the hundreds of cases fast. A failing case is reported as `SUBFAILED`, and its
id (e.g. `[organizations=fractional-id]`) heads its failure report and its message.
"""

import io
import json
import math
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyotp
import pytest
from dj_rest_auth.mfa.models import Authenticator
from dj_rest_auth.mfa.utils import create_totp_activation_token
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services as account_services
from accounts.models import User
from orgs import services
from orgs.models import Invitation, JoinRequest, Membership, Organization
from tests import images
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
NEW_PASSWORD = "correct-horse-battery-9"
PHONE = "+14155552671"
HUGE = 10**30


@dataclass
class World:
    """`user` created `org`, owns it, and belongs to it with `other`; nobody belongs to `spare`,
    to which `user` is invited (`token`). `org` has a pending join request (`request`) and a
    pending invitation (`invitation`); `user` asks to join `gated` (`own_request`)."""

    user: User
    other: User
    org: Organization
    spare: Organization
    access: str
    refresh: str
    client: APIClient  # sends `user`'s access token
    token: str
    request: JoinRequest
    own_request: JoinRequest
    invitation: Invitation
    gated: Organization
    # `mfa_user` has two-factor login on, with this secret (no code of now used yet) and these
    # recovery codes; `mfa_client` sends its access token.
    mfa_user: User
    mfa_secret: str
    mfa_codes: list[str]
    mfa_client: APIClient


TOTP_SECRET = pyotp.random_base32()  # for `user` to turn on


def bearer_client(user) -> APIClient:
    client = APIClient()
    access = account_services.login_session_start(user=user).access_token  # as a login's
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def world(user):
    org = OrganizationFactory(name="Acme", created_by=user, owner=user)
    spare = OrganizationFactory(name="Globex", owner=UserFactory())
    gated = OrganizationFactory(name="Gated", join_policy="approval")
    other = UserFactory(organizations=[org])
    _, request = services.join_request_create(organization=org, user=UserFactory())
    _, own_request = services.join_request_create(organization=gated, user=user)
    invitation, _ = services.invitation_create(
        organization=org, by=user, email="guest@example.com", role="member"
    )
    _, token = services.invitation_create(
        organization=spare, by=spare.memberships.get().user, email=user.email, role="member"
    )
    refresh = RefreshToken.for_user(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh.access_token}")
    mfa_user = UserFactory()
    secret = pyotp.random_base32()
    step = pyotp.TOTP(secret).timecode(time.time()) - 2
    codes = account_services.mfa_enable(user=mfa_user, secret=secret, time_step=step)
    return World(
        user,
        other,
        org,
        spare,
        str(refresh.access_token),
        str(refresh),
        client,
        token,
        request,
        own_request,
        invitation,
        gated,
        mfa_user,
        secret,
        codes,
        bearer_client(mfa_user),
    )


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # with {org}, {spare}, {member}... (World) to fill in
    body: Callable[[World], dict] = lambda w: {}  # a valid body
    strings: tuple[str, ...] = ()  # its fields that take a string
    ids: tuple[str, ...] = ()  # its fields that take a list of organization ids
    choices: tuple[str, ...] = ()  # its fields that take one of a few strings
    mfa: bool = False  # sent as `mfa_user` (with two-factor login on), not as `user`

    def url(self, w: World, **ids) -> str:
        known = {
            "org": w.org.pk,
            "spare": w.spare.pk,
            "member": w.other.pk,
            "gated": w.gated.pk,
            "request": w.request.pk,
            "own_request": w.own_request.pk,
            "invitation": w.invitation.pk,
            "token": w.token,
        }
        return self.path.format(**known | ids)


def profile_body(w: World) -> dict:
    return {
        "email": "ann.lee@example.com",
        "first_name": "Ann",
        "last_name": "Lee",
        "phone": PHONE,
        "organizations": [w.org.pk, w.spare.pk],
        "current_password": PASSWORD,  # the email changes
        "language": "ru",
    }


def organization_body(w: World) -> dict:
    return {"name": "Acme Corporation", "description": "Makers of everything"}


PROFILE_STRINGS = ("email", "first_name", "last_name", "phone")
ORGANIZATION_STRINGS = ("name", "description")

ENDPOINTS = {
    "register": Endpoint(
        "POST",
        "/api/register/",
        lambda w: {
            "email": "new@example.com",
            "password": NEW_PASSWORD,
            "first_name": "New",
            "last_name": "Person",
            "phone": PHONE,
            "organizations": [w.spare.pk],
        },
        strings=("email", "password", "first_name", "last_name", "phone"),
        ids=("organizations",),
    ),
    "login": Endpoint(
        "POST",
        "/api/login/",
        lambda w: {"email": w.user.email, "password": PASSWORD},
        strings=("email", "password"),
    ),
    "token-refresh": Endpoint(
        "POST", "/api/token/refresh/", lambda w: {"refresh": w.refresh}, strings=("refresh",)
    ),
    "token-verify": Endpoint(
        "POST", "/api/token/verify/", lambda w: {"token": w.access}, strings=("token",)
    ),
    "logout": Endpoint(
        "POST", "/api/logout/", lambda w: {"refresh": w.refresh}, strings=("refresh",)
    ),
    "password-change": Endpoint(
        "POST",
        "/api/password/change/",
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        strings=("old_password", "new_password1", "new_password2"),
    ),
    "profile-put": Endpoint(
        "PUT",
        "/api/profile/",
        profile_body,
        PROFILE_STRINGS,
        ids=("organizations",),
        choices=("language",),
    ),
    "profile-patch": Endpoint(
        "PATCH",
        "/api/profile/",
        profile_body,
        PROFILE_STRINGS,
        ids=("organizations",),
        choices=("language",),
    ),
    "organization-create": Endpoint(
        "POST",
        "/api/organizations/",
        lambda w: {"name": "Initech", "description": "Software"},
        ORGANIZATION_STRINGS,
    ),
    "organization-put": Endpoint(
        "PUT", "/api/organizations/{org}/", organization_body, ORGANIZATION_STRINGS
    ),
    "organization-patch": Endpoint(
        "PATCH", "/api/organizations/{org}/", organization_body, ORGANIZATION_STRINGS
    ),
    "join": Endpoint("POST", "/api/organizations/{spare}/users/"),  # as `user`
    "login-mfa": Endpoint(
        "POST",
        "/api/login/mfa/",
        lambda w: {
            "ephemeral_token": account_services.mfa_challenge_start(user=w.mfa_user),
            "code": w.mfa_codes[0],
        },
        strings=("ephemeral_token", "code"),
    ),
    "mfa-activate": Endpoint(
        "POST",
        "/api/mfa/totp/activate/",
        lambda w: {
            "activation_token": create_totp_activation_token(w.user, TOTP_SECRET),
            "code": pyotp.TOTP(TOTP_SECRET).now(),
        },
        strings=("activation_token", "code"),
    ),
    "mfa-deactivate": Endpoint(
        "POST",
        "/api/mfa/totp/deactivate/",
        lambda w: {"code": w.mfa_codes[0]},
        strings=("code",),
        mfa=True,
    ),
    "mfa-recovery-codes-regenerate": Endpoint(
        "POST",
        "/api/mfa/recovery-codes/regenerate/",
        lambda w: {"code": pyotp.TOTP(w.mfa_secret).now()},
        strings=("code",),
        mfa=True,
    ),
    "leave": Endpoint("DELETE", "/api/organizations/{org}/users/{member}/"),  # `other`, by `user`
    "role": Endpoint(
        "PATCH", "/api/organizations/{org}/users/{member}/", lambda w: {"role": "admin"}, ("role",)
    ),
    "invite": Endpoint(
        "POST",
        "/api/organizations/{org}/invitations/",
        lambda w: {"email": "new.hire@example.com", "role": "admin"},
        ("email", "role"),
    ),
    "revoke-invitation": Endpoint("DELETE", "/api/organizations/{org}/invitations/{invitation}/"),
    "accept-invitation": Endpoint(
        "POST", "/api/invitations/accept/", lambda w: {"token": w.token}, ("token",)
    ),
    "decline-invitation": Endpoint(
        "POST", "/api/invitations/decline/", lambda w: {"token": w.token}, ("token",)
    ),
    "accept-invitation-link": Endpoint(
        "POST", "/api/invitations/{token}/", lambda w: {"token": w.token}, ("token",)
    ),
    "approve-request": Endpoint("POST", "/api/organizations/{org}/requests/{request}/approve/"),
    "decline-request": Endpoint("POST", "/api/organizations/{org}/requests/{request}/decline/"),
    "withdraw-request": Endpoint("DELETE", "/api/organizations/{gated}/requests/{own_request}/"),
}


# --- Helpers. --------------------------------------------------------------------------------


WATCHED_TABLES = [
    model._meta.db_table
    for model in (
        User,
        Organization,
        Membership,
        JoinRequest,
        Invitation,
        OutstandingToken,
        BlacklistedToken,
        Authenticator,
    )
]


def snapshot() -> dict[str, list[tuple]]:
    """Every row the API could change (in plain SQL: it runs twice for each of many cases)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
            rows[table] = cursor.fetchall()
    return rows


@contextmanager
def case(subtests, label: str):
    """One case of a table: a subtest, in a savepoint rolled back after it, throttles reset.

    A failure's message starts with the label."""
    with subtests.test(label), transaction.atomic():
        cache.clear()
        try:
            yield
        except AssertionError as exc:
            exc.args = (f"[{label}] {exc.args[0] if exc.args else ''}", *exc.args[1:])
            raise
        transaction.set_rollback(True)


def send(w: World, endpoint: str, data: str | bytes, content_type: str = JSON, **ids):
    ep = ENDPOINTS[endpoint]
    client = w.mfa_client if ep.mfa else w.client
    return client.generic(ep.method, ep.url(w, **ids), data, content_type=content_type)


def send_json(w: World, endpoint: str, body: Any, **ids):
    return send(w, endpoint, json.dumps(body), **ids)


def summary(response) -> str:
    request = response.wsgi_request
    return (
        f"{request.method} {request.get_full_path()} -> {response.status_code} "
        f"{response.get('Content-Type')}: {response.content[:300]!r}"
    )


def json_body(response) -> Any:
    """The body, which must be JSON and say so."""
    content_type = response.get("Content-Type", "")
    assert content_type.split(";")[0].strip() == JSON, summary(response)
    return response.json()


def assert_refused(response, status: int | None = None) -> dict:
    """A 4xx (exactly `status` if given) whose body is a JSON object."""
    assert 400 <= response.status_code < 500, summary(response)
    assert response.status_code != 429, summary(response)  # throttled: the input went unjudged
    if status is not None:
        assert response.status_code == status, summary(response)
    body = json_body(response)
    assert isinstance(body, dict), summary(response)
    assert body, summary(response)
    return body


def assert_refused_and_nothing_changed(send_request: Callable, status: int | None = None):
    before = snapshot()
    response = send_request()
    body = assert_refused(response, status)
    assert snapshot() == before, summary(response)
    return body


# --- The valid bodies go through: the control for the tables below. --------------------------

PADDING = {"padding": "x" * 2000}  # a key no endpoint knows, so ignored; the size tests use it


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_valid_body_is_accepted(world, endpoint):
    before = snapshot()

    response = send_json(world, endpoint, ENDPOINTS[endpoint].body(world) | PADDING)

    assert 200 <= response.status_code < 300, summary(response)
    if endpoint != "token-verify":  # verifying a token writes nothing
        assert snapshot() != before


# --- Bodies that are not a JSON object, or not JSON. ------------------------------------------

VALID_BODY = None  # in BAD_BODIES: the endpoint's valid body as JSON text, with another type
BAD_BODIES = {
    "malformed-json": ("{bad", JSON, 400),
    "truncated-json": ('{"email": "a@', JSON, 400),
    "json-array": ("[]", JSON, 400),
    "json-string": ('"x"', JSON, 400),
    "json-number": ("1", JSON, 400),
    "json-null": ("null", JSON, 400),
    "json-true": ("true", JSON, 400),
    "text-plain": (VALID_BODY, "text/plain", 415),
    "xml": ("<user><email>a@example.com</email></user>", "application/xml", 415),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_that_is_not_a_json_object_is_refused(world, subtests, endpoint):
    for label, (data, content_type, status) in BAD_BODIES.items():
        with case(subtests, label):
            text = json.dumps(ENDPOINTS[endpoint].body(world)) if data is VALID_BODY else data
            assert_refused_and_nothing_changed(
                lambda text=text, content_type=content_type: send(
                    world, endpoint, text, content_type
                ),
                status,
            )


# --- A bad value in one field of a valid body. -----------------------------------------------

Attack = Callable[[World, Any], Any]  # (world, the field's valid value) -> the value sent

STRING_ATTACKS: dict[str, Attack] = {
    "list": lambda w, v: [v],
    "object": lambda w, v: {"value": v},
    "null": lambda w, v: None,
    "boolean": lambda w, v: True,
    "huge-number": lambda w, v: HUGE,
    "10000-characters": lambda w, v: "x" * (10_000 - len(v)) + v,
    "nul-byte": lambda w, v: v[:1] + "\u0000" + v[1:],
}

ID_LIST_ATTACKS: dict[str, Attack] = {
    "object": lambda w, v: {"id": w.spare.pk},
    "null": lambda w, v: None,
    "boolean": lambda w, v: True,
    "huge-number": lambda w, v: HUGE,
    "string": lambda w, v: str(w.spare.pk),
    "unknown-id": lambda w, v: [999999],
    "text-id": lambda w, v: ["abc"],
    "huge-id": lambda w, v: [HUGE],
    "negative-id": lambda w, v: [-1],
    "zero-id": lambda w, v: [0],
    "fractional-id": lambda w, v: [w.spare.pk + 0.5],
    "null-id": lambda w, v: [None],
    "boolean-id": lambda w, v: [True],
    "list-id": lambda w, v: [[w.spare.pk]],
    # An object with an `id` counts as that id (the read shape sent back); one without is no id.
    "object-without-id": lambda w, v: [{"pk": w.spare.pk}],
    "object-with-bad-id": lambda w, v: [{"id": 2.5}],
    "unknown-id-among-good-ones": lambda w, v: [*v, 999999],
}

CHOICE_ATTACKS: dict[str, Attack] = {
    **STRING_ATTACKS,
    "unknown-choice": lambda w, v: "de",
    "upper-case": lambda w, v: v.upper(),
    "label-not-value": lambda w, v: "Русский",
    "padded": lambda w, v: f" {v} ",
}

FIELDS = [
    pytest.param(name, field, attacks, id=f"{name}-{field}")
    for name, ep in ENDPOINTS.items()
    for fields, attacks in (
        (ep.strings, STRING_ATTACKS),
        (ep.ids, ID_LIST_ATTACKS),
        (ep.choices, CHOICE_ATTACKS),
    )
    for field in fields
]


@pytest.mark.parametrize(("endpoint", "field", "attacks"), FIELDS)
def test_a_bad_value_in_a_field_is_refused_and_changes_nothing(
    world, subtests, endpoint, field, attacks
):
    for label, attack in attacks.items():
        with case(subtests, f"{field}={label}"):
            body = ENDPOINTS[endpoint].body(world)
            body[field] = attack(world, body[field])
            assert_refused_and_nothing_changed(lambda body=body: send_json(world, endpoint, body))


# --- A lone surrogate in a public endpoint's body. -------------------------------------------

# Found outside testing: a lone surrogate ("\ud800", valid in JSON, not encodable as UTF-8) in the
# fields the throttles read to name the account was a 500 on every public endpoint.
SURROGATE = "\ud800"
PUBLIC_BODIES = {
    "register": {"email": f"{SURROGATE}@example.com", "password": "correct-horse-42"},
    "login": {"email": f"{SURROGATE}@example.com", "password": "x"},
    "password-reset": {"email": f"{SURROGATE}@example.com"},
    "resend-email": {"email": f"{SURROGATE}@example.com"},
    "token-refresh": {"refresh": SURROGATE},
    "token-verify": {"token": SURROGATE},
    "logout": {"refresh": SURROGATE},
    "verify-email": {"key": SURROGATE},
    "login-mfa": {"ephemeral_token": SURROGATE, "code": SURROGATE},
    "password-reset-confirm": {
        "uid": SURROGATE,
        "token": SURROGATE,
        "new_password1": "correct-horse-42",
        "new_password2": "correct-horse-42",
    },
}


@pytest.mark.parametrize("name", PUBLIC_BODIES)
def test_a_lone_surrogate_in_a_public_endpoints_body_is_a_400(anon_client, name):
    """Regression (found outside testing): a lone surrogate the throttles read was a 500."""
    body = json.dumps(PUBLIC_BODIES[name])
    assert "\\ud800" in body

    response = anon_client.generic("POST", reverse(name), body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert "Surrogate characters are not allowed" in json.dumps(response.json())


# --- Ids in URLs that do not exist or are not numbers. ---------------------------------------

BAD_URL_IDS = {
    "unknown": "999999",
    "text": "abc",
    "zero": "0",
    "negative": "-1",
    "fraction": "1.5",
    "huge": str(HUGE),
    "superscript-digit": "²",  # a digit to str.isdigit(), none to int()
    "arabic-indic-one": "١",  # 1 to int(): an id in other digits is no id
}


@pytest.mark.parametrize(
    ("endpoint", "placeholder"),
    [
        ("organization-put", "org"),
        ("organization-patch", "org"),
        ("join", "spare"),
        ("leave", "org"),
        ("leave", "member"),
        ("role", "member"),
        ("invite", "org"),
        ("revoke-invitation", "org"),
        ("revoke-invitation", "invitation"),
        ("approve-request", "org"),
        ("approve-request", "request"),
        ("decline-request", "request"),
        ("withdraw-request", "own_request"),
    ],
)
def test_an_unknown_or_non_numeric_id_in_the_url_is_a_json_404(
    world, subtests, endpoint, placeholder
):
    body = ENDPOINTS[endpoint].body(world)
    for label, value in BAD_URL_IDS.items():
        with case(subtests, f"{placeholder}={label}"):
            assert_refused_and_nothing_changed(
                lambda value=value: send_json(world, endpoint, body, **{placeholder: value}), 404
            )


def test_the_members_of_an_unknown_organization_are_a_json_404(world, subtests):
    for value in BAD_URL_IDS.values():
        with case(subtests, value):
            assert_refused(world.client.get(f"/api/organizations/{value}/users/"), 404)


# --- Odd query parameters on the lists: a page, or a JSON error; never a 5xx. -----------------

LISTS = {
    "users": "/api/users/",
    "organizations": "/api/organizations/",
    "organizations-with-users": "/api/organizations/users/",
    "members": "/api/organizations/{org}/users/",
}
# Paginated, not searched.
PAGED_LISTS = {
    **LISTS,
    "requests": "/api/organizations/{org}/requests/",
    "invitations": "/api/organizations/{org}/invitations/",
    "my-invitations": "/api/profile/invitations/",
}
ODD_VALUES = {
    "zero": "0",
    "negative": "-1",
    "text": "abc",
    "fraction": "1.5",
    "exponent": "1e400",
    "huge": str(HUGE),
    "past-the-end": "999999",
    "empty": "",
    "nul": "\u0000",
}


@pytest.mark.parametrize("param", ["page", "page_size", "organization", "ordering"])
@pytest.mark.parametrize("url", PAGED_LISTS.values(), ids=PAGED_LISTS)
def test_odd_query_parameters_get_a_page_or_a_json_error(world, subtests, url, param):
    for label, value in ODD_VALUES.items():
        with case(subtests, f"{param}={label}"):
            response = world.client.get(url.format(org=world.org.pk), {param: value})

            assert response.status_code in {200, 400, 404}, summary(response)
            body = json_body(response)
            if response.status_code == 200:
                assert set(body) == {"count", "count_is_estimate", "next", "previous", "results"}
                assert len(body["results"]) <= 100
            else:
                assert isinstance(body, dict)
                assert body


def test_a_search_with_sql_in_it_is_plain_text(world):
    response = world.client.get("/api/users/", {"search": "' OR '1'='1"})

    assert response.status_code == 200
    assert json_body(response)["count"] == 0


# --- Bodies above the size limits. -----------------------------------------------------------


TOO_LARGE = {"detail": "The request body is too large: at most 1000 bytes."}


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_json_body_above_data_upload_max_memory_size_is_a_413(world, endpoint, settings, debug):
    settings.DEBUG = debug  # under `make run` too: Django's own answer would be an HTML page
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = json.dumps(ENDPOINTS[endpoint].body(world) | PADDING)
    assert 2000 < len(data) < 3000

    body = assert_refused_and_nothing_changed(lambda: send(world, endpoint, data), 413)

    assert body == TOO_LARGE


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("endpoint", ["register", "profile-patch", "organization-create"])
def test_a_form_body_above_data_upload_max_memory_size_is_a_413(world, endpoint, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    ep = ENDPOINTS[endpoint]
    data = ep.body(world) | PADDING

    body = assert_refused_and_nothing_changed(
        lambda: getattr(world.client, ep.method.lower())(ep.url(world), data, format="multipart"),
        413,
    )

    assert body == TOO_LARGE


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("endpoint", ["register", "profile-patch", "organization-create"])
def test_a_urlencoded_body_above_data_upload_max_memory_size_is_a_json_413(
    world, endpoint, settings, debug
):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = urlencode(ENDPOINTS[endpoint].body(world) | PADDING)

    body = assert_refused_and_nothing_changed(
        lambda: send(world, endpoint, data, content_type=FORM), 413
    )

    assert body == TOO_LARGE


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("content_type", [FORM, "multipart"])
@pytest.mark.parametrize("endpoint", ["register", "login", "profile-patch"])
def test_a_form_with_more_fields_than_data_upload_max_number_fields_is_a_json_400(
    world, endpoint, settings, content_type, debug
):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    ep = ENDPOINTS[endpoint]
    data = ep.body(world) | {f"field{i}": "x" for i in range(20)}

    def request():
        if content_type == FORM:
            return send(world, endpoint, urlencode(data), content_type=FORM)
        return getattr(world.client, ep.method.lower())(ep.url(world), data, format="multipart")

    body = assert_refused_and_nothing_changed(request, 400)

    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in body["detail"]


def noise_png(size: int) -> bytes:
    """A PNG of random pixels, which do not compress: at least `size` bytes."""
    side = math.isqrt(size // 3) + 2
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(0).randbytes(side * side * 3)).save(
        buffer, "PNG"
    )
    return buffer.getvalue()


def test_an_avatar_upload_above_request_max_bytes_is_a_413(world, settings, media_root):
    settings.REQUEST_MAX_BYTES = 5000
    avatar = images.upload(noise_png(10_000), "avatar.png", "image/png")
    assert avatar.size >= 10_000

    body = assert_refused_and_nothing_changed(
        lambda: world.client.patch("/api/profile/", {"avatar": avatar}, format="multipart"), 413
    )

    assert "detail" in body
    assert not (media_root / "avatars").exists() or not any((media_root / "avatars").iterdir())


@pytest.mark.parametrize("endpoint", ["register", "login", "profile-patch", "organization-create"])
def test_a_json_body_above_request_max_bytes_is_a_413(world, endpoint, settings):
    settings.REQUEST_MAX_BYTES = 5000
    data = json.dumps(ENDPOINTS[endpoint].body(world) | {"padding": "x" * 10_000})

    body = assert_refused_and_nothing_changed(lambda: send(world, endpoint, data), 413)

    assert "detail" in body


# --- Accepted, if odd: stored and returned exactly as sent, as plain text. -------------------

ODD_TEXT = {
    "emoji": "Zoë 🚀",
    "hebrew": "שלום",
    "arabic-and-emoji": "مرحبا 🌍",
    "sql": "Robert'); DROP TABLE accounts_user;--",
    "script": "<script>alert(1)</script>",
    "html": "<b>bold</b>",
}
TABLES = {"accounts_user", "orgs_membership", "orgs_organization"}


def assert_verbatim(response, field, text, *, within=None):
    """`text` is in the JSON as it was sent: not HTML-escaped, not otherwise changed."""
    body = json_body(response)
    assert (body[within] if within else body)[field] == text, summary(response)
    assert "&lt;" not in response.content.decode()
    assert "&#" not in response.content.decode()


@pytest.mark.parametrize(
    ("endpoint", "fields"),
    [
        ("register", ("first_name", "last_name")),
        ("profile-patch", ("first_name", "last_name")),
        ("profile-put", ("first_name", "last_name")),
        ("organization-create", ORGANIZATION_STRINGS),
        ("organization-patch", ORGANIZATION_STRINGS),
        ("organization-put", ORGANIZATION_STRINGS),
    ],
)
def test_odd_text_is_stored_and_returned_verbatim(world, subtests, endpoint, fields):
    for field in fields:
        for label, text in ODD_TEXT.items():
            with case(subtests, f"{field}={label}"):
                body = ENDPOINTS[endpoint].body(world) | {field: text}
                users = User.objects.count()

                response = send_json(world, endpoint, body)

                assert 200 <= response.status_code < 300, summary(response)
                if endpoint.startswith("organization"):
                    stored = Organization.objects.get(pk=json_body(response)["id"])
                    detail = f"/api/organizations/{stored.pk}/"
                else:
                    stored = User.objects.get(email=body["email"])
                    detail = f"/api/users/{stored.pk}/"
                assert getattr(stored, field) == text
                within = "user" if endpoint == "register" else None
                assert_verbatim(response, field, text, within=within)
                assert_verbatim(world.client.get(detail), field, text)
                assert set(connection.introspection.table_names()) >= TABLES
                assert User.objects.count() == users + (endpoint == "register")


@pytest.mark.parametrize("url", LISTS.values(), ids=LISTS)
def test_a_search_of_too_many_words_is_a_400_and_ten_are_fine(world, url):
    url = url.format(org=world.org.pk)

    refused = world.client.get(url, {"search": " ".join(["ann"] * 11)})
    accepted = world.client.get(url, {"search": " ".join(["ann"] * 10)})

    assert refused.status_code == 400, summary(refused)
    assert json_body(refused) == {"search": ["Search for at most 10 words."]}
    assert accepted.status_code == 200


@pytest.mark.parametrize("url", LISTS.values(), ids=LISTS)
@pytest.mark.parametrize("word", ["_" * 25_000, "a" * 201])
def test_a_search_above_200_characters_is_a_400(world, url, word):
    response = world.client.get(url.format(org=world.org.pk), {"search": word})

    assert response.status_code == 400, summary(response)
    assert json_body(response) == {"search": ["Search for at most 200 characters."]}
    assert world.client.get(url.format(org=world.org.pk), {"search": "a" * 200}).status_code == 200
