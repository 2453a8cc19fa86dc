/**
 * Fitbit's, Withings' and Oura's push notifications and URL checks through the real API Worker
 * (docs/connectors.md, "Push notifications"): the vendor's verification of the URL (`GET`/`HEAD
 * /v1/connectors/{id}/webhook`: Oura's challenge, Fitbit's verify code, Withings' token), then signed
 * (Fitbit) or token-bearing (Withings) notifications queueing a sync of the named vendor user's
 * connection; a wrong signature, token or code is refused and changes nothing. The signatures are made
 * here as each vendor documents them, with the keys of the test config (vitest.config.ts).
 */
import { webhookToken } from "@dfda/connectors";
import type { DbHandle } from "@dfda/db";
import { upsertConnection } from "@dfda/db/repositories/connections";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import { makeTenant, makeUser, type TestTenant } from "../../test/identity";

const FITBIT_SECRET = "test-fitbit-client-secret";
const WITHINGS_SECRET = "test-withings-webhook-secret";
const OURA_SECRET = "test-oura-webhook-secret";
let handle: DbHandle;
let tenant: TestTenant;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
});
afterAll(async () => handle.close());

/** A person with an active connection to `connector` whose vendor user id is `vendorUserId`. */
async function connected(connector: string, vendorUserId: string) {
  const user = await makeUser(tenant);
  const connection = await upsertConnection(handle.db, { tenantId: tenant.id, userId: user.id, connector }, new Date());
  await handle.client.query("update connector_connections set status = 'active', external_user_id = $2 where id = $1", [
    connection.id,
    vendorUserId,
  ]);
  return { userId: user.id, connectionId: connection.id };
}

async function statusOf(connectionId: string): Promise<string> {
  const { rows } = await handle.client.query<{ status: string }>(
    "select status from connector_connections where id = $1",
    [connectionId],
  );
  return rows[0]?.status ?? "gone";
}

async function notified(userId: string) {
  const { rows } = await handle.client.query<{ details: { connector: string; queued: boolean } }>(
    "select details from audit_log where subject_user_id = $1 and action = 'connector.notified'",
    [userId],
  );
  return rows.map((r) => r.details);
}

/** Fitbit's X-Fitbit-Signature: base64 HMAC-SHA1 of the raw body, key `<client secret>&` ("Using Subscriptions"). */
async function fitbitSignature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`${secret}&`),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  return btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))),
  );
}

describe("vendor webhooks", () => {
  it("Fitbit: verify code 204 / 404; a signed notification syncs the owner's connection; a bad signature is 401", async () => {
    expect((await api("/v1/connectors/fitbit/webhook?verify=test-fitbit-verify-code")).status).toBe(204);
    await expectProblem(await api("/v1/connectors/fitbit/webhook?verify=not-the-code"), 404, "not_found");
    await expectProblem(await api("/v1/connectors/fitbit/webhook"), 404, "not_found");

    const owner = `FB${Date.now().toString(36).toUpperCase()}`;
    const { userId, connectionId } = await connected("fitbit", owner);
    const body = JSON.stringify([
      {
        collectionType: "activities",
        date: "2026-11-20",
        ownerId: owner,
        ownerType: "user",
        subscriptionId: `${owner}-activities`,
      },
      {
        collectionType: "sleep",
        date: "2026-11-20",
        ownerId: owner,
        ownerType: "user",
        subscriptionId: `${owner}-sleep`,
      },
    ]);
    const notify = (signature: string | null) =>
      api("/v1/connectors/fitbit/webhook", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(signature === null ? {} : { "X-Fitbit-Signature": signature }),
        },
        body,
      });
    await expectProblem(await notify(await fitbitSignature("another-secret", body)), 401, "unauthorized");
    await expectProblem(await notify(null), 401, "unauthorized");
    expect(await statusOf(connectionId)).toBe("active");

    expect((await notify(await fitbitSignature(FITBIT_SECRET, body))).status).toBe(204);
    expect(await statusOf(connectionId)).toBe("syncing");
    // Two collections of one owner: one sync asked for.
    expect(await notified(userId)).toEqual([{ connector: "fitbit", queued: true }]);
  });

  it("Withings: the HEAD check and notifications need the callback URL's token; a notification syncs the user", async () => {
    const token = await webhookToken(WITHINGS_SECRET, "withings");
    expect((await api(`/v1/connectors/withings/webhook?token=${token}`, { method: "HEAD" })).status).toBe(204);
    expect((await api(`/v1/connectors/withings/webhook?token=${token}`)).status).toBe(204);
    const wrongHead = await api("/v1/connectors/withings/webhook?token=guess", { method: "HEAD" });
    expect(wrongHead.status).toBe(404);

    const userid = String(900_000_000 + (Date.now() % 1_000_000));
    const { userId, connectionId } = await connected("withings", userid);
    const body = new URLSearchParams({ userid, appli: "1", startdate: "1763600000", enddate: "1763640000" }).toString();
    const notify = (query: string) =>
      api(`/v1/connectors/withings/webhook${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    await expectProblem(await notify(""), 401, "unauthorized");
    await expectProblem(await notify("?token=0000"), 401, "unauthorized");
    expect(await statusOf(connectionId)).toBe("active");

    expect((await notify(`?token=${token}`)).status).toBe(204);
    expect(await statusOf(connectionId)).toBe("syncing");
    expect(await notified(userId)).toEqual([{ connector: "withings", queued: true }]);

    // With the token but not a Withings notification: a validation problem, nothing queued.
    const bad = await api(`/v1/connectors/withings/webhook?token=${token}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "appli=1",
    });
    await expectProblem(bad, 400, "validation_failed");
  });

  it("Oura: the subscription's verification GET echoes the challenge for the derived token only", async () => {
    const token = await webhookToken(OURA_SECRET, "oura");
    const res = await api(`/v1/connectors/oura/webhook?verification_token=${token}&challenge=abc-123`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ challenge: "abc-123" });
    await expectProblem(
      await api("/v1/connectors/oura/webhook?verification_token=guess&challenge=abc-123"),
      404,
      "not_found",
    );
  });

  it("a connector without notifications has no URL check", async () => {
    await expectProblem(await api("/v1/connectors/strava/webhook?verify=x"), 404, "not_found");
    await expectProblem(await api("/v1/connectors/nobody/webhook"), 404, "not_found");
  });
});
