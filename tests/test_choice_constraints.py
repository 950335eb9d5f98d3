"""Every column of choices holds one of them in the database too (restkit.constraints), whatever
writes it; on PostgreSQL the constraints are added without a long lock, and validated."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import ContactVisibility, Language, User
from orgs.models import Invitation, JoinRequest, Membership, Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(user):
    org = OrganizationFactory(owner=user)
    other = UserFactory()
    return {
        User: user,
        Organization: org,
        Membership: Membership.objects.get(user=user, organization=org),
        JoinRequest: JoinRequest.objects.create(organization=org, user=other),
        Invitation: Invitation.objects.create(
            organization=org, email="bob@example.com", token_hash="x", expires_at=timezone.now()
        ),
    }


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (User, "contact_visibility"),
        (User, "language"),
        (Organization, "join_policy"),
        (Membership, "role"),
        (JoinRequest, "status"),
        (Invitation, "role"),
        (Invitation, "status"),
    ],
)
def test_a_value_outside_the_choices_is_refused_by_the_database(rows, model, field):
    row = rows[model]

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "bogus"})  # no validation on the way

    row.refresh_from_db()
    assert getattr(row, field) != "bogus"


def test_every_choice_is_accepted(user):
    for visibility in ContactVisibility.values:
        for language in Language.values:
            User.objects.filter(pk=user.pk).update(contact_visibility=visibility, language=language)

    user.refresh_from_db()
    assert (user.contact_visibility, user.language) == (
        ContactVisibility.values[-1],
        Language.values[-1],
    )


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="NOT VALID and VALIDATE are PostgreSQL's"
)


def validated(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT convalidated FROM pg_constraint WHERE conname = %s", [name])
        return [row[0] for row in cursor.fetchall()]


@postgresql_only
def test_the_migrations_leave_every_constraint_validated():
    names = [
        "accounts_user_contact_visibility_choice",
        "accounts_user_language_choice",
        "orgs_organization_join_policy_choice",
        "orgs_membership_role_choice",
        "orgs_joinrequest_status_choice",
        "orgs_invitation_role_choice",
        "orgs_invitation_status_choice",
    ]

    assert {name: validated(name) for name in names} == {name: [True] for name in names}


@postgresql_only
def test_a_migration_interrupted_before_validating_validates_when_run_again():
    name = "accounts_user_contact_visibility_choice"
    loader = MigrationExecutor(connection).loader
    migration = loader.get_migration("accounts", "0015_choice_constraints")
    [operation] = [op for op in migration.operations if op.constraint.name == name]
    before = loader.project_state(("accounts", "0014_user_session_generation"))
    after = loader.project_state(("accounts", "0015_choice_constraints"))
    with connection.cursor() as cursor:  # as the first statement of the migration leaves it
        cursor.execute(f"ALTER TABLE accounts_user DROP CONSTRAINT {name}")
        cursor.execute(
            f"ALTER TABLE accounts_user ADD CONSTRAINT {name} "
            "CHECK (contact_visibility IN ('organizations', 'everyone', 'nobody')) NOT VALID"
        )
    assert validated(name) == [False]

    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("accounts", editor, before, after)

    assert validated(name) == [True]
