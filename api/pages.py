"""The browsable API's page names and texts as DRF derives them from the views (a viewset's class
and suffix, "Organization List"; a view's docstring, on one line), for the catalog:
restkit.renderers.view_name and view_description look them up in the language of the answer.
Nothing imports this module: makemessages reads it; tests/i18n checks that every page is here."""

from django.utils.translation import gettext_noop

NAMES = [
    gettext_noop("Mfa Login"),
    gettext_noop("Mfa Status"),
    gettext_noop("Recovery Codes Regenerate"),
    gettext_noop("Totp Activate"),
    gettext_noop("Totp Deactivate"),
    gettext_noop("Approve"),
    gettext_noop("Decline"),
    gettext_noop("Invitation Accept"),
    gettext_noop("Invitation Decline"),
    gettext_noop("Invitation Link"),
    gettext_noop("Organization Invitations Instance"),
    gettext_noop("Organization Invitations List"),
    gettext_noop("Organization Requests Instance"),
    gettext_noop("Organization Requests List"),
    gettext_noop("Profile Invitations"),
    gettext_noop("Login"),
    gettext_noop("Logout"),
    gettext_noop("Organization Instance"),
    gettext_noop("Organization List"),
    gettext_noop("Organization Users Instance"),
    gettext_noop("Organization Users List"),
    gettext_noop("Password Change"),
    gettext_noop("Password Reset"),
    gettext_noop("Password Reset Confirm"),
    gettext_noop("Password Reset Link"),
    gettext_noop("Profile Avatar"),
    gettext_noop("Register"),
    gettext_noop("Resend Email Verification"),
    gettext_noop("Token Refresh"),
    gettext_noop("Token Verify"),
    gettext_noop("User Instance"),
    gettext_noop("User List"),
    gettext_noop("Verify Email"),
    gettext_noop("Verify Email Link"),
    gettext_noop("With users"),
]

DESCRIPTIONS = [
    gettext_noop("Accept an invitation with the token its mail carried."),
    gettext_noop("Decline an invitation with the token its mail carried."),
    gettext_noop(
        "Where an invitation's mail links to: how to answer it, and a form that accepts it."
    ),
    gettext_noop("Invitations sent to your address: accept one with a POST to its `accept_url`."),
    gettext_noop(
        "Invitations to an organization: its owners and admins send, list and revoke them."
    ),
    gettext_noop(
        "Organizations: anyone signed in lists and creates them; their owners and admins edit "
        "them, their owners delete them."
    ),
    gettext_noop(
        "Requests to join an organization whose join policy is `approval`: its owners and "
        "admins list and answer them; the requester may withdraw theirs."
    ),
    gettext_noop("Every organization with the full list of its users."),
    gettext_noop(
        "Members of one organization: list them, join (POST), read one, or leave or remove one "
        "(DELETE on the member's page)."
    ),
    gettext_noop("The directory of all users, each with the organizations they belong to."),
    gettext_noop("Upload or remove the authenticated user's avatar (the old file goes)."),
    gettext_noop("Where the confirmation email's link leads when no front end is configured."),
    gettext_noop(
        "Where the reset email's link leads when no front end is configured: it says how to "
        "finish, and its form (in the browsable API) sets the new password."
    ),
]
