"""Every endpoint that takes an account's email address checks it in its stored form."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Valid to Django's validator, but its domain label is 120 characters once IDNA-encoded: no mail
# can be sent to it (sending one raised UnicodeError: a 500).
UNSENDABLE = "abc@" + "ü" * 60 + ".com"
# 254 characters as typed, 443 once lowercased: "İ" lowercases to two characters.
LENGTHENED = "a" * 58 + "@" + ".".join(["İ" * 63] * 3) + ".com"
INVALID = "Enter a valid email address."
TOO_LONG = "Ensure this field has no more than 254 characters."


def post(name, body, client=None):
    return (client or APIClient()).post(reverse(name), body)


@pytest.mark.parametrize("name", ["register", "login", "password-reset", "resend-email"])
@pytest.mark.parametrize(("email", "error"), [(UNSENDABLE, INVALID), (LENGTHENED, TOO_LONG)])
def test_an_address_that_cannot_be_stored_or_mailed_is_a_400(name, email, error, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert len(LENGTHENED) == 254

    response = post(name, {"email": email, "password": "correct-horse-42"})

    assert response.status_code == 400
    assert error in response.json()["email"]
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("email", "error"), [(UNSENDABLE, INVALID), (LENGTHENED, TOO_LONG)])
def test_the_profile_refuses_such_an_address_too(jwt_client, user, email, error):
    response = jwt_client.patch(reverse("profile"), {"email": email})

    assert response.status_code == 400
    assert error in response.json()["email"]
    user.refresh_from_db()
    assert user.email.endswith("@example.com")


def test_resending_the_confirmation_finds_the_address_in_any_case(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    post("register", {"email": "new@example.com", "password": "correct-horse-42"})
    mail.outbox.clear()

    response = post("resend-email", {"email": "  NEW@Example.com "})

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["new@example.com"]]


def test_an_unsendable_address_is_refused_in_the_admin_too(client):
    client.force_login(User.objects.create_superuser("admin@example.com", "admin-pass-123"))
    ann = UserFactory(email="ann@example.com")

    response = client.post(
        reverse("admin:accounts_user_change", args=[ann.pk]),
        {
            "email": UNSENDABLE,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Enter a valid email address." in response.content.decode()
    ann.refresh_from_db()
    assert ann.email == "ann@example.com"


@pytest.mark.parametrize(
    "spelling",
    [
        "victim@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org",  # fullwidth letters
        "victim@exa\u00admple.org",  # a soft hyphen
        "victim@ex\u200bample.org",  # a zero-width space
        "VICTIM@Example.ORG",
    ],
)
def test_one_mailbox_is_one_account_however_its_domain_is_written(spelling):
    post("register", {"email": "victim@example.org", "password": "correct-horse-42"})

    response = post("register", {"email": spelling, "password": "correct-horse-42"})

    assert response.status_code == 400
    assert response.json() == {"email": ["A user with this email address already exists."]}
    assert User.objects.count() == 1
    assert post("login", {"email": spelling, "password": "correct-horse-42"}).status_code == 200


def test_an_internationalized_domain_is_one_domain_in_either_form():
    created = post("register", {"email": "user@bu\u0308cher.de", "password": "correct-horse-42"})
    assert created.status_code == 201
    assert created.json()["user"]["email"] == "user@bücher.de"

    again = post("register", {"email": "user@xn--bcher-kva.de", "password": "correct-horse-42"})

    assert again.status_code == 400
    assert (
        post("login", {"email": "USER@xn--bcher-kva.de", "password": "correct-horse-42"}).json()[
            "user"
        ]["email"]
        == "user@bücher.de"
    )


def test_an_xn_label_that_does_not_decode_is_refused():
    response = post("register", {"email": "user@xn--zz.de", "password": "correct-horse-42"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.json()["email"]


@pytest.mark.parametrize("email", ["user@" + "a" * 64 + ".com", "user@example..com"])
def test_an_invalid_address_is_said_to_be_invalid_once(email):
    response = post("register", {"email": email, "password": "correct-horse-42"})

    assert response.status_code == 400
    assert response.json() == {"email": ["Enter a valid email address."]}


@pytest.mark.parametrize(
    "spelling", ["user@bücher.de", "USER@xn--bcher-kva.de", " user@bu\u0308cher.de "]
)
def test_password_reset_finds_the_account_however_its_domain_is_written(spelling):
    post("register", {"email": "user@bücher.de", "password": "correct-horse-42"})

    response = post("password-reset", {"email": spelling})

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["user@bücher.de"]]
