"""`?ordering=email` sorts by the address as the viewer sees it (hidden ones last ascending,
first descending, ties by id): its pages are merged from parts that an index reads in that order
(orgs.selectors.user_rows_by_shown_email). Every way of paging gives the rows and the order of
the straightforward ORDER BY of the masked address, for every kind of viewer."""

import itertools
import random

import pytest
from django.db.models import F
from django.urls import reverse

from accounts.models import ContactVisibility
from orgs import selectors
from restkit import pagination
from tests.api.test_query_counts import counting
from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = reverse("user-list")
EVERYONE, ORGANIZATIONS, NOBODY = (
    ContactVisibility.EVERYONE,
    ContactVisibility.ORGANIZATIONS,
    ContactVisibility.NOBODY,
)


@pytest.fixture
def directory():
    """Viewers of each kind among 40 people whose addresses, in alphabetical order, fall in no
    particular order of id, of every visibility, in two organizations or none, some inactive."""
    acme, globex = OrganizationFactory(), OrganizationFactory()
    rng = random.Random(15)
    letters = rng.sample(range(100), 46)
    viewers = {
        "staff": UserFactory(email=f"m{letters[0]:02d}@example.com", is_staff=True),
        "colleague of many": UserFactory(
            email=f"m{letters[1]:02d}@example.com", organizations=[acme, globex]
        ),
        "showing nobody": UserFactory(
            email=f"m{letters[2]:02d}@example.com", contact_visibility=NOBODY, organizations=[acme]
        ),
        "showing organizations, alone": UserFactory(email=f"m{letters[3]:02d}@example.com"),
        "showing everyone": UserFactory(
            email=f"m{letters[4]:02d}@example.com", contact_visibility=EVERYONE
        ),
    }
    for i, letter in enumerate(letters[5:]):
        UserFactory(
            email=f"m{letter:02d}@example.com",
            contact_visibility=[EVERYONE, ORGANIZATIONS, NOBODY][i % 3],
            first_name=["Ann", "Bob", "Joanne", "Dan", "Eve"][i % 5],
            organizations=[[acme], [globex], [], [acme, globex]][i % 4],
            is_active=i % 13 != 5,
        )
    return viewers, acme


VIEWERS = [
    "staff",
    "colleague of many",
    "showing nobody",
    "showing organizations, alone",
    "showing everyone",
]


def expected(viewer, ordering, **filters):
    """The ids in the straightforward order: the masked address, then the id."""
    if ordering == "email":
        order = [F("shown_email").asc(nulls_last=True), F("id").asc()]
    else:
        order = [F("shown_email").desc(nulls_first=True), F("id").desc()]
    rows = selectors.user_rows(viewer=viewer).filter(**filters).order_by(*order)
    return [row["id"] for row in rows]


def walk(client, params):
    pages = [client.get(USERS, params).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    return [row["id"] for page in pages for row in page["results"]], pages


def ids(page):
    return [row["id"] for row in page["results"]]


@pytest.mark.parametrize("ordering", ["email", "-email"])
@pytest.mark.parametrize("kind", VIEWERS)
def test_numbered_pages_and_cursors_give_the_straightforward_order(directory, kind, ordering):
    viewers, _ = directory
    viewer = viewers[kind]
    client = client_for(viewer)
    everyone = expected(viewer, ordering)

    by_number, numbered = walk(client, {"ordering": ordering, "page_size": 4})
    by_cursor, pages = walk(client, {"ordering": ordering, "page_size": 4, "cursor": ""})
    third = client.get(USERS, {"ordering": ordering, "page_size": 4, "page": 3}).json()

    assert len(everyone) == 46 - 3  # the inactive ones are nobody's
    assert by_number == by_cursor == everyone
    assert ids(third) == everyone[8:12]
    assert all("cursor=" in page["next"] for page in pages[:-1])
    # Backwards from every page by cursor: the page before it.
    for before, page in itertools.pairwise(pages):
        assert ids(client.get(page["previous"]).json()) == ids(before)
    # The addresses shown are the viewer's to see, in that order.
    shown = [row["email"] for page in numbered for row in page["results"]]
    rows = {row["id"]: row["shown_email"] for row in selectors.user_rows(viewer=viewer)}
    assert shown == [rows[pk] for pk in everyone]
    assert (None in shown) == (kind != "staff")


@pytest.mark.parametrize("ordering", ["email", "-email"])
@pytest.mark.parametrize("kind", VIEWERS)
def test_the_last_page_and_deep_pages_by_cursor(directory, kind, ordering, monkeypatch):
    viewers, _ = directory
    viewer = viewers[kind]
    client = client_for(viewer)
    everyone = expected(viewer, ordering)

    last = client.get(USERS, {"ordering": ordering, "page_size": 5, "page": "last"}).json()
    monkeypatch.setattr(pagination, "MAX_OFFSET", 10)
    deep, pages = walk(client, {"ordering": ordering, "page_size": 5})
    from_the_end = client.get(USERS, {"ordering": ordering, "page_size": 5, "page": "last"}).json()
    before_it = client.get(from_the_end["previous"]).json()

    assert ids(last) == everyone[40:]  # the ninth numbered page
    assert deep == everyone
    assert ["cursor=" in (page["next"] or "") for page in pages] == [False, *[True] * 7, False]
    assert ids(from_the_end) == everyone[-5:]  # read backwards
    assert ids(before_it) == everyone[-10:-5]
    assert from_the_end["next"] is None


@pytest.mark.parametrize("ordering", ["email", "-email"])
@pytest.mark.parametrize("kind", VIEWERS)
def test_a_search_or_a_filter_sorts_what_it_finds_the_same_way(directory, kind, ordering):
    viewers, acme = directory
    viewer = viewers[kind]
    client = client_for(viewer)

    members, _ = walk(client, {"ordering": ordering, "page_size": 3, "organization": acme.pk})

    assert members == expected(viewer, ordering, organizations=acme)
    # By name (hidden addresses too) and by address (only those the viewer sees).
    for search in ("ann", "@example"):
        found, _ = walk(client, {"ordering": ordering, "page_size": 3, "search": search})
        matching = set(walk(client, {"search": search, "page_size": 100})[0])
        assert matching
        assert found == [pk for pk in expected(viewer, ordering) if pk in matching]


@pytest.mark.parametrize("ordering", ["email", "-email"])
@pytest.mark.parametrize("kind", ["staff", "colleague of many"])
def test_a_page_costs_the_same_queries_anywhere(
    directory, kind, ordering, django_assert_num_queries
):
    client = client_for(directory[0][kind])
    _, pages = walk(client, {"ordering": ordering, "page_size": 5, "cursor": ""})

    # The page (one query, whatever the parts), the organizations of its users, its count.
    for url in (
        f"{USERS}?ordering={ordering}&page_size=5",
        f"{USERS}?ordering={ordering}&page_size=5&page=3",
        pages[1]["next"],
        pages[5]["previous"],
    ):
        with django_assert_num_queries(2 + counting()):
            client.get(url)
    with django_assert_num_queries(2 + counting()):  # the last page by number: counted first
        client.get(USERS, {"ordering": ordering, "page_size": 5, "page": "last"})
    with django_assert_num_queries(2):  # one page of all: it tells the count
        client.get(USERS, {"ordering": ordering, "page_size": 100})
