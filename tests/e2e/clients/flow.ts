// A client app's whole flow through openapi-fetch, typed by the types that openapi-typescript
// generates from docs/openapi.yaml (build/schema.ts). Run by tests/e2e/test_generated_clients.py:
//   node tests/e2e/clients/build/flow.js http://127.0.0.1:8000
// Each step checks the status and the body; the first mismatch ends the run with exit code 1.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import createClient from "openapi-fetch";

import type { components, paths } from "./build/schema";

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error("usage: node flow.js BASE_URL");
  process.exit(2);
}
const api = createClient<paths>({ baseUrl });

// Names and addresses unique to this run: other tests share the server.
const run = randomBytes(4).toString("hex");
const grace = { email: `grace.hopper.${run}@example.com`, password: "Cobol-Compiler-1959" };
const katherine = { email: `katherine.johnson.${run}@example.com`, password: "Orbit-Math-1962" };
// A 32×32 PNG, as a phone's image picker would hand it over.
const AVATAR_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAK0lEQVR42u3NQQEAQAQAMC6IYNKJeiX4bQWW1ROXXhwTCAQC" +
    "gUAgEAgEWz7RQAFYpKqeUgAAAABJRU5ErkJggg==",
  "base64",
);

type Result = { data?: unknown; error?: unknown; response: Response };

/** The answer to one step: its status must be `status`; prints the step, returns the result. */
async function expect<T extends Result>(step: string, status: number, call: Promise<T>) {
  const result = await call;
  const body = result.error ?? result.data;
  assert.equal(
    result.response.status,
    status,
    `${step}: expected ${status}, got ${result.response.status}: ${JSON.stringify(body)}`,
  );
  console.log(`ok  ${status} ${step}`);
  return result;
}

/** The body of a successful step. */
async function ok<T extends Result>(step: string, status: number, call: Promise<T>) {
  const { data } = await expect(step, status, call);
  assert.ok(data !== undefined, `${step}: no body`);
  return data as NonNullable<T["data"]>;
}

/** The body of a step that must fail. */
async function fails<T extends Result>(step: string, status: number, call: Promise<T>) {
  const { error } = await expect(step, status, call);
  assert.ok(error !== undefined, `${step}: no error body`);
  return error as NonNullable<T["error"]>;
}

const bearer = (access: string) => ({ Authorization: `Bearer ${access}` });

/** The fields that a 400 body finds fault with (`non_field_errors` for the request as a whole). */
function faultyFields(error: object): string[] {
  return Object.entries(error)
    .filter(([, messages]) => Array.isArray(messages) && messages.length > 0)
    .map(([field]) => field)
    .sort();
}

type OrganizationPage = components["schemas"]["PaginatedOrganizationReadList"];

/** The `page` parameter of a `next` link. */
function pageOf(link: string): number {
  const url = new URL(link);
  assert.equal(url.pathname, "/api/organizations/", `next points elsewhere: ${link}`);
  return Number(url.searchParams.get("page"));
}

async function main() {
  // Sign up: the account is active at once, so the answer carries tokens.
  const signedUp = await ok("sign up", 201, api.POST("/api/register/", { body: grace }));
  assert.ok("access" in signedUp, "sign-up answered without tokens");
  assert.equal(signedUp.user.email, grace.email);
  const graceId = signedUp.user.id;

  // A second person, to search for and to share an organization with.
  const other = await ok("sign up a colleague", 201, api.POST("/api/register/", { body: katherine }));
  assert.ok("access" in other);
  const katherineToken = other.access;

  // Log in.
  let tokens = await ok("log in", 200, api.POST("/api/login/", { body: grace }));
  assert.equal(tokens.user.id, graceId);
  const headers = () => bearer(tokens.access);

  // A wrong password: one message, whatever was wrong.
  const refused = await fails(
    "log in with a wrong password",
    400,
    api.POST("/api/login/", { body: { email: grace.email, password: "not-my-password" } }),
  );
  assert.deepEqual(faultyFields(refused), ["non_field_errors"]);

  // An invalid body: errors by field.
  const invalid = await fails(
    "sign up with an invalid body",
    400,
    api.POST("/api/register/", { body: { email: "not-an-address", password: "" } }),
  );
  assert.deepEqual(faultyFields(invalid), ["email", "password"]);

  // Three organizations.
  const names = ["Harvard Computation Lab", "Eckert-Mauchly Computer Corp", "Remington Rand"];
  const created = [];
  for (const name of names) {
    const body = { name: `${name} ${run}`, description: `Where the ${run} flow works.` };
    const org = await ok(`create ${body.name}`, 201, api.POST("/api/organizations/", { body, headers: headers() }));
    assert.equal(org.name, body.name);
    assert.equal(org.users_count, 0);
    created.push(org);
  }
  const [harvard, eckert] = created as [(typeof created)[number], (typeof created)[number]];

  // List them two by two, following `next` to the end.
  const listed: string[] = [];
  let page: number | undefined = undefined;
  for (;;) {
    const query: { search: string; page_size: number; page?: number } = { search: run, page_size: 2 };
    if (page !== undefined) query.page = page;
    const list: OrganizationPage = await ok(`list organizations, page ${page ?? 1}`, 200, api.GET("/api/organizations/", { params: { query }, headers: headers() }));
    assert.equal(list.count, 3);
    listed.push(...list.results.map((org) => org.name));
    if (!list.next) break;
    page = pageOf(list.next);
  }
  assert.deepEqual(listed.sort(), created.map((org) => org.name).sort());

  // Profile: names, phone and organizations in one PATCH.
  const profile = await ok("update the profile", 200, api.PATCH("/api/profile/", {
    body: { first_name: "Grace", last_name: "Hopper", phone: "+12025550143", organizations: [harvard.id] },
    headers: headers(),
  }));
  assert.equal(profile.first_name, "Grace");
  assert.equal(profile.last_name, "Hopper");
  assert.equal(profile.phone, "+12025550143");
  assert.deepEqual(profile.organizations.map((org) => org.id), [harvard.id]);

  // Avatar: a PNG file, sent as multipart/form-data.
  const withAvatar = await ok("upload an avatar", 200, api.PATCH("/api/profile/", {
    body: { avatar: new Blob([AVATAR_PNG], { type: "image/png" }) },
    bodySerializer(body) {
      const form = new FormData();
      if (body?.avatar) form.append("avatar", body.avatar, "grace.png");
      return form;
    },
    headers: headers(),
  }));
  assert.match(withAvatar.avatar ?? "", /\/media\/avatars\/[a-zA-Z0-9]+\.png$/);

  // Join an organization, then again: already a member.
  const path = { organization_pk: eckert.id };
  const joined = await ok("join an organization", 201, api.POST("/api/organizations/{organization_pk}/users/", { params: { path }, headers: headers() }));
  assert.equal(joined.id, graceId);
  await ok("join it again", 200, api.POST("/api/organizations/{organization_pk}/users/", { params: { path }, headers: headers() }));
  const members = await ok("list its members", 200, api.GET("/api/organizations/{organization_pk}/users/", { params: { path }, headers: headers() }));
  assert.deepEqual(members.results.map((user) => user.id), [graceId]);

  // Leave it.
  await expect("leave the organization", 204, api.DELETE("/api/organizations/{organization_pk}/users/{id}/", {
    params: { path: { ...path, id: graceId } },
    headers: headers(),
  }));
  const left = await ok("read it after leaving", 200, api.GET("/api/organizations/{id}/", { params: { path: { id: eckert.id } }, headers: headers() }));
  assert.equal(left.users_count, 0);

  // The colleague joins Grace's first organization.
  await ok("a colleague joins", 201, api.POST("/api/organizations/{organization_pk}/users/", {
    params: { path: { organization_pk: harvard.id } },
    headers: bearer(katherineToken),
  }));

  // Search people by name.
  const found = await ok("search users", 200, api.GET("/api/users/", { params: { query: { search: "Hopper" } }, headers: headers() }));
  assert.ok(found.results.some((user) => user.id === graceId), JSON.stringify(found));
  assert.ok(found.results.every((user) => user.last_name === "Hopper"), JSON.stringify(found));

  // Filter people by organization: both members, with the contact details colleagues see.
  const colleagues = await ok("filter users by organization", 200, api.GET("/api/users/", {
    params: { query: { organization: harvard.id, ordering: "id" } },
    headers: headers(),
  }));
  assert.deepEqual(colleagues.results.map((user) => user.email), [grace.email, katherine.email]);

  // What is not there: 404.
  const missing = await fails("read a user who does not exist", 404, api.GET("/api/users/{id}/", { params: { path: { id: 987654321 } }, headers: headers() }));
  assert.equal(typeof missing.detail, "string");

  // Refresh: a new pair; the refresh token sent is spent.
  const spent = tokens.refresh;
  const refreshed = await ok("refresh the tokens", 200, api.POST("/api/token/refresh/", { body: { refresh: spent } }));
  assert.notEqual(refreshed.refresh, spent);
  await ok("use the new access token", 200, api.GET("/api/profile/", { headers: bearer(refreshed.access) }));
  await fails("refresh with the spent token", 401, api.POST("/api/token/refresh/", { body: { refresh: spent } }));

  // Log out: the refresh token is revoked.
  tokens = await ok("log in again", 200, api.POST("/api/login/", { body: grace }));
  await ok("log out", 200, api.POST("/api/logout/", { body: { refresh: tokens.refresh }, headers: headers() }));
  await fails("refresh after logging out", 401, api.POST("/api/token/refresh/", { body: { refresh: tokens.refresh } }));

  // Change the password: every token of the account stops working.
  tokens = await ok("log in to change the password", 200, api.POST("/api/login/", { body: grace }));
  const newPassword = "Nanosecond-Wire-11.8";
  await ok("change the password", 200, api.POST("/api/password/change/", {
    body: { old_password: grace.password, new_password1: newPassword, new_password2: newPassword },
    headers: headers(),
  }));
  await fails("read the profile with an old token", 401, api.GET("/api/profile/", { headers: headers() }));
  await fails("log in with the old password", 400, api.POST("/api/login/", { body: grace }));
  tokens = await ok("log in with the new password", 200, api.POST("/api/login/", { body: { ...grace, password: newPassword } }));

  // Delete the account: its password is required.
  await fails("delete the account with a wrong password", 400, api.DELETE("/api/profile/", { body: { password: grace.password }, headers: headers() }));
  await expect("delete the account", 204, api.DELETE("/api/profile/", { body: { password: newPassword }, headers: headers() }));
  await fails("read the profile of the deleted account", 401, api.GET("/api/profile/", { headers: headers() }));
  await fails("log in to the deleted account", 400, api.POST("/api/login/", { body: { ...grace, password: newPassword } }));

  console.log("TypeScript client flow: every step passed");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
