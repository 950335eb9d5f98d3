"""Every list and detail endpoint runs a fixed number of queries, whatever its size."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(user):
    """120 users in 30 organizations, 3 memberships each; `user` belongs to all of them."""
    orgs = OrganizationFactory.create_batch(30, created_by=user)
    for i in range(120):
        UserFactory(organizations=[orgs[i % 30], orgs[(i + 1) % 30], orgs[(i + 2) % 30]])
    user.organizations.set(orgs)
    return orgs


def counting(*, last_page=False):
    """The queries of a page's count: none on the last page (it tells the count); otherwise
    COUNT(*), after the planner's estimate on PostgreSQL (restkit.pagination.counted)."""
    if last_page:
        return 0
    return 2 if connection.vendor == "postgresql" else 1


@pytest.mark.parametrize("page_size", [1, 100])
@pytest.mark.parametrize(
    ("url_name", "queries", "rows"),
    [
        ("user-list", 2, 121),  # page, organizations of the page
        ("organization-list", 1, 30),  # page with users_count and created_by
        ("organization-with-users", 2, 30),  # page, users of the page
    ],
)
def test_list_query_count_is_fixed(
    api_client, directory, django_assert_num_queries, url_name, queries, rows, page_size
):
    with django_assert_num_queries(queries + counting(last_page=rows <= page_size)):
        response = api_client.get(reverse(url_name), {"page_size": page_size})

    assert response.status_code == 200
    assert response.json()["count"] == rows
    assert len(response.json()["results"]) == min(page_size, rows)


@pytest.mark.parametrize("page_size", [1, 100])
def test_members_list_query_count_is_fixed(
    api_client, directory, django_assert_num_queries, page_size
):
    url = reverse("organization-users-list", args=[directory[0].pk])

    # the organization, page, organizations of the page; 13 members
    with django_assert_num_queries(3 + counting(last_page=page_size >= 13)):
        response = api_client.get(url, {"page_size": page_size})

    assert response.status_code == 200
    assert response.json()["count"] == 13
    assert len(response.json()["results"]) == min(page_size, 13)


@pytest.mark.parametrize("ordering", ["id", "-last_name", "date_joined", "email"])
def test_a_page_by_cursor_costs_the_queries_of_a_numbered_one(
    api_client, directory, django_assert_num_queries, ordering
):
    first = api_client.get(
        reverse("user-list"), {"page_size": 10, "ordering": ordering, "cursor": ""}
    )

    with django_assert_num_queries(2 + counting(last_page=False)):  # page, organizations
        response = api_client.get(first.json()["next"])

    numbered = api_client.get(
        reverse("user-list"), {"page_size": 10, "ordering": ordering, "page": 2}
    )
    assert response.json()["results"] == numbered.json()["results"]


def test_user_detail_query_count_is_fixed(api_client, user, directory, django_assert_num_queries):
    with django_assert_num_queries(2):  # the user, their organizations
        response = api_client.get(reverse("user-detail", args=[user.pk]))

    assert len(response.json()["organizations"]) == 30


def test_organization_detail_query_count_is_fixed(api_client, directory, django_assert_num_queries):
    with django_assert_num_queries(1):  # the organization, with its count and active creator
        response = api_client.get(reverse("organization-detail", args=[directory[0].pk]))

    assert response.json()["users_count"] == 13  # 12 of the 120, and `user`


def test_profile_query_count_is_fixed(api_client, user, directory, django_assert_num_queries):
    # The user's organizations (the user is the request's), and whether two-factor login is on.
    with django_assert_num_queries(2):
        response = api_client.get(reverse("profile"))

    assert len(response.json()["organizations"]) == 30


def test_with_a_jwt_one_more_query_loads_the_user(jwt_client, directory, django_assert_num_queries):
    with django_assert_num_queries(3 + counting(last_page=False)):
        jwt_client.get(reverse("user-list"), {"page_size": 100})
