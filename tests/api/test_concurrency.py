"""Simultaneous requests from real threads: exactly one wins, the others get clean answers."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from orgs.models import Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def simultaneously(request, count=THREADS):
    """Run request(i) in `count` threads released together; return the responses."""
    barrier = threading.Barrier(count)
    responses = [None] * count

    def run(i):
        try:
            barrier.wait()
            responses[i] = request(i)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def statuses(responses):
    return sorted(response.status_code for response in responses)


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
        client = APIClient()
        client.force_authenticate(user)
        return client.post(reverse("organization-users-list", args=[org.pk]))

    responses = simultaneously(join)

    assert set(statuses(responses)) <= {200, 201}
    assert 201 in statuses(responses)
    assert User.organizations.through.objects.filter(user=user, organization=org).count() == 1


def test_simultaneous_creations_of_one_name_create_one_organization():
    users = UserFactory.create_batch(THREADS)
    names = ["Rivals", "RIVALS", "rivals", "RiVaLs"]

    def create(i):
        client = APIClient()
        client.force_authenticate(users[i])
        return client.post(reverse("organization-list"), {"name": names[i % len(names)]})

    responses = simultaneously(create)

    assert statuses(responses) == [201] + [400] * (THREADS - 1)
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {"name": ["An organization with this name already exists."]}
    assert Organization.objects.count() == 1
