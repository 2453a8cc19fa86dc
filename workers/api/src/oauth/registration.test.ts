/**
 * Dynamic client registration (RFC 7591) by app developers, signing-key rotation with overlap, and
 * the audit trail of authentication events.
 */

import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../test/browser";
import { api, BASE, testDb } from "../../test/helpers";
import {
  adminToken,
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  userToken,
} from "../../test/identity";
import worker from "../index";
import { authConfig } from "./config";
import { clearKeyCache, rotateSigningKeys } from "./keys";

let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public" });
});

/** A user with `roles` and their token from the real code flow. */
async function userWithToken(
  roles: Parameters<typeof makeUser>[1],
  scope: string,
): Promise<{ token: string; userId: string }> {
  const user = await makeUser(tenant, roles);
  return { token: await userToken(client, user, scope), userId: user.id };
}

function register(token: string, metadata: unknown): Promise<Response> {
  return api("/oauth/register", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(metadata),
  });
}

describe("dynamic client registration (RFC 7591)", () => {
  it("lets an app developer register a confidential client that can then get tokens", async () => {
    const { token } = await userWithToken(["app_developer"], "clients:manage");
    const res = await register(token, {
      client_name: "Sleep Coach",
      redirect_uris: ["https://sleep.example/cb", "com.example.sleep:/cb"],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      scope: "openid observations:read",
      logo_uri: "https://sleep.example/logo.png",
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_name: "Sleep Coach",
      token_endpoint_auth_method: "client_secret_basic",
      scope: "openid observations:read",
    });
    const registered = {
      clientId: String(body.client_id),
      clientSecret: String(body.client_secret),
      redirectUri: "https://sleep.example/cb",
    };
    const ccToken = await clientToken(registered, "observations:read");
    expect(decodeProtectedHeader(ccToken).typ).toBe("at+jwt");
  });

  it("refuses a data owner, a token without clients:manage, bad redirect URIs and unknown scopes", async () => {
    const owner = await userWithToken(["data_owner"], "clients:manage");
    expect((await register(owner.token, { client_name: "x", redirect_uris: ["https://x.example/cb"] })).status).toBe(
      403,
    );
    const dev = await userWithToken(["app_developer"], "openid");
    expect((await register(dev.token, { client_name: "x", redirect_uris: ["https://x.example/cb"] })).status).toBe(403);
    const ok = await userWithToken(["app_developer"], "clients:manage");
    for (const [metadata, error] of [
      [{ client_name: "x", redirect_uris: ["http://evil.example/cb"] }, "invalid_redirect_uri"],
      [{ client_name: "x", redirect_uris: ["https://x.example/cb#frag"] }, "invalid_redirect_uri"],
      [{ client_name: "x", redirect_uris: [] }, "invalid_redirect_uri"],
      [{ client_name: "x", redirect_uris: ["https://x.example/cb"], scope: "everything" }, "invalid_client_metadata"],
      [
        { client_name: "x", redirect_uris: ["https://x.example/cb"], scope: "tenant:manage" },
        "invalid_client_metadata",
      ],
      [{ redirect_uris: ["https://x.example/cb"] }, "invalid_client_metadata"],
    ] as const) {
      const res = await register(ok.token, metadata);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error });
    }
    expect((await api("/oauth/register", { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("never registers a first-party client: only an operator marks one (issue 12)", async () => {
    // Not even an administrator: first-party is a deployment decision (dfda client create --first-party).
    const admin = await makeUser(tenant, ["admin", "app_developer"]);
    const token = await adminToken(client, admin, "clients:manage");
    const res = await register(token, {
      client_name: "Step Counter",
      redirect_uris: ["https://steps.example/cb"],
      token_endpoint_auth_method: "none",
      scope: "openid profile:write",
      first_party: true,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty("first_party");
    const handle = await testDb();
    try {
      const { rows } = await handle.client.query<{ first_party: boolean }>(
        "select first_party from oauth_clients where client_id = $1",
        [String(body.client_id)],
      );
      expect(rows).toEqual([{ first_party: false }]);
    } finally {
      await handle.close();
    }
  });
});

describe("signing-key rotation", () => {
  it("keeps tokens signed with the previous key valid, and publishes both keys", async () => {
    const handle = await testDb();
    const config = authConfig(env, BASE);
    try {
      const before = await clientToken(await makeClient(tenant));
      const oldKid = decodeProtectedHeader(before).kid;
      const newKid = await rotateSigningKeys(handle.db, config.master);
      const jwks = (await (await api("/.well-known/jwks.json")).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
      // The old token still opens the API; new tokens carry the new key id.
      expect((await api("/v1/units?limit=1", { headers: { Authorization: `Bearer ${before}` } })).status).toBe(200);
      const after = await clientToken(await makeClient(tenant));
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      const set = createRemoteJWKSet(new URL(`${BASE}/.well-known/jwks.json`), {
        [customFetch]: (url: string) => api(url),
      });
      await jwtVerify(before, set, { issuer: BASE });
      await jwtVerify(after, set, { issuer: BASE });
      // One more rotation retires the first key: its tokens stop working.
      await rotateSigningKeys(handle.db, config.master);
      clearKeyCache();
      expect((await api("/v1/units?limit=1", { headers: { Authorization: `Bearer ${before}` } })).status).toBe(401);
    } finally {
      await handle.close();
    }
  });

  it("rotates from the weekly Cron Trigger", async () => {
    const handle = await testDb();
    try {
      const current = async () =>
        (await handle.client.query<{ kid: string }>("select kid from signing_keys where status = 'current'")).rows[0]
          ?.kid;
      const before = await current();
      await worker.scheduled(createScheduledController({ cron: env.KEY_ROTATION_CRON }), env);
      const after = await current();
      expect(after).toBeTruthy();
      expect(after).not.toBe(before);
    } finally {
      await handle.close();
    }
  });
});

describe("audit trail of authentication", () => {
  it("records sign-in success and failure, token issue and revocation, and client registration", async () => {
    const { userId, token } = await userWithToken(["app_developer"], "clients:manage");
    await register(token, {
      client_name: "Audited",
      redirect_uris: ["https://a.example/cb"],
      token_endpoint_auth_method: "none",
    });
    const victim = await makeUser(tenant);
    const q = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    });
    const browser = new Browser(client.redirectUri);
    await browser.signIn(await browser.open(`/oauth/authorize?${q}`), victim.email, "not the password", null);
    const handle = await testDb();
    try {
      const { rows } = await handle.client.query<{ action: string; outcome: string; subject_user_id: string | null }>(
        "select action, outcome, subject_user_id from audit_log where tenant_id = $1 order by id",
        [tenant.id],
      );
      const events = rows.map((r) => `${r.action}:${r.outcome}`);
      expect(events).toEqual(
        expect.arrayContaining([
          "auth.login:success",
          "oauth.consent:success",
          "oauth.token_issued:success",
          "oauth.client_registered:success",
          "auth.login:failure",
        ]),
      );
      expect(
        rows.some((r) => r.action === "auth.login" && r.outcome === "success" && r.subject_user_id === userId),
      ).toBe(true);
      expect(
        rows.some((r) => r.action === "auth.login" && r.outcome === "failure" && r.subject_user_id === victim.id),
      ).toBe(true);
      // No secret ever reaches the audit log.
      const all = JSON.stringify(
        (await handle.client.query("select details from audit_log where tenant_id = $1", [tenant.id])).rows,
      );
      expect(all).not.toContain("not the password");
      expect(all).not.toContain(token);
    } finally {
      await handle.close();
    }
  });
});
