"""Every list and detail endpoint runs a fixed number of queries, whatever its size."""

import pytest
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


@pytest.mark.parametrize("page_size", [1, 100])
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        ("user-list", 3),  # count, page, organizations of the page
        ("organization-list", 2),  # count, page with users_count and created_by
        ("organization-with-users", 3),  # count, page, users of the page
    ],
)
def test_list_query_count_is_fixed(
    api_client, directory, django_assert_num_queries, url_name, queries, page_size
):
    with django_assert_num_queries(queries):
        response = api_client.get(reverse(url_name), {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("page_size", [1, 100])
def test_members_list_query_count_is_fixed(
    api_client, directory, django_assert_num_queries, page_size
):
    url = reverse("organization-users-list", args=[directory[0].pk])

    # the organization, count, page, organizations of the page
    with django_assert_num_queries(4):
        response = api_client.get(url, {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, response.json()["count"])


def test_user_detail_query_count_is_fixed(api_client, user, directory, django_assert_num_queries):
    with django_assert_num_queries(2):  # the user, their organizations
        response = api_client.get(reverse("user-detail", args=[user.pk]))

    assert len(response.json()["organizations"]) == 30


def test_organization_detail_query_count_is_fixed(api_client, directory, django_assert_num_queries):
    with django_assert_num_queries(1):  # the organization, with its count and active creator
        response = api_client.get(reverse("organization-detail", args=[directory[0].pk]))

    assert response.json()["users_count"] == 13  # 12 of the 120, and `user`


def test_profile_query_count_is_fixed(api_client, user, directory, django_assert_num_queries):
    with django_assert_num_queries(1):  # the user's organizations (the user is the request's)
        response = api_client.get(reverse("profile"))

    assert len(response.json()["organizations"]) == 30


def test_with_a_jwt_one_more_query_loads_the_user(jwt_client, directory, django_assert_num_queries):
    with django_assert_num_queries(4):
        jwt_client.get(reverse("user-list"), {"page_size": 100})
