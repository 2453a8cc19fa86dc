/**
 * Brute force without a lockout weapon (issue 12). Passwords: failures count per (client address,
 * account), so an attacker's address locks itself out and not the owner elsewhere; a higher
 * per-account ceiling stops distributed guessing; locks double. Second factor: failures count per
 * account at sign-in and at `DELETE /v1/me/mfa/totp` alike, lock with doubling backoff (429 with
 * `Retry-After`), and e-mail the owner once per lock. Time is the database's: a test ends a lock by
 * moving `auth_throttles.locked_until` into the past, never by waiting.
 */
import { totp } from "@dfda/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, findForm, type Page } from "../../test/browser";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
  userTokenWithSecondFactor,
} from "../../test/identity";

let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  tenant = await makeTenant();
  client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "profile:write", "offline_access"],
    // The platform's own app: removing a second factor needs the person in person (docs/identity.md).
    firstParty: true,
  });
});

function authorizeUrl(scope = "openid"): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope,
    state: "s1",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  return `/oauth/authorize?${q}`;
}

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const handle = await testDb();
  try {
    return (await handle.client.query<T>(text, values)).rows;
  } finally {
    await handle.close();
  }
}

/** Ends the user's current locks of a kind, as the passing of time would. */
async function expireLocks(userId: string, kind: "password" | "second_factor"): Promise<void> {
  await sql(
    "update auth_throttles set locked_until = now() - interval '1 second' where user_id = $1 and kind = $2 and locked_until is not null",
    [userId, kind],
  );
}

async function alerts(email: string): Promise<number> {
  const [row] = await sql<{ n: string }>(
    "select count(*) as n from outbox where recipient = $1 and kind = 'second_factor_locked'",
    [email],
  );
  return Number(row?.n ?? 0);
}

async function tryPassword(browser: Browser, user: TestUser, password: string): Promise<Page> {
  const page = await browser.open(authorizeUrl());
  return browser.submit(findForm(page.html, "/oauth/login"), { email: user.email, password });
}

/** A six-digit code that is not valid for `secret` in the steps around now (±1 step, RFC 6238 §5.2). */
async function wrongCode(secret: string): Promise<string> {
  const now = Date.now();
  const valid = new Set(await Promise.all([-60_000, -30_000, 0, 30_000, 60_000].map((d) => totp(secret, now + d))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

describe("password lockout", () => {
  it("locks the address that failed, not the owner signing in from elsewhere", async () => {
    const victim = await makeUser(tenant);
    const attacker = new Browser(client.redirectUri, "198.51.100.7");
    for (let i = 0; i < 4; i++) expect((await tryPassword(attacker, victim, "wrong password!")).status).toBe(401);
    // The fifth failure locks this address; even the right password is refused from it now.
    expect((await tryPassword(attacker, victim, "wrong password!")).status).toBe(401);
    const locked = await tryPassword(attacker, victim, victim.password);
    expect(locked.status).toBe(403);
    expect(locked.html).toContain("Too many failed attempts");

    const owner = new Browser(client.redirectUri, "198.51.100.8");
    const page = await owner.signIn(await owner.open(authorizeUrl()), victim.email, victim.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
  });

  it("answers a locked address with Retry-After, and doubles the next lock", async () => {
    const victim = await makeUser(tenant);
    const attacker = new Browser(client.redirectUri, "198.51.100.9");
    for (let i = 0; i < 5; i++) await tryPassword(attacker, victim, "wrong password!");
    const page = await attacker.open(authorizeUrl());
    const res = await api("/oauth/login", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "CF-Connecting-IP": "198.51.100.9",
        Cookie: `dfda_login_csrf=${findForm(page.html, "/oauth/login").fields.csrf_token}`,
      },
      body: new URLSearchParams({
        ...findForm(page.html, "/oauth/login").fields,
        email: victim.email,
        password: victim.password,
      }),
    });
    expect(res.status).toBe(403);
    const first = Number(res.headers.get("retry-after"));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(60);

    await expireLocks(victim.id, "password");
    for (let i = 0; i < 5; i++) await tryPassword(attacker, victim, "wrong password!");
    const [row] = await sql<{ seconds: string; lockouts: number }>(
      "select extract(epoch from locked_until - now()) as seconds, lockouts from auth_throttles where user_id = $1 and scope = 'ip:198.51.100.9'",
      [victim.id],
    );
    expect(row?.lockouts).toBe(2);
    expect(Number(row?.seconds)).toBeGreaterThan(60);
    expect(Number(row?.seconds)).toBeLessThanOrEqual(120);
  });

  it("keeps a per-account ceiling against guessing spread over many addresses", async () => {
    const victim = await makeUser(tenant);
    // 99 failures from other addresses already counted; one more, from anywhere, reaches the ceiling.
    await sql(
      "insert into auth_throttles (tenant_id, user_id, kind, scope, failures) values ($1, $2, 'password', 'account', 99)",
      [tenant.id, victim.id],
    );
    expect((await tryPassword(new Browser(client.redirectUri), victim, "wrong password!")).status).toBe(401);
    const owner = new Browser(client.redirectUri);
    expect((await tryPassword(owner, victim, victim.password)).status).toBe(403);
    await expireLocks(victim.id, "password");
    const page = await owner.signIn(await owner.open(authorizeUrl()), victim.email, victim.password, null);
    expect(page.html).toContain('action="/oauth/consent"');
    // The owner's success clears the account's counter (the guessing address keeps its own).
    expect(await sql("select 1 from auth_throttles where user_id = $1 and scope = 'account'", [victim.id])).toEqual([]);
  });
});

/** An admin enrolled in TOTP through the sign-in pages; returns the key and the browser's last step. */
async function enrolledAdmin(): Promise<{ user: TestUser; secret: string }> {
  const user = await makeUser(tenant, ["admin", "data_owner"]);
  const browser = new Browser(client.redirectUri);
  const enrol = await browser.signIn(await browser.open(authorizeUrl()), user.email, user.password, null);
  const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(enrol.html)?.[1] ?? "";
  const codes = await browser.submit(findForm(enrol.html, "/oauth/mfa/enrol"), {
    code: await totp(secret, Date.now()),
  });
  expect(codes.html).toContain("Save your recovery codes");
  return { user, secret };
}

describe("second-factor lockout", () => {
  it("locks the sign-in step after five wrong codes, answers 429 with Retry-After, and e-mails the owner once", async () => {
    const { user, secret } = await enrolledAdmin();
    const browser = new Browser(client.redirectUri);
    let page = await browser.signIn(await browser.open(authorizeUrl()), user.email, user.password, null);
    expect(page.html).toContain('action="/oauth/mfa"');
    const wrong = await wrongCode(secret);
    for (let i = 0; i < 4; i++) {
      page = await browser.submit(findForm(page.html, "/oauth/mfa"), { code: wrong });
      expect(page.status).toBe(401);
    }
    page = await browser.submit(findForm(page.html, "/oauth/mfa"), { code: wrong });
    expect(page.status).toBe(429);
    expect(page.html).toContain("Too many wrong codes");
    // Locked: even the right code is not checked, and no further e-mail goes out.
    page = await browser.submit(findForm(page.html, "/oauth/mfa"), { code: await totp(secret, Date.now() + 30_000) });
    expect(page.status).toBe(429);
    expect(await alerts(user.email)).toBe(1);

    await expireLocks(user.id, "second_factor");
    for (let i = 0; i < 5; i++) page = await browser.submit(findForm(page.html, "/oauth/mfa"), { code: wrong });
    expect(page.status).toBe(429);
    expect(await alerts(user.email)).toBe(2);
    const [row] = await sql<{ seconds: string }>(
      "select extract(epoch from locked_until - now()) as seconds from auth_throttles where user_id = $1 and kind = 'second_factor'",
      [user.id],
    );
    expect(Number(row?.seconds)).toBeGreaterThan(60);
    expect(Number(row?.seconds)).toBeLessThanOrEqual(120);

    await expireLocks(user.id, "second_factor");
    page = await browser.submit(findForm(page.html, "/oauth/mfa"), { code: await totp(secret, Date.now() + 30_000) });
    expect(page.html).toContain('action="/oauth/consent"');
  });

  it("counts wrong codes at DELETE /v1/me/mfa/totp against the same lock", async () => {
    const user = await makeUser(tenant);
    const token = await userToken(client, user, "openid profile:write");
    let bearer = token;
    const call = (method: string, path: string, body?: unknown) =>
      api(path, {
        method,
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const { secret } = await json<{ secret: string }>(await call("POST", "/v1/me/mfa/totp"));
    const confirm = await call("POST", "/v1/me/mfa/totp/confirm", { code: await totp(secret, Date.now()) });
    expect(confirm.status).toBe(200);
    // With a second factor enrolled, removing it needs a sign-in that used it (amr "otp", RFC 8176).
    const { recovery_codes } = await json<{ recovery_codes: string[] }>(confirm);
    bearer = await userTokenWithSecondFactor(client, user, "openid profile:write", recovery_codes[0] ?? "");
    const wrong = await wrongCode(secret);
    for (let i = 0; i < 4; i++)
      await expectProblem(await call("DELETE", "/v1/me/mfa/totp", { code: wrong }), 400, "validation_failed");
    const locked = await call("DELETE", "/v1/me/mfa/totp", { code: wrong });
    await expectProblem(locked, 429, "too_many_attempts");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const right = await call("DELETE", "/v1/me/mfa/totp", { code: await totp(secret, Date.now() + 30_000) });
    await expectProblem(right, 429, "too_many_attempts");
    expect(await alerts(user.email)).toBe(1);

    // The same lock holds at sign-in's second step.
    const browser = new Browser(client.redirectUri);
    const mfa = await browser.signIn(await browser.open(authorizeUrl()), user.email, user.password, null);
    const step = await browser.submit(findForm(mfa.html, "/oauth/mfa"), {
      code: await totp(secret, Date.now() + 30_000),
    });
    expect(step.status).toBe(429);

    await expireLocks(user.id, "second_factor");
    expect((await call("DELETE", "/v1/me/mfa/totp", { code: await totp(secret, Date.now() + 30_000) })).status).toBe(
      204,
    );
  });
});
