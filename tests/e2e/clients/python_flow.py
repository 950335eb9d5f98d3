"""A client app's whole flow through the Python client that openapi-python-client generates from
docs/openapi.yaml, as the package `people_client`. Run by tests/e2e/test_generated_clients.py:

    PYTHONPATH=DIR_OF_people_client python tests/e2e/clients/python_flow.py http://127.0.0.1:8000

Each step checks the status and the body; the first mismatch ends the run with a non-zero exit.
"""

import io
import secrets
import sys
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pyotp
from people_client import AuthenticatedClient, Client
from people_client.api.login import login, login_with_code
from people_client.api.logout import logout
from people_client.api.mfa import (
    activate_totp,
    deactivate_totp,
    get_mfa_status,
    list_recovery_codes,
    start_totp_setup,
)
from people_client.api.organizations import (
    create_organization,
    get_organization,
    join_organization,
    leave_organization,
    list_organization_members,
    list_organizations,
)
from people_client.api.password import change_password
from people_client.api.profile import delete_account, get_profile, update_profile, upload_avatar
from people_client.api.register import register
from people_client.api.token import refresh_token
from people_client.api.users import get_user, list_users
from people_client.models import (
    AccountDeleteRequest,
    AvatarUploadRequest,
    ListUsersOrdering,
    LoginRequest,
    MfaCodeRequest,
    MfaLoginRequest,
    MfaRequired,
    OrganizationWriteRequest,
    PasswordChangeRequest,
    PatchedProfileRequest,
    RegisterRequest,
    TokenBlacklistRequest,
    TokenRefreshRequest,
    TokensWithUser,
    TotpActivateRequest,
)
from people_client.types import File, Response
from PIL import Image, ImageDraw


def expect(step: str, status: int, response: Response):
    """The parsed body of `response`, whose status must be `status`; prints the step."""
    if response.status_code != status:
        sys.exit(
            f"FAILED {step}: expected {status}, got {response.status_code}: "
            f"{response.content.decode(errors='replace')}"
        )
    print(f"ok  {status} {step}")
    return response.parsed


def faulty_fields(error) -> list[str]:
    """The fields that a 400 body finds fault with (`non_field_errors`: the request as a whole)."""
    return sorted(field for field, messages in error.to_dict().items() if messages)


def avatar_png() -> bytes:
    """A small PNG, as a phone's image picker would hand it over."""
    image = Image.new("RGB", (64, 64), (250, 240, 220))
    ImageDraw.Draw(image).ellipse((12, 8, 52, 56), fill=(120, 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def main(base_url: str) -> None:
    # An unauthenticated client, and one per access token; an undocumented status raises.
    public = Client(base_url=base_url, raise_on_unexpected_status=True)

    def signed_in(access: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=base_url, token=access, raise_on_unexpected_status=True)

    # Names and addresses unique to this run: other tests share the server.
    run = secrets.token_hex(4)
    email, password = f"ada.lovelace.{run}@example.com", "Analytical-Engine-1843"
    colleague_email = f"charles.babbage.{run}@example.com"

    # Sign up: the account is active at once, so the answer carries tokens.
    signed_up = expect(
        "sign up",
        201,
        register.sync_detailed(client=public, body=RegisterRequest(email=email, password=password)),
    )
    assert isinstance(signed_up, TokensWithUser), signed_up
    assert signed_up.user.email == email
    ada_id = signed_up.user.id

    # A second person, to search for and to share an organization with.
    colleague = expect(
        "sign up a colleague",
        201,
        register.sync_detailed(
            client=public,
            body=RegisterRequest(
                email=colleague_email,
                password="Difference-Engine-1822",
                first_name="Charles",
                last_name="Babbage",
            ),
        ),
    )
    assert isinstance(colleague, TokensWithUser), colleague

    # Log in.
    tokens = expect(
        "log in",
        200,
        login.sync_detailed(client=public, body=LoginRequest(email=email, password=password)),
    )
    assert isinstance(tokens, TokensWithUser), tokens  # not MfaRequired: no second factor
    assert tokens.user.id == ada_id
    ada = signed_in(tokens.access)

    # A wrong password: one message, whatever was wrong.
    refused = expect(
        "log in with a wrong password",
        400,
        login.sync_detailed(
            client=public, body=LoginRequest(email=email, password="not-my-password")
        ),
    )
    assert faulty_fields(refused) == ["non_field_errors"], refused

    # An invalid body: errors by field.
    invalid = expect(
        "sign up with an invalid body",
        400,
        register.sync_detailed(
            client=public, body=RegisterRequest(email=f"not-an-address-{run}", password="")
        ),
    )
    assert faulty_fields(invalid) == ["email", "password"], invalid

    # Three organizations, which the colleague creates, and so owns.
    created = []
    for name in ("Analytical Society", "Royal Astronomical Society", "Statistical Society"):
        body = OrganizationWriteRequest(name=f"{name} {run}", description=f"Founded by run {run}.")
        org = expect(
            f"create {body.name}",
            201,
            create_organization.sync_detailed(client=signed_in(colleague.access), body=body),
        )
        assert (org.name, org.users_count) == (body.name, 1)
        created.append(org)
    analytical, astronomical, _ = created

    # List them two by two, following `next` to the end.
    listed, page = [], None
    while True:
        query = {"search": run, "page_size": 2} | ({"page": page} if page else {})
        listing = expect(
            f"list organizations, page {page or 1}",
            200,
            list_organizations.sync_detailed(client=ada, **query),
        )
        assert listing.count == 3
        listed += [org.name for org in listing.results]
        if not listing.next_:
            break
        page = int(parse_qs(urlsplit(listing.next_).query)["page"][0])
    assert sorted(listed) == sorted(org.name for org in created)

    # Profile: names, phone and organizations in one PATCH.
    profile = expect(
        "update the profile",
        200,
        update_profile.sync_detailed(
            client=ada,
            body=PatchedProfileRequest(
                first_name="Ada",
                last_name="Lovelace",
                phone="+442079460958",
                organizations=[analytical.id],
            ),
        ),
    )
    assert (profile.first_name, profile.last_name) == ("Ada", "Lovelace")
    assert profile.phone == "+442079460958"
    assert [org.id for org in profile.organizations] == [analytical.id]

    # Avatar: a PNG file, uploaded as multipart/form-data.
    picture = File(payload=io.BytesIO(avatar_png()), file_name="ada.png", mime_type="image/png")
    with_avatar = expect(
        "upload an avatar",
        200,
        upload_avatar.sync_detailed(client=ada, body=AvatarUploadRequest(avatar=picture)),
    )
    assert str(with_avatar.avatar).endswith(".png"), with_avatar.avatar

    # Join an organization, then again: already a member.
    joined = expect(
        "join an organization",
        201,
        join_organization.sync_detailed(organization_pk=astronomical.id, client=ada),
    )
    assert joined.id == ada_id
    expect(
        "join it again",
        200,
        join_organization.sync_detailed(organization_pk=astronomical.id, client=ada),
    )
    members = expect(
        "list its members",
        200,
        list_organization_members.sync_detailed(organization_pk=astronomical.id, client=ada),
    )
    assert [(user.id, user.role) for user in members.results] == [
        (ada_id, "member"),
        (colleague.user.id, "owner"),
    ]

    # Leave it.
    expect(
        "leave the organization",
        204,
        leave_organization.sync_detailed(organization_pk=astronomical.id, id=ada_id, client=ada),
    )
    left = expect(
        "read it after leaving",
        200,
        get_organization.sync_detailed(id=astronomical.id, client=ada),
    )
    assert left.users_count == 1

    # The colleague, who created Ada's first organization, is already its member.
    expect(
        "the colleague joining: already a member",
        200,
        join_organization.sync_detailed(
            organization_pk=analytical.id, client=signed_in(colleague.access)
        ),
    )

    # Search people by name.
    found = expect("search users", 200, list_users.sync_detailed(client=ada, search="Lovelace"))
    assert ada_id in [user.id for user in found.results], found
    assert {user.last_name for user in found.results} == {"Lovelace"}, found

    # Filter people by organization: both members, with the contact details colleagues see.
    colleagues = expect(
        "filter users by organization",
        200,
        list_users.sync_detailed(
            client=ada, organization=analytical.id, ordering=ListUsersOrdering.ID
        ),
    )
    assert [user.email for user in colleagues.results] == [email, colleague_email], colleagues

    # What is not there: 404.
    missing = expect(
        "read a user who does not exist",
        404,
        get_user.sync_detailed(id=987654321, client=ada),
    )
    assert missing.detail, missing

    # Refresh: a new pair; the refresh token sent is spent.
    spent = tokens.refresh
    refreshed = expect(
        "refresh the tokens",
        200,
        refresh_token.sync_detailed(client=public, body=TokenRefreshRequest(refresh=spent)),
    )
    assert refreshed.refresh != spent
    expect(
        "use the new access token",
        200,
        get_profile.sync_detailed(client=signed_in(refreshed.access)),
    )
    expect(
        "refresh with the spent token",
        401,
        refresh_token.sync_detailed(client=public, body=TokenRefreshRequest(refresh=spent)),
    )

    # Log out: the refresh token is revoked.
    credentials = LoginRequest(email=email, password=password)
    tokens = expect("log in again", 200, login.sync_detailed(client=public, body=credentials))
    expect(
        "log out",
        200,
        logout.sync_detailed(
            client=signed_in(tokens.access), body=TokenBlacklistRequest(refresh=tokens.refresh)
        ),
    )
    expect(
        "refresh after logging out",
        401,
        refresh_token.sync_detailed(
            client=public, body=TokenRefreshRequest(refresh=tokens.refresh)
        ),
    )

    # Change the password: every token of the account stops working.
    tokens = expect(
        "log in to change the password",
        200,
        login.sync_detailed(client=public, body=credentials),
    )
    ada = signed_in(tokens.access)
    new_password = "Bernoulli-Numbers-Note-G"
    expect(
        "change the password",
        200,
        change_password.sync_detailed(
            client=ada,
            body=PasswordChangeRequest(
                old_password=password, new_password1=new_password, new_password2=new_password
            ),
        ),
    )
    expect("read the profile with an old token", 401, get_profile.sync_detailed(client=ada))
    expect(
        "log in with the old password",
        400,
        login.sync_detailed(client=public, body=credentials),
    )
    credentials = LoginRequest(email=email, password=new_password)
    tokens = expect(
        "log in with the new password",
        200,
        login.sync_detailed(client=public, body=credentials),
    )
    assert isinstance(tokens, TokensWithUser), tokens
    ada = signed_in(tokens.access)

    # Two-factor login: set up with a code computed from the secret, as an authenticator app does.
    status = expect("read the two-factor status", 200, get_mfa_status.sync_detailed(client=ada))
    assert status.mfa_enabled is False, status
    setup = expect("start the set-up", 200, start_totp_setup.sync_detailed(client=ada))
    assert setup.totp_url.startswith("otpauth://totp/"), setup.totp_url
    totp = pyotp.TOTP(setup.secret)
    shown = expect(
        "turn two-factor login on",
        200,
        activate_totp.sync_detailed(
            client=ada,
            body=TotpActivateRequest(activation_token=setup.activation_token, code=totp.now()),
        ),
    )
    assert len(shown.recovery_codes) == 10, shown
    challenge = expect(
        "log in: the password", 200, login.sync_detailed(client=public, body=credentials)
    )
    assert isinstance(challenge, MfaRequired), challenge  # no token yet
    # The code of the next time step: the current one was spent turning it on.
    code = totp.at(datetime.now(UTC), counter_offset=1)
    tokens = expect(
        "log in: the code",
        200,
        login_with_code.sync_detailed(
            client=public,
            body=MfaLoginRequest(ephemeral_token=challenge.ephemeral_token, code=code),
        ),
    )
    assert isinstance(tokens, TokensWithUser), tokens
    assert tokens.user.mfa_enabled is True
    ada = signed_in(tokens.access)
    codes = expect("list the recovery codes", 200, list_recovery_codes.sync_detailed(client=ada))
    assert codes.codes == shown.recovery_codes, codes
    expect(
        "turn two-factor login off with a recovery code",
        200,
        deactivate_totp.sync_detailed(
            client=ada, body=MfaCodeRequest(code=shown.recovery_codes[0])
        ),
    )
    tokens = expect(
        "log in in one step again", 200, login.sync_detailed(client=public, body=credentials)
    )
    assert isinstance(tokens, TokensWithUser), tokens
    ada = signed_in(tokens.access)

    # Delete the account: its password is required.
    refused = expect(
        "delete the account with a wrong password",
        400,
        delete_account.sync_detailed(client=ada, body=AccountDeleteRequest(password=password)),
    )
    assert faulty_fields(refused) == ["password"], refused
    expect(
        "delete the account",
        204,
        delete_account.sync_detailed(client=ada, body=AccountDeleteRequest(password=new_password)),
    )
    expect("read the profile of the deleted account", 401, get_profile.sync_detailed(client=ada))
    expect(
        "log in to the deleted account",
        400,
        login.sync_detailed(client=public, body=credentials),
    )

    print("Python client flow: every step passed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python python_flow.py BASE_URL")
    main(sys.argv[1])
