from pathlib import Path

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.clients import bearer, client_for
from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def api_client(user):
    """A client authenticated as `user` without a token (no query to load the user)."""
    return client_for(user)


@pytest.fixture
def jwt_client(user):
    """A client that sends `user`'s real access token, as mobile and single-page apps do."""
    return bearer(RefreshToken.for_user(user).access_token)


@pytest.fixture
def csrf_checking_jwt_client(jwt_client):
    """jwt_client with the CSRF checks that Django applies to every real client.

    The test client skips them by default, which hides what a real request gets.
    """
    jwt_client.handler.enforce_csrf_checks = True
    return jwt_client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores its uploads in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttling counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    from restkit.throttling import cache_breaker

    cache.clear()
    cache_breaker.open_until = 0.0  # closed: a Redis another test stopped is not this one's


E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e/ (a real server, a browser, newman) is marked `e2e`: the fast
    loop for development is `pytest -m "not e2e"`."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: LocaleMiddleware leaves the language of the last
    request active in the thread, where code outside a request (a schema generated in a test)
    would run in it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
