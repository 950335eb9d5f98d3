"""The benchmark's floors (bench/floors.py) answer exactly what the API answers.

`make bench` compares each endpoint with its floor; the comparison is honest only while both
return the same JSON, so this is checked on every test run, with the edge cases a benchmark's
bulk data lacks: avatars, phone numbers, contact details hidden or shown by choice, a creator
deleted or deactivated, an inactive member, empty pages.
"""

import pytest

from accounts.models import User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def directory(user):
    creator = UserFactory()
    orgs = [OrganizationFactory(created_by=user, description="Ships <b>things</b>")]
    orgs += OrganizationFactory.create_batch(3, created_by=creator)
    orgs.append(OrganizationFactory(created_by=None))  # its creator deleted the account
    for i in range(7):
        UserFactory(
            first_name="Zoë",
            last_name=f"O'Brien {i}",
            phone=f"+1415555{i:04d}" if i % 2 else "",
            organizations=orgs[i % 3 : i % 3 + 3],
        )
    # Contact details: hidden from colleagues by choice, shown to strangers by choice.
    UserFactory(phone="+14155550000", organizations=orgs[:2], contact_visibility="nobody")
    UserFactory(phone="+14155550001", organizations=orgs[3:4], contact_visibility="everyone")
    hidden = UserFactory(is_active=False, organizations=orgs)  # hidden everywhere
    orgs.append(OrganizationFactory(created_by=hidden))  # shown without its creator
    User.objects.filter(pk=user.pk).update(avatar="avatars/Ab12Cd34.jpg")
    user.organizations.set(orgs[:2])
    return [*orgs, OrganizationFactory()]  # the last has nobody in it


@pytest.fixture
def endpoints(user, directory):
    return [
        "users/?page_size=3",
        "users/?page_size=3&page=2",
        "users/?page_size=3&page=3",
        f"users/{user.pk}/",
        "organizations/?page_size=4",
        "organizations/?page_size=4&page=2",
        "organizations/users/?page_size=2",
        "organizations/users/?page_size=2&page=3",
        f"organizations/{directory[0].pk}/users/?page_size=2",
        f"organizations/{directory[0].pk}/users/?page_size=2&page=2",
        f"organizations/{directory[-1].pk}/users/",
    ]


def test_each_floor_answers_what_its_endpoint_answers(jwt_client, endpoints):
    for endpoint in endpoints:
        api = jwt_client.get(f"/api/{endpoint}")
        floor = jwt_client.get(f"/floor/{endpoint}")

        assert api.status_code == 200, endpoint
        assert floor.status_code == 200, endpoint
        assert api.json() == floor.json(), endpoint
