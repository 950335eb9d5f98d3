"""A client can walk the whole API from its root by following links."""

import pytest

from accounts.models import User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def links_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)
    elif isinstance(value, str) and value.startswith("http://testserver/"):
        yield value


def test_every_link_reachable_from_the_root_resolves(jwt_client, user):
    org = OrganizationFactory(created_by=user, owner=user)
    UserFactory(organizations=[org])
    user.organizations.add(org)
    post_only = {
        "register",
        "login",
        "token-refresh",
        "token-verify",
        "logout",
        "password-change",
        "password-reset",
        "password-reset-confirm",
        "verify-email",
        "resend-email",
        "invitation-accept",
        "invitation-decline",
        "login-mfa",
        "mfa-totp-deactivate",
        "mfa-recovery-codes-regenerate",
    }
    documentation = {"schema", "swagger-ui", "redoc"}

    root = jwt_client.get("/api/").json()
    queue = [url for name, url in root.items() if name not in post_only | documentation]
    seen = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = jwt_client.get(url)
        assert response.status_code == 200, url
        queue.extend(links_in(response.json()))

    assert f"http://testserver/api/users/{user.pk}/" in seen
    assert f"http://testserver/api/organizations/{org.pk}/" in seen
    assert f"http://testserver/api/organizations/{org.pk}/users/" in seen


def test_post_only_entries_of_the_root_answer_a_post(anon_client):
    root = anon_client.get("/api/").json()

    for name in (
        "register",
        "login",
        "token-refresh",
        "token-verify",
        "logout",
        "password-reset",
        "password-reset-confirm",
        "verify-email",
        "resend-email",
        "login-mfa",
    ):
        response = anon_client.post(root[name], {})
        assert response.status_code == 400, name


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("schema", "application/vnd.oai.openapi"),
        ("swagger-ui", "text/html"),
        ("redoc", "text/html"),
    ],
)
def test_the_documentation_entries_of_the_root_answer(anon_client, name, content_type):
    url = anon_client.get("/api/").json()[name]

    response = anon_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_links_name_the_host_and_scheme_each_request_came_to(jwt_client, user, settings):
    """The link prefixes are worked out once per site, not once for all: a request to another
    host, or over HTTPS, gets links to that host and scheme."""
    settings.ALLOWED_HOSTS = ["testserver", "api.example.com"]
    org = OrganizationFactory(created_by=user, owner=user)
    user.organizations.add(org)
    User.objects.filter(pk=user.pk).update(avatar="avatars/Ab12.png")
    sites = [
        ("http://testserver", {}),
        ("http://api.example.com", {"HTTP_HOST": "api.example.com"}),
        ("https://api.example.com", {"HTTP_HOST": "api.example.com", "wsgi.url_scheme": "https"}),
    ]

    for origin, extra in sites:
        users = jwt_client.get("/api/users/", **extra).json()["results"]
        (me,) = [row for row in users if row["id"] == user.pk]
        organizations = jwt_client.get("/api/organizations/", **extra).json()["results"]

        assert me["url"] == f"{origin}/api/users/{user.pk}/"
        assert me["avatar"] == f"{origin}/media/avatars/Ab12.png"
        assert me["organizations"][0]["url"] == f"{origin}/api/organizations/{org.pk}/"
        assert organizations[0]["created_by"] == f"{origin}/api/users/{user.pk}/"
        assert organizations[0]["users_url"] == f"{origin}/api/organizations/{org.pk}/users/"
