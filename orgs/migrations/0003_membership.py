import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """An explicit Membership on the table accounts' many-to-many field had, with its rows; then
    renamed after its model, with a big id, the date of joining and a named unique pair."""

    dependencies = [
        ("orgs", "0002_organization_name_key"),
        ("accounts", "0006_organizations_to_orgs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.AutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="orgs.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_user_organizations",
                        "unique_together": {("user", "organization")},
                    },
                ),
                migrations.AddField(
                    model_name="organization",
                    name="users",
                    field=models.ManyToManyField(
                        related_name="organizations",
                        through="orgs.Membership",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="users",
                    ),
                ),
            ],
        ),
        migrations.AlterModelTable(name="membership", table=None),
        migrations.AlterField(
            model_name="membership",
            name="id",
            field=models.BigAutoField(
                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="joined_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="joined at"
            ),
        ),
        migrations.AlterUniqueTogether(name="membership", unique_together=set()),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("user", "organization"), name="orgs_membership_user_organization_unique"
            ),
        ),
    ]
