"""Sign-up with an address that already has an account.

With mandatory verification the answer is exactly that for a new address, and only the owner of
the address learns of the attempt, by mail. Without verification a sign-up logs in at once, so
there is no "check your mail" answer to hide behind: the 400 stays.
"""

import pytest
from django.core import mail

from accounts.models import User
from tests.clients import sign_up
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_with_verification_a_taken_address_gets_the_answer_of_a_new_one(mandatory):
    owner = UserFactory(email="ann@example.com", first_name="Ann")

    taken = sign_up("ANN@example.com", GOOD_PASSWORD, first_name="Mallory")
    new = sign_up("new@example.com", GOOD_PASSWORD)

    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert taken.json() == {"detail": "Verification e-mail sent."}
    assert User.objects.filter(email="ann@example.com").get() == owner
    owner.refresh_from_db()
    assert owner.first_name == "Ann"


def test_with_verification_the_owner_is_told_and_nothing_is_created(mandatory):
    UserFactory(email="ann@example.com")
    org = OrganizationFactory()

    sign_up("ann@example.com", GOOD_PASSWORD, organizations=[org.pk])

    [message] = mail.outbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Someone tried to sign up with your email address"
    assert "already has an account" in message.body
    assert "verify-email" not in message.body  # no link that would confirm anything
    assert User.objects.count() == 1
    assert not org.users.exists()


def test_with_verification_a_taken_address_is_still_checked_like_a_new_one(mandatory):
    UserFactory(email="ann@example.com")

    response = sign_up("ann@example.com", "short")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert mail.outbox == []


def test_without_verification_a_taken_address_is_refused(anon_client):
    UserFactory(email="ann@example.com")

    response = sign_up("ann@example.com", GOOD_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {"email": ["A user with this email address already exists."]}
    assert mail.outbox == []
