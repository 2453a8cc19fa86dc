/**
 * Operations that need the person themselves (issue 12, "account takeover and destructive scopes"):
 * erasing the account, enrolling and removing the second factor, bulk-deleting observations and
 * deleting files. A third-party app is refused whatever scopes the person approved (403
 * `first_party_only`); a first-party app needs a recent sign-in, with the second factor when one is
 * enrolled (401 `reauthentication_required` with the RFC 9470 step-up challenge), which the OIDC
 * `max_age` parameter at the authorization endpoint obtains. The tests control time by moving the
 * stored sign-in (`auth_sessions.auth_time`, `oauth_refresh_tokens.auth_time`) back, never by waiting.
 */
import { totp } from "@dfda/auth";
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser, deviceIp, findForm, type Page } from "../../test/browser";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  exchangeCode,
  exchangeCodeForTokens,
  jwtClaims,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";

// Each test signs people in through the real pages (scrypt password hashing): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const SCOPES = [
  "openid",
  "offline_access",
  "profile:write",
  "observations:read",
  "observations:write",
  "files:read",
  "files:write",
];
/** The operations of issue 12 that need the person themselves, as the OpenAPI document names them. */
const PERSON_PRESENT_OPERATIONS = [
  "DELETE /v1/me",
  "POST /v1/me/mfa/totp",
  "POST /v1/me/mfa/totp/confirm",
  "DELETE /v1/me/mfa/totp",
  "DELETE /v1/me/observations",
  "DELETE /v1/files/{id}",
  // Security settings (issue 17): ending a session and replacing recovery codes.
  "DELETE /v1/me/sessions/{id}",
  "POST /v1/me/mfa/recovery-codes",
  // A shortened retention period deletes the tenant's data of that kind in bulk.
  "PUT /v1/admin/retention",
].sort();

let handle: DbHandle;
let tenant: TestTenant;
/** The platform's own app (an operator marked it first-party). */
let ownApp: TestClient;
/** A step counter a person approved for every scope it asked: a third-party app. */
let stepCounter: TestClient;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  ownApp = await makeClient(tenant, { type: "public", scopes: SCOPES, firstParty: true });
  stepCounter = await makeClient(tenant, { type: "public", scopes: SCOPES });
});
afterAll(async () => handle.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });

function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return api(path, { method, headers: auth(token), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

function authorizeUrl(client: TestClient, scope: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    ...extra,
  });
  return `/oauth/authorize?${q}`;
}

/** The authorization code of a redirect back to the client, or a failure that shows the page. */
function codeOf(page: Page): string {
  const code = new URL(page.location ?? "", BASE).searchParams.get("code");
  if (!code) throw new Error(`no code: ${page.location} ${page.html.slice(0, 300)}`);
  return code;
}

/** One heart-rate observation of `user`, written straight to the table. */
async function seedObservation(user: TestUser): Promise<void> {
  const source = await clientSource(handle.db, tenant.id, "watch", "Watch");
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = 'heart-rate' and valid_to is null",
    [SYSTEM_TENANT_ID],
  );
  const hr = rows[0];
  if (!hr) throw new Error("no heart-rate variable");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, original_value, original_unit, source_id)
     values (gen_random_uuid(), $1, $2, $3, $4, '2026-04-01T00:00:00Z', 61, '/min', 61, '/min', $5)`,
    [tenant.id, user.id, hr.id, hr.version, source],
  );
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await handle.client.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? -1;
}

describe("a third-party app cannot do what needs the person themselves", () => {
  it("cannot erase, lock the owner out or mass-delete, whatever scopes the person approved", async () => {
    const me = await makeUser(tenant);
    await seedObservation(me);
    const app = await userToken(stepCounter, me, SCOPES.join(" "));
    const uploaded = await api("/v1/ingest/files?name=notes.json", {
      method: "POST",
      headers: { Authorization: `Bearer ${app}`, "Content-Type": "application/json" },
      body: '{"resourceType":"Basic"}',
    });
    expect(uploaded.status, await uploaded.clone().text()).toBe(202);
    const fileId = (await json<{ file_id: string }>(uploaded)).file_id;

    // Issue 12's reproduction: each of these answered 2xx to an app approved for its scope.
    const attempts: Array<[string, string, unknown?]> = [
      ["POST", "/v1/me/mfa/totp"],
      ["POST", "/v1/me/mfa/totp/confirm", { code: "123456" }],
      ["DELETE", "/v1/me/mfa/totp", { code: "123456" }],
      ["DELETE", "/v1/me/observations?from=1970-01-01T00:00:00Z"],
      ["DELETE", `/v1/files/${fileId}`],
      ["DELETE", "/v1/me?confirm=delete-everything"],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(app, method, path, body);
      const problem = await expectProblem(res, 403, "first_party_only");
      expect(problem.reason, `${method} ${path}`).toBe("first_party_only");
    }

    // Nothing was changed: the account, its data, its file, and no second factor chosen by the app.
    expect(await count("select count(*)::int as n from users where id = $1 and status = 'active'", [me.id])).toBe(1);
    expect(await count("select count(*)::int as n from observations where user_id = $1", [me.id])).toBe(1);
    expect(await count("select count(*)::int as n from files where id = $1", [fileId])).toBe(1);
    expect(await count("select count(*)::int as n from mfa_totp where user_id = $1", [me.id])).toBe(0);
    // Each refusal is in the audit log, with its reason.
    expect(
      await count(
        `select count(*)::int as n from audit_log where actor_user_id = $1 and action = 'authz.decision'
         and details->>'reason' = 'first_party_only'`,
        [me.id],
      ),
    ).toBe(attempts.length);
  });
});

describe("a first-party app needs a recent sign-in (RFC 9470 step-up)", () => {
  it("refuses a sign-in older than REAUTH_MAX_AGE_SECONDS; max_age at the authorization endpoint signs in again", async () => {
    const me = await makeUser(tenant);
    await seedObservation(me);
    const browser = new Browser(ownApp.redirectUri);
    const scope = "openid observations:write";
    const fresh = await exchangeCode(
      ownApp,
      codeOf(await browser.signIn(await browser.open(authorizeUrl(ownApp, scope)), me.email, me.password)),
    );
    // Fresh from the sign-in: allowed (nothing matches this source, so nothing is deleted).
    const ok = await call(fresh, "DELETE", "/v1/me/observations?source=nothing-here");
    expect(ok.status, await ok.clone().text()).toBe(200);

    // The same browser session, signed in an hour ago: the next code carries that auth_time.
    await handle.client.query("update auth_sessions set auth_time = auth_time - interval '1 hour' where user_id = $1", [
      me.id,
    ]);
    const stale = await exchangeCode(ownApp, codeOf(await browser.open(authorizeUrl(ownApp, scope))));
    expect(jwtClaims(stale).auth_time).toBe(Number(jwtClaims(fresh).auth_time) - 3600);
    const refused = await call(stale, "DELETE", "/v1/me/observations?from=1970-01-01T00:00:00Z");
    const problem = await expectProblem(refused, 401, "reauthentication_required");
    expect(problem.max_age).toBe(300);
    const challenge = refused.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_user_authentication"');
    expect(challenge).toContain("max_age=300");
    expect(await count("select count(*)::int as n from observations where user_id = $1", [me.id])).toBe(1);

    // OIDC Core §3.1.2.1: with max_age the server asks for the password again instead of issuing a code.
    const login = await browser.open(authorizeUrl(ownApp, scope, { max_age: "300" }));
    expect(login.location).toBeNull();
    expect(login.html).toContain('action="/oauth/login"');
    const tokens = await exchangeCodeForTokens(ownApp, codeOf(await browser.signIn(login, me.email, me.password)));
    const claims = jwtClaims(tokens.access_token);
    expect(Number(claims.auth_time)).toBeGreaterThan(Number(jwtClaims(stale).auth_time));
    expect(claims.amr).toEqual(["pwd"]);
    // The ID token then carries the same auth_time (OIDC Core §3.1.2.1: MUST when max_age was asked).
    expect(jwtClaims(tokens.id_token ?? "").auth_time).toBe(claims.auth_time);
    const done = await call(tokens.access_token, "DELETE", "/v1/me/observations?from=1970-01-01T00:00:00Z");
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await json<{ deleted: number }>(done)).toEqual({ deleted: 1 });
  });

  it("keeps the original auth_time and amr through a refresh: refreshing is not signing in", async () => {
    const me = await makeUser(tenant);
    const browser = new Browser(ownApp.redirectUri);
    const page = await browser.signIn(
      await browser.open(authorizeUrl(ownApp, "openid offline_access observations:write")),
      me.email,
      me.password,
    );
    const first = await exchangeCodeForTokens(ownApp, codeOf(page));
    // The refresh family stems from a sign-in an hour ago.
    await handle.client.query(
      "update oauth_refresh_tokens set auth_time = auth_time - interval '1 hour' where user_id = $1",
      [me.id],
    );
    const res = await api("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": deviceIp() },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: first.refresh_token ?? "",
        client_id: ownApp.clientId,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const refreshed = (await json<{ access_token: string }>(res)).access_token;
    expect(jwtClaims(refreshed).auth_time).toBe(Number(jwtClaims(first.access_token).auth_time) - 3600);
    expect(jwtClaims(refreshed).amr).toEqual(["pwd"]);
    await expectProblem(
      await call(refreshed, "DELETE", "/v1/me/observations?source=x"),
      401,
      "reauthentication_required",
    );
  });

  it("needs the second factor once one is enrolled, even right after a password sign-in", async () => {
    const me = await makeUser(tenant);
    const token = await userToken(ownApp, me, "openid profile:write");
    const start = await call(token, "POST", "/v1/me/mfa/totp");
    expect(start.status, await start.clone().text()).toBe(201);
    const { secret } = await json<{ secret: string }>(start);
    const confirm = await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: await totp(secret, Date.now()) });
    expect(confirm.status).toBe(200);
    const { recovery_codes: recovery } = await json<{ recovery_codes: string[] }>(confirm);

    // The token's sign-in had no second factor (amr ["pwd"]): the person has one now, so it must be used.
    await expectProblem(
      await call(token, "DELETE", "/v1/me/mfa/totp", { code: recovery[0] }),
      401,
      "reauthentication_required",
    );
    expect(await count("select count(*)::int as n from mfa_totp where user_id = $1", [me.id])).toBe(1);

    // Signing in again asks for it (a recovery code here: the TOTP step was just used); amr gains otp.
    const browser = new Browser(ownApp.redirectUri);
    const mfa = await browser.signIn(
      await browser.open(authorizeUrl(ownApp, "openid profile:write")),
      me.email,
      me.password,
    );
    const end = await browser.submit(findForm(mfa.html, "/oauth/mfa"), { code: recovery[1] ?? "" });
    const stepped = await exchangeCode(ownApp, codeOf(end));
    expect(jwtClaims(stepped).amr).toEqual(["pwd", "otp"]);
    const off = await call(stepped, "DELETE", "/v1/me/mfa/totp", { code: recovery[2] });
    expect(off.status, await off.clone().text()).toBe(204);
  });
});

describe("the authorization endpoint's re-authentication parameters", () => {
  it("prompt=login asks for the password once, then issues the code (no loop back to the sign-in page)", async () => {
    const me = await makeUser(tenant);
    const browser = new Browser(ownApp.redirectUri);
    codeOf(await browser.signIn(await browser.open(authorizeUrl(ownApp, "openid")), me.email, me.password));
    const login = await browser.open(authorizeUrl(ownApp, "openid", { prompt: "login" }));
    expect(login.html).toContain('action="/oauth/login"');
    const end = await browser.signIn(login, me.email, me.password);
    expect(end.location ?? "").toMatch(/^https:\/\/app\.example\/callback\?code=/);
  });

  it("refuses a max_age that is not a non-negative whole number of seconds", async () => {
    for (const maxAge of ["-1", "abc", "1.5", "1e3"]) {
      const page = await new Browser(ownApp.redirectUri).open(authorizeUrl(ownApp, "openid", { max_age: maxAge }));
      const location = new URL(page.location ?? "", BASE);
      expect(location.searchParams.get("error"), maxAge).toBe("invalid_request");
      expect(location.searchParams.get("state")).toBe("s");
    }
  });
});

describe("the reference says which operations need the person themselves", () => {
  it("marks exactly them with x-dfda-person-present and says so in their description", async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { "x-dfda-person-present"?: boolean; description?: string }>>;
    }>(await api("/openapi.json"));
    const marked: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation["x-dfda-person-present"] !== true) continue;
        marked.push(`${method.toUpperCase()} ${path}`);
        expect(operation.description, `${method} ${path}`).toContain("Needs the person themselves");
      }
    }
    expect(marked.sort()).toEqual(PERSON_PRESENT_OPERATIONS);
  });
});
