/**
 * Garmin through the real API Worker (issue 13, docs/connectors.md "Garmin"): connecting sends the
 * person to Garmin's consent page with PKCE (S256); Garmin's unsigned notifications are taken only with
 * the registered URL's key and this deployment's `garmin-client-id`; a verified push is answered 200 (as
 * Garmin requires) and each named person's part alone is kept encrypted under their connection's data
 * key for the connectors Worker; a person of another tenant never sees another's items; a deregistration
 * leaves the connection `needs_reauth`. Who may: only Garmin with the key (the route takes no token).
 */
import { env } from "cloudflare:workers";
import { s256Challenge } from "@dfda/auth";
import { uuidv7, vendorResponsePrefix } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { connectionDataKey, getConnection, storeTokens, upsertConnection } from "@dfda/db/repositories/connections";
import { getDecrypted, parseMasterKeyring } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestTenant, userToken } from "../../test/identity";
import { deregisteredError } from "../lib/connector-push";
import type { ConnectStartedResponse } from "./v1_me_connections_create";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const KEY = "test-garmin-webhook-key";
const CLIENT_ID = "test-garmin-client";
let handle: DbHandle;
let tenant: TestTenant;
let otherTenant: TestTenant;
const keyring = () => parseMasterKeyring(env.AUTH_MASTER_KEYS ?? "", env.AUTH_MASTER_KEY_ID);

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  otherTenant = await makeTenant();
});
afterAll(async () => handle.close());

/** A person of `t` with an authorized Garmin connection whose Garmin user id is `garminUser`. */
async function connected(t: TestTenant, garminUser: string) {
  const user = await makeUser(t);
  const connection = await upsertConnection(
    handle.db,
    { tenantId: t.id, userId: user.id, connector: "garmin" },
    new Date(),
  );
  // As the connectors Worker stores them after the code exchange (vendor_user_id: Garmin's user id).
  const dataKey = await storeTokens(
    handle.db,
    keyring(),
    connection,
    { access_token: "a", refresh_token: "r", expires_at: null, scope: null, vendor_user_id: garminUser },
    new Date(),
  );
  dataKey.fill(0);
  await handle.client.query("update connector_connections set status = 'active' where id = $1", [connection.id]);
  return { user, connectionId: connection.id };
}

const notify = (body: string, options: { key?: string | null; clientId?: string | null } = {}) => {
  const key = options.key === undefined ? KEY : options.key;
  const clientId = options.clientId === undefined ? CLIENT_ID : options.clientId;
  return api(`/v1/connectors/garmin/webhook${key === null ? "" : `?key=${encodeURIComponent(key)}`}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json;charset=UTF-8",
      "user-agent": "Garmin Health API",
      ...(clientId === null ? {} : { "garmin-client-id": clientId }),
    },
    body,
  });
};

/** The parts kept in R2 for a person, decrypted with their connection's data key. */
async function keptParts(tenantId: string, userId: string, connectionId: string): Promise<unknown[]> {
  const listed = await env.FILES.list({ prefix: vendorResponsePrefix(tenantId) });
  const keys = listed.objects.map((o) => o.key).filter((k) => k.includes(`/${userId}/garmin/`));
  const connection = await getConnection(handle.db, tenantId, userId, connectionId);
  if (connection === null) throw new Error("no connection");
  const dataKey = await connectionDataKey(handle.db, keyring(), connection);
  const parts = await Promise.all(
    keys.map(
      async (k) => JSON.parse(await new Response(await getDecrypted(env.FILES, k, dataKey, k)).text()) as unknown,
    ),
  );
  dataKey.fill(0);
  return parts;
}

describe("Garmin", () => {
  it("sends the person to Garmin's consent page with PKCE (S256) and no scope", async () => {
    const client = await makeClient(tenant, { type: "confidential", firstParty: true });
    const user = await makeUser(tenant);
    const token = await userToken(client, user, "openid observations:read observations:write");
    const res = await api("/v1/me/connections", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ connector: "garmin" }),
    });
    expect(res.status).toBe(201);
    const url = new URL((await json<ConnectStartedResponse>(res)).authorize_url);
    expect(url.origin + url.pathname).toBe("https://connect.garmin.fake.test/oauth2Confirm");
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.has("scope")).toBe(false);
    // The verifier stays with the state (for the callback to send with the code), never in the URL.
    const { rows } = await handle.client.query<{ code_verifier: string }>(
      "select code_verifier from connector_oauth_states where user_id = $1",
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(await s256Challenge(rows[0]?.code_verifier ?? "")).toBe(url.searchParams.get("code_challenge"));
    expect(url.toString()).not.toContain(rows[0]?.code_verifier ?? "-");
    const back = await api(
      `/v1/connectors/garmin/callback?code=garmin-code&state=${url.searchParams.get("state") ?? ""}`,
    );
    expect(back.status).toBe(200);
  });

  it("refuses a notification without the URL's key or Garmin's client id (401), before reading it", async () => {
    const a = await connected(tenant, `g-${uuidv7()}`);
    const garminUser = (await getConnection(handle.db, tenant.id, a.user.id, a.connectionId))?.externalUserId ?? "";
    const body = JSON.stringify({ dailies: [{ userId: garminUser, summaryId: "x", calendarDate: "2026-11-19" }] });
    await expectProblem(await notify(body, { key: null }), 401, "unauthorized");
    await expectProblem(await notify(body, { key: "not-the-key" }), 401, "unauthorized");
    await expectProblem(await notify(body, { clientId: null }), 401, "unauthorized");
    await expectProblem(await notify(body, { clientId: "another-app" }), 401, "unauthorized");
    expect(await keptParts(tenant.id, a.user.id, a.connectionId)).toEqual([]);
    // Authentic but not a notification Garmin sends: a problem, nothing kept.
    await expectProblem(await notify("[1,2]"), 400, "validation_failed");
    await expectProblem(await notify("{not json"), 400, "validation_failed");
  });

  it("answers a verified push 200 and keeps each named person's part alone, encrypted, for the Worker", async () => {
    const garminA = `g-${uuidv7()}`;
    const garminB = `g-${uuidv7()}`;
    const a = await connected(tenant, garminA);
    const b = await connected(otherTenant, garminB);
    const itemA = { userId: garminA, summaryId: "a-1", calendarDate: "2026-11-19", steps: 4210 };
    const itemB = { userId: garminB, summaryId: "b-1", calendarDate: "2026-11-19", steps: 3305 };
    const sleepA = { userId: garminA, summaryId: "a-2", validation: "ENHANCED_FINAL" };
    const body = JSON.stringify({ dailies: [itemA, itemB], sleeps: [sleepA], stressDetails: [{ userId: garminA }] });
    const res = await notify(body);
    expect(res.status).toBe(200);
    // Each person's part holds their items only (another tenant's person included), of the mapped types.
    expect(await keptParts(tenant.id, a.user.id, a.connectionId)).toEqual([{ dailies: [itemA], sleeps: [sleepA] }]);
    expect(await keptParts(otherTenant.id, b.user.id, b.connectionId)).toEqual([{ dailies: [itemB] }]);
    const { rows } = await handle.client.query<{ subject_user_id: string; details: { connector: string } }>(
      "select subject_user_id, details from audit_log where action = 'connector.pushed' and subject_user_id = any($1)",
      [[a.user.id, b.user.id]],
    );
    expect(rows.map((r) => r.subject_user_id).sort()).toEqual([a.user.id, b.user.id].sort());

    // A Garmin user no connection has: the same 200 (nothing disclosed), nothing kept.
    expect((await notify(JSON.stringify({ dailies: [{ ...itemA, userId: "nobody-here" }] }))).status).toBe(200);
    expect(await keptParts(tenant.id, a.user.id, a.connectionId)).toHaveLength(1);
  });

  it("marks a connection Garmin deregistered as needing the person, in plain words", async () => {
    const garminUser = `g-${uuidv7()}`;
    const a = await connected(tenant, garminUser);
    const res = await notify(JSON.stringify({ deregistrations: [{ userId: garminUser }] }));
    expect(res.status).toBe(200);
    expect(await getConnection(handle.db, tenant.id, a.user.id, a.connectionId)).toMatchObject({
      status: "needs_reauth",
      error: deregisteredError("Garmin"),
      nextSyncAt: null,
    });
    const { rows } = await handle.client.query(
      "select 1 from audit_log where action = 'connector.deregistered' and subject_user_id = $1",
      [a.user.id],
    );
    expect(rows).toHaveLength(1);
  });
});
