/**
 * Webhook event sources through their real caller (issue 18, docs/webhooks.md): a grant made with
 * POST /v1/consents and revoked with DELETE /v1/consents/{id} writes `consent.granted` and
 * `consent.revoked` into the `webhook_events` outbox, in the grant's own transaction, about the owner,
 * in the owner's tenant, and carrying what the grant opens (never any data). A refused grant writes
 * nothing. Disconnecting an app (DELETE /v1/me/apps/{client_id}) revokes the grants naming it, each
 * with its `consent.revoked`.
 */
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, json, testDb } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, type TestTenant, type TestUser, userToken } from "../../test/identity";
import type { ConsentResponse } from "../lib/consents";

const SCOPES = "openid observations:read consents:read consents:manage";

let handle: DbHandle;
let tenant: TestTenant;
let alice: TestUser;
let bob: TestUser;
let aliceToken: string;

interface EventRow {
  tenant_id: string;
  user_id: string;
  type: string;
  consent_id: string | null;
  connection_id: string | null;
  data: Record<string, unknown>;
  relayed_at: Date | null;
}

/** The outbox rows about one grant, oldest first. */
async function eventsOf(consentId: string): Promise<EventRow[]> {
  const { rows } = await handle.client.query<EventRow>(
    `select tenant_id, user_id, type, consent_id, connection_id, data, relayed_at
       from webhook_events where consent_id = $1 order by occurred_at, id`,
    [consentId],
  );
  return rows;
}

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: ["openid", "observations:read", "consents:read", "consents:manage"],
  });
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant, ["data_owner", "clinician_delegate"])]);
  aliceToken = await userToken(client, alice, SCOPES);
}, 60_000);
afterAll(async () => handle.close());

describe("consent events from /v1/consents", () => {
  it("POST writes consent.granted and DELETE writes consent.revoked, about the owner, with the grant's terms", async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const res = await api("/v1/consents", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "application/json" }),
      body: JSON.stringify({
        grantee: { type: "user", id: bob.id },
        actions: ["read"],
        scope: { categories: ["vital_signs"], variables: ["http://loinc.org|2339-0"] },
        expires_at: expires,
      }),
    });
    expect(res.status).toBe(201);
    const consent = await json<ConsentResponse>(res);
    const terms = {
      consent_id: consent.id,
      grantee: { type: "user", id: bob.id },
      actions: ["read"],
      categories: ["vital_signs"],
      variable_ids: consent.scope.variable_ids,
      expires_at: new Date(expires).toISOString(),
    };
    expect(consent.scope.variable_ids).toHaveLength(1);

    const afterGrant = await eventsOf(consent.id);
    expect(afterGrant).toEqual([
      {
        tenant_id: tenant.id,
        user_id: alice.id,
        type: "consent.granted",
        consent_id: consent.id,
        connection_id: null,
        data: terms,
        relayed_at: null,
      },
    ]);

    const del = await api(`/v1/consents/${consent.id}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(del.status).toBe(204);
    const afterRevoke = await eventsOf(consent.id);
    expect(afterRevoke.map((e) => e.type)).toEqual(["consent.granted", "consent.revoked"]);
    expect(afterRevoke[1]).toEqual({
      tenant_id: tenant.id,
      user_id: alice.id,
      type: "consent.revoked",
      consent_id: consent.id,
      connection_id: null,
      data: terms,
      relayed_at: null,
    });

    // Revoking again changes nothing, so no second event.
    const again = await api(`/v1/consents/${consent.id}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(again.status).toBe(204);
    expect((await eventsOf(consent.id)).map((e) => e.type)).toEqual(["consent.granted", "consent.revoked"]);
  });

  it("disconnecting an app with DELETE /v1/me/apps/{client_id} writes consent.revoked for its grant", async () => {
    const other = await makeClient(tenant, { scopes: ["openid", "observations:read"] });
    // Alice signs in to the app (its OAuth grant), then gives its servers background access.
    await userToken(other, alice, "openid observations:read");
    const res = await api("/v1/consents", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "application/json" }),
      body: JSON.stringify({
        grantee: { type: "client", id: other.clientId },
        actions: ["read"],
        scope: { categories: ["vital_signs"] },
      }),
    });
    expect(res.status).toBe(201);
    const consent = await json<ConsentResponse>(res);

    const del = await api(`/v1/me/apps/${other.clientId}`, { method: "DELETE", headers: auth(aliceToken) });
    expect(del.status).toBe(204);
    const events = await eventsOf(consent.id);
    expect(events.map((e) => e.type)).toEqual(["consent.granted", "consent.revoked"]);
    expect(events[1]).toEqual({
      tenant_id: tenant.id,
      user_id: alice.id,
      type: "consent.revoked",
      consent_id: consent.id,
      connection_id: null,
      data: {
        consent_id: consent.id,
        grantee: { type: "client", id: other.clientId },
        actions: ["read"],
        categories: ["vital_signs"],
        variable_ids: [],
        expires_at: null,
      },
      relayed_at: null,
    });
  });

  it("a refused grant writes no event", async () => {
    const count = async () =>
      (
        await handle.client.query<{ n: number }>(
          "select count(*)::int as n from webhook_events where tenant_id = $1 and user_id = $2",
          [tenant.id, alice.id],
        )
      ).rows[0]?.n;
    const before = await count();
    const res = await api("/v1/consents", {
      method: "POST",
      headers: auth(aliceToken, { "Content-Type": "application/json" }),
      body: JSON.stringify({
        grantee: { type: "user", id: bob.id },
        actions: [],
        scope: { categories: ["vital_signs"] },
      }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await count()).toBe(before);
  });
});
