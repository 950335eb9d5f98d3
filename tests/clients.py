"""Clients as the API's users hold them: a bearer token, or an email and a password."""

import re

from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def client_for(user):
    """A client authenticated as `user` without a token (no query to load the user)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def bearer(access):
    """A client that sends this access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def sign_up(email, password=PASSWORD, **fields):
    """POST /api/register/ from a new client; returns the response."""
    return APIClient().post(reverse("register"), {"email": email, "password": password, **fields})


def log_in(email, password=PASSWORD):
    return APIClient().post(reverse("login"), {"email": email, "password": password})


def confirmation_key(message=None):
    """The key in the confirmation link, /api/register/verify-email/<key>/, of this mail or of
    the last one sent."""
    message = message or mail.outbox[-1]
    return re.search(r"/api/register/verify-email/([^/\s]+)/", message.body).group(1)
