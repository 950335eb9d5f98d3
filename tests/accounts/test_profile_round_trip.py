"""What the browsable API's profile forms send back changes nothing the person did not touch:
the HTML form (an empty file input, the organizations as selected) and the raw data, in the
write shape it is prefilled with or in the read shape the profile is shown in."""

import html
import json
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import images
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("profile")
BOUNDARY = "form-boundary"


@pytest.fixture
def member(media_root):
    """A user with two organizations and an avatar."""
    user = UserFactory(first_name="Ann")
    user.organizations.add(*OrganizationFactory.create_batch(2))
    response = browser_client(user).patch(
        URL, {"avatar": images.upload(images.image_bytes())}, format="multipart"
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    return user


def browser_client(user):
    """A session logged in as `user`, as the browsable API's pages are."""
    client = APIClient()
    client.force_login(user)
    return client


def html_form_body(fields):
    """A multipart body as Chromium sends the PUT form: a file input left empty is a part with
    an empty file name."""
    parts = []
    for name, value in fields:
        if name == "avatar":
            disposition = f'form-data; name="{name}"; filename=""'
            parts.append(
                f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
                "Content-Type: application/octet-stream\r\n\r\n\r\n"
            )
        else:
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


def put_form(client, fields):
    return client.put(
        URL,
        html_form_body(fields),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers={"accept": "application/json"},
    )


def profile_page(client):
    response = client.get(URL, headers={"accept": "text/html"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_html_form_shows_the_memberships_as_selected(member):
    page = profile_page(browser_client(member))

    selected = re.findall(r'<option value="(\d+)"\s+selected', page)
    assert sorted(map(int, selected)) == sorted(member.organizations.values_list("id", flat=True))


def test_the_raw_data_form_is_prefilled_with_the_write_shape(member):
    page = profile_page(browser_client(member))

    textarea = re.search(r'<textarea name="_content"[^>]*>(.*?)</textarea>', page, re.S)
    data = json.loads(html.unescape(textarea.group(1)))
    assert data["organizations"] == sorted(member.organizations.values_list("id", flat=True))
    assert "avatar" not in data
    assert data["first_name"] == "Ann"


def test_an_html_form_round_trip_keeps_memberships_and_avatar(member, media_root):
    client = browser_client(member)
    organizations = sorted(member.organizations.values_list("id", flat=True))
    avatar = member.avatar.name

    response = put_form(
        client,
        [
            ("email", member.email),
            ("first_name", "Annie"),
            ("last_name", ""),
            ("phone", ""),
            ("avatar", None),
            ("contact_visibility", "organizations"),
            ("current_password", ""),
            *(("organizations", pk) for pk in organizations),
        ],
    )

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.first_name == "Annie"
    assert member.avatar.name == avatar
    assert (media_root / avatar).exists()
    assert sorted(member.organizations.values_list("id", flat=True)) == organizations
    # The answer keeps the read shape.
    body = response.json()
    assert body["avatar"].endswith(avatar)
    assert [each["id"] for each in body["organizations"]] == organizations


def test_the_remove_avatar_box_removes_it(member, media_root, django_capture_on_commit_callbacks):
    avatar = member.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = put_form(
            browser_client(member),
            [("email", member.email), ("avatar", None), ("remove_avatar", "true")],
        )

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert not member.avatar
    assert not (media_root / avatar).exists()
    assert response.json()["avatar"] is None


def test_uploading_and_removing_at_once_is_refused(jwt_client, user):
    response = jwt_client.patch(
        URL,
        {"avatar": images.upload(images.image_bytes()), "remove_avatar": True},
        format="multipart",
    )

    assert response.status_code == 400
    assert "remove_avatar" in response.json()


def test_the_read_shape_sent_back_unchanged_is_accepted_and_changes_nothing(member):
    client = browser_client(member)
    shown = client.get(URL, headers={"accept": "application/json"}).json()
    avatar = member.avatar.name

    response = client.put(URL, shown, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == shown
    member.refresh_from_db()
    assert member.avatar.name == avatar
    assert member.organizations.count() == 2


@pytest.mark.parametrize("form", ["absolute", "relative", "name"])
def test_the_current_avatar_as_text_leaves_it_unchanged(member, form):
    url = member.avatar.url
    text = {"absolute": f"http://testserver{url}", "relative": url, "name": member.avatar.name}

    response = browser_client(member).patch(URL, {"avatar": text[form]}, format="json")

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.avatar.name in response.json()["avatar"]


@pytest.mark.parametrize("text", ["http://testserver/media/avatars/other.jpg", "hello"])
def test_other_text_for_the_avatar_is_refused(member, text):
    response = browser_client(member).patch(URL, {"avatar": text}, format="json")

    assert response.status_code == 400
    assert "avatar" in response.json()


def test_organizations_given_as_objects_count_as_their_ids(jwt_client, user):
    organizations = OrganizationFactory.create_batch(2)

    response = jwt_client.patch(
        URL,
        {"organizations": [{"id": each.pk, "name": "ignored"} for each in organizations]},
    )

    assert response.status_code == 200, response.content
    assert sorted(user.organizations.values_list("id", flat=True)) == [o.pk for o in organizations]


@pytest.mark.parametrize("value", [{"name": "no id"}, {"id": 999999}, {"id": "x"}])
def test_organization_objects_without_a_valid_id_are_refused(jwt_client, value):
    response = jwt_client.patch(URL, {"organizations": [value]})

    assert response.status_code == 400
    assert "organizations" in response.json()
