/**
 * The device authorization grant (RFC 8628) end to end in workerd against the real database: the
 * device's requests (§3.1, §3.4), the person's verification pages (§3.3: sign-in, second factor,
 * approval with CSRF), every polling answer (§3.5) and the security rules (one-time use, another
 * client's code, hashed storage, guessing limits). Time is moved in the database, never waited for.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sha256Hex, totp } from "@dfda/auth";
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm, type Page } from "../../test/browser";
import { api, BASE, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestClient, type TestTenant, type TestUser } from "../../test/identity";
import { newApp } from "../app";
import { displayUserCode, newUserCode, normaliseUserCode } from "./device";

const testLimiter = (env as Env & { RATE_LIMIT_TEST_LIMITER: RateLimit }).RATE_LIMIT_TEST_LIMITER;

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const GRANTS = ["authorization_code", "refresh_token", DEVICE_GRANT];

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let other: TestClient;
let person: TestUser;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public", grantTypes: GRANTS });
  other = await makeClient(tenant, { type: "public", grantTypes: GRANTS });
  person = await makeUser(tenant);
});
afterAll(async () => handle.close());

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

function post(path: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "198.51.100.7", ...headers },
    body: new URLSearchParams(body),
  });
}

async function start(c: TestClient = client, scope = "openid offline_access observations:read") {
  const res = await post("/oauth/device_authorization", { client_id: c.clientId, scope });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return (await res.json()) as DeviceAuthorization;
}

async function poll(deviceCode: string, c: TestClient = client) {
  const res = await post("/oauth/token", { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: c.clientId });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Moves the last poll back, as if the device had waited its interval. */
async function waitInterval(deviceCode: string): Promise<void> {
  await handle.client.query(
    "update oauth_device_codes set last_polled_at = now() - interval '1 hour' where device_code_hash = $1",
    [await sha256Hex(deviceCode)],
  );
}

/** The person on another device: opens the complete URI, signs in, and reaches the approval page. */
async function approvalPage(
  device: DeviceAuthorization,
  user: TestUser = person,
): Promise<{ browser: Browser; page: Page }> {
  const browser = new Browser(`${BASE}/never`);
  const login = await browser.open(device.verification_uri_complete);
  expect(login.status).toBe(200);
  const page = await browser.signIn(login, user.email, user.password, null);
  expect(page.status).toBe(200);
  return { browser, page };
}

async function decide(device: DeviceAuthorization, decision: "approve" | "deny"): Promise<Page> {
  const { browser, page } = await approvalPage(device);
  return browser.submit(findForm(page.html, "/oauth/device/decision"), { decision });
}

describe("user codes (RFC 8628 §6.1)", () => {
  it("are 8 letters of the base-20 set, shown as two groups of four, read back in any case and punctuation", () => {
    for (let i = 0; i < 200; i++) {
      const code = newUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      const shown = displayUserCode(code);
      expect(shown).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
      expect(normaliseUserCode(shown.toLowerCase())).toBe(code);
      expect(normaliseUserCode(` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe(code);
    }
    expect(normaliseUserCode("BCDF-GHJA")).toBeNull(); // a vowel: never issued
    expect(normaliseUserCode("BCDF-GHJ")).toBeNull();
    expect(normaliseUserCode("")).toBeNull();
    expect(normaliseUserCode("B".repeat(100))).toBeNull();
  });
});

describe("metadata (RFC 8414, RFC 8628 §4)", () => {
  it("advertises the device authorization endpoint and the grant", async () => {
    const meta = (await (await api("/.well-known/oauth-authorization-server")).json()) as Record<string, unknown>;
    expect(meta.device_authorization_endpoint).toBe(`${BASE}/oauth/device_authorization`);
    expect(meta.grant_types_supported).toContain(DEVICE_GRANT);
  });
});

describe("the whole flow", () => {
  it("issues codes, answers authorization_pending, lets the person approve on another device, and issues tokens once", async () => {
    const device = await start();
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(device.verification_uri).toBe(`${BASE}/oauth/device`);
    expect(device.verification_uri_complete).toBe(`${BASE}/oauth/device?user_code=${device.user_code}`);
    expect(device.expires_in).toBe(600);
    expect(device.interval).toBe(5);

    expect(await poll(device.device_code)).toEqual({
      status: 400,
      body: { error: "authorization_pending", error_description: expect.any(String) },
    });

    const { browser, page } = await approvalPage(device);
    // The approval page names the app, the scopes and the code to compare (§5.4).
    expect(page.html).toContain("Test app");
    expect(page.html).toContain(device.user_code);
    expect(page.html).toContain(person.email);
    const done = await browser.submit(findForm(page.html, "/oauth/device/decision"), { decision: "approve" });
    expect(done.status).toBe(200);
    expect(done.html).toContain("Device connected");

    await waitInterval(device.device_code);
    const issued = await poll(device.device_code);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: "Bearer", scope: "openid offline_access observations:read" });
    expect(typeof issued.body.refresh_token).toBe("string");
    expect(typeof issued.body.id_token).toBe("string");
    const stats = await api("/v1/me/stats", { headers: { Authorization: `Bearer ${issued.body.access_token}` } });
    expect(stats.status).toBe(200);

    // One-time use (§3.5, RFC 6749 §4.1.2 in spirit): the same code again gets nothing.
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("invalid_grant");

    // The approval is a grant the person sees and can end (GET /v1/me/apps), and it is audited.
    const { rows: grants } = await handle.client.query(
      "select scopes from oauth_grants where client_id = $1 and user_id = $2",
      [client.clientId, person.id],
    );
    expect(grants).toHaveLength(1);
    const { rows: audit } = await handle.client.query<{ action: string; outcome: string }>(
      "select action, outcome from audit_log where actor_client_id = $1 order by occurred_at",
      [client.clientId],
    );
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        "oauth.device_code_issued:success",
        "oauth.consent:success",
        "oauth.token_issued:success",
      ]),
    );
  });

  it("stores the device code only as its hash", async () => {
    const device = await start();
    const { rows } = await handle.client.query<Record<string, unknown>>(
      "select * from oauth_device_codes where device_code_hash = $1",
      [await sha256Hex(device.device_code)],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(device.device_code);
  });

  it("takes the code typed by hand at the verification URI, in lower case and without the dash", async () => {
    const device = await start();
    const browser = new Browser(`${BASE}/never`);
    const form = await browser.open("/oauth/device");
    expect(form.html).toContain('action="/oauth/device"');
    const typed = device.user_code.replace("-", "").toLowerCase();
    const login = await browser.open(`/oauth/device?user_code=${typed}`);
    const page = await browser.signIn(login, person.email, person.password, null);
    const done = await browser.submit(findForm(page.html, "/oauth/device/decision"), { decision: "approve" });
    expect(done.html).toContain("Device connected");
    // Signed in already: another code goes straight to the approval page.
    const second = await start();
    const again = await browser.open(second.verification_uri_complete);
    expect(again.html).toContain('action="/oauth/device/decision"');
  });

  it("goes through the second factor when one is due", async () => {
    const admin = await makeUser(tenant, ["admin", "data_owner"]);
    const device = await start();
    const browser = new Browser(`${BASE}/never`);
    const enrol = await browser.signIn(
      await browser.open(device.verification_uri_complete),
      admin.email,
      admin.password,
      null,
    );
    expect(enrol.html).toContain('action="/oauth/mfa/enrol"');
    const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(enrol.html)?.[1] ?? "";
    const codes = await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), {
      code: await totp(secret, Date.now()),
    });
    expect(codes.html).toContain("Save your recovery codes");
    const page = await browser.open(`/oauth/device?user_code=${device.user_code}`);
    const done = await browser.submit(findForm(page.html, "/oauth/device/decision"), { decision: "approve" });
    expect(done.html).toContain("Device connected");
    await waitInterval(device.device_code);
    const issued = await poll(device.device_code);
    expect(issued.status).toBe(200);
    const claims = JSON.parse(
      atob(String(issued.body.access_token).split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? ""),
    );
    expect(claims.amr).toContain("otp");
  });
});

describe("polling errors (RFC 8628 §3.5)", () => {
  it("answers access_denied after the person denies", async () => {
    const device = await start();
    const done = await decide(device, "deny");
    expect(done.html).toContain("Access denied");
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("access_denied");
  });

  it("answers slow_down to a device polling faster than the interval, and adds 5 seconds to it", async () => {
    const device = await start();
    expect((await poll(device.device_code)).body.error).toBe("authorization_pending");
    expect((await poll(device.device_code)).body.error).toBe("slow_down");
    const interval = async () =>
      (
        await handle.client.query<{ interval_seconds: number }>(
          "select interval_seconds from oauth_device_codes where device_code_hash = $1",
          [await sha256Hex(device.device_code)],
        )
      ).rows[0]?.interval_seconds;
    expect(await interval()).toBe(10);
    // 7 s later is within the new 10 s interval: still too fast.
    await handle.client.query(
      "update oauth_device_codes set last_polled_at = now() - interval '7 seconds' where device_code_hash = $1",
      [await sha256Hex(device.device_code)],
    );
    expect((await poll(device.device_code)).body.error).toBe("slow_down");
    expect(await interval()).toBe(15);
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("authorization_pending");
  });

  it("answers expired_token once the code has expired, and the verification page no longer takes it", async () => {
    const device = await start();
    await handle.client.query(
      "update oauth_device_codes set expires_at = now() - interval '1 second' where device_code_hash = $1",
      [await sha256Hex(device.device_code)],
    );
    expect((await poll(device.device_code)).body.error).toBe("expired_token");
    const page = await new Browser(`${BASE}/never`).open(device.verification_uri_complete);
    expect(page.status).toBe(400);
    expect(page.html).toContain("not valid");
  });

  it("answers expired_token for a code approved but not picked up in time", async () => {
    const device = await start();
    await decide(device, "approve");
    await handle.client.query(
      "update oauth_device_codes set expires_at = now() - interval '1 second' where device_code_hash = $1",
      [await sha256Hex(device.device_code)],
    );
    expect((await poll(device.device_code)).body.error).toBe("expired_token");
  });

  it("refuses another client's code (invalid_grant) and still gives it to its own client", async () => {
    const device = await start();
    await decide(device, "approve");
    await waitInterval(device.device_code);
    expect((await poll(device.device_code, other)).body.error).toBe("invalid_grant");
    expect((await poll(device.device_code)).status).toBe(200);
  });

  it("answers invalid_grant to an unknown code and invalid_request without one", async () => {
    expect((await poll("not-a-code")).body.error).toBe("invalid_grant");
    const res = await post("/oauth/token", { grant_type: DEVICE_GRANT, client_id: client.clientId });
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("device authorization request errors (RFC 8628 §3.2, RFC 6749 §5.2)", () => {
  it("refuses a client not registered for the grant, at both endpoints", async () => {
    const plain = await makeClient(tenant, { type: "public" });
    const res = await post("/oauth/device_authorization", { client_id: plain.clientId, scope: "openid" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("unauthorized_client");
    const token = await post("/oauth/token", { grant_type: DEVICE_GRANT, device_code: "x", client_id: plain.clientId });
    expect(((await token.json()) as { error: string }).error).toBe("unauthorized_client");
  });

  it("answers invalid_scope for no scope, an unknown scope and one the client may not ask for", async () => {
    const narrow = await makeClient(tenant, { type: "public", grantTypes: GRANTS, scopes: ["openid"] });
    for (const [c, scope] of [
      [client, ""],
      [client, "openid nonsense:read"],
      [narrow, "openid observations:read"],
    ] as const) {
      const res = await post("/oauth/device_authorization", { client_id: c.clientId, scope });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_scope");
    }
  });

  it("authenticates confidential clients as the token endpoint does (invalid_client)", async () => {
    const confidential = await makeClient(tenant, { type: "confidential", grantTypes: GRANTS });
    const missing = await post("/oauth/device_authorization", { client_id: confidential.clientId, scope: "openid" });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: string }).error).toBe("invalid_client");
    const basic = `Basic ${btoa(`${confidential.clientId}:${confidential.clientSecret}`)}`;
    const ok = await post("/oauth/device_authorization", { scope: "openid" }, { Authorization: basic });
    expect(ok.status).toBe(200);
    const unknown = await post("/oauth/device_authorization", { client_id: "nobody", scope: "openid" });
    expect(unknown.status).toBe(401);
  });

  it("answers invalid_request to a body that is not form-encoded", async () => {
    const res = await api("/oauth/device_authorization", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: client.clientId, scope: "openid" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("the verification pages' security", () => {
  it("refuses a decision without the session's CSRF token, and one posted without a session", async () => {
    const device = await start();
    const { browser, page } = await approvalPage(device);
    const form = findForm(page.html, "/oauth/device/decision");
    const forged = await browser.submit(form, { decision: "approve", csrf_token: "forged" });
    expect(forged.status).toBe(400);
    const stranger = await new Browser(`${BASE}/never`).submit(form, { decision: "approve" });
    expect(stranger.status).toBe(400);
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("authorization_pending");
  });

  it("decides a code once", async () => {
    const device = await start();
    const { browser, page } = await approvalPage(device);
    const form = findForm(page.html, "/oauth/device/decision");
    expect((await browser.submit(form, { decision: "deny" })).status).toBe(200);
    const again = await browser.submit(form, { decision: "approve" });
    expect(again.status).toBe(400);
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("access_denied");
  });

  it("asks a person signed in to another organisation to sign in to the code's, and refuses their decision", async () => {
    const elsewhere = await makeTenant();
    const stranger = await makeUser(elsewhere);
    const elsewhereClient = await makeClient(elsewhere, { type: "public", grantTypes: GRANTS });
    const theirs = await start(elsewhereClient);
    const { browser, page: theirPage } = await approvalPage(theirs, stranger);
    const device = await start();
    const page = await browser.open(device.verification_uri_complete);
    expect(page.html).toContain('action="/oauth/login"');
    expect(page.html).not.toContain('action="/oauth/device/decision"');
    // Their own session's form, altered to name this organisation's code: not theirs to decide.
    const forged = await browser.submit(findForm(theirPage.html, "/oauth/device/decision"), {
      decision: "approve",
      user_code: device.user_code,
    });
    expect(forged.status).toBe(400);
    await waitInterval(device.device_code);
    expect((await poll(device.device_code)).body.error).toBe("authorization_pending");
  });

  it("limits code lookups per address (RFC 8628 §5.1)", async () => {
    // AUTH_IP_LIMITER swapped for RATE_LIMIT_TEST_LIMITER (limit 3 a minute, vitest.config.ts), as in
    // lib/rate-limit.test.ts: the binding counts in fixed windows, so of 2 × 3 + 1 lookups sent within
    // a minute one of at most two windows holds four, whenever the boundary falls. (The real limit of
    // 60 cannot be reached reliably: a boundary in the middle of a burst splits it.)
    const app = newApp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const ctx = createExecutionContext();
      const bindings = Object.create(env, { AUTH_IP_LIMITER: { value: testLimiter, enumerable: true } }) as Env;
      const res = await app.fetch(
        new Request(`${BASE}/oauth/device?user_code=BCDF-GHJK`, { headers: { "CF-Connecting-IP": "203.0.113.254" } }),
        bindings,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    // Unknown code (400, the form again) until the limit, then 429.
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
    // Another address is counted apart.
    const ctx = createExecutionContext();
    const bindings = Object.create(env, { AUTH_IP_LIMITER: { value: testLimiter, enumerable: true } }) as Env;
    const elsewhere = await app.fetch(
      new Request(`${BASE}/oauth/device?user_code=BCDF-GHJK`, { headers: { "CF-Connecting-IP": "203.0.113.253" } }),
      bindings,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(elsewhere.status).toBe(400);
  });
});
