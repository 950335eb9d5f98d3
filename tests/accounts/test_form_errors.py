"""A form's errors come at once, in one 400: field errors and the password rules together; and
what they say helps (a phone is asked for in international form, fields have human labels)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.forms import UserChangeAdminForm
from accounts.models import PHONE_INVALID
from accounts.serializers.passwords import (
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
)
from orgs.serializers.organizations import OrganizationWriteSerializer
from tests.clients import sign_up
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_with_a_bad_phone_and_a_weak_password_gives_both_errors():
    response = sign_up("ann.lee@example.com", password="ann.lee", phone="12")

    assert response.status_code == 400
    body = response.json()
    assert body["phone"] == [PHONE_INVALID]
    assert any("too short" in message for message in body["password"])


def test_the_password_is_compared_with_the_names_even_when_another_field_is_wrong():
    response = sign_up(
        "x@example.com", password="bartholomew1", first_name="Bartholomew", phone="x"
    )

    assert set(response.json()) == {"phone", "password"}
    assert any("first name" in message for message in response.json()["password"])


def test_a_wrong_email_leaves_the_password_checked_against_the_names():
    response = sign_up("not an email", password="password")

    assert set(response.json()) == {"email", "password"}


def test_changing_the_password_gives_every_error_at_once(jwt_client):
    response = jwt_client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"old_password", "new_password2"}


def test_a_reset_confirmation_with_a_missing_field_and_a_bad_uid_gives_both():
    response = APIClient().post(
        reverse("password-reset-confirm"),
        {"uid": "nobody", "token": "x", "new_password1": PASSWORD},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"uid", "new_password2"}


def test_a_field_in_error_keeps_its_own_messages_only():
    response = APIClient().post(
        reverse("password-reset-confirm"),
        {"uid": "nobody", "token": "x", "new_password1": "x" * 129, "new_password2": "x"},
    )

    assert response.json()["new_password1"] == [
        "Ensure this field has no more than 128 characters."
    ]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_the_profile_asks_for_a_phone_in_international_form(jwt_client, user, method):
    response = getattr(jwt_client, method)(
        reverse("profile"), {"email": user.email, "phone": "4155550123"}
    )

    assert response.status_code == 400
    assert response.json()["phone"] == [PHONE_INVALID]
    assert "+ and the country code" in PHONE_INVALID


def test_the_admin_asks_for_a_phone_in_international_form():
    user = UserFactory()
    data = {"email": user.email, "phone": "4155550123", "date_joined": "2024-01-01 00:00:00"}

    form = UserChangeAdminForm(data=data, instance=user)

    assert not form.is_valid()
    assert form.errors["phone"] == [PHONE_INVALID]


@pytest.mark.parametrize(
    ("serializer", "labels"),
    [
        (
            PasswordChangeSerializer,
            {
                "old_password": "Current password",
                "new_password1": "New password",
                "new_password2": "New password (again)",
            },
        ),
        (
            PasswordResetConfirmSerializer,
            {
                "uid": "User id from the reset link",
                "token": "Token from the reset link",
                "new_password1": "New password",
                "new_password2": "New password (again)",
            },
        ),
        (OrganizationWriteSerializer, {"description": "Description"}),
    ],
)
def test_form_fields_have_human_labels(serializer, labels, rf):
    request = rf.get("/")
    request.user = UserFactory.build()
    fields = serializer(context={"request": request}).fields

    assert {name: fields[name].label for name in labels} == labels


def test_the_browsable_pages_show_no_raw_field_names(user):
    client = APIClient()
    client.force_login(user)
    pages = ["password-change", "password-reset-confirm", "organization-list", "token-refresh"]

    for name in pages:
        html = client.get(reverse(name), headers={"accept": "text/html"}).content.decode()
        for raw in ("New password1", "New password2", ">\n      Uid", "Short description"):
            assert raw not in html, (name, raw)
