"""The one normal form of an email address, and the check that mail can be sent to it."""

import contextlib

from django.core.exceptions import ValidationError


def normalize_email(value):
    """The one normal form of an address: trimmed, lowercase, and its domain in the form mail
    is delivered to, however it was written (in fullwidth letters, with a soft hyphen, in
    capitals: example.org; "xn--bcher-kva.de" is bücher.de)."""
    if not isinstance(value, str):
        return value
    local, at, domain = value.strip().lower().rpartition("@")
    with contextlib.suppress(UnicodeError):  # not a domain: validation refuses the address
        domain = domain.encode("idna").decode("idna")  # as Django encodes it to send mail
    return f"{local}{at}{domain}"


def validate_mail_domain(value):
    """Mail can be sent to the address: its domain has an IDNA form, every label of which is at
    most 63 characters long, and its "xn--" labels decode (Django's own validator checks
    neither)."""
    try:
        value.rpartition("@")[2].encode("idna").decode("idna")
    except UnicodeError as exc:
        raise ValidationError("Enter a valid email address.", code="invalid") from exc
