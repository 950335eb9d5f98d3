"""Realistic examples in the OpenAPI schema, written once by property name: what Swagger UI fills
its forms with and what ReDoc shows, so that a try-it-out call succeeds as it comes and the ids
chain (user 42 belongs to organizations 7 and 12)."""

import contextlib

from django.utils.translation import gettext_lazy as _

SERVER = "http://127.0.0.1:8000"
ACCESS = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwidXNlcl9pZCI6IjQyIn0."
    "kX0Qf3lY7yqV2c4bN8pR1sT6uW9zA5dE0gH3jL7mP2o"
)
REFRESH = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsInVzZXJfaWQiOiI0MiJ9."
    "Tm3vB8nQ1xZ4cR7yK2wH5jD9fL0sA6gP3uE8iO1tY4q"
)
DATE = "2026-11-30T09:15:00Z"
TOTP_SECRET = "JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK"
RECOVERY_CODES = [
    "3f9a-c21b",
    "7d04-e8a5",
    "b16c-0f93",
    "52e8-a7d1",
    "c930-4b6e",
    "0a7f-d25c",
    "e4b1-69f0",
    "8c25-13ad",
    "f6d3-b048",
    "29ae-7c1f",
]

# Property name -> example; "Component.property" for a name whose example depends on the object.
EXAMPLES = {
    "id": 42,
    "url": f"{SERVER}/api/users/42/",
    "email": "anna.petrova@example.com",
    "first_name": "Anna",
    "last_name": "Petrova",
    "phone": "+14155552671",
    "avatar": f"{SERVER}/media/avatars/Qx7bT2kLm9PzA4vN.jpg",
    "password": "violet-Harbor-1987",
    "current_password": "violet-Harbor-1987",
    "old_password": "violet-Harbor-1987",
    "new_password1": "amber-Lantern-2026",
    "new_password2": "amber-Lantern-2026",
    "organizations": [7, 12],
    "organization_ids": [7, 12],
    "name": "Northwind Research",
    "description": _("Applied research in materials and energy storage."),
    "users_count": 3,
    "created_at": DATE,
    "date_joined": DATE,
    "joined_at": DATE,
    "users_url": f"{SERVER}/api/organizations/7/users/",
    "created_by": f"{SERVER}/api/users/42/",
    "membership_url": f"{SERVER}/api/organizations/7/users/42/",
    "requests_url": f"{SERVER}/api/organizations/7/requests/",
    "invitations_url": f"{SERVER}/api/organizations/7/invitations/",
    "accept_url": f"{SERVER}/api/organizations/7/users/",
    "expires_at": "2026-12-07T09:15:00Z",
    "role": "member",
    "join_policy": "open",
    "status": "pending",
    "access": ACCESS,
    "refresh": REFRESH,
    "token": ACCESS,
    "uid": "Mg",
    "key": "Mg:1t9Zqk:b3c8FJ2lJm0kS1a9rQ5yV7wXcE4",
    "detail": _("Password has been changed."),
    "count": 57,
    "contact_visibility": "organizations",
    "language": "en",
    "remove_avatar": False,
    # Two-factor login: Anna's secret, her codes and tokens (the tokens are signed: made up here).
    "mfa_enabled": True,
    "mfa_required": True,
    "last_used_at": DATE,
    "secret": TOTP_SECRET,
    "totp_url": (
        "otpauth://totp/People%20and%20organizations:anna.petrova%40example.com"
        f"?secret={TOTP_SECRET}&issuer=People%20and%20organizations"
    ),
    "qr_code_data_uri": (
        "data:image/svg+xml;base64,PD94bWwgdmVyc2lvbj0nMS4wJyBlbmNvZGluZz0nVVRGLTgnPz4K"
    ),
    "activation_token": (
        "eyJ1aWQiOjQyLCJzZWNyZXQiOiJKQlNXWTNEUEVIUEszUFhQIn0:1t9Zqk:Vb3kQ0xY2mN8pR4sT6uW1zA5dE0gH3jL7"
    ),
    "ephemeral_token": "5f0c2a9e-3b7d-4e1a-9c8f-2d6b1e4a7c30:1t9Zqk:Qm7rT2vX9bN4kP1sW6yZ3cF8hJ0",
    "code": "492039",
    "recovery_codes": RECOVERY_CODES,
    "codes": RECOVERY_CODES,
    "next": f"{SERVER}/api/users/?page=3",
    "previous": f"{SERVER}/api/users/?page=1",
    # Every component whose name starts with Organization (OrganizationRead, ...).
    "Organization.id": 7,
    "Organization.url": f"{SERVER}/api/organizations/7/",
    "PaginatedOrganization.next": f"{SERVER}/api/organizations/?page=3",
    "PaginatedOrganization.previous": f"{SERVER}/api/organizations/?page=1",
    "ProfileRead.invitations_url": f"{SERVER}/api/profile/invitations/",
    "JoinRequestRead.id": 31,
    "JoinRequestRead.url": f"{SERVER}/api/organizations/7/requests/31/",
    "InvitationRead.id": 58,
    "InvitationRead.url": f"{SERVER}/api/organizations/7/invitations/58/",
    "InvitationRead.email": "new.colleague@example.com",
    "InvitationCreateRequest.email": "new.colleague@example.com",
    "MyInvitation.id": 58,
    "InvitationTokenRequest.token": "58.Yb2o6cQ0nH4sZ8tE1kW5rL9vP3mJ7xA2dF6gU0iO4eT",
    "PasswordResetConfirmRequest.token": "cf3k2x-5e8b1f0a9d7c6b4e2a1f3c5d7e9b0a2c",
    # In a JSON body, the avatar can only be removed (null); Swagger UI would send "string".
    "Profile.avatar": None,
    "Register.avatar": None,
    "Error.detail": _("Authentication credentials were not provided."),
    "Error.code": "not_authenticated",
}


# Request bodies whose example is only some of their fields, so that Swagger UI's try-it-out
# succeeds as it comes, in this order: sign up, log in, change the password... (the organization
# ids 7 and 12 need not exist; the email is left as it is, which needs no current password).
REQUEST_BODY_FIELDS = {
    "register": ["email", "password", "first_name", "last_name", "phone"],
    "updateProfile": ["first_name", "last_name", "phone", "contact_visibility"],
    "replaceProfile": ["email", "first_name", "last_name", "phone", "contact_visibility"],
}

# Query and path parameters: the id in /api/organizations/{id}/ is an organization's.
PARAMETER_EXAMPLES = {
    "search": "petrova",
    "organization": 7,
    "organization_pk": 7,
    "id": 42,
    "/api/organizations/{id}/.id": 7,
}


# What each object of the schema is, by component name (the request components of an object, its
# "Patched...Request" too, share its text), in the language of the schema: the serializers'
# docstrings, which drf-spectacular would show, are for developers and English only.
DESCRIPTIONS = {
    "AccountDelete": _("Confirms the deletion of one's account with its current password."),
    "ApiError": _("An error that concerns the whole request."),
    "AvatarUpload": _(
        "A new avatar, in multipart/form-data: renamed and shrunk to fit 200x200 px."
    ),
    "InvitationCreate": _("Whom to invite, and with which role."),
    "InvitationRead": _(
        "An invitation to an organization, as the organization's owners and admins see it."
    ),
    "InvitationToken": _("The token of an invitation, from the mail that carried it."),
    "JoinRequestRead": _("A request to join an organization whose join policy is `approval`."),
    "Login": _(
        "Log in by email and password only; a `username` key is not a field and is ignored."
    ),
    "MfaCode": _(
        "A code of the account's, which the change it confirms spends; wrong codes count "
        "against the login limits of the account (429 once they are spent)."
    ),
    "MfaLogin": _("The second step of a login: the ephemeral token of the first and a code."),
    "MfaRequired": _(
        "The answer to a login whose password is right for an account with two-factor login: "
        "no token yet; send a code with `ephemeral_token` to `POST /api/login/mfa/`."
    ),
    "MfaStatus": _(
        "Whether logging in takes a second factor; when it was turned on and a code last used."
    ),
    "RecoveryCodes": _("Recovery codes not used yet."),
    "RecoveryCodesShown": _(
        "The recovery codes just made: shown this once; each logs in once instead of a TOTP code."
    ),
    "TotpActivate": _(
        "Turn two-factor login on: the activation token of the set-up and a code it gives."
    ),
    "TotpCode": _("A current TOTP code of the account's (not a recovery code)."),
    "TotpSetup": _(
        "A new TOTP secret to put in an authenticator app; nothing changes until it is confirmed."
    ),
    "MemberRole": _("A member's new role."),
    "MemberRead": _(
        "A member of one organization: the user, and the link to their membership (where they "
        "leave, or are removed)."
    ),
    "MyInvitation": _(
        "An invitation sent to one's own address: accept it by joining the organization."
    ),
    "OrganizationRead": _("An organization with its number of users."),
    "OrganizationSummary": _("An organization as embedded in a user: id, link and name."),
    "OrganizationWithUsers": _("An organization with the full list of its users."),
    "OrganizationWrite": _("Create or edit an organization; the reply has the read shape."),
    "PasswordChange": _(
        "Change the password, given the old one; every session ends, this one included."
    ),
    "PasswordResetConfirm": _(
        "Set a new password with the uid and token of a reset email; every session ends."
    ),
    "PasswordReset": _(
        "Ask for a reset email; the answer is the same whether the address exists or not."
    ),
    "Profile": _(
        "The authenticated user's own profile; organizations are written as a list of ids."
    ),
    "ProfileRead": _(
        "One's own account: a user as the directory shows them, with one's own contact details "
        "always, and who else sees them."
    ),
    "Requester": _("The user who asks to join."),
    "Register": _("Sign-up with an email and one password; the profile fields may come along."),
    "TokenBlacklist": _(
        "The refresh token to revoke: neither a refresh nor another logout can use it after."
    ),
    "TokenRefresh": _(
        "A refresh token, exchanged for a new access token and a new refresh token; it can "
        "never be used again."
    ),
    "TokenVerify": _(
        "A token to check: valid while it could still be used, that is while its user exists, "
        "is active and has not changed password since it was issued."
    ),
    "TokensWithUser": _("The answer to a sign-up or a login."),
    "UserRead": _("A user as the directory and the profile show them."),
    "UserSummary": _("A member as embedded in an organization."),
}


def add_descriptions(result, generator, request, public):
    """drf-spectacular's postprocessing hook: each object's description from DESCRIPTIONS, in
    the language of the schema (a test fails for an object missing there)."""
    for component, schema in result.get("components", {}).get("schemas", {}).items():
        base = component.removeprefix("Patched").removesuffix("Request")
        if base in DESCRIPTIONS:
            schema["description"] = DESCRIPTIONS[base]
    return result


def example_for(component, name):
    """The example of a property, or KeyError. Request components share their object's examples:
    PatchedOrganizationRequest has an Organization's."""
    base = component.removeprefix("Patched").removesuffix("Request")
    family = next((f for f in ("Organization", "PaginatedOrganization") if base.startswith(f)), "")
    for key in (f"{component}.{name}", f"{base}.{name}", f"{family}.{name}", name):
        if key in EXAMPLES:
            return EXAMPLES[key]
    raise KeyError(name)


def add_examples(result, generator, request, public):
    """drf-spectacular's postprocessing hook: an example on every property and parameter that
    has none."""
    for path, operations in result["paths"].items():
        for operation in operations.values():
            fields = REQUEST_BODY_FIELDS.get(operation.get("operationId"), [])
            for body in operation.get("requestBody", {}).get("content", {}).values():
                if fields:
                    component = body["schema"]["$ref"].split("/")[-1]
                    body["example"] = {field: example_for(component, field) for field in fields}
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                key = f"{path}.{name}" if f"{path}.{name}" in PARAMETER_EXAMPLES else name
                if "example" not in parameter and key in PARAMETER_EXAMPLES:
                    parameter["example"] = PARAMETER_EXAMPLES[key]
    for component, schema in result.get("components", {}).get("schemas", {}).items():
        for name, prop in schema.get("properties", {}).items():
            if {"example", "$ref", "allOf"} & prop.keys() or "$ref" in prop.get("items", {}):
                continue  # a nested object has the examples of its own component
            if prop.get("format") == "binary":
                continue  # a file
            with contextlib.suppress(KeyError):  # no example for this property
                prop["example"] = example_for(component, name)
    return result
