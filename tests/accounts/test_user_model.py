from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.clients import log_in, sign_up
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_has_no_username():
    field_names = {f.name for f in User._meta.get_fields()}

    assert "username" not in field_names
    assert User.USERNAME_FIELD == "email"


def test_manager_normalises_the_email():
    user = User.objects.create_user(" Ann@Example.COM ", "pw-12345-abc")

    assert user.email == "ann@example.com"
    assert User.objects.get(email="ANN@example.com") == user


def test_saving_normalises_the_email():
    user = UserFactory()
    user.email = "  MIXED@Case.ORG"
    user.save()

    assert User.objects.filter(pk=user.pk).values_list("email", flat=True).get() == "mixed@case.org"


def test_createsuperuser_asks_for_an_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-123")  # read in --no-input mode

    call_command("createsuperuser", "--no-input", "--email", " Root@Example.com", stdout=StringIO())

    root = User.objects.get()
    assert root.email == "root@example.com"
    assert root.is_superuser
    assert root.is_staff
    assert root.check_password("root-pass-123")


def test_admin_lists_and_searches_users(client):
    admin = User.objects.create_superuser("admin@example.com", "admin-pass-123")
    UserFactory(email="ann@example.com", first_name="Ann")
    UserFactory(email="bob@example.com", first_name="Bob")
    client.force_login(admin)

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "ann"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "ann@example.com" in content
    assert "bob@example.com" not in content
    assert "username" not in content.lower()


def test_admin_creates_a_user_with_email_and_password(client):
    admin = User.objects.create_superuser("admin@example.com", "admin-pass-123")
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": " New@Example.COM",
            "usable_password": "true",
            "password1": "a-good-pass-42",
            "password2": "a-good-pass-42",
        },
    )

    assert response.status_code == 302
    new = User.objects.get(email="new@example.com")
    assert new.check_password("a-good-pass-42")


def test_admin_refuses_an_email_taken_in_another_case(client):
    admin = User.objects.create_superuser("admin@example.com", "admin-pass-123")
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ADMIN@example.com",
            "usable_password": "true",
            "password1": "a-good-pass-42",
            "password2": "a-good-pass-42",
        },
    )

    assert response.status_code == 200
    assert User.objects.count() == 1


def test_the_admin_registers_users_and_organizations():
    from orgs.models import Organization

    assert site.is_registered(User)
    assert site.is_registered(Organization)


def test_browsable_api_logs_in_by_email(client):
    UserFactory(email="ann@example.com")

    page = client.get(reverse("rest_framework:login"))
    assert 'name="email"' in page.content.decode()
    assert 'name="username"' not in page.content.decode()

    response = client.post(
        reverse("rest_framework:login"),
        {"email": "ANN@example.com", "password": PASSWORD, "next": "/api/"},
    )
    assert response.status_code == 302
    assert client.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code == 200


def test_browsable_api_login_refuses_a_wrong_password(client):
    UserFactory(email="ann@example.com")

    response = client.post(
        reverse("rest_framework:login"), {"email": "ann@example.com", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


def browsable_login(client, password, email="ann@example.com"):
    return client.post(reverse("rest_framework:login"), {"email": email, "password": password})


def test_browsable_api_login_shares_the_login_rate_limits_of_the_api(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account": "3/min"}
    UserFactory(email="ann@example.com")
    for attempt in range(2):
        assert browsable_login(client, f"wrong-{attempt}").status_code == 200
    api = log_in("ANN@example.com", "wrong")
    assert api.status_code == 400  # the third attempt, counted with the page's

    refused = browsable_login(client, PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()
    assert client.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code == 401
    api = log_in("ann@example.com")
    assert api.status_code == 429


def test_browsable_api_login_waits_for_a_confirmed_address_when_required(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    sign_up("ann@example.com")

    response = browsable_login(client, PASSWORD)

    assert response.status_code == 200  # the form again
    assert "E-mail is not verified." in response.content.decode()
    assert client.get(reverse("profile"), HTTP_ACCEPT="application/json").status_code == 401


def test_browsable_api_login_with_a_body_that_is_no_form_shows_the_form_again(client):
    response = client.post(
        reverse("rest_framework:login"),
        '{"email": "a@example.com"}',
        content_type="application/json",
    )

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_the_admin_login_shares_the_login_rate_limits_of_the_api(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account": "3/min"}
    User.objects.create_superuser("admin@example.com", "admin-pass-123")
    url = reverse("admin:login")
    for attempt in range(3):
        wrong = client.post(url, {"username": "ADMIN@example.com", "password": f"no-{attempt}"})
        assert wrong.status_code == 200  # the form again

    refused = client.post(url, {"username": "admin@example.com", "password": "admin-pass-123"})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert client.get(reverse("admin:index")).status_code == 302  # still not logged in
    api = log_in("admin@example.com", "x")
    assert api.status_code == 429


def test_staff_log_in_to_the_admin_by_email(client):
    User.objects.create_superuser("admin@example.com", "admin-pass-123")

    response = client.post(
        reverse("admin:login"), {"username": "Admin@Example.com", "password": "admin-pass-123"}
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
