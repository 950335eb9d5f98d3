"""The names the directory's search looks a fragment up in (accounts.Name): kept by the database
itself on every write to an account, counted, and gone with the last account that had them."""

import pytest
from django.db import connection, migrations
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts import services
from accounts.models import Name, User
from tests.clients import bearer, log_in, sign_up
from tests.factories import PASSWORD, UserFactory
from tests.threads import simultaneously, statuses

pytestmark = pytest.mark.django_db


def names():
    return dict(Name.objects.values_list("value", "users"))


def test_an_account_adds_its_first_and_last_name():
    UserFactory(first_name="Ann", last_name="Lee")
    UserFactory(first_name="Ann", last_name="Ann")
    UserFactory(first_name="", last_name="")

    assert names() == {"Ann": 3, "Lee": 1}


def test_a_name_is_kept_as_written():
    UserFactory(first_name="ann", last_name="ANN")

    assert names() == {"ann": 1, "ANN": 1}


def test_a_new_name_replaces_the_old_one_however_it_is_written():
    ann = UserFactory(first_name="Ann", last_name="Lee")
    bob = UserFactory(first_name="Bob", last_name="Lee")

    services.profile_update(user=ann, last_name="Park")
    User.objects.filter(pk=bob.pk).update(first_name="Rob")  # no save(), no signal

    assert names() == {"Ann": 1, "Park": 1, "Rob": 1, "Lee": 1}


def test_a_write_that_leaves_the_names_alone_changes_nothing():
    user = UserFactory(first_name="Ann", last_name="Lee")

    user.save()  # every column, the names as they were
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert names() == {"Ann": 1, "Lee": 1}


def test_names_written_in_bulk_are_counted():
    User.objects.bulk_create(
        [
            User(email=f"bulk{i}@example.com", first_name="Eve", last_name=f"K{i % 2}")
            for i in range(5)
        ]
    )

    assert names() == {"Eve": 5, "K0": 3, "K1": 2}


def test_a_name_goes_with_the_last_account_that_had_it():
    first = UserFactory(first_name="Zoltan", last_name="Quist")
    second = UserFactory(first_name="Zoltan", last_name="Park")

    services.account_delete(user=first)
    assert names() == {"Zoltan": 1, "Park": 1}

    User.objects.filter(pk=second.pk).delete()
    assert names() == {}


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor works outside one only
def test_the_migration_counts_the_accounts_there_are():
    """Run again on a table whose accounts were written without the triggers: it counts each
    once, and the triggers count what follows."""
    UserFactory(first_name="Ann", last_name="Lee")
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("accounts", "0017_names")
    [count] = [op for op in migration.operations if isinstance(op, migrations.RunPython)]
    before = executor.loader.project_state(("accounts", "0016_user_first_name_index"))
    after = executor.loader.project_state(("accounts", "0017_names"))
    with connection.schema_editor() as editor:
        count.database_backwards("accounts", editor, after, before)
    try:
        Name.objects.all().delete()
        UserFactory(first_name="Bob", last_name="Lee")
        assert names() == {}  # no triggers: nothing counted
    finally:
        with connection.schema_editor() as editor:
            count.database_forwards("accounts", editor, before, after)
    UserFactory(first_name="Bob", last_name="Park")

    assert names() == {"Ann": 1, "Bob": 2, "Lee": 2, "Park": 1}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_renames_and_deletions_keep_every_count():
    """Real threads, each in its own transaction: sign-ups that bring a name, renames to it and
    from it, and deletions of accounts that have it, all at once. The counts end equal to the
    accounts there are, and everyone with the name is found by it."""
    to_quist = [UserFactory(first_name="Ann", last_name="Park") for _ in range(3)]
    from_quist = [UserFactory(first_name="Ann", last_name="Quist") for _ in range(3)]
    deleted = [UserFactory(first_name="Ann", last_name="Quist") for _ in range(3)]
    tokens = {
        user.pk: log_in(user.email).json()["access"] for user in to_quist + from_quist + deleted
    }

    def act(i):
        kind, n = divmod(i, 3)
        if kind == 0:
            return sign_up(f"new{n}@example.com", first_name="Ann", last_name="Quist")
        profile = reverse("profile")
        if kind == 1:
            return bearer(tokens[to_quist[n].pk]).patch(profile, {"last_name": "Quist"})
        if kind == 2:
            return bearer(tokens[from_quist[n].pk]).patch(profile, {"last_name": "Lee"})
        return bearer(tokens[deleted[n].pk]).delete(profile, {"password": PASSWORD})

    responses = simultaneously(act, count=12)

    assert statuses(responses) == [200] * 6 + [201] * 3 + [204] * 3
    expected = {}
    for user in User.objects.all():
        for value in (user.first_name, user.last_name):
            expected[value] = expected.get(value, 0) + 1
    assert names() == expected == {"Ann": 9, "Quist": 6, "Lee": 3}
    searcher = bearer(tokens[to_quist[0].pk])
    assert searcher.get(reverse("user-list"), {"search": "quist"}).json()["count"] == 6
