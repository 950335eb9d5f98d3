"""Realistic examples in the OpenAPI schema, written once by property name: what Swagger UI fills
its forms with and what ReDoc shows, so that a try-it-out call succeeds as it comes and the ids
chain (user 42 belongs to organizations 7 and 12)."""

import contextlib

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
    "description": "Applied research in materials and energy storage.",
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
    "detail": "Password has been changed.",
    "count": 57,
    "contact_visibility": "organizations",
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
    "Error.detail": "Authentication credentials were not provided.",
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
