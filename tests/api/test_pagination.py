"""Pages by number and by cursor, and counts, on every list."""

import base64
import itertools

import factory
import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import ContactVisibility
from restkit import pagination
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = reverse("user-list")
ORGANIZATIONS = reverse("organization-list")


def walk(client, url, params=None):
    """Every page from `url`, following `next`: the ids in order, and the pages."""
    pages = [client.get(url, params).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    return [row["id"] for page in pages for row in page["results"]], pages


@pytest.fixture
def people(user):
    """23 users with few distinct last names and join dates, some with hidden addresses, so
    that every ordering has ties and NULLs to step over."""
    org = OrganizationFactory()
    for i in range(22):
        UserFactory(
            last_name=f"Name{i % 4}",
            contact_visibility=[ContactVisibility.EVERYONE, ContactVisibility.NOBODY][i % 2],
            organizations=[org] if i % 3 == 0 else [],
        )
    return org


@pytest.mark.parametrize(
    "ordering",
    ["id", "-id", "last_name", "-last_name", "date_joined", "-date_joined", "email", "-email"],
)
def test_walking_by_cursor_gives_the_rows_of_the_numbered_pages(api_client, people, ordering):
    by_number, _ = walk(api_client, USERS, {"page_size": 5, "ordering": ordering})
    by_cursor, pages = walk(api_client, USERS, {"page_size": 5, "ordering": ordering, "cursor": ""})

    assert by_cursor == by_number
    assert len(by_cursor) == len(set(by_cursor)) == 23
    assert all("cursor=" in page["next"] for page in pages[:-1])


@pytest.mark.parametrize("ordering", ["id", "last_name", "-date_joined", "email"])
def test_previous_of_a_cursor_page_is_the_page_before_it(api_client, people, ordering):
    _, pages = walk(api_client, USERS, {"page_size": 5, "ordering": ordering, "cursor": ""})

    for before, page in itertools.pairwise(pages):
        back = api_client.get(page["previous"]).json()
        assert [row["id"] for row in back["results"]] == [row["id"] for row in before["results"]]
    assert pages[0]["previous"] is None


@pytest.mark.parametrize("ordering", ["name", "-users_count", "users_count"])
def test_organizations_walk_by_cursor_in_any_ordering(api_client, ordering):
    for i in range(9):
        OrganizationFactory().users.set(UserFactory.create_batch(i % 3))

    by_number, _ = walk(api_client, ORGANIZATIONS, {"page_size": 2, "ordering": ordering})
    by_cursor, _ = walk(
        api_client, ORGANIZATIONS, {"page_size": 2, "ordering": ordering, "cursor": ""}
    )

    assert by_cursor == by_number
    assert len(set(by_cursor)) == 9


def test_past_the_offset_limit_next_carries_a_cursor_and_page_numbers_are_a_400(
    api_client, people, monkeypatch
):
    monkeypatch.setattr(pagination, "MAX_OFFSET", 10)

    ids, pages = walk(api_client, USERS, {"page_size": 5})
    deep = api_client.get(USERS, {"page_size": 5, "page": 3})

    assert [("cursor=" in (page["next"] or "")) for page in pages] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert len(ids) == len(set(ids)) == 23
    assert deep.status_code == 400
    assert list(deep.json()) == ["page"]
    assert "cursor" in deep.json()["page"][0]


def test_the_last_page_past_the_offset_limit_is_read_from_the_end(api_client, people, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET", 10)
    everyone, _ = walk(api_client, USERS, {"page_size": 5})

    last = api_client.get(USERS, {"page_size": 5, "page": "last"}).json()
    before = api_client.get(last["previous"]).json()

    assert [row["id"] for row in last["results"]] == everyone[-5:]
    assert [row["id"] for row in before["results"]] == everyone[-10:-5]
    assert last["next"] is None


def cursor_of(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"cursor": "%%%not-base64"}, "not base64"),
        ({"cursor": cursor_of("not json")}, "not JSON"),
        ({"cursor": cursor_of("[1, 2]")}, "not an object"),
        ({"cursor": cursor_of('{"o": ["id"]}')}, "no position"),
        ({"cursor": cursor_of('{"o": ["last_name", "id"], "v": ["A", 1]}')}, "another ordering"),
        ({"cursor": cursor_of('{"o": ["id"], "v": ["abc"]}')}, "text for an id"),
        ({"cursor": cursor_of('{"o": ["id"], "v": [1e999]}')}, "an infinite number"),
        ({"cursor": cursor_of('{"o": ["id"], "v": [99999999999999999999999]}')}, "too large"),
        ({"cursor": cursor_of('{"o": ["id"], "v": [true]}')}, "a boolean"),
        ({"cursor": cursor_of('{"o": ["id"], "v": [1], "r": 7}')}, "a bad direction"),
        ({"cursor": cursor_of('{"o": ["id"], "v": [{"a": 1}]}')}, "an object"),
        ({"cursor": cursor_of('{"o": ["id"], "v": ["1\\u0000"]}')}, "a NUL"),
        ({"cursor": "A" * 3000}, "too long"),
        (
            {
                "cursor": cursor_of('{"o": ["date_joined", "id"], "v": ["yesterday", 1]}'),
                "ordering": "date_joined",
            },
            "not a date",
        ),
        (
            {
                "cursor": cursor_of('{"o": ["shown_email", "id"], "v": ["a@example.com", "x"]}'),
                "ordering": "email",
            },
            "text for an id, in an order merged from parts",
        ),
        (
            {
                "cursor": cursor_of('{"o": ["shown_email", "id"], "v": [null, "x"]}'),
                "ordering": "-email",
            },
            "text for an id, among the hidden addresses",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_malformed_cursor_is_a_400_naming_it(api_client, people, params, label):
    response = api_client.get(USERS, params)

    assert response.status_code == 400, label
    assert response.json() == {"cursor": [pagination.INVALID_CURSOR]}


def test_a_cursor_past_the_end_is_an_empty_page(api_client, people):
    response = api_client.get(USERS, {"cursor": cursor_of('{"o": ["id"], "v": [999999]}')})

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["next"] is None


def test_counts_are_exact_on_small_lists(api_client, people):
    body = api_client.get(USERS, {"page_size": 5}).json()

    assert (body["count"], body["count_is_estimate"]) == (23, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates are PostgreSQL's")
def test_a_count_above_the_exact_limit_is_the_planners_estimate(api_client, people, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_MAX", 3)

    body = api_client.get(USERS, {"page_size": 5}).json()

    assert body["count_is_estimate"] is True
    assert isinstance(body["count"], int)


def test_the_last_numbered_page_tells_its_count_without_counting(
    api_client, people, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the page, the organizations of its users
        body = api_client.get(USERS, {"page_size": 100}).json()

    assert (body["count"], body["count_is_estimate"]) == (23, False)


@pytest.mark.parametrize("page", [1, 2])
def test_a_search_with_few_matches_is_counted_exactly_on_every_page(
    api_client, people, django_assert_num_queries, page
):
    # The names that contain the word (accounts.Name), then, on PostgreSQL: the planner's
    # estimate, the page with the count of its list in passing (a window count: the search's
    # indexes walked once), the page's organizations. SQLite: the page, COUNT(*), the
    # organizations.
    with django_assert_num_queries(4):
        body = api_client.get(USERS, {"search": "name", "page_size": 5, "page": page}).json()

    assert (body["count"], body["count_is_estimate"]) == (22, False)
    assert len(body["results"]) == 5
    assert all(row["last_name"].startswith("Name") for row in body["results"])
    assert "rows_in_list" not in body["results"][0]


@pytest.mark.parametrize(
    "ordering", ["id", "-id", "last_name", "-last_name", "date_joined", "-date_joined"]
)
def test_a_counted_search_page_is_in_the_lists_order(api_client, people, ordering):
    """Counted in passing, a page is sorted by the count first (the same in every row): the
    order is the list's, page after page."""
    params = {"search": "name", "page_size": 5, "ordering": ordering}
    searched, _ = walk(api_client, USERS, params)
    everyone, _ = walk(api_client, USERS, {"page_size": 100, "ordering": ordering})

    assert searched == [row for row in everyone if row in set(searched)]
    assert len(searched) == 22


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates are PostgreSQL's")
def test_a_search_expected_to_find_many_is_counted_apart(
    api_client, people, django_assert_num_queries, monkeypatch
):
    # Counting in passing would read every match rather than stop after a page.
    # The planner expects at least one row of anything: above 0. (ANALYZE would give it figures,
    # but what it writes of a table's size outlives the test's transaction.)
    monkeypatch.setattr(pagination, "COUNT_IN_PASSING_MAX", 0)

    # the names that contain the word, the estimate, the page, COUNT(*), the organizations
    with django_assert_num_queries(5):
        body = api_client.get(USERS, {"search": "name", "page_size": 5}).json()

    assert (body["count"], body["count_is_estimate"]) == (22, False)


def test_a_searched_organizations_page_is_counted_exactly(api_client, django_assert_num_queries):
    OrganizationFactory.create_batch(7, name=factory.Sequence(lambda n: f"Acme {n}"))
    OrganizationFactory(name="Other")

    with django_assert_num_queries(2):  # the page and its count: together or apart
        body = api_client.get(ORGANIZATIONS, {"search": "acme", "page_size": 3}).json()

    assert (body["count"], body["count_is_estimate"]) == (7, False)
    assert [row["name"][:4] for row in body["results"]] == ["Acme"] * 3


def test_a_deep_page_number_past_the_end_is_still_a_404(api_client, people, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET", 10)

    response = api_client.get(USERS, {"page_size": 5, "page": 99})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    ("url_name", "term"),
    [
        ("user-list", "name"),
        ("organization-users-list", "name"),
        ("organization-list", "acme"),
        ("organization-with-users", "acme"),
    ],
)
def test_a_searched_lists_count_is_what_walking_it_finds(api_client, user, url_name, term):
    org = OrganizationFactory(name="Acme 0")
    OrganizationFactory.create_batch(6, name=factory.Sequence(lambda n: f"Acme {n + 1}"))
    OrganizationFactory(name="Other")
    UserFactory.create_batch(7, last_name="Name", organizations=[org])
    UserFactory.create_batch(2, last_name="Else", organizations=[org])
    url = reverse(url_name, args=[org.pk] if url_name == "organization-users-list" else [])

    ids, pages = walk(api_client, url, {"search": term, "page_size": 3})

    assert len(ids) == len(set(ids)) == 7
    assert {(page["count"], page["count_is_estimate"]) for page in pages} == {(7, False)}
