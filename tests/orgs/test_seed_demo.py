from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from orgs.models import Organization

pytestmark = pytest.mark.django_db


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
