"""Forged, stale and misused tokens: each one is a 401 with a JSON body, and gets nothing.

Access tokens are tried on GET /api/profile/, refresh tokens on POST /api/token/refresh/. The
tokens are the ones the API issues at login; `test_the_untouched_tokens_work` is the control.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import jwt
import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from tests.clients import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/api/profile/"
REFRESH = "/api/token/refresh/"
ANOTHER_KEY = "another-key, long enough for HS256 (32 bytes)"


@dataclass
class Session:
    user: User  # logged in: `access` and `refresh` are theirs
    victim: User  # another account, whose id a forger puts in a token
    access: str
    refresh: str


@pytest.fixture
def session(db):
    user = UserFactory(email="ann@example.com")
    victim = UserFactory(email="bob@example.com")
    response = log_in(user.email)
    assert response.status_code == 200, response.content
    return Session(user, victim, response.json()["access"], response.json()["refresh"])


# --- Forging. --------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(token: str) -> dict:
    return json.loads(unb64(token.split(".")[1]))


def as_victim(s: Session, token: str) -> dict:
    """The token's claims, naming the victim instead (in the claim's own type)."""
    original = claims(token)
    user_id = original[api_settings.USER_ID_CLAIM]
    return original | {api_settings.USER_ID_CLAIM: type(user_id)(s.victim.pk)}


def tampered_signature(s: Session, token: str) -> str:
    """The last bytes of the signature changed: its last characters differ."""
    header, payload, signature = token.split(".")
    raw = unb64(signature)
    return f"{header}.{payload}.{b64(raw[:-3] + bytes(byte ^ 0xFF for byte in raw[-3:]))}"


def tampered_payload(s: Session, token: str) -> str:
    """The victim's id in the payload, the original signature kept."""
    header, _, signature = token.split(".")
    return f"{header}.{b64(json.dumps(as_victim(s, token)).encode())}.{signature}"


def alg_none(s: Session, token: str) -> str:
    """An unsigned token naming the victim: `alg: none` and an empty signature."""
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(as_victim(s, token)).encode())}."


def another_key(s: Session, token: str) -> str:
    """The victim's claims, signed with HS256 but with a key that is not the server's."""
    return jwt.encode(as_victim(s, token), ANOTHER_KEY, algorithm="HS256")


FORGERIES: dict[str, Callable[[Session, str], str]] = {
    "tampered-signature": tampered_signature,
    "tampered-payload": tampered_payload,
    "alg-none": alg_none,
    "signed-with-another-key": another_key,
}


def expired(token_class, user: User) -> str:
    token = token_class.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def deactivated(s: Session) -> None:
    User.objects.filter(pk=s.user.pk).update(is_active=False)


def deleted(s: Session) -> None:
    s.user.delete()


def logged_out(s: Session) -> None:
    assert APIClient().post("/api/logout/", {"refresh": s.refresh}).status_code == 200


def rotated(s: Session) -> None:
    assert APIClient().post(REFRESH, {"refresh": s.refresh}).status_code == 200


def after(event: Callable[[Session], None], token: str) -> Callable[[Session], str]:
    """The session's `token` ("access" or "refresh"), once `event` has happened."""

    def attack(s: Session) -> str:
        event(s)
        return getattr(s, token)

    return attack


# --- Asking with them. -----------------------------------------------------------------------


def get_profile(authorization: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get(PROFILE)


def assert_401_json(response, s: Session) -> dict:
    shown = f"{response.status_code}: {response.content[:300]!r}"
    assert response.status_code == 401, shown
    assert response["Content-Type"].split(";")[0] == "application/json", shown
    body = response.json()
    assert isinstance(body, dict), shown
    assert "detail" in body, shown
    assert response["WWW-Authenticate"].startswith("Bearer"), shown
    assert s.user.email not in response.content.decode(), shown
    assert s.victim.email not in response.content.decode(), shown
    return body


def issued_tokens() -> tuple[int, int]:
    return OutstandingToken.objects.count(), BlacklistedToken.objects.count()


def test_the_untouched_tokens_work(session):
    assert get_profile(f"Bearer {session.access}").json()["email"] == session.user.email
    response = APIClient().post(REFRESH, {"refresh": session.refresh})
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


ACCESS_ATTACKS: dict[str, Callable[[Session], str]] = {
    **{name: (lambda s, forge=forge: forge(s, s.access)) for name, forge in FORGERIES.items()},
    "expired": lambda s: expired(AccessToken, s.user),
    "a-refresh-token-as-access-token": lambda s: s.refresh,
    "of-a-user-deactivated-since": after(deactivated, "access"),
    "of-a-user-deleted-since": after(deleted, "access"),
}


@pytest.mark.parametrize("attack", ACCESS_ATTACKS.values(), ids=ACCESS_ATTACKS)
def test_a_bad_access_token_gets_a_401_on_the_profile(session, attack):
    token = attack(session)

    assert_401_json(get_profile(f"Bearer {token}"), session)


REFRESH_ATTACKS: dict[str, Callable[[Session], str]] = {
    **{name: (lambda s, forge=forge: forge(s, s.refresh)) for name, forge in FORGERIES.items()},
    "expired": lambda s: expired(RefreshToken, s.user),
    "an-access-token-as-refresh-token": lambda s: s.access,
    "after-logout": after(logged_out, "refresh"),
    "reused-after-rotation": after(rotated, "refresh"),
    "of-a-user-deactivated-since": after(deactivated, "refresh"),
    "of-a-user-deleted-since": after(deleted, "refresh"),
}


@pytest.mark.parametrize("attack", REFRESH_ATTACKS.values(), ids=REFRESH_ATTACKS)
def test_a_bad_refresh_token_gets_a_401_and_no_new_tokens(session, attack):
    token = attack(session)
    before = issued_tokens()

    response = APIClient().post(REFRESH, {"refresh": token})

    body = assert_401_json(response, session)
    assert "access" not in body
    assert "refresh" not in body
    assert issued_tokens() == before


BAD_HEADERS: dict[str, Callable[[Session], str]] = {
    "empty-bearer": lambda s: "Bearer ",
    "bearer-alone": lambda s: "Bearer",
    "basic-with-the-right-password": lambda s: (
        "Basic " + base64.b64encode(f"{s.user.email}:{PASSWORD}".encode()).decode()
    ),
    "garbage": lambda s: "garbage",
    "another-scheme": lambda s: f"Token {s.access}",
    "bearer-with-two-tokens": lambda s: f"Bearer {s.access} {s.access}",
}


@pytest.mark.parametrize("header", BAD_HEADERS.values(), ids=BAD_HEADERS)
def test_a_bad_authorization_header_gets_a_401_on_the_profile(session, header):
    assert_401_json(get_profile(header(session)), session)
