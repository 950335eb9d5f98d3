"""Password reset by email, email verification when it is required, and deleting one's account."""

import re

import jsonschema
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from orgs.models import Membership, Organization
from tests import images
from tests.clients import bearer, confirmation_key, log_in, sign_up
from tests.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.openapi import SCHEMA, documented_schema

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-7"
RESET_SENT = {"detail": "Password reset e-mail has been sent."}


def reset_link(message):
    return re.search(r"https?://\S+", message.body).group(0)


def uid_and_token(link):
    return re.search(r"/password/reset/confirm/([^/]+)/([^/]+)/$", link).groups()


def confirm(uid, token, password=NEW_PASSWORD):
    return APIClient().post(
        reverse("password-reset-confirm"),
        {"uid": uid, "token": token, "new_password1": password, "new_password2": password},
    )


def test_reset_answers_the_same_for_known_and_unknown_addresses_and_mails_only_the_known(
    anon_client,
):
    UserFactory(email="ann@example.com")

    known = anon_client.post(reverse("password-reset"), {"email": "ANN@example.com"})
    unknown = anon_client.post(reverse("password-reset"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json() == RESET_SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.com"]
    assert "/api/password/reset/confirm/" in reset_link(mail.outbox[0])


def test_no_reset_email_for_an_inactive_account(anon_client):
    UserFactory(email="gone@example.com", is_active=False)

    response = anon_client.post(reverse("password-reset"), {"email": "gone@example.com"})

    assert response.json() == RESET_SENT
    assert mail.outbox == []


@pytest.mark.parametrize("payload", [{}, {"email": "not-an-email"}, {"email": ["a@b.c"]}])
def test_reset_with_a_bad_email_field_is_a_400(anon_client, payload):
    response = anon_client.post(reverse("password-reset"), payload)

    assert response.status_code == 400
    assert "email" in response.json()
    assert mail.outbox == []


def test_confirm_sets_the_new_password_once_and_revokes_every_session(anon_client):
    UserFactory(email="ann@example.com")
    tokens = log_in("ann@example.com").json()
    anon_client.post(reverse("password-reset"), {"email": "ann@example.com"})
    uid, token = uid_and_token(reset_link(mail.outbox[0]))

    response = confirm(uid, token)

    assert response.status_code == 200
    assert response.json() == {"detail": "Password has been reset with the new password."}
    assert log_in("ann@example.com").status_code == 400  # the old password
    assert log_in("ann@example.com", NEW_PASSWORD).status_code == 200
    again = confirm(uid, token, "yet-another-secret-8")
    assert again.status_code == 400
    assert again.json() == {"token": ["Invalid value"]}
    refresh = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401
    assert bearer(tokens["access"]).get(reverse("profile")).status_code == 401


@pytest.mark.parametrize(
    ("uid", "token", "field"),
    [
        ("zz", "forged-token", "uid"),
        ("99999999999999999999", "x", "uid"),
        (None, "forged-token", "token"),
    ],
)
def test_confirm_refuses_a_forged_uid_or_token(uid, token, field):
    user = UserFactory(email="ann@example.com")
    from allauth.account.utils import user_pk_to_url_str

    response = confirm(uid or user_pk_to_url_str(user), token)

    assert response.status_code == 400
    assert field in response.json()
    assert log_in("ann@example.com").status_code == 200  # unchanged


def test_confirm_applies_the_password_validators(anon_client):
    UserFactory(email="ann@example.com")
    anon_client.post(reverse("password-reset"), {"email": "ann@example.com"})
    uid, token = uid_and_token(reset_link(mail.outbox[0]))

    response = confirm(uid, token, "123")

    assert response.status_code == 400
    assert "new_password2" in response.json()
    assert log_in("ann@example.com").status_code == 200


def test_the_link_of_the_email_explains_how_to_finish(anon_client):
    UserFactory(email="ann@example.com")
    anon_client.post(reverse("password-reset"), {"email": "ann@example.com"})
    link = reset_link(mail.outbox[0])
    uid, token = uid_and_token(link)

    page = anon_client.get(link)

    assert page.status_code == 200
    assert page.json()["uid"] == uid
    assert page.json()["token"] == token
    assert page.json()["url"] == "http://testserver/api/password/reset/confirm/"
    html = anon_client.get(link, HTTP_ACCEPT="text/html").content.decode()
    assert f'value="{token}"' in html  # the browsable API's form comes filled in
    finished = anon_client.post(
        link,
        {"uid": uid, "token": token, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert finished.status_code == 200


def test_the_link_points_at_the_front_end_when_one_is_configured(anon_client, settings):
    settings.PASSWORD_RESET_URL = "https://app.example.com/reset?uid={uid}&token={token}"
    UserFactory(email="ann@example.com")

    anon_client.post(reverse("password-reset"), {"email": "ann@example.com"})

    assert re.search(r"https://app\.example\.com/reset\?uid=\w+&token=\S+", mail.outbox[0].body)


def test_password_change_revokes_every_session(anon_client):
    UserFactory(email="ann@example.com")
    tokens = log_in("ann@example.com").json()

    response = bearer(tokens["access"]).post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert bearer(tokens["access"]).get(reverse("profile")).status_code == 401
    refresh = anon_client.post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401


@pytest.fixture
def verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_with_verification_on_sign_up_sends_an_email_and_no_tokens(verification):
    response = sign_up("new@example.com", "correct-horse-42")

    assert response.status_code == 202  # accepted: not signed up until the address is confirmed
    assert response.json() == {"detail": "Verification e-mail sent."}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert User.objects.filter(email="new@example.com").exists()


def test_with_verification_on_login_waits_for_the_confirmation(verification, anon_client):
    sign_up("new@example.com", "correct-horse-42")

    refused = log_in("new@example.com", "correct-horse-42")
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["E-mail is not verified."]}

    key = confirmation_key(mail.outbox[0])
    confirmed = anon_client.post(reverse("verify-email"), {"key": key})
    assert confirmed.status_code == 200
    assert log_in("new@example.com", "correct-horse-42").status_code == 200


def test_with_a_front_end_the_confirmation_email_links_to_its_page(verification, settings):
    settings.EMAIL_VERIFICATION_URL = "https://app.example.com/confirm?key={key}"
    sign_up("new@example.com", "correct-horse-42")

    key = re.search(r"https://app\.example\.com/confirm\?key=(\S+)", mail.outbox[0].body).group(1)
    assert "/api/register/verify-email/" not in mail.outbox[0].body
    confirmed = APIClient().post(reverse("verify-email"), {"key": key})
    assert confirmed.status_code == 200
    assert log_in("new@example.com", "correct-horse-42").status_code == 200


@pytest.mark.parametrize("key", ["forged", "", "x" * 300])
def test_a_forged_confirmation_key_is_refused(verification, anon_client, key):
    sign_up("new@example.com", "correct-horse-42")

    response = anon_client.post(reverse("verify-email"), {"key": key})

    assert response.status_code in {400, 404}
    assert response.json()
    assert log_in("new@example.com", "correct-horse-42").status_code == 400


def test_resend_answers_the_same_for_any_address_and_mails_the_unconfirmed(
    verification, anon_client
):
    sign_up("new@example.com", "correct-horse-42")
    mail.outbox.clear()

    known = anon_client.post(reverse("resend-email"), {"email": "new@example.com"})
    unknown = anon_client.post(reverse("resend-email"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    confirmed = anon_client.post(reverse("verify-email"), {"key": confirmation_key(mail.outbox[0])})
    assert confirmed.status_code == 200


def test_the_confirmation_link_explains_how_to_finish(verification, anon_client):
    sign_up("new@example.com", "correct-horse-42")
    key = confirmation_key(mail.outbox[0])

    page = anon_client.get(reverse("account_confirm_email", args=[key]))

    assert page.status_code == 200
    assert page.json()["key"] == key
    assert page.json()["url"] == "http://testserver/api/register/verify-email/"


def test_verification_is_off_by_default(anon_client):
    response = sign_up("new@example.com", "correct-horse-42")

    assert response.status_code == 201
    assert "access" in response.json()
    assert mail.outbox == []


def delete_account(client, password):
    return client.delete(reverse("profile"), {"password": password})


def test_deleting_ones_account_needs_the_right_password():
    user = UserFactory(email="ann@example.com")
    client = bearer(log_in("ann@example.com").json()["access"])

    for wrong in ("wrong-password", ""):
        response = delete_account(client, wrong)
        assert response.status_code == 400
        assert "password" in response.json()
    assert client.delete(reverse("profile")).status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


# Found by fuzzing the live server (tests/e2e/test_fuzz.py): DELETE /api/profile/ needs the current
# `password` in its body (docs/API.md), but docs/openapi.yaml gave the operation no request body
# and documented only 204, 401 and 429, so the 400 that a request without the password gets was
# undocumented (and so would be a 415 for another content type). A schema fix: a request body
# {"password": string, required} in JSON, form and multipart, and the 400 and 415 responses.
def test_deleting_the_account_without_its_password_is_a_documented_400(jwt_client, user):
    """Regression (fuzzing): the 400 of DELETE /api/profile/ without `password` was undocumented."""
    response = jwt_client.delete("/api/profile/")

    assert response.status_code == 400
    body = response.json()
    assert body == {"password": ["This field is required."]}
    assert type(user).objects.filter(pk=user.pk).exists()
    operation = SCHEMA["paths"]["/api/profile/"]["delete"]
    body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
    assert body_schema, "DELETE /api/profile/ documents no request body"
    jsonschema.validate(body, documented_schema("/api/profile/", "delete", 400))


def test_deleting_ones_account_removes_it_its_memberships_and_its_avatar(
    media_root, django_capture_on_commit_callbacks
):
    user = UserFactory(email="ann@example.com")
    tokens = log_in("ann@example.com").json()
    client = bearer(tokens["access"])
    member_of = OrganizationFactory()
    user.organizations.add(member_of)
    created = OrganizationFactory(created_by=user)
    client.patch(
        reverse("profile"), {"avatar": images.upload(images.image_bytes())}, format="multipart"
    )
    assert list((media_root / "avatars").iterdir())

    with django_capture_on_commit_callbacks(execute=True):
        response = delete_account(client, PASSWORD)

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert list((media_root / "avatars").iterdir()) == []
    created.refresh_from_db()
    assert created.created_by is None
    assert Organization.objects.count() == 2
    # Every token of the account stops working, and none of them is a 500.
    assert client.get(reverse("profile")).status_code == 401
    refresh = APIClient().post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401
    assert log_in("ann@example.com").status_code == 400


def test_a_deactivated_user_is_shut_out_like_a_deleted_one():
    user = UserFactory(email="ann@example.com")
    tokens = log_in("ann@example.com").json()

    User.objects.filter(pk=user.pk).update(is_active=False)

    assert bearer(tokens["access"]).get(reverse("profile")).status_code == 401
    refresh = APIClient().post(reverse("token-refresh"), {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401
    assert log_in("ann@example.com").status_code == 400


def test_password_change_in_the_browsable_api_keeps_that_session_and_ends_the_others(client):
    UserFactory(email="ann@example.com")
    other = Client()
    for each in (client, other):
        each.post(
            reverse("rest_framework:login"), {"email": "ann@example.com", "password": PASSWORD}
        )
        assert each.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code == 200

    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert client.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code == 200
    assert other.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code in {401, 403}
