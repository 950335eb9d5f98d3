import hashlib
import unicodedata

from django.db import migrations, models


def fill_name_keys(apps, schema_editor):
    """Give every organization its key; should two names already be the same in some letter
    case (SQLite let non-ASCII ones through), the later one gets a key of its own."""
    Organization = apps.get_model("orgs", "Organization")
    taken = set()
    for organization in Organization.objects.order_by("id"):
        folded = "".join(
            char
            for char in unicodedata.normalize("NFKC", organization.name).casefold()
            if unicodedata.category(char) != "Cf"
        )
        if folded in taken:
            folded = f"{folded} #{organization.pk}"
        taken.add(folded)
        key = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()
        organization.name_key = key
        organization.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="name_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveConstraint(
            model_name="organization",
            name="orgs_organization_name_ci_unique",
        ),
    ]
