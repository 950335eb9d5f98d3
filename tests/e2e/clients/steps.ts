// What the TypeScript client flows (flow.ts, heyapi_flow.ts) share: their run's unique names, an
// avatar, the checks of each step, and the codes of an authenticator app. Built beside each flow
// by build.mjs and heyapi_build.mjs.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";

/** The base URL of the API, the flow's one argument. */
export function baseUrlArgument(script: string): string {
  const baseUrl = process.argv[2] ?? "";
  if (!baseUrl) {
    console.error(`usage: node ${script} BASE_URL`);
    process.exit(2);
  }
  return baseUrl;
}

// Names and addresses unique to this run: other tests share the server.
export const run = randomBytes(4).toString("hex");

// A 32×32 PNG, as a phone's image picker would hand it over.
export const AVATAR_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAK0lEQVR42u3NQQEAQAQAMC6IYNKJeiX4" +
    "bQWW1ROXXhwTCAQCgUAgEAgEWz7RQAFYpKqeUgAAAABJRU5ErkJggg==",
  "base64",
);

/** What a generated client's call gives: the body or the error, and the answer (hey-api's has
 * none when the request could not be built or sent). */
type Result = { data?: unknown; error?: unknown; response?: Response };

/** The answer to one step: its status must be `status`; prints the step, returns the result. */
export async function expect<T extends Result>(step: string, status: number, call: Promise<T>) {
  const result = await call;
  const body = result.error ?? result.data;
  assert.ok(result.response, `${step}: no answer: ${String(result.error)}`);
  assert.equal(
    result.response.status,
    status,
    `${step}: expected ${status}, got ${result.response.status}: ${JSON.stringify(body)}`,
  );
  console.log(`ok  ${status} ${step}`);
  return result;
}

/** The body of a successful step. */
export async function ok<T extends Result>(step: string, status: number, call: Promise<T>) {
  const { data } = await expect(step, status, call);
  assert.ok(data !== undefined, `${step}: no body`);
  return data as NonNullable<T["data"]>;
}

/** The body of a step that must fail. */
export async function fails<T extends Result>(step: string, status: number, call: Promise<T>) {
  const { error } = await expect(step, status, call);
  assert.ok(error !== undefined, `${step}: no error body`);
  return error as NonNullable<T["error"]>;
}

/** The fields that a 400 body finds fault with (`non_field_errors` for the request as a whole). */
export function faultyFields(error: object): string[] {
  return Object.entries(error)
    .filter(([, messages]) => Array.isArray(messages) && messages.length > 0)
    .map(([field]) => field)
    .sort();
}

/** The tokens of a login: its answer (`LoginResult`) is either them or, for an account with
 * two-factor login, `{mfa_required, ephemeral_token}`; `access` tells them apart. */
export function tokensOf<T extends object>(step: string, body: T): Extract<T, { access: string }> {
  assert.ok("access" in body, `${step}: a second factor was asked for`);
  return body as Extract<T, { access: string }>;
}

/** The RFC 6238 code of a base32 `secret`, `steps` periods of 30 s from now (an app's code). */
export function totp(secret: string, steps = 0): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/=+$/, "")]
    .map((char) => alphabet.indexOf(char).toString(2).padStart(5, "0"))
    .join("");
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + steps));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** The `page` parameter of a `next` link of the organizations' list. */
export function pageOf(link: string): number {
  const url = new URL(link);
  assert.equal(url.pathname, "/api/organizations/", `next points elsewhere: ${link}`);
  return Number(url.searchParams.get("page"));
}
