"""The reads of users with their organizations and of organizations with their counts."""

import pytest

from orgs import selectors
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_with_organizations_gives_each_user_their_organizations_by_id_in_one_query(
    django_assert_num_queries,
):
    first = OrganizationFactory(name="Zeta")
    second = OrganizationFactory(name="Alpha")
    ann = UserFactory(organizations=[second, first])
    bob = UserFactory(organizations=[second])
    chloe = UserFactory()
    rows = list(selectors.user_rows(viewer=chloe).order_by("id"))

    with django_assert_num_queries(1):
        rows = selectors.with_organizations(rows)

    assert {row["id"]: row["organizations"] for row in rows} == {
        ann.pk: [{"id": first.pk, "name": "Zeta"}, {"id": second.pk, "name": "Alpha"}],
        bob.pk: [{"id": second.pk, "name": "Alpha"}],
        chloe.pk: [],
    }


def test_with_organizations_of_no_rows_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.with_organizations([]) == []


def test_member_rows_hide_deactivated_users():
    organization = OrganizationFactory()
    active = UserFactory(organizations=[organization])
    UserFactory(organizations=[organization], is_active=False)
    outsider = UserFactory()  # not a member

    rows = selectors.member_rows(organization=organization, viewer=outsider)

    assert [row["id"] for row in rows] == [active.pk]


def test_organization_rows_count_active_members_and_name_only_an_active_creator():
    active_creator = UserFactory()
    deactivated_creator = UserFactory(is_active=False)
    deleted_creator = UserFactory()
    led = OrganizationFactory(created_by=active_creator)
    orphaned = OrganizationFactory(created_by=deactivated_creator)
    abandoned = OrganizationFactory(created_by=deleted_creator)
    UserFactory(organizations=[led, orphaned])
    UserFactory(organizations=[led])
    UserFactory(organizations=[led, orphaned], is_active=False)
    deleted_creator.delete()

    rows = {row["id"]: row for row in selectors.organization_rows()}

    assert {pk: (row["users_count"], row["creator_id"]) for pk, row in rows.items()} == {
        led.pk: (2, active_creator.pk),
        orphaned.pk: (1, None),
        abandoned.pk: (0, None),
    }


@pytest.mark.parametrize("kind", ["staff", "member", "nobody", "everyone"])
def test_the_parts_by_shown_email_are_the_directory_split_without_overlap(kind):
    acme = OrganizationFactory()
    viewer = UserFactory(
        is_staff=kind == "staff",
        contact_visibility={"nobody": "nobody", "everyone": "everyone"}.get(kind, "organizations"),
        organizations=[acme],
    )
    for i in range(12):
        UserFactory(
            phone="+14155552671",
            contact_visibility=["everyone", "organizations", "nobody"][i % 3],
            organizations=[acme] if i % 2 else [],
            is_active=i != 7,
        )
    directory = sorted(selectors.user_rows(viewer=viewer), key=lambda row: row["id"])

    parts = [list(part) for part in selectors.user_rows_by_shown_email(viewer=viewer)]
    rows = sorted((row for part in parts for row in part), key=lambda row: row["id"])

    assert rows == directory  # each row once, as the viewer sees it
    assert len(parts) == (1 if kind == "staff" else 5)
