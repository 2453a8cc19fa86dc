/**
 * Refresh-token families end (issue 12): an absolute lifetime from the sign-in that started the family
 * and an idle timeout since its last use, both per tenant (`tenants.settings`). A refresh past either
 * answers `invalid_grant` (RFC 6749 §5.2) and revokes the whole family. Time is moved in the database,
 * never waited for.
 */
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../test/browser";
import { api, BASE, testDb } from "../../test/helpers";
import {
  CHALLENGE,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  VERIFIER,
} from "../../test/identity";

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let person: TestUser;

const DAY = 86_400_000;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public", scopes: ["openid", "offline_access", "observations:read"] });
  person = await makeUser(tenant);
});
afterAll(async () => handle.close());

async function tokenRequest(body: Record<string, string>): Promise<Response> {
  return api("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.clientId, ...body }),
  });
}

/** A fresh refresh token (a new family) from the real code flow. */
async function freshRefreshToken(): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid offline_access observations:read",
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });
  const browser = new Browser(client.redirectUri);
  const end = await browser.signIn(await browser.open(`/oauth/authorize?${q}`), person.email, person.password);
  const code = new URL(end.location ?? "", BASE).searchParams.get("code") ?? "";
  const res = await tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirectUri,
    code_verifier: VERIFIER,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}

async function refresh(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await tokenRequest({ grant_type: "refresh_token", refresh_token: token });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function familyOf(token: string): Promise<string> {
  const { rows } = await handle.client.query<{ family_id: string }>(
    "select family_id from oauth_refresh_tokens where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex')",
    [token],
  );
  const family = rows[0]?.family_id;
  if (!family) throw new Error("no such refresh token");
  return family;
}

/**
 * Moves a family into the past: its rotated tokens (the first included) `startedDaysAgo`, its newest
 * `lastUsedDaysAgo`. A family of one token starts when that token was issued.
 */
async function age(token: string, startedDaysAgo: number, lastUsedDaysAgo: number): Promise<string> {
  const family = await familyOf(token);
  await handle.client.query(
    `update oauth_refresh_tokens set created_at = now() - make_interval(days => $2)
     where family_id = $1 and rotated_at is not null`,
    [family, startedDaysAgo],
  );
  // The token in hand is the newest; its own expiry is pushed out so that only the family rules decide.
  await handle.client.query(
    `update oauth_refresh_tokens set created_at = now() - make_interval(days => $2), expires_at = now() + interval '1 day'
     where family_id = $1 and rotated_at is null`,
    [family, lastUsedDaysAgo],
  );
  return family;
}

async function familyRevoked(family: string): Promise<boolean> {
  const { rows } = await handle.client.query<{ live: number }>(
    "select count(*)::int as live from oauth_refresh_tokens where family_id = $1 and revoked_at is null",
    [family],
  );
  return rows[0]?.live === 0;
}

async function setSettings(settings: Record<string, unknown>): Promise<void> {
  await handle.client.query("update tenants set settings = $2::jsonb where id = $1", [
    tenant.id,
    JSON.stringify(settings),
  ]);
}

describe("refresh-token family lifetimes", () => {
  it("ends a family 90 days after it started, however recently it was used, and revokes it", async () => {
    await setSettings({});
    const first = await freshRefreshToken();
    const second = await refresh(first);
    expect(second.status).toBe(200);
    const token = String(second.body.refresh_token);
    const family = await age(token, 91, 1);
    const refused = await refresh(token);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("invalid_grant");
    expect(await familyRevoked(family)).toBe(true);
  });

  it("keeps a family that is younger than the limit and was used recently", async () => {
    await setSettings({});
    const first = await freshRefreshToken();
    const token = String((await refresh(first)).body.refresh_token);
    await age(token, 89, 29);
    expect((await refresh(token)).status).toBe(200);
  });

  it("ends a family not used for 30 days, and revokes it", async () => {
    await setSettings({});
    const token = await freshRefreshToken();
    const family = await age(token, 31, 31);
    const refused = await refresh(token);
    expect(refused.body.error).toBe("invalid_grant");
    expect(await familyRevoked(family)).toBe(true);
  });

  it("takes both limits from the tenant's settings", async () => {
    await setSettings({ refresh_token_absolute_days: 7, refresh_token_idle_days: 2 });
    try {
      const a = String((await refresh(await freshRefreshToken())).body.refresh_token);
      await age(a, 8, 0);
      expect((await refresh(a)).body.error).toBe("invalid_grant");
      const b = await freshRefreshToken();
      await age(b, 3, 3);
      expect((await refresh(b)).body.error).toBe("invalid_grant");
      const c = await freshRefreshToken();
      await age(c, 1, 1);
      const ok = await refresh(c);
      expect(ok.status).toBe(200);
      // The successor expires at the earlier of the two limits: idle (2 days) here.
      const { rows } = await handle.client.query<{ expires_at: Date }>(
        "select expires_at from oauth_refresh_tokens where family_id = $1 and rotated_at is null",
        [await familyOf(String(ok.body.refresh_token))],
      );
      const expires = rows[0]?.expires_at.getTime() ?? 0;
      expect(Math.abs(expires - (Date.now() + 2 * DAY))).toBeLessThan(60_000);
    } finally {
      await setSettings({});
    }
  });

  it("ignores a malformed setting (the default applies)", async () => {
    await setSettings({ refresh_token_absolute_days: "forever", refresh_token_idle_days: 0 });
    try {
      const token = String((await refresh(await freshRefreshToken())).body.refresh_token);
      await age(token, 91, 1);
      expect((await refresh(token)).body.error).toBe("invalid_grant");
    } finally {
      await setSettings({});
    }
  });
});
