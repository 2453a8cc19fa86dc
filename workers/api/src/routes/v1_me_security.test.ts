/**
 * The Security page's API (issue 17): GET /v1/me/security, GET /v1/me/sessions, DELETE
 * /v1/me/sessions/{id}, POST /v1/me/mfa/recovery-codes. Happy paths through real sign-ins at the real
 * authorization server, then who may not: another person, another tenant, a third-party app (even to
 * read), a client acting for itself, a token without the scope, and a stale sign-in (RFC 9470 step-up,
 * made stale by moving the stored `auth_time` back, never by waiting).
 */
import { totp } from "@dfda/auth";
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, deviceIp, findForm, type Page } from "../../test/browser";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  clientToken,
  exchangeCode,
  exchangeCodeForTokens,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
  userTokenWithSecondFactor,
} from "../../test/identity";

const SCOPE = "openid offline_access profile:write";

let handle: DbHandle;
let tenant: TestTenant;
let own: TestClient;
let thirdParty: TestClient;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  own = await makeClient(tenant, { type: "public", scopes: SCOPE.split(" "), firstParty: true });
  thirdParty = await makeClient(tenant, { type: "public", scopes: SCOPE.split(" ") });
});
afterAll(() => handle.close());

interface SessionBody {
  id: string;
  kind: "browser" | "app";
  current: boolean;
  client_id: string | null;
  methods: string[];
  last_used_at: string | null;
}
interface SecurityBody {
  email: string;
  two_step: { enabled: boolean; enabled_at: string | null; pending: boolean; required: boolean };
  recovery_codes_remaining: number;
}

function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return api(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function authorizeUrl(client: TestClient, scope = SCOPE): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  return `/oauth/authorize?${q}`;
}

function codeOf(page: Page): string {
  const code = new URL(page.location ?? "", "https://x.example").searchParams.get("code");
  if (!code) throw new Error(`no code: ${page.location} ${page.html.slice(0, 300)}`);
  return code;
}

/** Signs the person in with a browser of their own; returns the browser (its cookie) and the tokens. */
async function signInBrowser(client: TestClient, user: TestUser) {
  const browser = new Browser(client.redirectUri);
  const end = await browser.signIn(await browser.open(authorizeUrl(client)), user.email, user.password);
  const tokens = await exchangeCodeForTokens(client, codeOf(end));
  return { browser, tokens };
}

/** GET /v1/me/sessions sent by a browser (its session cookie rides along, as from the portal's page). */
async function sessionsSeenBy(browser: Browser, token: string): Promise<SessionBody[]> {
  const page = await browser.open("/v1/me/sessions", { headers: { Authorization: `Bearer ${token}` } });
  expect(page.status).toBe(200);
  return (JSON.parse(page.html) as { data: SessionBody[] }).data;
}

async function refresh(client: TestClient, refreshToken: string): Promise<Response> {
  return api("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": deviceIp() },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.clientId }),
  });
}

describe("GET /v1/me/security", () => {
  it("shows two-step verification off, then on with its recovery codes counted", async () => {
    const user = await makeUser(tenant);
    const token = await userToken(own, user, SCOPE);
    const before = await call(token, "GET", "/v1/me/security");
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await json<SecurityBody>(before)).toEqual({
      email: user.email,
      email_verified: true,
      password_set: true,
      two_step: { enabled: false, enabled_at: null, pending: false, required: false },
      recovery_codes_remaining: 0,
    });
    const { secret } = await json<{ secret: string }>(await call(token, "POST", "/v1/me/mfa/totp"));
    expect((await json<SecurityBody>(await call(token, "GET", "/v1/me/security"))).two_step.pending).toBe(true);
    const confirm = await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: await totp(secret, Date.now()) });
    const { recovery_codes } = await json<{ recovery_codes: string[] }>(confirm);
    // Reading needs no fresh sign-in with the second factor: the password-only token still reads.
    const after = await json<SecurityBody>(await call(token, "GET", "/v1/me/security"));
    expect(after.two_step).toMatchObject({ enabled: true, pending: false });
    expect(Date.parse(after.two_step.enabled_at ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(after.recovery_codes_remaining).toBe(10);
    await userTokenWithSecondFactor(own, user, SCOPE, recovery_codes[0] ?? "");
    expect((await json<SecurityBody>(await call(token, "GET", "/v1/me/security"))).recovery_codes_remaining).toBe(9);
  });

  it("says when two-step verification is required (an administrator)", async () => {
    const tenantRequiring = await makeTenant({ mfa_required: false });
    const client = await makeClient(tenantRequiring, { type: "public", scopes: SCOPE.split(" "), firstParty: true });
    const user = await makeUser(tenantRequiring);
    await handle.client.query("update tenants set settings = '{\"mfa_required\": true}' where id = $1", [
      tenantRequiring.id,
    ]);
    // The tenant now requires it: the person enrols at the sign-in (the enrolment page), then reads.
    const browser = new Browser(client.redirectUri);
    const enrol = await browser.signIn(await browser.open(authorizeUrl(client)), user.email, user.password, null);
    const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(enrol.html)?.[1] ?? "";
    await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), { code: await totp(secret, Date.now()) });
    const consent = await browser.open(authorizeUrl(client));
    const end = await browser.submit(findForm(consent.html, "/oauth/consent"), { decision: "approve" });
    const token = await exchangeCode(client, codeOf(end));
    const body = await json<SecurityBody>(await call(token, "GET", "/v1/me/security"));
    expect(body.two_step).toMatchObject({ enabled: true, required: true });
  });
});

describe("GET and DELETE /v1/me/sessions", () => {
  it("lists browser sessions and apps' sign-ins, marks this browser's, and ends another browser's", async () => {
    const user = await makeUser(tenant);
    const laptop = await signInBrowser(own, user);
    const phone = await signInBrowser(own, user);
    const seen = await sessionsSeenBy(laptop.browser, laptop.tokens.access_token);
    const browsers = seen.filter((s) => s.kind === "browser");
    const apps = seen.filter((s) => s.kind === "app");
    expect(browsers).toHaveLength(2);
    expect(apps).toHaveLength(2);
    expect(apps.every((a) => a.client_id === own.clientId && a.last_used_at !== null)).toBe(true);
    expect(browsers.filter((s) => s.current)).toHaveLength(1);
    expect(seen.every((s) => /^(b_[0-9a-f]{32}|a_[0-9a-f-]{36})$/.test(s.id) && s.methods.includes("pwd"))).toBe(true);
    // Seen from the phone, the other browser session is the current one.
    const fromPhone = await sessionsSeenBy(phone.browser, phone.tokens.access_token);
    const phoneSession = fromPhone.find((s) => s.kind === "browser" && s.current);
    const laptopSession = browsers.find((s) => s.current);
    expect(phoneSession?.id).not.toBe(laptopSession?.id);
    // Without a cookie (an app calling from elsewhere) nothing is current.
    const plain = await json<{ data: SessionBody[] }>(await call(laptop.tokens.access_token, "GET", "/v1/me/sessions"));
    expect(plain.data.some((s) => s.current)).toBe(false);

    // The laptop signs the phone's browser session out.
    const ended = await call(laptop.tokens.access_token, "DELETE", `/v1/me/sessions/${phoneSession?.id}`);
    expect(ended.status).toBe(204);
    // The phone's cookie is refused: the authorization endpoint asks for the password again.
    const again = await phone.browser.open(authorizeUrl(own));
    expect(again.status).toBe(200);
    expect(again.html).toContain('action="/oauth/login"');
    // The laptop's cookie still signs in without a password.
    expect((await laptop.browser.open(authorizeUrl(own))).location).toContain("code=");
    const left = await sessionsSeenBy(laptop.browser, laptop.tokens.access_token);
    expect(left.filter((s) => s.kind === "browser").map((s) => s.id)).toEqual([laptopSession?.id]);
    // Ending it twice: it is no longer a live session.
    await expectProblem(
      await call(laptop.tokens.access_token, "DELETE", `/v1/me/sessions/${phoneSession?.id}`),
      404,
      "not_found",
    );
    const { rows } = await handle.client.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'auth.session_ended' and subject_user_id = $1 and resource_id = $2",
      [user.id, phoneSession?.id],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("ends an app's sign-in: its refresh token is refused", async () => {
    const user = await makeUser(tenant);
    const first = await signInBrowser(own, user);
    const second = await signInBrowser(own, user);
    const appSessions = (await sessionsSeenBy(first.browser, first.tokens.access_token)).filter(
      (s) => s.kind === "app",
    );
    const { rows } = await handle.client.query<{ family_id: string }>(
      "select family_id from oauth_refresh_tokens where token_hash = encode(sha256($1::bytea), 'hex')",
      [second.tokens.refresh_token],
    );
    const target = appSessions.find((s) => s.id === `a_${rows[0]?.family_id}`);
    expect(target).toBeDefined();
    expect((await call(first.tokens.access_token, "DELETE", `/v1/me/sessions/${target?.id}`)).status).toBe(204);
    const refused = await refresh(own, second.tokens.refresh_token ?? "");
    expect(refused.status).toBe(400);
    expect(await json<{ error: string }>(refused)).toMatchObject({ error: "invalid_grant" });
    // The other sign-in's family is untouched.
    expect((await refresh(own, first.tokens.refresh_token ?? "")).status).toBe(200);
  });
});

describe("POST /v1/me/mfa/recovery-codes", () => {
  it("replaces the codes: the new ones work, the old ones stop", async () => {
    const user = await makeUser(tenant);
    const token = await userToken(own, user, SCOPE);
    await expectProblem(await call(token, "POST", "/v1/me/mfa/recovery-codes"), 409, "conflict");
    const { secret } = await json<{ secret: string }>(await call(token, "POST", "/v1/me/mfa/totp"));
    const confirm = await call(token, "POST", "/v1/me/mfa/totp/confirm", { code: await totp(secret, Date.now()) });
    const old = (await json<{ recovery_codes: string[] }>(confirm)).recovery_codes;
    // Now enrolled, a password-only sign-in is not enough (amr lacks otp): step up with a recovery code.
    await expectProblem(await call(token, "POST", "/v1/me/mfa/recovery-codes"), 401, "reauthentication_required");
    const stepped = await userTokenWithSecondFactor(own, user, SCOPE, old[0] ?? "");
    const res = await call(stepped, "POST", "/v1/me/mfa/recovery-codes");
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const fresh = (await json<{ recovery_codes: string[] }>(res)).recovery_codes;
    expect(new Set(fresh).size).toBe(10);
    expect(fresh.some((c) => old.includes(c))).toBe(false);
    expect((await json<SecurityBody>(await call(stepped, "GET", "/v1/me/security"))).recovery_codes_remaining).toBe(10);
    await expect(userTokenWithSecondFactor(own, user, SCOPE, old[1] ?? "")).rejects.toThrow();
    await userTokenWithSecondFactor(own, user, SCOPE, fresh[0] ?? "");
    expect((await json<SecurityBody>(await call(stepped, "GET", "/v1/me/security"))).recovery_codes_remaining).toBe(9);
    const { rows } = await handle.client.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'auth.mfa_recovery_codes_regenerated' and subject_user_id = $1",
      [user.id],
    );
    expect(rows[0]?.n).toBe(1);
  });
});

describe("who may not", () => {
  let a: TestUser;
  let aSessionId: string;
  let aFamilyId: string;
  let aToken: string;

  beforeAll(async () => {
    a = await makeUser(tenant);
    const signedIn = await signInBrowser(own, a);
    aToken = signedIn.tokens.access_token;
    const seen = await sessionsSeenBy(signedIn.browser, aToken);
    aSessionId = seen.find((s) => s.kind === "browser")?.id ?? "";
    aFamilyId = seen.find((s) => s.kind === "app")?.id ?? "";
  });

  const stillThere = async () => {
    const ids = (await json<{ data: SessionBody[] }>(await call(aToken, "GET", "/v1/me/sessions"))).data.map(
      (s) => s.id,
    );
    expect(ids).toEqual(expect.arrayContaining([aSessionId, aFamilyId]));
  };

  it("another person of the tenant cannot end A's sessions, nor see them", async () => {
    const b = await userToken(own, await makeUser(tenant), SCOPE);
    for (const id of [aSessionId, aFamilyId]) {
      await expectProblem(await call(b, "DELETE", `/v1/me/sessions/${id}`), 404, "not_found");
    }
    const listed = await json<{ data: SessionBody[] }>(await call(b, "GET", "/v1/me/sessions"));
    expect(listed.data.map((s) => s.id)).not.toContain(aSessionId);
    await stillThere();
  });

  it("a person of another tenant cannot end A's sessions", async () => {
    const other = await makeTenant();
    const otherClient = await makeClient(other, { type: "public", scopes: SCOPE.split(" "), firstParty: true });
    const x = await userToken(otherClient, await makeUser(other), SCOPE);
    for (const id of [aSessionId, aFamilyId]) {
      await expectProblem(await call(x, "DELETE", `/v1/me/sessions/${id}`), 404, "not_found");
    }
    await stillThere();
  });

  it("a third-party app of A is refused everything, reading included: 403 first_party_only", async () => {
    const app = await userToken(thirdParty, a, SCOPE);
    for (const [method, path] of [
      ["GET", "/v1/me/security"],
      ["GET", "/v1/me/sessions"],
      ["DELETE", `/v1/me/sessions/${aSessionId}`],
      ["POST", "/v1/me/mfa/recovery-codes"],
    ] as const) {
      const problem = await expectProblem(await call(app, method, path), 403, "first_party_only");
      expect(JSON.stringify(problem)).not.toContain(a.email);
    }
    await stillThere();
  });

  it("a client acting for itself is refused", async () => {
    const token = await clientToken(await makeClient(tenant, { scopes: ["profile:write"] }), "profile:write");
    await expectProblem(await call(token, "GET", "/v1/me/sessions"), 403, "first_party_only");
    await expectProblem(await call(token, "DELETE", `/v1/me/sessions/${aSessionId}`), 403, "first_party_only");
  });

  it("needs the profile:write scope", async () => {
    const token = await userToken(own, a, "openid");
    for (const [method, path] of [
      ["GET", "/v1/me/security"],
      ["GET", "/v1/me/sessions"],
      ["DELETE", `/v1/me/sessions/${aSessionId}`],
      ["POST", "/v1/me/mfa/recovery-codes"],
    ] as const) {
      const res = await call(token, method, path);
      await expectProblem(res, 403, "forbidden");
      expect(res.headers.get("www-authenticate")).toContain('scope="profile:write"');
    }
  });

  it("a stale sign-in reads, but must sign in again to end a session or replace codes (RFC 9470)", async () => {
    const user = await makeUser(tenant);
    const browser = new Browser(own.redirectUri);
    await browser.signIn(await browser.open(authorizeUrl(own)), user.email, user.password);
    await handle.client.query("update auth_sessions set auth_time = auth_time - interval '1 hour' where user_id = $1", [
      user.id,
    ]);
    const stale = await exchangeCode(own, codeOf(await browser.open(authorizeUrl(own))));
    const sessions = await sessionsSeenBy(browser, stale);
    expect((await call(stale, "GET", "/v1/me/security")).status).toBe(200);
    const refused = await call(stale, "DELETE", `/v1/me/sessions/${sessions[0]?.id}`);
    const problem = await expectProblem(refused, 401, "reauthentication_required");
    expect(problem).toMatchObject({ max_age: expect.any(Number) });
    expect(refused.headers.get("www-authenticate")).toMatch(/insufficient_user_authentication.*max_age=\d+/);
    await expectProblem(await call(stale, "POST", "/v1/me/mfa/recovery-codes"), 401, "reauthentication_required");
    // Signing in again with max_age (the step-up) gives a token that may.
    const q = new URL(authorizeUrl(own), "https://x.example").searchParams;
    q.set("max_age", "300");
    const again = await browser.open(`/oauth/authorize?${q}`);
    const end = await browser.submit(findForm(again.html, "/oauth/login"), {
      email: user.email,
      password: user.password,
    });
    const fresh = await exchangeCode(own, codeOf(end));
    const app = sessions.find((s) => s.kind === "app");
    expect((await call(fresh, "DELETE", `/v1/me/sessions/${app?.id}`)).status).toBe(204);
  });
});
