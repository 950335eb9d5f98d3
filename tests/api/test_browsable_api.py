"""The browsable API's pages (restkit.renderers.BrowsableAPIRenderer): a form for every
operation, labelled for what it does, and none where there is nothing to act on."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from orgs import services
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user):
    """A browser logged in as `user` with a session, as the browsable API's pages are."""
    client = APIClient()
    client.force_login(user)
    return client


def page(client, url, method="get", **kwargs):
    response = getattr(client, method)(url, headers={"accept": "text/html"}, **kwargs)
    assert response["content-type"].startswith("text/html"), response.content[:200]
    return response, response.content.decode()


def test_a_page_that_answered_an_error_shows_no_forms(browser):
    response, html = page(browser, "/api/organizations/999999/")

    assert response.status_code == 404
    assert 'data-method="PUT"' not in html
    assert "deleteModal" not in html
    assert 'name="_content"' not in html


def test_a_page_of_ones_own_organization_shows_its_forms(browser, user):
    organization = OrganizationFactory(created_by=user, owner=user)

    _, html = page(browser, reverse("organization-detail", args=[organization.pk]))

    assert 'data-method="PUT"' in html
    assert "deleteModal" in html


def test_after_a_write_the_form_shows_the_object_as_it_now_is(browser, user):
    organization = OrganizationFactory(created_by=user, owner=user)
    url = reverse("organization-detail", args=[organization.pk])

    response, html = page(
        browser, url, "put", data={"name": "Renamed", "description": ""}, format="multipart"
    )

    assert response.status_code == 200
    form = html[html.index('id="put-object-form"') :]
    assert re.search(r'<input name="name"[^>]*value="Renamed"', form)


def test_the_delete_confirmation_asks_for_the_password(browser):
    _, html = page(browser, reverse("profile"))

    modal = html[html.index('id="deleteModal"') :]
    assert re.search(r'<input name="password"[^>]*type="password"', modal)
    assert "Delete your account" in modal


def test_the_delete_confirmation_deletes_the_account_with_the_password(browser, user):
    # What the page's script sends: the modal's form, urlencoded, with the DELETE method.
    response = browser.delete(
        reverse("profile"),
        f"password={PASSWORD}",
        content_type="application/x-www-form-urlencoded",
        headers={"accept": "text/html"},
    )

    assert "HTTP 204 No Content" in response.content.decode()  # in a page answered with a 200
    assert not User.objects.filter(pk=user.pk).exists()
    assert "deleteModal" not in response.content.decode()  # nothing left to act on


def test_the_delete_confirmation_without_the_password_deletes_nothing(browser, user):
    response = browser.delete(
        reverse("profile"),
        "password=wrong",
        content_type="application/x-www-form-urlencoded",
        headers={"accept": "text/html"},
    )

    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


def test_joining_and_leaving_buttons_say_what_they_do(browser, user):
    organization = OrganizationFactory()
    organization.users.add(user)

    _, members = page(browser, reverse("organization-users-list", args=[organization.pk]))
    _, member = page(browser, reverse("organization-users-detail", args=[organization.pk, user.pk]))

    assert ">Join this organization</button>" in members
    assert ">Leave / remove this member</button>" in member
    assert f"/api/organizations/{organization.pk}/users/{user.pk}/" in members  # membership_url


def test_pages_are_named_for_the_product(anon_client):
    _, html = page(anon_client, "/api/")

    assert "Django REST framework" not in html
    assert "<title>Home \N{EN DASH} People and organizations API</title>" in html
    assert re.search(r'class="navbar-brand"[^>]*>\s*People and organizations API', html)
    assert "Api Root" not in html
    # The two ways to log in.
    assert "Authorization: Bearer" in html
    assert "POST /api/login/" in html
    assert "Log in" in html


def test_the_pages_link_a_favicon(anon_client):
    _, html = page(anon_client, "/api/")

    assert re.search(r'<link rel="icon"[^>]*href="/static/restkit/favicon[^"]*"', html)


def test_another_users_page_shows_no_put_form(browser):
    other = UserFactory()

    _, html = page(browser, reverse("user-detail", args=[other.pk]))

    assert 'data-method="PUT"' not in html


def test_the_site_root_leads_to_the_api(anon_client):
    response = anon_client.get("/")

    assert response.status_code == 302
    assert response["location"] == "/api/"


def test_favicon_ico_leads_to_the_sites_icon(anon_client):
    response = anon_client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["location"] == "/static/restkit/favicon.svg"  # served by WhiteNoise
    with open(finders.find("restkit/favicon.svg"), "rb") as icon:
        assert icon.read().startswith(b"<svg")


@pytest.mark.parametrize("url", ["/api/auth/login/", "/api/redoc/", "/admin/login/"])
def test_the_other_pages_link_the_favicon_too(anon_client, url):
    html = anon_client.get(url).content.decode()

    assert re.search(r'<link rel="icon"[^>]*href="/static/restkit/favicon[^"]*"', html)


def test_the_login_page_is_named_for_the_product(anon_client):
    html = anon_client.get("/api/auth/login/").content.decode()

    assert "Django REST framework" not in html
    assert "People and organizations API" in html


def test_redocs_script_asks_no_other_origin_for_its_logo(anon_client):
    page = anon_client.get("/api/redoc/").content.decode()
    script_url = re.search(r'<script src="([^"]+)"', page).group(1)

    script = anon_client.get(script_url)

    assert script.status_code == 200
    assert script["content-type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" not in script.content
    assert b"Redoc" in script.content


@pytest.mark.parametrize("name", ["register", "login", "password-change"])
def test_the_page_of_a_post_only_action_is_its_form(browser, name):
    response, html = page(browser, reverse(name))

    assert response.status_code == 200  # a page, not a failed load
    assert "HTTP 405 Method Not Allowed" in html  # what the API answers, still said
    assert 'id="post-object-form"' in html


def test_json_clients_still_get_the_405(browser):
    response = browser.get(reverse("register"), headers={"accept": "application/json"})

    assert response.status_code == 405


def test_an_organizations_page_links_its_requests_and_invitations(browser, user):
    organization = OrganizationFactory(owner=user, join_policy="approval")
    base = f"/api/organizations/{organization.pk}"

    _, html = page(browser, reverse("organization-detail", args=[organization.pk]))
    _, invitations = page(browser, f"{base}/invitations/")
    _, requests = page(browser, f"{base}/requests/")

    assert f'href="http://testserver{base}/requests/"' in html
    assert f'href="http://testserver{base}/invitations/"' in html
    assert ">Invite</button>" in invitations
    assert 'name="email"' in invitations
    assert "HTTP 200 OK" in requests


def test_the_profile_links_ones_invitations_whose_links_accept(browser, user):
    owner = UserFactory()
    organization = OrganizationFactory(owner=owner, join_policy="invitation")
    services.invitation_create(organization=organization, by=owner, email=user.email, role="admin")
    members = f"/api/organizations/{organization.pk}/users/"

    _, profile = page(browser, reverse("profile"))
    _, invitations = page(browser, reverse("profile-invitations"))
    _, join = page(browser, members)
    response, _ = page(browser, members, "post")

    assert 'href="http://testserver/api/profile/invitations/"' in profile
    assert f'href="http://testserver{members}"' in invitations  # accept_url
    assert ">Join this organization</button>" in join
    assert response.status_code == 201
    assert organization.memberships.get(user=user).role == "admin"


@pytest.mark.parametrize("name", ["invitation-accept", "invitation-decline"])
def test_the_invitation_pages_are_forms_for_the_token(browser, name):
    response, html = page(browser, reverse(name))

    assert response.status_code == 200
    assert 'name="token"' in html
    assert ">Accept the invitation</button>" in html or ">Decline the invitation</button>" in html
