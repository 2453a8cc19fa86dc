/**
 * The Garmin connector through the connectors Worker in the Workers runtime, against the real database,
 * R2, the real per-user writer (the bundled ingest Worker) and Garmin's local fake
 * (packages/connectors/src/garmin/fake.ts): connecting with PKCE stores Garmin's user id as the
 * connection's `external_user_id`; the "sync" asks for the backfill (three requests a minute, the fourth
 * in the continuation) and nothing more; the notifications Garmin then sends are kept per connection
 * as the API keeps them (`keepPart`, the API's lib/connector-push.ts step) and their `push` messages
 * store the fake's exact values in the variables' units; the same push again stores nothing; a ping is
 * pulled (its raw answer kept in R2); a pull's 5xx is retried; deleting deregisters at Garmin.
 */
import { env } from "cloudflare:workers";
import { type ConnectorMessage, garmin, garminPush } from "@dfda/connectors";
import {
  FAKE_GARMIN_SPO2_HOURS,
  FakeGarmin,
  fakeGarminBodyComp,
  fakeGarminDaily,
  fakeGarminSleep,
  fakeGarminSpo2,
} from "@dfda/connectors/fakes";
import { base64UrlEncode, uuidv7, vendorResponseKey, vendorResponsePrefix } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { connectionDataKey, getConnection } from "@dfda/db/repositories/connections";
import { createTenant } from "@dfda/db/repositories/identity";
import { putEncrypted } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorsEnv } from "../worker-configuration";
import {
  authorizeMessage as authorizeMessageOf,
  configWithVendor,
  newPerson as newPersonOf,
  revokeMessage,
  runBatch,
  syncMessage,
} from "./test-support";

const CLIENT = { id: "test-garmin-client", secret: "test-garmin-secret" };
const API = "https://apis.garmin.fake.test";
const workerEnv = env as unknown as ConnectorsEnv;
const config = configWithVendor(
  workerEnv,
  "garmin",
  { clientId: CLIENT.id, clientSecret: CLIENT.secret },
  { auth: "https://connect.garmin.fake.test", api: API },
);
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "https://api.example.org/v1/connectors/garmin/callback";
const VERIFIER = "garmin-test-code-verifier-0123456789-0123456789-abcdef";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Garmin" })).id;
});
afterAll(async () => {
  await handle?.close();
});

const fakeGarmin = (mode: "push" | "ping", userId: string) =>
  new FakeGarmin({ clientId: CLIENT.id, clientSecret: CLIENT.secret, now: NOW, days: 3, mode, apiOrigin: API, userId });

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "garmin", emailPrefix: "g", now: NOW });

const run = (vendor: FakeGarmin, bodies: unknown[]) => runBatch(workerEnv, config, vendor, bodies);

async function authorizeMessage(vendor: FakeGarmin, userId: string, connectionId: string) {
  const challenge = base64UrlEncode(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(VERIFIER))),
  );
  return authorizeMessageOf(config, garmin, vendor, {
    connectorId: "garmin",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
    pkce: { verifier: VERIFIER, challenge },
  });
}

/**
 * What the API does with a verified notification (workers/api/src/lib/connector-push.ts): this
 * connection's part, kept encrypted under its data key at a vendor-response key, and its `push` message.
 */
async function keepPart(userId: string, connectionId: string, notification: string): Promise<ConnectorMessage[]> {
  const connection = await getConnection(handle.db, tenantId, userId, connectionId);
  if (connection === null || connection.externalUserId === null) throw new Error("not connected");
  const part = garminPush.split(notification)?.parts.get(connection.externalUserId);
  if (part === undefined) return [];
  const dataKey = await connectionDataKey(handle.db, config.masterKeys, connection);
  const key = vendorResponseKey({ tenantId, userId, connector: "garmin", fetchedAt: NOW, responseId: uuidv7() });
  await putEncrypted(workerEnv.FILES, key, new Blob([part]).stream(), dataKey, key);
  dataKey.fill(0);
  return [
    {
      v: 1,
      type: "push",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connectionId,
      connector: "garmin",
      object_key: key,
    },
  ];
}

/** The person's observations from the Garmin source, per variable slug, in time order. */
async function stored(userId: string) {
  const { rows } = await handle.client.query<{ slug: string; value: number }>(
    `select v.slug, o.value from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'garmin' and s.kind = 'connector'
     order by v.slug, o.start_at`,
    [tenantId, userId],
  );
  const by = (slug: string) => rows.filter((r) => r.slug === slug).map((r) => Number(r.value));
  return { total: rows.length, by };
}

/** The raw copies kept in R2 for a person (vendor-response keys name the person and the connector). */
async function rawCopies(userId: string): Promise<number> {
  const listed = await workerEnv.FILES.list({ prefix: vendorResponsePrefix(tenantId) });
  return listed.objects.filter((o) => o.key.includes(`/${userId}/garmin/`)).length;
}

describe("connectors Worker: Garmin end to end", () => {
  it("connects with PKCE, backfills by request, stores pushed summaries exactly once; deleting deregisters at Garmin", async () => {
    const { userId, connection } = await newPerson();
    const vendor = fakeGarmin("push", `garmin-${userId}`);
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const connected = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(connected).toMatchObject({ externalUserId: `garmin-${userId}`, status: "syncing", importedCount: 0 });
    // JSONB keeps no key order.
    expect(Object.keys(connected?.syncCursor ?? {}).sort()).toEqual([
      "backfill_bodyComps",
      "backfill_dailies",
      "backfill_sleeps",
    ]);
    // The continuation a minute later asks for the last type; then a sync asks for nothing.
    expect(await run(vendor, [syncMessage(tenantId, userId, connection.id)])).toEqual(["ack"]);
    expect(await run(vendor, [syncMessage(tenantId, userId, connection.id)])).toEqual(["ack"]);
    expect(vendor.log.filter((l) => l.includes("/backfill/"))).toHaveLength(4);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("active");

    const notifications = vendor.notifications();
    expect(notifications).toHaveLength(4);
    const pushes = (await Promise.all(notifications.map((n) => keepPart(userId, connection.id, n)))).flat();
    expect(await run(vendor, pushes)).toEqual(["ack", "ack", "ack", "ack"]);

    const data = await stored(userId);
    const days = [0, 1, 2];
    const nights = [0, 1, 2, 3];
    // Today's daily summary is incomplete (Garmin re-sends it fuller): not stored.
    expect(data.by("steps")).toEqual(days.map((d) => fakeGarminDaily(d).steps));
    expect(data.by("walking-running-distance")).toEqual(days.map((d) => fakeGarminDaily(d).distanceInMeters / 1000));
    expect(data.by("active-energy-burned")).toEqual(days.map((d) => fakeGarminDaily(d).activeKilocalories));
    expect(data.by("basal-energy-burned")).toEqual(days.map(() => 1700));
    expect(data.by("flights-climbed")).toEqual(days.map((d) => fakeGarminDaily(d).floorsClimbed));
    expect(data.by("resting-heart-rate")).toEqual(days.map((d) => fakeGarminDaily(d).restingHeartRateInBeatsPerMinute));
    // Seconds, converted by the platform: hours of sleep, minutes of each stage.
    const hours = data.by("sleep-duration");
    nights.forEach((d, i) => {
      const s = fakeGarminSleep(d);
      expect(hours[i]).toBeCloseTo((s.deep + s.light + s.rem) / 3600, 9);
    });
    expect(data.by("deep-sleep-duration")).toEqual(nights.map((d) => fakeGarminSleep(d).deep / 60));
    expect(data.by("light-sleep-duration")).toEqual(nights.map(() => 240));
    expect(data.by("rem-sleep-duration")).toEqual(nights.map((d) => fakeGarminSleep(d).rem / 60));
    expect(data.by("body-weight")).toEqual(nights.map((d) => fakeGarminBodyComp(d).weightInGrams / 1000));
    expect(data.by("body-fat-percentage")).toEqual([22, 22.1, 22.2, 22.3]);
    expect(data.by("body-mass-index")).toEqual([24.7, 24.6, 24.7, 24.6]);
    expect(data.by("oxygen-saturation")).toEqual(
      nights.flatMap((d) => FAKE_GARMIN_SPO2_HOURS.map((h) => fakeGarminSpo2(d, h))),
    );
    const total = 6 * 3 + 4 * 4 + 3 * 4 + 3 * 4;
    expect(data.total).toBe(total);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(total);
    // Pushed bodies are kept once (by the API's step), never a second time by the Worker.
    expect(await rawCopies(userId)).toBe(4);

    // Garmin retries a push it thinks failed: the same summaries again store nothing.
    const again = (await Promise.all(notifications.map((n) => keepPart(userId, connection.id, n)))).flat();
    expect(await run(vendor, again)).toEqual(["ack", "ack", "ack", "ack"]);
    expect((await stored(userId)).total).toBe(total);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(total);
    const { rows: audit } = await handle.client.query<{ details: { stored: number; duplicates: number } }>(
      `select details from audit_log where subject_user_id = $1 and action = 'connector.push' and outcome = 'success'
       order by id`,
      [userId],
    );
    expect(audit).toHaveLength(8);
    expect(audit.slice(4).map((a) => a.details.stored)).toEqual([0, 0, 0, 0]);

    // Deleting the connection deregisters the person at Garmin.
    const revoke = await revokeMessage(handle.db, {
      tenantId,
      userId,
      connectionId: connection.id,
      connector: "garmin",
    });
    expect(await run(vendor, [revoke])).toEqual(["ack"]);
    expect(vendor.registered).toBe(false);
    expect(vendor.log.at(-1)).toBe("DELETE /wellness-api/rest/user/registration");
  });

  it("pulls what Garmin pings (keeping each pulled answer), retries a pull's 5xx, and refuses another person's object", async () => {
    const { userId, connection } = await newPerson();
    const vendor = fakeGarmin("ping", `garmin-${userId}`);
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const pings = vendor.notifications();
    expect(pings).toHaveLength(3);
    const messages = (await Promise.all(pings.map((n) => keepPart(userId, connection.id, n)))).flat();

    vendor.fault({ path: "pull", kind: 503 });
    expect(await run(vendor, messages.slice(0, 1))).toEqual(["retry 30"]);
    expect(await run(vendor, messages)).toEqual(["ack", "ack", "ack"]);
    const data = await stored(userId);
    expect(data.by("steps")).toEqual([0, 1, 2].map((d) => fakeGarminDaily(d).steps));
    expect(data.by("body-weight")).toEqual([0, 1, 2, 3].map((d) => fakeGarminBodyComp(d).weightInGrams / 1000));
    // Each ping's part (kept by the API) and each pulled answer (kept by the Worker).
    expect(await rawCopies(userId)).toBe(3 + 3);
    expect(vendor.log.filter((l) => l.startsWith("GET /wellness-api/rest/dailies?"))).toHaveLength(2);

    // A 429 from a pull queues the push again after Retry-After (audited); an answer we cannot read
    // marks the connection error in plain words.
    vendor.fault({ path: "pull", kind: 429, retryAfter: "90" });
    expect(await run(vendor, messages.slice(0, 1))).toEqual(["ack"]);
    const { rows: limited } = await handle.client.query<{ details: { reason: string; retry_after: number } }>(
      "select details from audit_log where subject_user_id = $1 and action = 'connector.push' and outcome = 'failure'",
      [userId],
    );
    expect(limited.map((r) => [r.details.reason, r.details.retry_after])).toEqual([["rate_limited", 90]]);
    vendor.fault({ path: "pull", kind: "malformed" });
    expect(await run(vendor, messages.slice(0, 1))).toEqual(["ack"]);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "error",
      error: "Garmin sent data we could not read. We will try again at the next scheduled sync.",
    });
    expect((await stored(userId)).by("steps")).toEqual([0, 1, 2].map((d) => fakeGarminDaily(d).steps));

    // A message naming an object of another person is not read.
    const other = await newPerson();
    const forged = { ...messages[0], user_id: other.userId, connection_id: other.connection.id } as ConnectorMessage;
    expect(await run(vendor, [forged])).toEqual(["ack"]);
    expect((await stored(other.userId)).total).toBe(0);
  });
});
