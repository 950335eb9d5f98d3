"""Simultaneous requests from real threads: exactly one wins, the others get clean answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from orgs.models import Membership, Organization
from tests.clients import bearer, client_for, log_in
from tests.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.threads import THREADS, simultaneously, statuses

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_sign_ups_with_one_email_in_several_cases_create_one_user(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "register.account": "100/min"}
    spellings = ["race@example.com", "RACE@example.com", "Race@Example.com", "race@EXAMPLE.COM"]

    responses = simultaneously(
        lambda i: APIClient(REMOTE_ADDR=f"10.1.0.{i}").post(
            reverse("register"),
            {"email": spellings[i % len(spellings)], "password": "correct-horse-42"},
        )
    )

    assert statuses(responses) == [201] + [400] * (THREADS - 1)
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {"email": ["A user with this email address already exists."]}
    assert User.objects.count() == 1


def test_simultaneous_joins_make_one_membership():
    user = UserFactory()
    org = OrganizationFactory()

    def join(_):
        return client_for(user).post(reverse("organization-users-list", args=[org.pk]))

    responses = simultaneously(join)

    assert statuses(responses) == [200] * (THREADS - 1) + [201]
    assert Membership.objects.filter(user=user, organization=org).count() == 1


def test_simultaneous_creations_of_one_name_create_one_organization():
    users = UserFactory.create_batch(THREADS)
    names = ["Rivals", "RIVALS", "rivals", "RiVaLs"]

    def create(i):
        return client_for(users[i]).post(
            reverse("organization-list"), {"name": names[i % len(names)]}
        )

    responses = simultaneously(create)

    assert statuses(responses) == [201] + [400] * (THREADS - 1)
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {"name": ["An organization with this name already exists."]}
    assert Organization.objects.count() == 1


@pytest.fixture
def session(settings):
    """A user's tokens, with limits that simultaneous requests do not reach."""
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "token-refresh.address": "1000/min",
        "token-refresh.account": "1000/min",
        "password-change.address": "1000/min",
        "password-change.account": "1000/min",
    }
    UserFactory(email="ann@example.com")
    return log_in("ann@example.com").json()


def refresh(token):
    return APIClient().post(reverse("token-refresh"), {"refresh": token})


def test_simultaneous_refreshes_of_one_token_rotate_it_once(session):
    responses = simultaneously(lambda _: refresh(session["refresh"]))

    assert statuses(responses) == [200] + [401] * (THREADS - 1)
    for response in responses:
        if response.status_code == 401:
            assert response.json()["detail"] == "Token is blacklisted"
    (winner,) = [r.json() for r in responses if r.status_code == 200]
    assert refresh(winner["refresh"]).status_code == 200
    assert refresh(session["refresh"]).status_code == 401


def test_a_reuse_racing_the_thiefs_refreshes_ends_the_session_whoever_comes_first(
    session, settings
):
    """The victim presents the token the thief rotated while the thief refreshes the newer one:
    in either order, no token of the session works after (the session row is locked by both)."""
    settings.JWT_REUSE_GRACE = timedelta(0)
    thiefs = refresh(session["refresh"]).json()

    def reuse_or_refresh(i):
        return refresh(session["refresh"] if i == 0 else thiefs["refresh"])

    responses = simultaneously(reuse_or_refresh)

    assert responses[0].status_code == 401
    assert set(statuses(responses[1:])) <= {200, 401}
    for response in responses[1:]:
        if response.status_code == 200:  # the thief's refresh came first: its token died after
            assert refresh(response.json()["refresh"]).status_code == 401
    assert refresh(thiefs["refresh"]).status_code == 401


def test_a_logout_racing_refreshes_of_its_token_leaves_one_winner(session):
    def logout_or_refresh(i):
        if i == 0:
            return APIClient().post(reverse("logout"), {"refresh": session["refresh"]})
        return refresh(session["refresh"])

    responses = simultaneously(logout_or_refresh)

    assert statuses(responses) == [200] + [401] * (THREADS - 1)
    new_tokens = [r.json()["refresh"] for r in responses[1:] if r.status_code == 200]
    for token in new_tokens:  # a refresh won: its new token is the only live one
        assert refresh(token).status_code == 200


def test_simultaneous_password_changes_leave_one_winner(session):
    def change(i):
        new = f"brand-new-secret-{i}"
        body = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        return bearer(session["access"]).post(reverse("password-change"), body)

    responses = simultaneously(change)

    assert statuses(responses).count(200) == 1
    assert set(statuses(responses)) <= {200, 400, 401}
    (winner,) = [i for i, r in enumerate(responses) if r.status_code == 200]
    user = User.objects.get(email="ann@example.com")
    assert user.check_password(f"brand-new-secret-{winner}")


def test_simultaneous_joins_and_leaves_of_many_people_keep_the_member_count_right():
    """The stored users_count, recounted by each join and leave, must not lose one of them."""
    org = OrganizationFactory()
    leaving = UserFactory.create_batch(THREADS // 2, organizations=[org])
    joining = UserFactory.create_batch(THREADS // 2)
    people = [*joining, *leaving]

    def join_or_leave(i):
        if i < len(joining):
            return client_for(people[i]).post(reverse("organization-users-list", args=[org.pk]))
        url = reverse("organization-users-detail", args=[org.pk, people[i].pk])
        return client_for(people[i]).delete(url)

    responses = simultaneously(join_or_leave)

    assert statuses(responses) == [201] * len(joining) + [204] * len(leaving)
    org.refresh_from_db()
    assert org.users_count == Membership.objects.filter(organization=org).count() == len(joining)


def test_simultaneous_moves_between_two_organizations_both_ways_all_succeed_and_count_right():
    """Each join and leave locks its organization: moves in opposite directions must lock them in
    one order, or two of them deadlock."""
    first, second = OrganizationFactory(), OrganizationFactory()
    people = [UserFactory(organizations=[first if i % 2 else second]) for i in range(THREADS)]

    def move(i):
        to = second if i % 2 else first
        return client_for(people[i]).patch(reverse("profile"), {"organizations": [to.pk]})

    responses = simultaneously(move)

    assert statuses(responses) == [200] * THREADS
    for org in (first, second):
        org.refresh_from_db()
        assert (
            org.users_count == Membership.objects.filter(organization=org).count() == THREADS // 2
        )
