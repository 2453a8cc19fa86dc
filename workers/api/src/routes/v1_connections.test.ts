/**
 * Connecting a vendor account through the real API Worker (issue 13): the catalog, starting a
 * connection (the vendor's authorization URL with a single-use state bound to the person), the vendor's
 * redirect back (the connection stored, the sealed grant queued for the connectors Worker), listing
 * (never a token), sync now, and disconnecting (with and without the connector's data); each with its
 * authorization cases (no token, an app acting for itself, another person's connection).
 */
import { SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { connectorSource } from "@dfda/db/repositories/connections";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { ConnectionResponse } from "../lib/connections";
import type { ConnectorResponse } from "./v1_connectors_list";
import type { ConnectStartedResponse } from "./v1_me_connections_create";

// Each test signs people in through the real pages (scrypt password hashing): slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const SCOPES = "openid observations:read observations:write";
let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  // The platform's own app: deleting a connector's data is a bulk delete, which needs the person in person.
  client = await makeClient(tenant, { type: "confidential", firstParty: true });
});
afterAll(async () => handle.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function person(): Promise<{ user: TestUser; token: string }> {
  const user = await makeUser(tenant);
  return { user, token: await userToken(client, user, SCOPES) };
}

/** Starts connecting Oura; returns the authorization URL's parameters. */
async function start(token: string): Promise<URL> {
  const res = await api("/v1/me/connections", {
    method: "POST",
    headers: { ...auth(token), "Content-Type": "application/json" },
    body: JSON.stringify({ connector: "oura" }),
  });
  expect(res.status).toBe(201);
  const body = await json<ConnectStartedResponse>(res);
  return new URL(body.authorize_url);
}

/** Connects Oura as the vendor's redirect would; returns the connection. */
async function connectOura(token: string): Promise<ConnectionResponse> {
  const url = await start(token);
  const res = await api(`/v1/connectors/oura/callback?code=vendor-code&state=${url.searchParams.get("state") ?? ""}`);
  expect(res.status).toBe(200);
  return (await json<{ connection: ConnectionResponse }>(res)).connection;
}

async function list(token: string): Promise<ConnectionResponse[]> {
  const res = await api("/v1/me/connections", { headers: auth(token) });
  expect(res.status).toBe(200);
  return (await json<{ data: ConnectionResponse[] }>(res)).data;
}

describe("connectors", () => {
  it("lists the catalog: Oura, available because this server has its client id", async () => {
    const { token } = await person();
    const res = await api("/v1/connectors", { headers: auth(token) });
    expect(res.status).toBe(200);
    const { data } = await json<{ data: ConnectorResponse[] }>(res);
    expect(data).toContainEqual({
      id: "oura",
      name: "Oura Ring",
      data_types: ["heart_rate", "steps", "oxygen_saturation"],
      auth: "oauth2",
      status: "available",
      demo: false,
    });
    await expectProblem(await api("/v1/connectors"), 401, "unauthorized");
  });

  it("sends the person to the vendor with a state, and stores the connection when the vendor sends them back", async () => {
    const { user, token } = await person();
    const url = await start(token);
    expect(url.origin + url.pathname).toBe("https://oura.fake.test/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe("test-oura-client");
    expect(url.searchParams.get("redirect_uri")).toBe(`${BASE}/v1/connectors/oura/callback`);
    expect(url.searchParams.get("scope")).toBe("daily heartrate spo2 personal");
    const state = url.searchParams.get("state") ?? "";
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the state's hash is stored.
    const { rows: states } = await handle.client.query(
      "select state_hash from connector_oauth_states where user_id = $1",
      [user.id],
    );
    expect(states).toHaveLength(1);
    expect(JSON.stringify(states)).not.toContain(state);

    const res = await api(`/v1/connectors/oura/callback?code=vendor-code&state=${state}`);
    expect(res.status).toBe(200);
    const { connection } = await json<{ connection: ConnectionResponse }>(res);
    expect(connection).toMatchObject({ connector: "oura", status: "syncing", imported: 0, error: null });
    // The state works once.
    const replay = await expectProblem(
      await api(`/v1/connectors/oura/callback?code=vendor-code&state=${state}`),
      400,
      "validation_failed",
    );
    expect(replay.detail).toContain("not valid any more");

    const listed = await list(token);
    expect(listed).toEqual([connection]);
    const raw = await (await api("/v1/me/connections", { headers: auth(token) })).text();
    expect(raw).not.toMatch(/token|wrapped|cursor|vendor-code/i);
    // Another person sees none of it.
    expect(await list((await person()).token)).toEqual([]);
  });

  it("refuses a state of another connector, an expired state, and a refusal at the vendor, in plain words", async () => {
    const { user, token } = await person();
    const other = await start(token);
    await expectProblem(
      await api(`/v1/connectors/fitbit/callback?code=c&state=${other.searchParams.get("state") ?? ""}`),
      400,
      "validation_failed",
    );
    const expired = await start(token);
    await handle.client.query(
      "update connector_oauth_states set expires_at = now() - interval '1 second' where user_id = $1",
      [user.id],
    );
    await expectProblem(
      await api(`/v1/connectors/oura/callback?code=c&state=${expired.searchParams.get("state") ?? ""}`),
      400,
      "validation_failed",
    );
    const refused = await start(token);
    const problem = await expectProblem(
      await api(`/v1/connectors/oura/callback?error=access_denied&state=${refused.searchParams.get("state") ?? ""}`),
      400,
      "validation_failed",
    );
    expect(problem.detail).toBe("You did not allow the connection at the vendor. Nothing was connected.");
    await expectProblem(await api("/v1/connectors/oura/callback?code=c"), 400, "validation_failed");
    expect(await list(token)).toEqual([]);
  });

  it("refuses an unknown connector, and an app acting for itself", async () => {
    const { token } = await person();
    const res = await api("/v1/me/connections", {
      method: "POST",
      headers: { ...auth(token), "Content-Type": "application/json" },
      body: JSON.stringify({ connector: "nope" }),
    });
    const problem = await expectProblem(res, 400, "validation_failed");
    expect(problem.errors?.map((e) => e.path)).toEqual(["connector"]);
    const appToken = await clientToken(client, "observations:write");
    const asApp = await api("/v1/me/connections", {
      method: "POST",
      headers: { ...auth(appToken), "Content-Type": "application/json" },
      body: JSON.stringify({ connector: "oura" }),
    });
    await expectProblem(asApp, 403, "forbidden");
  });

  it("syncs now on request; another person's connection is not found; needs_reauth is a conflict", async () => {
    const { token } = await person();
    const connection = await connectOura(token);
    // Queued at the callback already: a second sync waits for it.
    await expectProblem(
      await api(`/v1/me/connections/${connection.id}/sync`, { method: "POST", headers: auth(token) }),
      409,
      "conflict",
    );
    await handle.client.query("update connector_connections set status = 'active' where id = $1", [connection.id]);
    const res = await api(`/v1/me/connections/${connection.id}/sync`, { method: "POST", headers: auth(token) });
    expect(res.status).toBe(202);
    expect((await json<{ connection: ConnectionResponse }>(res)).connection.status).toBe("syncing");

    const stranger = await person();
    await expectProblem(
      await api(`/v1/me/connections/${connection.id}/sync`, { method: "POST", headers: auth(stranger.token) }),
      404,
      "not_found",
    );
    await handle.client.query("update connector_connections set status = 'needs_reauth' where id = $1", [
      connection.id,
    ]);
    const conflict = await expectProblem(
      await api(`/v1/me/connections/${connection.id}/sync`, { method: "POST", headers: auth(token) }),
      409,
      "conflict",
    );
    expect(conflict.detail).toBe("This connection needs you to connect it again first.");
  });

  it("disconnects: the connection goes; with delete_data=true, only the observations that came through it", async () => {
    const { user, token } = await person();
    const connection = await connectOura(token);
    const oura = await connectorSource(handle.db, tenant.id, "oura", "Oura Ring");
    const watch = await clientSource(handle.db, tenant.id, "watch", "Watch");
    const { rows } = await handle.client.query<{ id: string; version: number }>(
      "select id, version from variables where tenant_id = $1 and slug = 'heart-rate' and valid_to is null",
      [SYSTEM_TENANT_ID],
    );
    const hr = rows[0];
    if (hr === undefined) throw new Error("no heart-rate variable");
    for (const [source, minute] of [
      [oura, 0],
      [oura, 1],
      [watch, 2],
    ] as const) {
      await handle.client.query(
        `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, original_value, original_unit, source_id)
         values (gen_random_uuid(), $1, $2, $3, $4, timestamptz '2026-11-01T00:00:00Z' + $5 * interval '1 minute', 60, '/min', 60, '/min', $6)`,
        [tenant.id, user.id, hr.id, hr.version, minute, source],
      );
    }
    const stranger = await person();
    await expectProblem(
      await api(`/v1/me/connections/${connection.id}`, { method: "DELETE", headers: auth(stranger.token) }),
      404,
      "not_found",
    );
    // A third-party app of the same person may not bulk-delete what came through the connector.
    const thirdParty = await makeClient(tenant, { type: "confidential" });
    const appToken = await userToken(thirdParty, user, SCOPES);
    await expectProblem(
      await api(`/v1/me/connections/${connection.id}?delete_data=true`, { method: "DELETE", headers: auth(appToken) }),
      403,
      "first_party_only",
    );
    const res = await api(`/v1/me/connections/${connection.id}?delete_data=true`, {
      method: "DELETE",
      headers: auth(token),
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ deleted_observations: 2 });
    expect(await list(token)).toEqual([]);
    const left = await handle.client.query("select source_id from observations where user_id = $1", [user.id]);
    expect(left.rows).toEqual([{ source_id: watch }]);
    const { rows: audit } = await handle.client.query<{ action: string }>(
      "select action from audit_log where subject_user_id = $1 and action like 'connector.%' order by id",
      [user.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      "connector.connect_started",
      "connector.connected",
      "connector.disconnected",
    ]);
    await expectProblem(
      await api(`/v1/me/connections/${connection.id}`, { method: "DELETE", headers: auth(token) }),
      404,
      "not_found",
    );
  });

  it("takes Oura's signed notification: the named vendor user's connection is synced; a bad signature is a 401", async () => {
    const { user, token } = await person();
    const connection = await connectOura(token);
    const vendorUser = `oura-user-${user.id}`;
    await handle.client.query(
      "update connector_connections set status = 'active', external_user_id = $2 where id = $1",
      [connection.id, vendorUser],
    );
    const body = JSON.stringify({
      event_type: "create",
      data_type: "daily_activity",
      object_id: "8f9a5221-639e-4a85-81cb-4065ef23f979",
      event_time: "2026-12-01T08:00:00+00:00",
      user_id: vendorUser,
    });
    const timestamp = "1764576000";
    // Oura's scheme: hex HMAC-SHA256 (RFC 2104) of the timestamp followed by the raw body.
    const sign = async (secret: string, message: string) => {
      const key = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
      return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
    };
    const notify = (signature: string | null, payload = body) =>
      api("/v1/connectors/oura/webhook", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "x-oura-timestamp": timestamp,
          ...(signature === null ? {} : { "x-oura-signature": signature }),
        },
        body: payload,
      });

    // Forged (another key), tampered (signed for another body) and unsigned: refused, nothing queued.
    await expectProblem(await notify(await sign("not-the-secret", timestamp + body)), 401, "unauthorized");
    await expectProblem(await notify(await sign("test-oura-webhook-secret", `${timestamp}{}`)), 401, "unauthorized");
    await expectProblem(await notify(null), 401, "unauthorized");
    expect((await list(token))[0]?.status).toBe("active");

    const res = await notify(await sign("test-oura-webhook-secret", timestamp + body));
    expect(res.status).toBe(204);
    expect((await list(token))[0]?.status).toBe("syncing");

    // A vendor user no connection has: the same 204 (nothing disclosed), nothing changes.
    const stranger = body.replace(vendorUser, "nobody-here");
    const unknown = await notify(await sign("test-oura-webhook-secret", timestamp + stranger), stranger);
    expect(unknown.status).toBe(204);

    const { rows: audit } = await handle.client.query<{ action: string; details: { queued: boolean } }>(
      "select action, details from audit_log where subject_user_id = $1 and action = 'connector.notified'",
      [user.id],
    );
    expect(audit).toEqual([{ action: "connector.notified", details: { connector: "oura", queued: true } }]);

    // A connector that takes no notifications: not found.
    await expectProblem(await api("/v1/connectors/strava/webhook", { method: "POST", body: "{}" }), 404, "not_found");
  });
});
