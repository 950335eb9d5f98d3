import pytest
from django.urls import reverse

from accounts.models import User
from orgs.models import Organization, name_key
from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("organization-list")


def detail(org):
    return reverse("organization-detail", args=[org.pk])


def test_any_user_creates_an_organization(api_client, user):
    response = api_client.post(LIST, {"name": "Acme", "description": "Rockets"})

    assert response.status_code == 201
    org = Organization.objects.get()
    assert response.json() == {
        "id": org.pk,
        "url": f"http://testserver/api/organizations/{org.pk}/",
        "name": "Acme",
        "description": "Rockets",
        "join_policy": "open",
        "users_count": 1,  # its creator, its owner
        "users_url": f"http://testserver/api/organizations/{org.pk}/users/",
        "requests_url": f"http://testserver/api/organizations/{org.pk}/requests/",
        "invitations_url": f"http://testserver/api/organizations/{org.pk}/invitations/",
        "created_by": f"http://testserver/api/users/{user.pk}/",
        "created_at": response.json()["created_at"],
    }
    assert org.created_by == user


def test_description_is_optional(api_client):
    response = api_client.post(LIST, {"name": "Acme"})

    assert response.status_code == 201
    assert response.json()["description"] == ""


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": None},
        {"name": "x" * 151},
        {"name": ["Acme"]},
        {"name": "Acme", "description": "x" * 501},
        {"name": "Acme", "description": {"a": 1}},
    ],
)
def test_bad_organization_input_is_a_400_and_creates_nothing(api_client, payload):
    response = api_client.post(LIST, payload)

    assert response.status_code == 400
    assert set(response.json()) <= {"name", "description"}
    assert not Organization.objects.exists()


SAME_NAMES = [
    ("Acme", "aCME"),
    ("Ünïcode Org", "ÜNÏCODE ORG"),  # beyond ASCII, which SQLite's own LOWER() stops at
    ("Ωmega", "ωMEGA"),
    ("Straße", "STRASSE"),
    ("Дом", "дОМ"),
    ("Café", "Cafe\u0301"),  # one character, or a letter and a combining accent
    ("Acme", "Ac\u200bme"),  # an invisible character in it
]


@pytest.mark.parametrize(("existing", "new"), SAME_NAMES)
def test_a_duplicate_name_in_any_case_is_refused(api_client, existing, new):
    OrganizationFactory(name=existing)

    response = api_client.post(LIST, {"name": new})

    assert response.status_code == 400
    assert response.json() == {"name": ["An organization with this name already exists."]}
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(("existing", "new"), SAME_NAMES)
def test_the_database_also_refuses_a_duplicate_name(existing, new):
    from django.db import IntegrityError, transaction

    OrganizationFactory(name=existing)

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name=new)


def test_renaming_keeps_the_name_taken_in_any_case(user):
    org = OrganizationFactory(name="Ωmega")
    org.name = "Alpha"
    org.save(update_fields=["name"])

    assert Organization.objects.get().name_key == name_key("ALPHA")
    assert OrganizationFactory(name="ΩMEGA").name == "ΩMEGA"  # the old name is free again


def test_list_counts_users_and_links_to_them(api_client):
    org = OrganizationFactory(name="Acme")
    UserFactory.create_batch(3, organizations=[org])

    response = api_client.get(LIST)

    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["users_count"] == 3
    assert result["created_by"] is None
    members = api_client.get(result["users_url"])
    assert members.json()["count"] == 3


def test_search_by_name(api_client):
    OrganizationFactory(name="Acme Rockets")
    OrganizationFactory(name="Globex")

    response = api_client.get(LIST, {"search": "rock"})

    assert [o["name"] for o in response.json()["results"]] == ["Acme Rockets"]


def test_ordering_by_users_count_then_id(api_client):
    small, big, empty = OrganizationFactory.create_batch(3)
    UserFactory.create_batch(2, organizations=[big])
    UserFactory(organizations=[small])

    response = api_client.get(LIST, {"ordering": "-users_count"})

    assert [o["id"] for o in response.json()["results"]] == [big.pk, small.pk, empty.pk]


def test_default_ordering_is_by_name(api_client):
    OrganizationFactory(name="Zeta")
    OrganizationFactory(name="Alpha")

    response = api_client.get(LIST)

    assert [o["name"] for o in response.json()["results"]] == ["Alpha", "Zeta"]


def test_detail_answers_with_and_without_the_slash(api_client):
    org = OrganizationFactory()

    assert api_client.get(f"/api/organizations/{org.pk}").json()["name"] == org.name
    assert api_client.get(f"/api/organizations/{org.pk}/").json()["name"] == org.name


@pytest.mark.parametrize("path", ["/api/organizations/999999/", "/api/organizations/abc/"])
def test_unknown_organization_is_a_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert "detail" in response.json()


def test_owner_edits_and_deletes(user):
    org = OrganizationFactory(created_by=user, owner=user)
    client = client_for(user)

    assert client.patch(detail(org), {"description": "New"}).json()["description"] == "New"
    put = client.put(detail(org), {"name": "Renamed", "description": ""})
    assert put.status_code == 200
    assert put.json()["name"] == "Renamed"
    assert client.delete(detail(org)).status_code == 204
    assert not Organization.objects.exists()


def test_staff_edits_any_organization():
    org = OrganizationFactory()

    response = client_for(UserFactory(is_staff=True)).patch(detail(org), {"name": "Staffed"})

    assert response.status_code == 200
    org.refresh_from_db()
    assert org.name == "Staffed"


def test_stranger_cannot_change_or_delete_an_organization(api_client):
    org = OrganizationFactory(name="Theirs", created_by=UserFactory())

    assert api_client.patch(detail(org), {"name": "Mine"}).status_code == 403
    assert api_client.put(detail(org), {"name": "Mine"}).status_code == 403
    response = api_client.delete(detail(org))
    assert response.status_code == 403
    assert "detail" in response.json()
    org.refresh_from_db()
    assert org.name == "Theirs"


def test_renaming_to_a_taken_name_is_refused_but_keeping_ones_own_is_fine(user):
    OrganizationFactory(name="Taken")
    org = OrganizationFactory(name="Mine", created_by=user, owner=user)
    client = client_for(user)

    assert client.patch(detail(org), {"name": "TAKEN"}).status_code == 400
    assert client.patch(detail(org), {"name": "MINE"}).status_code == 200


def test_deleting_an_organization_removes_only_the_memberships(user):
    org = OrganizationFactory(created_by=user, owner=user)
    kept = OrganizationFactory()
    member = UserFactory(organizations=[org, kept])

    client_for(user).delete(detail(org))

    member.refresh_from_db()
    assert list(member.organizations.all()) == [kept]
    assert User.objects.count() == 2


def test_organizations_need_authentication(anon_client):
    org = OrganizationFactory()

    for response in (
        anon_client.get(LIST),
        anon_client.post(LIST, {"name": "X"}),
        anon_client.get(detail(org)),
        anon_client.delete(detail(org)),
        anon_client.get(reverse("organization-with-users")),
    ):
        assert response.status_code == 401
        assert "detail" in response.json()
    assert Organization.objects.count() == 1


def test_organizations_with_users_lists_every_member(api_client):
    org = OrganizationFactory(name="Acme", description="Rockets")
    ann = UserFactory(
        email="ann@example.com",
        first_name="Ann",
        organizations=[org],
        contact_visibility="everyone",
    )
    OrganizationFactory(name="Empty")

    response = api_client.get(reverse("organization-with-users"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "id": org.pk,
        "url": f"http://testserver/api/organizations/{org.pk}/",
        "name": "Acme",
        "description": "Rockets",
        "join_policy": "open",
        "users": [
            {
                "id": ann.pk,
                "url": f"http://testserver/api/users/{ann.pk}/",
                "email": "ann@example.com",
                "first_name": "Ann",
                "last_name": "",
            }
        ],
    }
    assert body["results"][1]["users"] == []


def test_browsable_api_offers_a_form_to_create_an_organization(client, user):
    client.force_login(user)

    page = client.get(LIST, HTTP_ACCEPT="text/html").content.decode()

    assert 'name="name"' in page
    assert 'name="description"' in page


def test_browsable_api_form_post_creates_an_organization(client, user):
    client.force_login(user)

    response = client.post(LIST, {"name": "From the form", "description": "Typed in a browser"})

    assert response.status_code == 201
    assert Organization.objects.get().created_by == user


@pytest.mark.parametrize("ordering", ["users_count", "-users_count", "name", "-id"])
def test_organizations_with_users_can_be_ordered_like_the_list(api_client, ordering):
    small, big = OrganizationFactory.create_batch(2)
    UserFactory.create_batch(2, organizations=[big])
    UserFactory(organizations=[small])

    response = api_client.get(reverse("organization-with-users"), {"ordering": ordering})

    assert response.status_code == 200
    listed = [o["id"] for o in response.json()["results"]]
    plain = [o["id"] for o in api_client.get(LIST, {"ordering": ordering}).json()["results"]]
    assert listed == plain


@pytest.mark.parametrize("as_creator", [True, False])
def test_browsable_api_renders_an_organization_page(client, user, as_creator):
    org = OrganizationFactory(owner=user if as_creator else UserFactory())
    client.force_login(user)

    response = client.get(detail(org), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    page = response.content.decode()
    assert org.name in page
    assert ('name="description"' in page) is as_creator  # the edit form, for its owner only


def test_a_deactivated_creator_is_shown_as_none_and_again_once_reactivated(api_client):
    creator = UserFactory()
    org = OrganizationFactory(created_by=creator)
    User.objects.filter(pk=creator.pk).update(is_active=False)  # hidden from the directory

    listed = api_client.get(reverse("organization-list")).json()["results"]
    detail = api_client.get(reverse("organization-detail", args=[org.pk])).json()

    assert [o["created_by"] for o in listed] == [None]
    assert detail["created_by"] is None
    assert api_client.get(reverse("user-detail", args=[creator.pk])).status_code == 404
    assert Organization.objects.get().created_by == creator  # kept, only not shown

    User.objects.filter(pk=creator.pk).update(is_active=True)
    detail = api_client.get(reverse("organization-detail", args=[org.pk])).json()
    assert detail["created_by"] == f"http://testserver/api/users/{creator.pk}/"


def test_the_admin_refuses_a_name_of_invisible_characters(client):
    client.force_login(User.objects.create_superuser("admin@example.com", "admin-pass-123"))

    response = client.post(
        reverse("admin:orgs_organization_add"), {"name": "\u200b", "description": ""}
    )

    assert response.status_code == 200
    assert "A name needs at least one visible character." in response.content.decode()
    assert not Organization.objects.exists()


def test_the_admin_refuses_a_duplicate_name_with_a_message(client):
    client.force_login(User.objects.create_superuser("admin@example.com", "admin-pass-123"))
    OrganizationFactory(name="Straße")

    response = client.post(
        reverse("admin:orgs_organization_add"), {"name": "STRASSE", "description": ""}
    )

    assert response.status_code == 200  # the form again, with the error
    assert "An organization with this name already exists." in response.content.decode()
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["\u200b", "\u200b\u200d", " \u2060 ", "\u3164", "\u115f", "\u2800\u2800", "\u034f"]
)
def test_a_name_of_invisible_characters_only_is_refused(api_client, name):
    response = api_client.post(LIST, {"name": name})

    assert response.status_code == 400
    assert response.json() == {"name": ["A name needs at least one visible character."]}
    assert not Organization.objects.exists()


@pytest.mark.parametrize("term", ["café", "CAFÉ", "AFÉ", "ωMEGA"])
def test_search_by_name_ignores_case_in_any_script(api_client, term):
    OrganizationFactory(name="Café Ωmega")
    OrganizationFactory(name="Zinc")

    response = api_client.get(LIST, {"search": term})

    assert [org["name"] for org in response.json()["results"]] == ["Café Ωmega"]


def test_a_name_that_normalizing_makes_much_longer_is_taken_like_any_other(api_client):
    name = "\ufdfa" * 150  # each character is 18 once normalized

    created = api_client.post(LIST, {"name": name})
    again = api_client.post(LIST, {"name": name})

    assert created.status_code == 201, created.json()
    assert again.status_code == 400
    assert Organization.objects.get().name == name
