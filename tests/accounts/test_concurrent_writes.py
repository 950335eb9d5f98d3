"""Writes to one account from real threads at once: every write answered 200 is kept.

A request that writes the whole row from the copy it loaded at its start undoes what the others
wrote meanwhile: a field another request changed, a new password, a new avatar (whose file, no
longer named by the row, stays in storage for nobody). These tests repeat their race a number of
rounds, so that they catch a lost write most times it can happen, and assert only what holds in
every interleaving once each write saves only the fields it changed.
"""

import time

import pytest
from django.urls import reverse

from accounts.models import User
from tests import images
from tests.clients import bearer, log_in
from tests.factories import PASSWORD, UserFactory
from tests.threads import repeatedly, simultaneously, statuses

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("profile")
EMAIL = "ann@example.com"
ROUNDS = 15
UPLOADS = 20


@pytest.fixture
def unthrottled(settings):
    """Limits that the many requests of these tests do not reach."""
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "api.address": "100000/min",
        "api.account": "100000/min",
        "login.address": "100000/min",
        "login.account": "100000/min",
        "login.account-address": "100000/min",
        "password-change.address": "100000/min",
        "password-change.account": "100000/min",
    }


@pytest.fixture
def access(unthrottled):
    """The access token of a user who logged in."""
    UserFactory(email=EMAIL)
    return log_in(EMAIL).json()["access"]


def test_a_user_editing_different_fields_at_once_keeps_every_change(access):
    """Simultaneous PATCHes of one profile, each changing a different field, are all answered 200
    and all kept: each request saves only the fields it was sent, so none writes back the value
    another request changed after it loaded the row."""
    lost = []
    for n in range(ROUNDS):
        sent = [
            {"first_name": f"Ann {n}"},
            {"last_name": f"Lee {n}"},
            {"phone": f"+44207946{n:04d}"},
        ]

        responses = simultaneously(
            lambda i, sent=sent: bearer(access).patch(URL, sent[i]), count=len(sent)
        )

        assert statuses(responses) == [200] * len(sent), [r.json() for r in responses]
        user = User.objects.get(email=EMAIL)
        kept = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": str(user.phone),
        }
        expected = {"first_name": f"Ann {n}", "last_name": f"Lee {n}", "phone": sent[2]["phone"]}
        if kept != expected:
            lost.append((n, kept))
    assert lost == [], f"changes lost in {len(lost)} of {ROUNDS} rounds"


def profile_edits(access):
    """PATCHes of the profile with this access token, each with a new first name."""
    return lambda k: bearer(access).patch(URL, {"first_name": f"Ann {k}"})


def test_a_password_change_is_not_undone_by_profile_edits_in_flight(unthrottled):
    """A password change answered 200 while the same user's PATCHes of the profile are in flight
    holds: the old password no longer logs in, the new one does, and the old access token is
    refused (401). A PATCH that loaded the user before the change and saves after it must not
    write the old password hash back, which would revive the old password and the old token."""
    UserFactory(email=EMAIL)
    password = PASSWORD
    for n in range(ROUNDS):
        access = log_in(EMAIL, password).json()["access"]
        new = f"brand-new-secret-{n}"
        body = {"old_password": password, "new_password1": new, "new_password2": new}

        with repeatedly(profile_edits(access), every=0.01) as edits:
            time.sleep(0.02)  # the edits are under way
            change = bearer(access).post(reverse("password-change"), body)
            time.sleep(0.03)  # and go on a little after the change

        assert change.status_code == 200, change.json()
        assert edits, "no profile edit was sent"
        assert set(statuses(edits)) <= {200, 401}
        assert log_in(EMAIL, password).status_code == 400, f"round {n}: old password revived"
        assert log_in(EMAIL, new).status_code == 200, f"round {n}: new password lost"
        assert bearer(access).get(URL).status_code == 401, f"round {n}: old token revived"
        password = new


def test_a_user_uploading_many_avatars_at_once_leaves_one_file(access, media_root):
    """Twenty simultaneous avatar uploads by one user are all answered 200 and leave exactly one
    file in storage: the one the user's row names, which exists. Each upload replaces the avatar
    the row holds when it saves, so every other file is deleted, none is left as an orphan."""

    def upload(i):
        image = images.image_bytes((64, 64), "PNG", color=(10 * i, 0, 255 - 10 * i))
        avatar = images.upload(image, f"avatar-{i}.png", "image/png")
        return bearer(access).patch(URL, {"avatar": avatar}, format="multipart")

    responses = simultaneously(upload, count=UPLOADS)

    assert statuses(responses) == [200] * UPLOADS
    user = User.objects.get(email=EMAIL)
    stored = [p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()]
    assert stored == [user.avatar.name], f"{len(stored)} files in storage for one avatar"
    assert (media_root / user.avatar.name).is_file()
