"""Changing one's email address: the old address stops being the account's everywhere.

allauth keeps its own record of each account's addresses, which login and password reset look up;
a change of address that left the old record behind would let the old address still log in and
receive the account's password reset links, and let a newcomer who signs up with it share it.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from tests.clients import bearer, confirmation_key, log_in, sign_up
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_up(email, password=PASSWORD):
    """A new account's tokens and user: sign_up, checked to have succeeded."""
    response = sign_up(email, password)
    assert response.status_code == 201, response.json()
    return response.json()


def change_email(access, email):
    return bearer(access).patch(reverse("profile"), {"email": email, "current_password": PASSWORD})


def reset_requested_for(email):
    mail.outbox.clear()
    response = APIClient().post(reverse("password-reset"), {"email": email})
    assert response.status_code == 200
    return [message.to for message in mail.outbox]


@pytest.fixture
def ann():
    """Ann, signed up with ann@example.com, who then moves to ann@new.example."""
    tokens = signed_up("ann@example.com")
    response = change_email(tokens["access"], "Ann@New.example")
    assert response.status_code == 200
    assert response.json()["email"] == "ann@new.example"
    return User.objects.get(email="ann@new.example")


def test_the_new_address_logs_in_and_the_old_one_no_longer_does(ann):
    assert log_in("ann@new.example").status_code == 200

    refused = log_in("ann@example.com")

    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_password_reset_mails_the_new_address_only(ann):
    assert reset_requested_for("ann@example.com") == []
    assert reset_requested_for("ann@new.example") == [["ann@new.example"]]


def test_the_account_has_one_address_on_record(ann):
    assert list(EmailAddress.objects.filter(user=ann).values_list("email", "primary")) == [
        ("ann@new.example", True)
    ]


def test_whoever_signs_up_with_the_old_address_gets_an_account_of_their_own(ann):
    tokens = signed_up("ann@example.com", "another-pass-99")
    newcomer = User.objects.get(email="ann@example.com")

    assert tokens["user"]["id"] == newcomer.pk != ann.pk
    assert log_in("ann@example.com", PASSWORD).status_code == 400  # Ann's password: not hers
    login = log_in("ann@example.com", "another-pass-99")
    assert login.json()["user"]["id"] == newcomer.pk
    assert reset_requested_for("ann@example.com") == [["ann@example.com"]]
    uid = re.search(r"/password/reset/confirm/([^/]+)/", mail.outbox[0].body).group(1)
    assert uid != re.search(r"/confirm/([^/]+)/", reset_email_of("ann@new.example")).group(1)


def reset_email_of(email):
    reset_requested_for(email)
    return mail.outbox[0].body


def test_an_address_another_account_has_is_refused(ann):
    bob = signed_up("bob@example.com")

    response = change_email(bob["access"], "ANN@new.example")

    assert response.status_code == 400
    assert response.json() == {"email": ["A user with this email address already exists."]}
    assert User.objects.filter(email="bob@example.com").exists()
    assert list(EmailAddress.objects.filter(email__iexact="ann@new.example").values("user")) == [
        {"user": ann.pk}
    ]


def test_the_same_address_in_other_letters_changes_nothing_and_sends_nothing(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    tokens = signed_up("ann@example.com")
    address = EmailAddress.objects.get(email="ann@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = change_email(tokens["access"], "ANN@EXAMPLE.COM")

    assert response.status_code == 200
    assert response.json()["email"] == "ann@example.com"
    assert EmailAddress.objects.get(user__email="ann@example.com") == address
    assert mail.outbox == []


def test_without_verification_the_new_address_is_sent_nothing(django_capture_on_commit_callbacks):
    tokens = signed_up("ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = change_email(tokens["access"], "ann@new.example")

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["ann@example.com"]]  # only the notice


def test_with_optional_verification_the_new_address_replaces_the_old_at_once_and_is_sent_a_link(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    tokens = signed_up("ann@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = change_email(tokens["access"], "ann@new.example")

    assert response.status_code == 200
    assert response.json()["email"] == "ann@new.example"
    assert sorted(message.to for message in mail.outbox) == [
        ["ann@example.com"],
        ["ann@new.example"],
    ]
    assert log_in("ann@new.example").status_code == 200


def test_a_confirmation_sent_to_a_replaced_address_no_longer_confirms(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    tokens = signed_up("ann@example.com")
    old_key = confirmation_key()

    change_email(tokens["access"], "ann@new.example")
    response = APIClient().post(reverse("verify-email"), {"key": old_key})

    assert response.status_code == 404
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_staff_changing_an_address_in_the_admin_replaces_it_too(client):
    admin = User.objects.create_superuser("admin@example.com", "admin-pass-123")
    signed_up("ann@example.com")
    ann = User.objects.get(email="ann@example.com")
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[ann.pk])

    response = client.post(
        url,
        {
            "email": "ann@new.example",
            "first_name": "",
            "last_name": "",
            "phone": "",
            "language": "en",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "memberships-TOTAL_FORMS": "0",  # the organizations inline, left as it is
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert list(EmailAddress.objects.filter(user=ann).values_list("email", flat=True)) == [
        "ann@new.example"
    ]
    assert log_in("ann@example.com").status_code == 400
    assert log_in("ann@new.example").status_code == 200
