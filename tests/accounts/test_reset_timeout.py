"""Reset links expire PASSWORD_RESET_TIMEOUT_MINUTES after they are made (60 by default)."""

from datetime import datetime, timedelta

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-7"


class GeneratorInThePast(EmailAwarePasswordResetTokenGenerator):
    """allauth's reset-link generator, making its tokens as if it were `ago` earlier (Django's
    generators read the time through `_now` for this)."""

    def __init__(self, ago):
        super().__init__()
        self.ago = ago

    def _now(self):
        return datetime.now() - self.ago


def confirm_link_made(ago):
    user = UserFactory()
    token = GeneratorInThePast(ago).make_token(user)
    return APIClient().post(
        reverse("password-reset-confirm"),
        {
            "uid": user_pk_to_url_str(user),
            "token": token,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def test_a_reset_link_older_than_an_hour_is_refused():
    response = confirm_link_made(ago=timedelta(minutes=61))

    assert response.status_code == 400
    assert response.json() == {"token": ["Invalid value"]}


def test_a_reset_link_younger_than_an_hour_works():
    assert confirm_link_made(ago=timedelta(minutes=59)).status_code == 200
