"""Who sees whose email and phone: the user, staff, and, as the user chose, colleagues (people who
share an organization with them, the default) or everyone; anyone else reads null."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.api.test_query_counts import counting
from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+14155552671"


@pytest.fixture
def acme():
    return OrganizationFactory(name="Acme")


@pytest.fixture
def ann(acme):
    return UserFactory(email="ann@example.com", first_name="Ann", phone=PHONE, organizations=[acme])


def shown(viewer, user):
    """The email and phone of `user` as `viewer` reads them in the directory's detail."""
    body = client_for(viewer).get(reverse("user-detail", args=[user.pk])).json()
    return body["email"], body["phone"]


def test_a_colleague_sees_the_email_and_phone(ann, acme):
    colleague = UserFactory(organizations=[acme])

    assert shown(colleague, ann) == ("ann@example.com", PHONE)


def test_a_stranger_reads_null_for_both_but_sees_the_rest(ann, acme):
    stranger = UserFactory(organizations=[OrganizationFactory()])

    body = client_for(stranger).get(reverse("user-detail", args=[ann.pk])).json()

    assert (body["email"], body["phone"]) == (None, None)
    assert body["first_name"] == "Ann"
    assert body["organizations"] == [
        {"id": acme.pk, "url": f"http://testserver/api/organizations/{acme.pk}/", "name": "Acme"}
    ]


def test_the_user_and_staff_always_see_them(ann):
    ann.contact_visibility = "nobody"
    ann.save()
    staff = UserFactory(is_staff=True)

    assert shown(ann, ann) == ("ann@example.com", PHONE)
    assert shown(staff, ann) == ("ann@example.com", PHONE)


@pytest.mark.parametrize(
    ("visibility", "colleague_sees", "stranger_sees"),
    [("organizations", True, False), ("everyone", True, True), ("nobody", False, False)],
)
def test_each_choice_of_visibility(ann, acme, visibility, colleague_sees, stranger_sees):
    User.objects.filter(pk=ann.pk).update(contact_visibility=visibility)
    colleague = UserFactory(organizations=[acme])
    stranger = UserFactory()
    details = ("ann@example.com", PHONE)

    assert (shown(colleague, ann) == details) is colleague_sees
    assert (shown(stranger, ann) == details) is stranger_sees
    assert shown(stranger, ann) in {details, (None, None)}


def test_the_rule_holds_in_every_list(ann, acme):
    stranger = UserFactory()
    client = client_for(stranger)

    directory = client.get(reverse("user-list")).json()["results"]
    members = client.get(reverse("organization-users-list", args=[acme.pk])).json()["results"]
    with_users = client.get(reverse("organization-with-users")).json()["results"]

    (in_directory,) = [row for row in directory if row["id"] == ann.pk]
    assert (in_directory["email"], in_directory["phone"]) == (None, None)
    assert (members[0]["email"], members[0]["phone"]) == (None, None)
    assert with_users[0]["users"] == [
        {
            "id": ann.pk,
            "url": f"http://testserver/api/users/{ann.pk}/",
            "email": None,
            "first_name": "Ann",
            "last_name": "",
        }
    ]


def test_a_colleague_sees_them_in_every_list(ann, acme):
    colleague = UserFactory(organizations=[acme])
    client = client_for(colleague)

    members = client.get(reverse("organization-users-list", args=[acme.pk])).json()["results"]
    with_users = client.get(reverse("organization-with-users")).json()["results"]

    assert {row["email"] for row in members} == {"ann@example.com", colleague.email}
    assert {row["email"] for row in with_users[0]["users"]} == {"ann@example.com", colleague.email}


def test_a_colleague_elsewhere_sees_them_in_an_organization_they_do_not_belong_to(ann, acme):
    """Sharing any organization is enough: here they share Globex, and look at Acme's members."""
    globex = OrganizationFactory(name="Globex")
    ann.organizations.add(globex)
    colleague = UserFactory(organizations=[globex])

    members = client_for(colleague).get(reverse("organization-users-list", args=[acme.pk]))

    assert members.json()["results"][0]["email"] == "ann@example.com"


@pytest.mark.parametrize("term", ["ann@", "example.com", "4155552671"])
def test_search_never_matches_what_the_searcher_cannot_see(ann, acme, term):
    stranger = UserFactory(email="zed@elsewhere.org")
    colleague = UserFactory(email="bob@elsewhere.org", organizations=[acme])

    hidden = client_for(stranger).get(reverse("user-list"), {"search": term}).json()
    members = client_for(stranger).get(
        reverse("organization-users-list", args=[acme.pk]), {"search": term}
    )

    assert ann.pk not in [row["id"] for row in hidden["results"]]
    assert members.json()["count"] == 0
    if term != "4155552671":  # the phone is not searched, by anyone
        found = client_for(colleague).get(reverse("user-list"), {"search": term}).json()
        assert ann.pk in [row["id"] for row in found["results"]]


def test_search_by_name_still_finds_a_user_whose_contacts_are_hidden(ann):
    stranger = UserFactory()

    response = client_for(stranger).get(reverse("user-list"), {"search": "ann"})

    assert [row["id"] for row in response.json()["results"]] == [ann.pk]


def test_ordering_by_email_sorts_by_what_the_viewer_sees(acme):
    """Sorting by a hidden address would tell where it falls among the visible ones."""
    stranger = UserFactory(email="mid@example.com")
    UserFactory(email="aaa@example.com", organizations=[acme])  # hidden from the stranger
    UserFactory(email="zzz@example.com", contact_visibility="everyone")

    response = client_for(stranger).get(reverse("user-list"), {"ordering": "email"})

    emails = [row["email"] for row in response.json()["results"]]
    assert [email for email in emails if email] == ["mid@example.com", "zzz@example.com"]
    assert emails.count(None) == 1


def test_the_profile_shows_and_changes_who_sees_them(ann, acme):
    client = client_for(ann)
    stranger = UserFactory()

    assert client.get(reverse("profile")).json()["contact_visibility"] == "organizations"
    response = client.patch(reverse("profile"), {"contact_visibility": "everyone"})

    assert response.status_code == 200
    assert response.json()["contact_visibility"] == "everyone"
    assert shown(stranger, ann) == ("ann@example.com", PHONE)


def test_an_unknown_visibility_is_a_400_naming_it(ann):
    response = client_for(ann).patch(reverse("profile"), {"contact_visibility": "friends"})

    assert response.status_code == 400
    assert "contact_visibility" in response.json()
    assert User.objects.get(pk=ann.pk).contact_visibility == "organizations"


def test_the_deployment_chooses_the_default_for_new_accounts(settings, anon_client):
    settings.DIRECTORY_CONTACT_VISIBILITY_DEFAULT = "nobody"

    response = anon_client.post(
        reverse("register"), {"email": "new@example.com", "password": "correct-horse-42"}
    )

    assert response.status_code == 201
    assert response.json()["user"]["contact_visibility"] == "nobody"
    assert User.objects.get(email="new@example.com").contact_visibility == "nobody"


@pytest.mark.parametrize("page_size", [1, 100])
def test_the_rule_costs_no_query_per_row(acme, django_assert_num_queries, page_size):
    stranger = UserFactory(organizations=[OrganizationFactory()])
    for i in range(30):
        UserFactory(organizations=[acme], contact_visibility=["organizations", "everyone"][i % 2])
    client = client_for(stranger)

    # The page and the organizations (or members) of its rows, and its count unless it is the
    # last page (tests/api/test_query_counts.py).
    with django_assert_num_queries(2 + counting(last_page=page_size > 32)):
        client.get(reverse("user-list"), {"page_size": page_size})
    with django_assert_num_queries(2 + counting(last_page=page_size > 2)):
        client.get(reverse("organization-with-users"), {"page_size": page_size})
