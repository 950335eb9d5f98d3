"""The search's minimum length, and the indexes each list's search and orderings use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ContactVisibility
from orgs import selectors
from orgs.models import Organization
from tests.clients import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["user-list", "organization-list", "organization-with-users"]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's"
)


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("term", ["a", "an", "an ok", "é ω"])
def test_a_search_without_a_word_of_three_characters_is_a_400(api_client, url_name, term):
    response = api_client.get(reverse(url_name), {"search": term})

    assert response.status_code == 400
    assert response.json() == {"search": ["Search for at least 3 characters in one word."]}


def test_a_short_word_beside_a_long_one_narrows_the_search(api_client):
    UserFactory(first_name="Ann", last_name="Park")
    UserFactory(first_name="Bob", last_name="Park")

    response = api_client.get(reverse("user-list"), {"search": "an park"})

    assert [row["first_name"] for row in response.json()["results"]] == ["Ann"]


def test_an_address_the_viewer_cannot_see_is_not_found_by_search(api_client):
    UserFactory(email="hidden-findme@example.com", contact_visibility=ContactVisibility.NOBODY)
    UserFactory(email="shown-findme@example.com", contact_visibility=ContactVisibility.EVERYONE)

    response = api_client.get(reverse("user-list"), {"search": "findme"})

    assert [row["email"] for row in response.json()["results"]] == ["shown-findme@example.com"]


def plan(queryset):
    """The plan PostgreSQL would use were the table large: sequential scans off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@postgresql_only
@pytest.mark.parametrize(
    ("field", "index"),
    [
        ("email", "user_email_trigrams"),
        ("first_name", "user_first_name_trigrams"),
        ("last_name", "user_last_name_trigrams"),
    ],
)
def test_the_search_of_each_user_field_uses_its_trigram_index(user, field, index):
    # Unordered: on an empty table, an index scan in the default order would do as well.
    rows = selectors.user_rows(viewer=user).filter(**{f"{field}__uicontains": "surname42"})
    rows = rows.order_by()

    assert index in plan(rows)


@postgresql_only
def test_the_organization_search_uses_its_trigram_index():
    # Unordered, as above: the index of the default order (by name) would do as well.
    rows = Organization.objects.filter(name__uicontains="acme").order_by()

    assert "organization_name_trigrams" in plan(rows)


@postgresql_only
@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        (["last_name", "id"], "user_last_name_id"),
        (["-date_joined", "-id"], "user_date_joined_id"),
    ],
)
def test_each_user_ordering_is_read_from_an_index(user, ordering, index):
    assert index in plan(selectors.user_rows(viewer=user).order_by(*ordering)[:100])


@postgresql_only
@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        (["name", "id"], "organization_name_id"),
        (["-users_count", "-id"], "organization_users_count_id"),
    ],
)
def test_each_organization_ordering_is_read_from_an_index(ordering, index):
    assert index in plan(selectors.organization_rows().order_by(*ordering)[:100])


@postgresql_only
@pytest.mark.parametrize("ordering", ["email", "-email"])
def test_the_order_by_the_shown_email_is_read_from_indexes(user, ordering):
    """Each part of the page's union (orgs.selectors.user_rows_by_shown_email) by an index, at
    most a page of rows from each: the addresses shown to everyone by (contact_visibility,
    email, id), the hidden ones by (contact_visibility, id)."""
    with CaptureQueriesContext(connection) as queries:
        client_for(user).get(reverse("user-list"), {"ordering": ordering, "page_size": 100})
    [page] = [query["sql"] for query in queries.captured_queries if "UNION ALL" in query["sql"]]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "user_visibility_email_id" in plan
    assert "user_visibility_id" in plan
    assert "Seq Scan" not in plan
    assert plan.count("Limit") == 6  # the page, and each of the five parts
