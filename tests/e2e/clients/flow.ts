// A client app's whole flow through openapi-fetch, typed by the types that openapi-typescript
// generates from docs/openapi.yaml (build/schema.ts). Run by tests/e2e/test_generated_clients.py:
//   node tests/e2e/clients/build/flow.js http://127.0.0.1:8000
// Each step checks the status and the body; the first mismatch ends the run with exit code 1.
import assert from "node:assert/strict";

import createClient from "openapi-fetch";

import type { components, paths } from "./build/schema";
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

const baseUrl = baseUrlArgument("flow.js");
const grace = { email: `grace.hopper.${run}@example.com`, password: "Cobol-Compiler-1959" };
const katherine = { email: `katherine.johnson.${run}@example.com`, password: "Orbit-Math-1962" };

/** A client of the API: anonymous, or signed in with an access token. */
function client(access?: string) {
  return createClient<paths>({
    baseUrl,
    headers: access ? { Authorization: `Bearer ${access}` } : {},
  });
}

type OrganizationRead = components["schemas"]["OrganizationRead"];
type OrganizationPage = components["schemas"]["PaginatedOrganizationReadList"];

async function main() {
  const anonymous = client();

  // Sign up: the account is active at once, so the answer carries tokens.
  const signedUp = await ok("sign up", 201, anonymous.POST("/api/register/", { body: grace }));
  assert.ok("access" in signedUp, "sign-up answered without tokens");
  assert.equal(signedUp.user.email, grace.email);
  const graceId = signedUp.user.id;

  // A second person, to search for and to share an organization with.
  const other = await ok(
    "sign up a colleague",
    201,
    anonymous.POST("/api/register/", { body: katherine }),
  );
  assert.ok("access" in other, "sign-up answered without tokens");

  // Log in.
  let tokens = tokensOf(
    "log in",
    await ok("log in", 200, anonymous.POST("/api/login/", { body: grace })),
  );
  assert.equal(tokens.user.id, graceId);
  let me = client(tokens.access);

  // A wrong password: one message, whatever was wrong.
  const refused = await fails(
    "log in with a wrong password",
    400,
    anonymous.POST("/api/login/", { body: { email: grace.email, password: "not-my-password" } }),
  );
  assert.deepEqual(faultyFields(refused), ["non_field_errors"]);

  // An invalid body: errors by field.
  const invalid = await fails(
    "sign up with an invalid body",
    400,
    anonymous.POST("/api/register/", { body: { email: `not-an-address-${run}`, password: "" } }),
  );
  assert.deepEqual(faultyFields(invalid), ["email", "password"]);

  // Three organizations, which the colleague creates, and so owns.
  const colleague = client(other.access);
  const created = [];
  const names = ["Harvard Computation Lab", "Eckert-Mauchly Computer Corp", "Remington Rand"];
  for (const name of names) {
    const body = { name: `${name} ${run}`, description: `Founded in run ${run}.` };
    const org = await ok(
      `create ${body.name}`,
      201,
      colleague.POST("/api/organizations/", { body }),
    );
    assert.equal(org.name, body.name);
    assert.equal(org.users_count, 1);
    created.push(org);
  }
  const [harvard, eckert] = created as [OrganizationRead, OrganizationRead];

  // List them two by two, following `next` to the end.
  const listed: string[] = [];
  let page: number | undefined = undefined;
  for (;;) {
    const query = { search: run, page_size: 2, ...(page ? { page } : {}) };
    const list: OrganizationPage = await ok(
      `list organizations, page ${page ?? 1}`,
      200,
      me.GET("/api/organizations/", { params: { query } }),
    );
    assert.equal(list.count, 3);
    listed.push(...list.results.map((org) => org.name));
    if (!list.next) break;
    page = pageOf(list.next);
  }
  assert.deepEqual(listed.sort(), created.map((org) => org.name).sort());

  // Profile: names, phone and organizations in one PATCH.
  const profile = await ok(
    "update the profile",
    200,
    me.PATCH("/api/profile/", {
      body: {
        first_name: "Grace",
        last_name: "Hopper",
        phone: "+12025550143",
        organizations: [harvard.id],
      },
    }),
  );
  assert.equal(profile.first_name, "Grace");
  assert.equal(profile.last_name, "Hopper");
  assert.equal(profile.phone, "+12025550143");
  assert.deepEqual(
    profile.organizations.map((org) => org.id),
    [harvard.id],
  );

  // Avatar: a PNG file, uploaded as multipart/form-data.
  const withAvatar = await ok(
    "upload an avatar",
    200,
    me.PUT("/api/profile/avatar/", {
      body: { avatar: new Blob([AVATAR_PNG], { type: "image/png" }) },
      bodySerializer(body) {
        const form = new FormData();
        form.append("avatar", body.avatar, "grace.png");
        return form;
      },
    }),
  );
  assert.match(withAvatar.avatar ?? "", /\/media\/avatars\/[a-zA-Z0-9]+\.png$/);

  // Join an organization, then again: already a member.
  const eckertUsers = { params: { path: { organization_pk: eckert.id } } };
  const joined = await ok(
    "join an organization",
    201,
    me.POST("/api/organizations/{organization_pk}/users/", eckertUsers),
  );
  assert.equal(joined.id, graceId);
  await ok(
    "join it again",
    200,
    me.POST("/api/organizations/{organization_pk}/users/", eckertUsers),
  );
  const members = await ok(
    "list its members",
    200,
    me.GET("/api/organizations/{organization_pk}/users/", eckertUsers),
  );
  assert.deepEqual(
    members.results.map((user) => [user.id, user.role]),
    [
      [graceId, "member"],
      [other.user.id, "owner"],
    ],
  );

  // Leave it.
  await expect(
    "leave the organization",
    204,
    me.DELETE("/api/organizations/{organization_pk}/users/{id}/", {
      params: { path: { organization_pk: eckert.id, id: graceId } },
    }),
  );
  const left = await ok(
    "read it after leaving",
    200,
    me.GET("/api/organizations/{id}/", { params: { path: { id: eckert.id } } }),
  );
  assert.equal(left.users_count, 1);

  // The colleague, who created Grace's first organization, is already its member.
  await ok(
    "the colleague joining: already a member",
    200,
    client(other.access).POST("/api/organizations/{organization_pk}/users/", {
      params: { path: { organization_pk: harvard.id } },
    }),
  );

  // Search people by name.
  const found = await ok(
    "search users",
    200,
    me.GET("/api/users/", { params: { query: { search: "Hopper" } } }),
  );
  assert.ok(found.results.some((user) => user.id === graceId), JSON.stringify(found));
  assert.ok(found.results.every((user) => user.last_name === "Hopper"), JSON.stringify(found));

  // Filter people by organization: both members, with the contact details colleagues see.
  const colleagues = await ok(
    "filter users by organization",
    200,
    me.GET("/api/users/", { params: { query: { organization: harvard.id, ordering: "id" } } }),
  );
  assert.deepEqual(
    colleagues.results.map((user) => user.email),
    [grace.email, katherine.email],
  );

  // What is not there: 404.
  const missing = await fails(
    "read a user who does not exist",
    404,
    me.GET("/api/users/{id}/", { params: { path: { id: 987654321 } } }),
  );
  assert.equal(typeof missing.detail, "string");

  // Refresh: a new pair; the refresh token sent is spent.
  const spent = { refresh: tokens.refresh };
  const refreshed = await ok(
    "refresh the tokens",
    200,
    anonymous.POST("/api/token/refresh/", { body: spent }),
  );
  assert.notEqual(refreshed.refresh, spent.refresh);
  await ok("use the new access token", 200, client(refreshed.access).GET("/api/profile/"));
  await fails(
    "refresh with the spent token",
    401,
    anonymous.POST("/api/token/refresh/", { body: spent }),
  );

  // Log out: the refresh token is revoked.
  tokens = tokensOf(
    "log in again",
    await ok("log in again", 200, anonymous.POST("/api/login/", { body: grace })),
  );
  const revoked = { refresh: tokens.refresh };
  await ok("log out", 200, client(tokens.access).POST("/api/logout/", { body: revoked }));
  await fails(
    "refresh after logging out",
    401,
    anonymous.POST("/api/token/refresh/", { body: revoked }),
  );

  // Change the password: every token of the account stops working.
  tokens = tokensOf(
    "log in once more",
    await ok("log in once more", 200, anonymous.POST("/api/login/", { body: grace })),
  );
  me = client(tokens.access);
  const newPassword = "Nanosecond-Wire-11.8";
  await ok(
    "change the password",
    200,
    me.POST("/api/password/change/", {
      body: {
        old_password: grace.password,
        new_password1: newPassword,
        new_password2: newPassword,
      },
    }),
  );
  await fails("read the profile with an old token", 401, me.GET("/api/profile/"));
  await fails(
    "log in with the old password",
    400,
    anonymous.POST("/api/login/", { body: grace }),
  );
  const renewed = { email: grace.email, password: newPassword };
  tokens = tokensOf(
    "log in with the new password",
    await ok("log in with the new password", 200, anonymous.POST("/api/login/", { body: renewed })),
  );
  me = client(tokens.access);

  // Two-factor login: set up with a code computed from the secret, as an authenticator app does.
  const status = await ok("read the two-factor status", 200, me.GET("/api/mfa/"));
  assert.equal(status.mfa_enabled, false);
  const setup = await ok("start the set-up", 200, me.GET("/api/mfa/totp/activate/"));
  assert.ok(setup.totp_url.startsWith("otpauth://totp/"), setup.totp_url);
  const shown = await ok(
    "turn two-factor login on",
    200,
    me.POST("/api/mfa/totp/activate/", {
      body: { activation_token: setup.activation_token, code: totp(setup.secret) },
    }),
  );
  assert.equal(shown.recovery_codes.length, 10);
  const challenge = await ok(
    "log in: the password",
    200,
    anonymous.POST("/api/login/", { body: renewed }),
  );
  assert.ok("mfa_required" in challenge && challenge.mfa_required, "no second factor asked for");
  tokens = await ok(
    "log in: the code",
    200,
    anonymous.POST("/api/login/mfa/", {
      // The next period's code: the current one was spent turning it on.
      body: { ephemeral_token: challenge.ephemeral_token, code: totp(setup.secret, 1) },
    }),
  );
  assert.equal(tokens.user.mfa_enabled, true);
  me = client(tokens.access);
  await ok(
    "turn two-factor login off with a recovery code",
    200,
    me.POST("/api/mfa/totp/deactivate/", { body: { code: shown.recovery_codes[0] ?? "" } }),
  );
  tokens = tokensOf(
    "log in in one step again",
    await ok("log in in one step again", 200, anonymous.POST("/api/login/", { body: renewed })),
  );
  me = client(tokens.access);

  // Delete the account: its password is required.
  const wrong = await fails(
    "delete the account with a wrong password",
    400,
    me.DELETE("/api/profile/", { body: { password: grace.password } }),
  );
  assert.deepEqual(faultyFields(wrong), ["password"]);
  await expect(
    "delete the account",
    204,
    me.DELETE("/api/profile/", { body: { password: newPassword } }),
  );
  await fails("read the profile of the deleted account", 401, me.GET("/api/profile/"));
  await fails(
    "log in to the deleted account",
    400,
    anonymous.POST("/api/login/", { body: renewed }),
  );

  console.log("TypeScript client flow: every step passed");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
