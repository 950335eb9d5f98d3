"""Clients as the API's users hold them: a bearer token, or an email and a password."""

from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def bearer(access):
    """A client that sends this access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def log_in(email, password=PASSWORD):
    return APIClient().post(reverse("login"), {"email": email, "password": password})
