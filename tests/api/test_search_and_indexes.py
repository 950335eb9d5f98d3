"""The search's minimum length, and the indexes each list's search and orderings use."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ContactVisibility, Name, NameQuerySet
from orgs import selectors
from orgs.models import Organization
from tests.clients import client_for
from tests.factories import OrganizationFactory, UserFactory

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


PEOPLE = [
    ("Ωmega", "Quist"),
    ("Ann", "Lee"),
    ("anna", "Leeds"),
    ("Johann", "Park"),
    ("Bob", "Ashlee"),
    ("Kathleen", "LEE"),
]


@pytest.mark.parametrize("names_max", [NameQuerySet.SEARCH_MAX, 0], ids=["names", "rows"])
@pytest.mark.parametrize(
    "words", ["ann", "ANN", "lee", "ωmeg", "ΩMEGA", "lee ann", "leeds", "an lee", "zzz", "ee@"]
)
def test_a_search_finds_the_same_people_by_names_or_by_rows(
    api_client, monkeypatch, names_max, words
):
    """By the names that contain a word (accounts.Name) or, past SEARCH_MAX of them, by every
    row's own columns: the same people, in any letter case of any script."""
    for first_name, last_name in PEOPLE:
        UserFactory(
            first_name=first_name,
            last_name=last_name,
            email=f"{first_name.lower()}.{last_name.lower()}@example.com",
            contact_visibility=ContactVisibility.EVERYONE,
        )
    monkeypatch.setattr(NameQuerySet, "SEARCH_MAX", names_max)

    response = api_client.get(reverse("user-list"), {"search": words})

    found = {(row["first_name"], row["last_name"]) for row in response.json()["results"]}
    expected = {
        (first_name, last_name)
        for first_name, last_name in PEOPLE
        if all(
            word.lower() in f"{first_name}|{last_name}|{first_name}.{last_name}@example.com".lower()
            for word in words.split()
        )
    }
    assert found == expected
    assert response.json()["count"] == len(expected)


def test_an_address_shown_to_colleagues_is_found_by_them_alone(user, api_client):
    """The colleagues as the array the search's guard reads them by (restkit.lookups
    `in_array`): the same people as the rule itself."""
    org = OrganizationFactory()
    user.organizations.add(org)
    UserFactory(email="colleague@corp.example", organizations=[org])
    UserFactory(email="stranger@corp.example")
    UserFactory(email="public@corp.example", contact_visibility=ContactVisibility.EVERYONE)

    body = api_client.get(reverse("user-list"), {"search": "corp.example"}).json()

    assert sorted(row["email"] for row in body["results"]) == [
        "colleague@corp.example",
        "public@corp.example",
    ]
    assert body["count"] == 2


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
def test_a_name_is_found_among_the_names_then_the_people_by_it(user):
    """The trigram index of the few thousand names, then the people by equality: an ordinary
    index on each column."""
    assert "name_value_trigrams" in plan(Name.objects.filter(value__uicontains="surname42"))
    rows = selectors.user_rows(viewer=user).filter(
        Q(first_name__in=["Surname4242"]) | Q(last_name__in=["Surname4242"])
    )
    found = plan(rows.order_by())

    assert "user_first_name" in found
    assert "user_last_name_id" in found


@postgresql_only
def test_a_fragment_of_every_address_reads_the_colleagues_by_the_primary_key(user):
    """`example.com`, in every address, where the trigram index narrows nothing: the rows are
    those the viewer may see, read by index (the viewer, those who show theirs to everyone, the
    colleagues by id), where the rule as a subquery had every row tested against it."""

    def rows(searched):
        guard = selectors.contacts_visible(viewer=user, searched=searched)
        return selectors.user_rows(viewer=user).filter(Q(email__uicontains="example.com") & guard)

    with connection.cursor() as cursor:  # as good as none for this fragment; back after the test
        cursor.execute("DROP INDEX user_email_trigrams")

    def colleagues_by_index(rows):
        lines = plan(rows.order_by()).splitlines()
        return any("Index Cond" in line and "id = ANY" in line for line in lines)

    assert colleagues_by_index(rows(searched=True))
    assert "user_visibility_id" in plan(rows(searched=True).order_by())
    assert not colleagues_by_index(rows(searched=False))


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


@postgresql_only
def test_analyze_keeps_enough_values_of_each_searched_expression_to_estimate_a_rare_fragment():
    """restkit.indexes.SEARCH_STATISTICS: out of PostgreSQL's default 100 sampled values, a
    single one holding the fragment made the planner expect 1% of the table."""
    indexes = [
        "user_email_trigrams",
        "user_first_name_trigrams",
        "user_last_name_trigrams",
        "organization_name_trigrams",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
            "WHERE attrelid = ANY(%s::regclass[])",
            [indexes],
        )
        targets = dict(cursor.fetchall())

    assert targets == dict.fromkeys(indexes, 1000)
