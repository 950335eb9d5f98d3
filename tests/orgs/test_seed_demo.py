from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_mode(settings):
    settings.DEBUG = True


def test_seed_demo_fills_the_database_and_can_run_again():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())

    assert Organization.objects.count() == 3
    assert User.objects.count() == 4
    ann = User.objects.get(email="ann@example.com")
    assert ann.check_password("demo-pass-2024")
    assert ann.organizations.count() == 2
    assert "ann@example.com" in out.getvalue()


def test_seed_demo_refuses_to_run_outside_debug_mode(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="debug mode only"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_seed_demo_gives_each_organization_an_owner():
    call_command("seed_demo", stdout=StringIO())

    owners = dict(
        Organization.objects.filter(memberships__role="owner").values_list(
            "name", "memberships__user__email"
        )
    )
    assert owners == {
        "Acme Rockets": "ann@example.com",
        "Globex": "ann@example.com",
        "Initech": "chloe@example.com",
    }
