import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400_with_a_json_body(jwt_client):
    response = jwt_client.generic(
        "PATCH", reverse("profile"), "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_json_that_is_not_an_object_is_a_400(jwt_client):
    response = jwt_client.generic(
        "PATCH", reverse("profile"), "[1, 2]", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()


def test_unsupported_content_type_is_a_415(anon_client):
    response = anon_client.generic("POST", reverse("login"), "x", content_type="text/plain")

    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


def test_unknown_url_is_a_json_404(anon_client):
    response = anon_client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_route_answers_without_its_trailing_slash_and_without_a_redirect(jwt_client, user):
    response = jwt_client.get("/api/profile")

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_a_post_answers_without_the_trailing_slash(anon_client):
    response = anon_client.post("/api/login", {"email": "a@example.com", "password": "wrong-pw"})

    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_api_root_lists_every_entry_point_with_absolute_urls(anon_client):
    response = anon_client.get(reverse("api-root"))

    assert response.status_code == 200
    body = response.json()
    for name in (
        "users",
        "organizations",
        "organizations-with-users",
        "profile",
        "register",
        "login",
        "token-refresh",
        "logout",
    ):
        assert body[name].startswith("http://testserver/api/")


def test_browsable_api_renders_html_for_a_browser(jwt_client):
    response = jwt_client.get(reverse("api-root"), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_every_page_of_the_browsable_api_renders(client, user):
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(created_by=user)
    user.organizations.add(org)
    client.force_login(user)
    pages = [
        "/api/",
        "/api/users/",
        f"/api/users/{user.pk}/",
        "/api/organizations/",
        f"/api/organizations/{org.pk}/",
        "/api/organizations/users/",
        f"/api/organizations/{org.pk}/users/",
        "/api/profile/",
        "/api/register/",
        "/api/login/",
        "/api/password/change/",
    ]

    for page in pages:
        response = client.get(page, HTTP_ACCEPT="text/html")
        assert response.status_code in {200, 405}, page
        assert response["Content-Type"].startswith("text/html"), page


@pytest.mark.parametrize("debug", [False, True])
def test_a_host_not_allowed_is_a_json_400(anon_client, settings, debug):
    settings.DEBUG = debug  # `make run` serves in debug mode, where Django answers with a page

    response = anon_client.post(
        reverse("login"), {"email": "a@example.com", "password": "x"}, HTTP_HOST="evil.example"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid Host header."}


@pytest.mark.parametrize("debug", [False, True])
def test_a_query_string_with_too_many_parameters_is_a_json_400(jwt_client, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = jwt_client.get(reverse("user-list"), {f"p{i}": "1" for i in range(20)})

    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["detail"]


def test_a_chunked_body_is_a_411_not_a_body_read_as_empty(anon_client):
    response = anon_client.post(
        reverse("login"),
        {"email": "a@example.com", "password": "x"},
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 411
    assert response.json() == {"detail": "Send the request body with a Content-Length header."}


@pytest.mark.parametrize("url_name", ["user-list", "api-root"])
def test_an_unknown_format_is_a_406_and_a_known_one_works(jwt_client, url_name):
    response = jwt_client.get(reverse(url_name), {"format": "xml"})

    assert response.status_code == 406
    assert response.json() == {"detail": "Unknown format 'xml': use one of json, api."}
    assert jwt_client.get(reverse(url_name), {"format": "json"}).status_code == 200
    assert "text/html" in jwt_client.get(reverse(url_name), {"format": "api"})["Content-Type"]
