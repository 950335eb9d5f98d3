import jsonschema
import pytest
from django.urls import reverse

from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory
from tests.openapi import SCHEMA, documented_schema

pytestmark = pytest.mark.django_db

LIST = reverse("user-list")


@pytest.fixture(autouse=True)
def contacts_shown_to_everyone(settings):
    """These tests are about listing, search and order: everyone shows their contact details
    (who sees them otherwise is tests/orgs/test_contact_visibility.py's subject)."""
    settings.DIRECTORY_CONTACT_VISIBILITY_DEFAULT = "everyone"


def emails(response):
    return [u["email"] for u in response.json()["results"]]


def test_user_list_shows_everyone_with_their_organizations(api_client, user):
    org = OrganizationFactory(name="Acme")
    other = UserFactory(email="bob@example.com", first_name="Bob", organizations=[org])

    response = api_client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["previous"] is None
    assert body["next"] is None
    assert body["results"][1] == {
        "id": other.pk,
        "url": f"http://testserver/api/users/{other.pk}/",
        "email": "bob@example.com",
        "first_name": "Bob",
        "last_name": "",
        "phone": "",
        "avatar": None,
        "organizations": [
            {"id": org.pk, "url": f"http://testserver/api/organizations/{org.pk}/", "name": "Acme"}
        ],
    }


def test_user_detail_shows_one_user(api_client):
    orgs = OrganizationFactory.create_batch(2)
    other = UserFactory(organizations=orgs)

    response = api_client.get(reverse("user-detail", args=[other.pk]))

    assert response.status_code == 200
    assert response.json()["email"] == other.email
    assert [o["id"] for o in response.json()["organizations"]] == [o.pk for o in orgs]


@pytest.mark.parametrize("path", ["/api/users/999999/", "/api/users/abc/", "/api/users/-1/"])
def test_unknown_or_non_numeric_user_id_is_a_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert "detail" in response.json()


def test_user_detail_answers_with_and_without_the_trailing_slash(api_client, user):
    with_slash = api_client.get(f"/api/users/{user.pk}/")
    without = api_client.get(f"/api/users/{user.pk}")

    assert with_slash.status_code == without.status_code == 200
    assert with_slash.json() == without.json()


def test_directory_needs_authentication(anon_client, user):
    for url in (LIST, reverse("user-detail", args=[user.pk])):
        response = anon_client.get(url)
        assert response.status_code == 401
        assert "detail" in response.json()


def test_directory_is_read_only(api_client, user):
    assert api_client.post(LIST, {"email": "x@example.com"}).status_code == 405
    detail = reverse("user-detail", args=[user.pk])
    assert api_client.patch(detail, {"first_name": "X"}).status_code == 405
    assert api_client.delete(detail).status_code == 405


@pytest.mark.parametrize(
    "term", ["ANN", "lee", "ann@ex", "ωmega", "ΩMEGA", "ÉLODIE", "STRAßE", "ЖУК", "ann lee"]
)
def test_search_by_email_or_name_ignores_case(api_client, term):
    UserFactory(email="ann@example.com", first_name="Ann", last_name="Lee Ωmega Élodie Straße Жук")
    UserFactory(email="zed@example.com", first_name="Zed", last_name="Zero")

    response = api_client.get(LIST, {"search": term})

    assert emails(response) == ["ann@example.com"]


def test_filter_by_organization(api_client):
    org = OrganizationFactory()
    member = UserFactory(organizations=[org, OrganizationFactory()])
    UserFactory(organizations=[OrganizationFactory()])

    response = api_client.get(LIST, {"organization": org.pk})

    assert emails(response) == [member.email]


@pytest.mark.parametrize(
    "value", ["abc", "1.5", "1e400", "NaN", "Infinity", "0", "-1", "99999999999999999999999"]
)
def test_filter_by_an_organization_that_is_not_a_valid_id_is_a_400(api_client, value):
    response = api_client.get(LIST, {"organization": value})

    assert response.status_code == 400
    assert "organization" in response.json()


def test_filter_by_an_unknown_organization_finds_nobody(api_client):
    response = api_client.get(LIST, {"organization": 424242})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("email", ["a@example.com", "b@example.com", "c@example.com"]),
        ("-email", ["c@example.com", "b@example.com", "a@example.com"]),
        ("last_name", ["b@example.com", "c@example.com", "a@example.com"]),
        ("-last_name", ["a@example.com", "c@example.com", "b@example.com"]),
        ("-id", ["c@example.com", "b@example.com", "a@example.com"]),
        ("date_joined", ["a@example.com", "b@example.com", "c@example.com"]),
    ],
)
def test_ordering(db, ordering, expected):
    a = UserFactory(email="a@example.com", last_name="Young")
    UserFactory(email="b@example.com", last_name="Adams")
    UserFactory(email="c@example.com", last_name="Moss")

    assert emails(client_for(a).get(LIST, {"ordering": ordering})) == expected


def test_ties_are_broken_by_id_so_pages_never_overlap(api_client, user):
    UserFactory.create_batch(9, last_name="Same")

    seen = []
    for page in (1, 2, 3, 4, 5):
        seen += emails(
            api_client.get(LIST, {"ordering": "last_name", "page_size": 2, "page": page})
        )

    assert len(seen) == len(set(seen)) == 10


def test_page_size_is_clamped_to_100(api_client):
    UserFactory.create_batch(105)

    response = api_client.get(LIST, {"page_size": 1000})

    assert len(response.json()["results"]) == 100
    assert response.json()["count"] == 106


@pytest.mark.parametrize("page_size", ["abc", "-5", "0", "", "1.5"])
def test_a_bad_page_size_falls_back_to_the_default(api_client, page_size):
    UserFactory.create_batch(25)

    response = api_client.get(LIST, {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 20


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", "99999999999999999999", "1.5"])
def test_a_page_past_the_end_or_invalid_is_a_json_404(api_client, page):
    response = api_client.get(LIST, {"page": page})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_next_and_previous_links_walk_the_pages(api_client):
    UserFactory.create_batch(4)

    first = api_client.get(LIST, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()

    assert first["previous"] is None
    assert second["previous"].startswith("http://testserver/api/users/")
    assert third["next"] is None
    assert len({u["id"] for page in (first, second, third) for u in page["results"]}) == 5


@pytest.mark.parametrize("path", ["/api/users/99999999999999999999/", "/api/users/1.5/"])
def test_an_id_too_large_or_not_whole_is_a_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "ordering", ["password", "organizations__name", "-is_superuser", "?", "last_name,password"]
)
def test_ordering_by_a_field_not_offered_is_a_400_naming_those_offered(api_client, ordering):
    response = api_client.get(LIST, {"ordering": ordering})

    assert response.status_code == 400
    assert response.json() == {
        "ordering": [
            "Sort by one of: id, -id, email, -email, last_name, -last_name, date_joined, "
            "-date_joined."
        ]
    }


def test_the_ordering_choices_are_the_schemas_enum(api_client):
    [parameter] = [
        p for p in SCHEMA["paths"]["/api/users/"]["get"]["parameters"] if p["name"] == "ordering"
    ]

    for ordering in parameter["schema"]["enum"]:
        assert api_client.get(LIST, {"ordering": ordering}).status_code == 200


def test_deactivated_users_are_not_shown_anywhere(api_client):
    org = OrganizationFactory()
    shown = UserFactory(organizations=[org])
    hidden = UserFactory(organizations=[org], is_active=False)

    listed = api_client.get(LIST).json()["results"]
    detail = api_client.get(reverse("user-detail", args=[hidden.pk]))
    members = api_client.get(reverse("organization-users-list", args=[org.pk])).json()
    with_users = api_client.get(reverse("organization-with-users")).json()["results"][0]
    organization = api_client.get(reverse("organization-detail", args=[org.pk])).json()

    assert hidden.pk not in [u["id"] for u in listed]
    assert detail.status_code == 404
    assert [u["id"] for u in members["results"]] == [shown.pk]
    assert [u["id"] for u in with_users["users"]] == [shown.pk]
    assert organization["users_count"] == 1


@pytest.mark.parametrize(("term", "found"), [("100%", 1), ("100_", 0), ("a\\b", 1), ("___", 0)])
def test_search_characters_are_literal_not_patterns(api_client, term, found):
    UserFactory(email="ann@example.com", first_name="100%", last_name="a\\b")

    response = api_client.get(LIST, {"search": term})

    assert len(emails(response)) == found


# Found by fuzzing the live server (tests/e2e/test_fuzz.py): a NUL character in `search` was a 400
# whose body is a bare list, `["Null characters are not allowed."]` (DRF's SearchFilter raises a
# ValidationError without a field), not an object naming the field as every other 400 does; and
# the organization lists did not document a 400 at all (only GET /api/users/ did). Expected: a 400
# `{"search": ["Null characters are not allowed."]}`, documented for each list.
SEARCHABLE_LISTS = [
    ("/api/users/", "/api/users/"),
    ("/api/organizations/", "/api/organizations/"),
    ("/api/organizations/users/", "/api/organizations/users/"),
    ("/api/organizations/{organization_pk}/users/", "/api/organizations/{org}/users/"),
]


@pytest.mark.parametrize(
    ("path", "url"), SEARCHABLE_LISTS, ids=[path for path, _ in SEARCHABLE_LISTS]
)
def test_a_null_character_in_search_is_a_documented_400_naming_the_field(
    jwt_client, user, path, url
):
    """Regression (fuzzing): a NUL in `search` was a bare-list 400, undocumented for org lists."""
    organization = OrganizationFactory(created_by=user)
    organization.users.add(user)

    response = jwt_client.get(url.format(org=organization.pk), {"search": "a\x00b"})

    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, dict), body
    assert list(body) == ["search"]
    jsonschema.validate(body, documented_schema(path, "get", 400))
