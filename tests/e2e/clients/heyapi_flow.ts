// A client app's whole flow through the SDK that @hey-api/openapi-ts generates from
// docs/openapi.yaml (build/heyapi/: one function per operation, named by its operationId). Run by
// tests/e2e/test_generated_clients.py, after heyapi_build.mjs:
//   node tests/e2e/clients/build/heyapi_flow.js http://127.0.0.1:8000
// Each step checks the status and the body; the first mismatch ends the run with exit code 1.
import assert from "node:assert/strict";

import {
  activateTotp,
  changePassword,
  deactivateTotp,
  getMfaStatus,
  createOrganization,
  deleteAccount,
  getOrganization,
  getProfile,
  getUser,
  joinOrganization,
  leaveOrganization,
  listOrganizations,
  login,
  loginWithCode,
  logout,
  refreshToken,
  register,
  listUsers,
  startTotpSetup,
  updateProfile,
  uploadAvatar,
  type OrganizationRead,
  type PaginatedOrganizationReadList,
} from "./build/heyapi";
import { type Client, createClient } from "./build/heyapi/client";
import {
  AVATAR_PNG,
  baseUrlArgument,
  expect,
  fails,
  faultyFields,
  ok,
  pageOf,
  run,
  tokensOf,
  totp,
} from "./steps";

const baseUrl = baseUrlArgument("heyapi_flow.js");
const ada = { email: `ada.lovelace.${run}@example.com`, password: "Analytical-Engine-1843" };
const charles = { email: `charles.babbage.${run}@example.com`, password: "Difference-Engine-1822" };

/** A client of the API: anonymous, or signed in with an access token (sent as a bearer token
 * to the operations whose `security` asks for one). */
function client(access?: string): Client {
  return createClient({ baseUrl, ...(access ? { auth: access } : {}) });
}

async function main() {
  const anonymous = client();

  // Sign up: the account is active at once, so the answer carries tokens.
  const signedUp = await ok("register", 201, register({ client: anonymous, body: ada }));
  assert.ok("access" in signedUp, "sign-up answered without tokens");
  assert.ok(signedUp.access && signedUp.refresh, "sign-up answered with empty tokens");
  assert.equal(signedUp.user.email, ada.email);
  const adaId = signedUp.user.id;

  // A second person, to search for and to share an organization with.
  const other = await ok(
    "register a colleague",
    201,
    register({ client: anonymous, body: charles }),
  );
  assert.ok("access" in other, "sign-up answered without tokens");

  // Log in.
  let tokens = tokensOf("login", await ok("login", 200, login({ client: anonymous, body: ada })));
  assert.equal(tokens.user.id, adaId);
  let me = client(tokens.access);

  // A wrong password: 400, one message for the request as a whole.
  const refused = await fails(
    "login with a wrong password",
    400,
    login({ client: anonymous, body: { email: ada.email, password: "not-my-password" } }),
  );
  assert.deepEqual(faultyFields(refused), ["non_field_errors"]);

  // An invalid body: 400, errors by field.
  const invalid = await fails(
    "register with an invalid body",
    400,
    register({ client: anonymous, body: { email: `not-an-address-${run}`, password: "" } }),
  );
  assert.deepEqual(faultyFields(invalid), ["email", "password"]);

  // Three organizations, which the colleague creates, and so owns.
  const colleague = client(other.access);
  const created: OrganizationRead[] = [];
  for (const name of ["Analytical Society", "Royal Astronomical Society", "Statistical Society"]) {
    const body = { name: `${name} ${run}`, description: `Founded in run ${run}.` };
    const org = await ok(
      `createOrganization ${body.name}`,
      201,
      createOrganization({ client: colleague, body }),
    );
    assert.equal(org.name, body.name);
    assert.equal(org.users_count, 1);
    created.push(org);
  }
  const [analytical, astronomical] = created as [OrganizationRead, OrganizationRead];

  // List them one by one, following `next` to the end.
  const listed: string[] = [];
  let page: number | undefined = undefined;
  for (;;) {
    const query = { search: run, page_size: 1, ...(page ? { page } : {}) };
    const list: PaginatedOrganizationReadList = await ok(
      `listOrganizations, page ${page ?? 1}`,
      200,
      listOrganizations({ client: me, query }),
    );
    assert.equal(list.count, 3);
    assert.equal(list.results.length, 1);
    listed.push(...list.results.map((org) => org.name));
    if (!list.next) break;
    page = pageOf(list.next);
  }
  assert.deepEqual(listed.sort(), created.map((org) => org.name).sort());

  // Profile: names, phone and organizations in one PATCH.
  const profile = await ok(
    "updateProfile",
    200,
    updateProfile({
      client: me,
      body: {
        first_name: "Ada",
        last_name: "Lovelace",
        phone: "+14155552671",
        organizations: [analytical.id],
      },
    }),
  );
  assert.equal(profile.first_name, "Ada");
  assert.equal(profile.last_name, "Lovelace");
  assert.equal(profile.phone, "+14155552671");
  assert.deepEqual(
    profile.organizations.map((org) => org.id),
    [analytical.id],
  );

  // Avatar: a PNG file as a Blob; the SDK sends it as multipart/form-data.
  const avatar = await expect(
    "uploadAvatar",
    200,
    uploadAvatar({ client: me, body: { avatar: new Blob([AVATAR_PNG], { type: "image/png" }) } }),
  );
  const sentAs = avatar.request?.headers.get("Content-Type") ?? "";
  assert.match(sentAs, /^multipart\/form-data; boundary=/, `the avatar went out as ${sentAs}`);
  assert.match(avatar.data?.avatar ?? "", /\/media\/avatars\/[a-zA-Z0-9]+\.png$/);
  const reread = await ok("getProfile", 200, getProfile({ client: me }));
  assert.equal(reread.avatar, avatar.data?.avatar);

  // Join an organization, then again: already a member.
  const astronomicalUsers = { client: me, path: { organization_pk: astronomical.id } };
  const joined = await ok("joinOrganization", 201, joinOrganization(astronomicalUsers));
  assert.equal(joined.id, adaId);
  await ok("joinOrganization again", 200, joinOrganization(astronomicalUsers));

  // Leave it.
  await expect(
    "leaveOrganization",
    204,
    leaveOrganization({ client: me, path: { organization_pk: astronomical.id, id: adaId } }),
  );
  const left = await ok(
    "getOrganization after leaving",
    200,
    getOrganization({ client: me, path: { id: astronomical.id } }),
  );
  assert.equal(left.users_count, 1);

  // The colleague, who created Ada's first organization, is already its member.
  await ok(
    "joinOrganization as the colleague: already a member",
    200,
    joinOrganization({ client: client(other.access), path: { organization_pk: analytical.id } }),
  );

  // Search people by name.
  const found = await ok(
    "listUsers with search",
    200,
    listUsers({ client: me, query: { search: "Lovelace" } }),
  );
  assert.ok(found.results.some((user) => user.id === adaId), JSON.stringify(found));
  assert.ok(found.results.every((user) => user.last_name === "Lovelace"), JSON.stringify(found));

  // Filter people by organization: both members, with the contact details colleagues see.
  const colleagues = await ok(
    "listUsers by organization",
    200,
    listUsers({ client: me, query: { organization: analytical.id, ordering: "id" } }),
  );
  assert.deepEqual(
    colleagues.results.map((user) => user.email),
    [ada.email, charles.email],
  );

  // What is not there: 404.
  const missing = await fails(
    "getUser who does not exist",
    404,
    getUser({ client: me, path: { id: 987654321 } }),
  );
  assert.ok("detail" in missing && typeof missing.detail === "string", JSON.stringify(missing));

  // Refresh: a new pair; the refresh token sent is spent.
  const spent = { refresh: tokens.refresh };
  const refreshed = await ok("refreshToken", 200, refreshToken({ client: anonymous, body: spent }));
  assert.notEqual(refreshed.refresh, spent.refresh);
  await ok(
    "getProfile with the new access token",
    200,
    getProfile({ client: client(refreshed.access) }),
  );
  await fails(
    "refreshToken with the spent token",
    401,
    refreshToken({ client: anonymous, body: spent }),
  );

  // Log out: the refresh token is revoked.
  tokens = tokensOf(
    "login again",
    await ok("login again", 200, login({ client: anonymous, body: ada })),
  );
  const revoked = { refresh: tokens.refresh };
  await ok("logout", 200, logout({ client: anonymous, body: revoked }));
  await fails(
    "refreshToken after logging out",
    401,
    refreshToken({ client: anonymous, body: revoked }),
  );

  // Change the password: every token of the account stops working.
  tokens = tokensOf(
    "login once more",
    await ok("login once more", 200, login({ client: anonymous, body: ada })),
  );
  me = client(tokens.access);
  const newPassword = "Bernoulli-Numbers-Note-G";
  await ok(
    "changePassword",
    200,
    changePassword({
      client: me,
      body: { old_password: ada.password, new_password1: newPassword, new_password2: newPassword },
    }),
  );
  await fails("getProfile with an old token", 401, getProfile({ client: me }));
  await fails("login with the old password", 400, login({ client: anonymous, body: ada }));
  const renewed = { email: ada.email, password: newPassword };
  tokens = tokensOf(
    "login with the new password",
    await ok("login with the new password", 200, login({ client: anonymous, body: renewed })),
  );
  me = client(tokens.access);

  // Two-factor login: set up with a code computed from the secret, as an authenticator app does.
  const status = await ok("getMfaStatus", 200, getMfaStatus({ client: me }));
  assert.equal(status.mfa_enabled, false);
  const setup = await ok("startTotpSetup", 200, startTotpSetup({ client: me }));
  assert.ok(setup.totp_url.startsWith("otpauth://totp/"), setup.totp_url);
  const shown = await ok(
    "activateTotp",
    200,
    activateTotp({
      client: me,
      body: { activation_token: setup.activation_token, code: totp(setup.secret) },
    }),
  );
  assert.equal(shown.recovery_codes.length, 10);
  const challenge = await ok(
    "login: the password",
    200,
    login({ client: anonymous, body: renewed }),
  );
  assert.ok("mfa_required" in challenge && challenge.mfa_required, "no second factor asked for");
  tokens = await ok(
    "loginWithCode",
    200,
    loginWithCode({
      client: anonymous,
      // The next period's code: the current one was spent turning it on.
      body: { ephemeral_token: challenge.ephemeral_token, code: totp(setup.secret, 1) },
    }),
  );
  assert.equal(tokens.user.mfa_enabled, true);
  me = client(tokens.access);
  await ok(
    "deactivateTotp with a recovery code",
    200,
    deactivateTotp({ client: me, body: { code: shown.recovery_codes[0] ?? "" } }),
  );
  tokens = tokensOf(
    "login in one step again",
    await ok("login in one step again", 200, login({ client: anonymous, body: renewed })),
  );
  me = client(tokens.access);

  // Delete the account: its password is required.
  const wrong = await fails(
    "deleteAccount with a wrong password",
    400,
    deleteAccount({ client: me, body: { password: ada.password } }),
  );
  assert.deepEqual(faultyFields(wrong), ["password"]);
  await expect(
    "deleteAccount",
    204,
    deleteAccount({ client: me, body: { password: newPassword } }),
  );
  await fails("getProfile of the deleted account", 401, getProfile({ client: me }));
  await fails("login to the deleted account", 400, login({ client: anonymous, body: renewed }));

  console.log("@hey-api/openapi-ts client flow: every step passed");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
