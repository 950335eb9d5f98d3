from django.db import migrations


class Migration(migrations.Migration):
    """Membership becomes the orgs app's (orgs 0003 takes over the table): the field leaves the
    user's state only; the table and its rows stay."""

    dependencies = [
        ("accounts", "0005_emails_in_normal_form"),
        ("orgs", "0002_organization_name_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="user", name="organizations")],
        ),
    ]
