"""Memberships edited in the admin, in the inline of an organization's page and of a user's:
saved through orgs.services, as every other entry point saves them."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from orgs import services
from orgs.models import Membership
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "memberships"


class FormFields(HTMLParser):
    """What a browser submits from the change form as the admin renders it: the filled fields
    of the page's form, without the inline's template row (`__prefix__`) and the buttons."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "file"} or (kind == "checkbox" and "checked" not in attrs):
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def _add(self, name, value):
        if not name or "__prefix__" in name or name == "csrfmiddlewaretoken":
            return
        if name in self.data:  # a multiple select
            previous = self.data[name]
            self.data[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            self.data[name] = value


def change_form(client, url):
    """The fields of the change form at `url`, as a browser would send them back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def with_new_row(data, **fields):
    """The form data with one more row in the membership inline."""
    row = int(data[f"{PREFIX}-TOTAL_FORMS"])
    data[f"{PREFIX}-TOTAL_FORMS"] = str(row + 1)
    data[f"{PREFIX}-{row}-id"] = ""
    data[f"{PREFIX}-{row}-role"] = "member"
    for name, value in fields.items():
        data[f"{PREFIX}-{row}-{name}"] = str(value)
    return data


def row_of(data, membership):
    """The index of the inline row that shows `membership`."""
    rows = int(data[f"{PREFIX}-TOTAL_FORMS"])
    return next(n for n in range(rows) if data[f"{PREFIX}-{n}-id"] == str(membership.pk))


def saved(response):
    """The admin saved the form and redirected, rather than showing it again with errors."""
    errors = response.context and [
        *response.context["adminform"].form.errors.items(),
        *(formset.formset.errors for formset in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == 302, errors
    return True


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("admin@example.com", "admin-pass-123")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def service_calls(monkeypatch):
    """The calls the admin makes to membership_add and membership_remove, which still run."""
    calls = []
    for name in ("membership_add", "membership_remove"):
        service = getattr(services, name)

        def spy(*, service=service, name=name, **kwargs):
            calls.append((name, kwargs["organization"].pk, kwargs["user"].pk, kwargs["by"].pk))
            return service(**kwargs)

        monkeypatch.setattr(services, name, spy)
    return calls


def memberships():
    return set(Membership.objects.values_list("organization_id", "user_id"))


def organization_url(organization):
    return reverse("admin:orgs_organization_change", args=[organization.pk])


def user_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_staff_adds_a_member_in_the_organizations_inline(admin_client, admin_user, service_calls):
    organization = OrganizationFactory()
    member = UserFactory(organizations=[organization])
    joined_long_ago = timezone.now() - timedelta(days=400)
    Membership.objects.filter(user=member).update(joined_at=joined_long_ago)
    newcomer = UserFactory()
    data = with_new_row(
        change_form(admin_client, organization_url(organization)),
        organization=organization.pk,
        user=newcomer.pk,
    )

    assert saved(admin_client.post(organization_url(organization), data))

    assert memberships() == {(organization.pk, member.pk), (organization.pk, newcomer.pk)}
    assert service_calls == [("membership_add", organization.pk, newcomer.pk, admin_user.pk)]
    assert Membership.objects.get(user=member).joined_at == joined_long_ago  # left as it was


def test_staff_removes_a_member_in_the_organizations_inline(
    admin_client, admin_user, service_calls
):
    organization = OrganizationFactory()
    leaving = UserFactory(organizations=[organization])
    staying = UserFactory(organizations=[organization])
    data = change_form(admin_client, organization_url(organization))
    row = row_of(data, Membership.objects.get(user=leaving))
    data[f"{PREFIX}-{row}-DELETE"] = "on"

    assert saved(admin_client.post(organization_url(organization), data))

    assert memberships() == {(organization.pk, staying.pk)}
    assert service_calls == [("membership_remove", organization.pk, leaving.pk, admin_user.pk)]


def test_staff_replaces_a_member_in_a_row_of_the_organizations_inline(admin_client, service_calls):
    organization = OrganizationFactory()
    before = UserFactory(organizations=[organization])
    after = UserFactory()
    data = change_form(admin_client, organization_url(organization))
    data[f"{PREFIX}-{row_of(data, Membership.objects.get(user=before))}-user"] = str(after.pk)

    assert saved(admin_client.post(organization_url(organization), data))

    assert memberships() == {(organization.pk, after.pk)}
    assert [call[:3] for call in service_calls] == [  # adds first: never without an owner
        ("membership_add", organization.pk, after.pk),
        ("membership_remove", organization.pk, before.pk),
    ]


def test_staff_adds_an_organization_in_the_users_inline(admin_client, admin_user, service_calls):
    member_of = OrganizationFactory()
    joining = OrganizationFactory()
    user = UserFactory(first_name="Ann", organizations=[member_of])
    data = with_new_row(
        change_form(admin_client, user_url(user)), user=user.pk, organization=joining.pk
    )

    assert saved(admin_client.post(user_url(user), data))

    assert memberships() == {(member_of.pk, user.pk), (joining.pk, user.pk)}
    assert service_calls == [("membership_add", joining.pk, user.pk, admin_user.pk)]
    stored = User.objects.get(pk=user.pk)
    assert (stored.email, stored.first_name, stored.password) == (
        user.email,
        "Ann",
        user.password,
    )


def test_staff_removes_an_organization_in_the_users_inline(admin_client, admin_user, service_calls):
    leaving, staying = OrganizationFactory(), OrganizationFactory()
    user = UserFactory(organizations=[leaving, staying])
    data = change_form(admin_client, user_url(user))
    row = row_of(data, Membership.objects.get(organization=leaving))
    data[f"{PREFIX}-{row}-DELETE"] = "on"

    assert saved(admin_client.post(user_url(user), data))

    assert memberships() == {(staying.pk, user.pk)}
    assert service_calls == [("membership_remove", leaving.pk, user.pk, admin_user.pk)]


def test_an_unchanged_inline_saves_no_membership(admin_client, service_calls):
    organization = OrganizationFactory()
    user = UserFactory(organizations=[organization])

    assert saved(admin_client.post(user_url(user), change_form(admin_client, user_url(user))))
    assert saved(
        admin_client.post(
            organization_url(organization),
            change_form(admin_client, organization_url(organization)),
        )
    )

    assert memberships() == {(organization.pk, user.pk)}
    assert service_calls == []


def test_the_history_records_the_memberships_added_and_removed_in_the_inline(admin_client):
    organization = OrganizationFactory(name="Acme")
    UserFactory(email="ann@example.com", organizations=[organization])
    newcomer = UserFactory(email="bob@example.com")
    data = change_form(admin_client, organization_url(organization))
    data[f"{PREFIX}-0-DELETE"] = "on"
    data = with_new_row(data, organization=organization.pk, user=newcomer.pk)

    assert saved(admin_client.post(organization_url(organization), data))

    assert memberships() == {(organization.pk, newcomer.pk)}
    entry = LogEntry.objects.get(object_id=str(organization.pk))
    assert entry.get_change_message() == (
        "Added membership “bob@example.com in Acme”. Deleted membership “ann@example.com in Acme”."
    )


# Roles in the admin: an organization with an owner keeps one.


def test_staff_give_an_ownerless_organization_an_owner_in_the_inline(admin_client):
    organization = OrganizationFactory()
    member = UserFactory(organizations=[organization])
    data = change_form(admin_client, organization_url(organization))
    data[f"{PREFIX}-{row_of(data, Membership.objects.get(user=member))}-role"] = "owner"

    assert saved(admin_client.post(organization_url(organization), data))

    assert Membership.objects.get(user=member).role == "owner"


def test_staff_pass_ownership_on_in_one_save(admin_client):
    owner, member = UserFactory(), UserFactory()
    organization = OrganizationFactory(owner=owner)
    Membership.objects.create(organization=organization, user=member)
    data = change_form(admin_client, organization_url(organization))
    data[f"{PREFIX}-{row_of(data, Membership.objects.get(user=owner))}-role"] = "member"
    data[f"{PREFIX}-{row_of(data, Membership.objects.get(user=member))}-role"] = "owner"

    assert saved(admin_client.post(organization_url(organization), data))

    assert dict(Membership.objects.values_list("user_id", "role")) == {
        owner.pk: "member",
        member.pk: "owner",
    }


@pytest.mark.parametrize("change", ["demote", "delete"])
def test_the_admin_refuses_to_take_away_the_last_owner_with_a_message(admin_client, change):
    owner = UserFactory()
    organization = OrganizationFactory(owner=owner)
    data = change_form(admin_client, organization_url(organization))
    row = row_of(data, Membership.objects.get(user=owner))
    if change == "demote":
        data[f"{PREFIX}-{row}-role"] = "member"
    else:
        data[f"{PREFIX}-{row}-DELETE"] = "on"

    response = admin_client.post(organization_url(organization), data)

    assert response.status_code == 200
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(user=owner).role == "owner"


def test_the_admin_refuses_to_deactivate_the_last_owner(admin_client):
    owner = UserFactory()
    OrganizationFactory(name="Acme", owner=owner)
    data = change_form(admin_client, user_url(owner))
    data.pop("is_active")  # the box unticked

    response = admin_client.post(user_url(owner), data)

    assert response.status_code == 200
    assert "The only owner of: Acme" in response.content.decode()
    assert User.objects.get(pk=owner.pk).is_active


def test_the_admin_deactivates_an_owner_who_is_not_the_last(admin_client):
    owner = UserFactory()
    organization = OrganizationFactory(owner=owner)
    Membership.objects.create(organization=organization, user=UserFactory(), role="owner")
    data = change_form(admin_client, user_url(owner))
    data.pop("is_active")

    assert saved(admin_client.post(user_url(owner), data))
    assert not User.objects.get(pk=owner.pk).is_active


def test_the_admin_does_not_delete_the_last_owner(admin_client):
    owner = UserFactory()
    OrganizationFactory(name="Acme", owner=owner)
    url = reverse("admin:accounts_user_delete", args=[owner.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert "only owner of Acme" in page.content.decode()
    assert response.status_code in {200, 403}
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_admin_lists_join_requests_and_invitations_and_answers_them(admin_client, admin_user):
    owner = UserFactory()
    organization = OrganizationFactory(name="Acme", join_policy="approval", owner=owner)
    requester = UserFactory(email="ann@example.com")
    _, join_request = services.join_request_create(organization=organization, user=requester)
    invitation, _ = services.invitation_create(
        organization=organization, by=owner, email="bob@example.com", role="member"
    )

    requests_page = admin_client.get(reverse("admin:orgs_joinrequest_changelist"))
    invitations_page = admin_client.get(reverse("admin:orgs_invitation_changelist"))
    assert "ann@example.com" in requests_page.content.decode()
    assert "bob@example.com" in invitations_page.content.decode()
    assert (
        invitation.token_hash
        not in admin_client.get(
            reverse("admin:orgs_invitation_change", args=[invitation.pk])
        ).content.decode()
    )

    admin_client.post(
        reverse("admin:orgs_joinrequest_changelist"),
        {"action": "approve", "_selected_action": [join_request.pk]},
    )
    admin_client.post(
        reverse("admin:orgs_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )

    assert Membership.objects.get(user=requester).role == "member"
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
