"""No response carries a password or its hash, and a server error carries no internals."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import DatabaseError
from rest_framework.test import APIClient

from accounts.models import User
from accounts.views.profile import ProfileView
from accounts.views.tokens import LoginView
from orgs.models import Organization
from orgs.views.organizations import OrganizationViewSet
from tests.clients import client_for, log_in, sign_up
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "correct-horse-battery-9"
# The prefixes of the hashes Django writes (the tests hash with MD5, the real settings Argon2).
HASH_MARKERS = ("md5$", "argon2", "pbkdf2", "scrypt", "bcrypt", "sha1$")


@dataclass
class Scene:
    ann: User  # the client's user; she and bob belong to `org`
    bob: User
    org: Organization
    other_org: Organization  # nobody belongs to it
    client: APIClient


@pytest.fixture
def scene(db):
    org = OrganizationFactory(name="Acme")
    ann = UserFactory(email="ann@example.com", organizations=[org])
    bob = UserFactory(email="bob@example.com", organizations=[org])
    return Scene(ann, bob, org, OrganizationFactory(name="Globex"), client_for(ann))


def secrets() -> set[str]:
    """Every stored password hash, and the digest part of each alone."""
    hashes = set(User.objects.values_list("password", flat=True))
    return hashes | {h.rsplit("$", 1)[-1] for h in hashes}


def keys(data) -> set[str]:
    """Every key of every object in a JSON document."""
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in keys(value)}
    if isinstance(data, list):
        return {k for item in data for k in keys(item)}
    return set()


REQUESTS: dict[str, Callable[[Scene], object]] = {
    "register": lambda s: sign_up("new@example.com", NEW_PASSWORD, organizations=[s.org.pk]),
    "login": lambda s: log_in(s.ann.email),
    "profile-get": lambda s: s.client.get("/api/profile/"),
    "profile-put": lambda s: s.client.put("/api/profile/", {"email": s.ann.email}),
    "profile-patch": lambda s: s.client.patch("/api/profile/", {"first_name": "Ann"}),
    "user-list": lambda s: s.client.get("/api/users/"),
    "user-detail": lambda s: s.client.get(f"/api/users/{s.bob.pk}/"),
    "organization-list": lambda s: s.client.get("/api/organizations/"),
    "organizations-with-users": lambda s: s.client.get("/api/organizations/users/"),
    "members": lambda s: s.client.get(f"/api/organizations/{s.org.pk}/users/"),
    "join": lambda s: s.client.post(f"/api/organizations/{s.other_org.pk}/users/"),
    "password-change": lambda s: s.client.post(
        "/api/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
}


@pytest.mark.parametrize("send", REQUESTS.values(), ids=REQUESTS)
def test_no_response_carries_a_password_or_its_hash(scene, send):
    before = secrets()

    response = send(scene)

    assert 200 <= response.status_code < 300, response.content[:300]
    text = response.content.decode()
    for secret in before | secrets() | {PASSWORD, NEW_PASSWORD, *HASH_MARKERS}:
        assert secret not in text
    assert not {k for k in keys(response.json()) if "password" in k}


# --- Server errors: a bare JSON 500. ---------------------------------------------------------

FORCED_ERRORS = {
    "organization-list": (OrganizationViewSet, "list", "get", "/api/organizations/"),
    "organization-create": (OrganizationViewSet, "create", "post", "/api/organizations/"),
    "profile": (ProfileView, "get", "get", "/api/profile/"),
    "login-anonymous": (LoginView, "post", "post", "/api/login/"),
}
# What the failure knows, and none of which may reach the client.
INTERNALS = ("Traceback", 'File "', ".py", "SELECT", "accounts_user", "explode")


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
@pytest.mark.parametrize(
    ("exception_class", "case"),
    [(exc, case) for exc in (RuntimeError, DatabaseError) for case in FORCED_ERRORS],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_server_error_is_a_bare_json_500(scene, monkeypatch, exception_class, case, accept):
    assert not settings.DEBUG
    view, method_name, http_method, url = FORCED_ERRORS[case]

    def explode(*args, **kwargs):
        raise exception_class(
            f"SELECT password FROM accounts_user -- key {settings.SECRET_KEY}, in {__file__}"
        )

    monkeypatch.setattr(view, method_name, explode)
    client = APIClient(raise_request_exception=False)
    if case != "login-anonymous":
        client.force_authenticate(scene.ann)

    data = {"email": scene.ann.email, "password": PASSWORD} if http_method == "post" else None
    response = getattr(client, http_method)(url, data, HTTP_ACCEPT=accept)

    assert response.status_code == 500
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert list(body) == ["detail"]
    assert isinstance(body["detail"], str)
    text = response.content.decode()
    for internal in (*INTERNALS, settings.SECRET_KEY, str(settings.BASE_DIR), PASSWORD):
        assert internal not in text
