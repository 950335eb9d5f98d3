import contextlib

from django.db import migrations


def normalize_email(value):
    """The normal form this migration stored, frozen here: a later change to the live function
    must not change what the migration did."""
    local, at, domain = value.strip().lower().rpartition("@")
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("idna")
    return f"{local}{at}{domain}"


def renormalize(apps, schema_editor):
    """Store every address in the normal form lookups now use (domains as mail is delivered to
    them), so that each account is still found by its address. An address whose normal form
    another account has already is left as it is."""
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = set(User.objects.values_list("email", flat=True))
    for user_id, email in User.objects.order_by("id").values_list("id", "email"):
        normal = normalize_email(email)
        if normal == email or normal in taken:
            continue
        taken.add(normal)
        User.objects.filter(pk=user_id).update(email=normal)
        EmailAddress.objects.filter(user_id=user_id, email__iexact=email).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_email_domain_validator"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop)]
