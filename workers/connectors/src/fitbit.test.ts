/**
 * The Fitbit connector through the connectors Worker in the Workers runtime: the real database, local
 * R2, the real per-user writer and validation pipeline, and Fitbit's local fake
 * (packages/connectors/src/fitbit/fake.ts). It checks what the connector's own tests cannot: that each
 * mapped value resolves to the platform's variable (heart rate, resting heart rate, steps, sleep and its
 * stages, body weight, BMI, body fat, SpO2) in its canonical unit (Fitbit's minutes asleep become hours),
 * at the UTC instant of the person's local wall-clock time (Europe/Berlin, UTC+1 in November); a second
 * sync (2 local days of overlap) stores nothing twice but picks up a late sample; a 429 carrying only
 * `Fitbit-Rate-Limit-Reset` queues the sync again after it, nothing lost; revoke reaches Fitbit.
 */
import { env } from "cloudflare:workers";
import { type ConnectorMessage, fitbit } from "@dfda/connectors";
import {
  FAKE_FITBIT_USER_ID,
  FakeFitbit,
  fakeFitbitBpm,
  fakeFitbitFat,
  fakeFitbitResting,
  fakeFitbitSleep,
  fakeFitbitSpo2,
  fakeFitbitSteps,
  fakeFitbitWeight,
} from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import {
  connectionsOfVendorUser,
  deleteConnection,
  getConnection,
  SYNC_LEASE_MS,
} from "@dfda/db/repositories/connections";
import { createTenant } from "@dfda/db/repositories/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorsEnv } from "../worker-configuration";
import {
  authorizeMessage as authorizeMessageOf,
  configWithVendor,
  newPerson as newPersonOf,
  runBatch,
  syncMessage as syncMessageOf,
} from "./test-support";

const workerEnv = env as unknown as ConnectorsEnv;
const CLIENT = { clientId: "test-fitbit-client", clientSecret: "test-fitbit-secret" };
// Fitbit's settings beside the test env's (kept here, so the shared vitest config names no vendor but Oura).
const config = configWithVendor(workerEnv, "fitbit", CLIENT, {
  auth: "https://www.fitbit.fake.test",
  api: "https://api.fitbit.fake.test",
});
/** 12:00 UTC is 13:00 for the person (Europe/Berlin, UTC+1): their today is 2026-11-20, data from 2026-11-17. */
const NOW = new Date("2026-11-20T12:00:00Z");
const OFFSET_MS = 3_600_000;
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/fitbit/callback";
/** An RFC 7636 §4.1 verifier and its S256 challenge (RFC 7636 Appendix B). */
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Fitbit" })).id;
});
afterAll(async () => {
  await handle?.close();
});

function fakeFitbit() {
  return new FakeFitbit({
    ...CLIENT,
    now: NOW,
    offsetMs: OFFSET_MS,
    timezone: "Europe/Berlin",
    days: 3,
    heartRateEveryMinutes: 60,
    pageSize: 2,
  });
}

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "fitbit", emailPrefix: "f", now: NOW });

const run = (vendor: FakeFitbit, bodies: unknown[]) => runBatch(workerEnv, config, vendor, bodies);

/** The `authorize` message the API's callback queues: the code from the fake's login redirect, sealed. */
const authorizeMessage = (vendor: FakeFitbit, userId: string, connectionId: string) =>
  authorizeMessageOf(config, fitbit, vendor, {
    connectorId: "fitbit",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
    pkce: { verifier: VERIFIER, challenge: CHALLENGE },
  });

const syncMessage = (userId: string, connectionId: string) => syncMessageOf(tenantId, userId, connectionId);

/** Where the API takes Fitbit's notifications, and the Worker's config that subscribes people to them. */
const SUBSCRIBER_URL = "https://api.example.org/v1/connectors/fitbit/webhook";
const webhookConfig = configWithVendor(
  workerEnv,
  "fitbit",
  CLIENT,
  { auth: "https://www.fitbit.fake.test", api: "https://api.fitbit.fake.test" },
  { CONNECTOR_WEBHOOK_ORIGIN: "https://api.example.org", CONNECTOR_WEBHOOK_SUBSCRIBER_IDS: '{"fitbit":"1"}' },
);

interface Row {
  slug: string;
  value: number;
  unit: string;
  start: string;
  end: string | null;
}

/** The person's observations from the Fitbit source, in a fixed order (start, slug, value). */
async function stored(userId: string): Promise<Row[]> {
  const { rows } = await handle.client.query<{
    slug: string;
    value: number;
    unit: string;
    start_at: Date;
    end_at: Date | null;
  }>(
    `select v.slug, o.value, o.unit, o.start_at, o.end_at from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'fitbit' and s.kind = 'connector'`,
    [tenantId, userId],
  );
  return sorted(
    rows.map((r) => ({
      slug: r.slug,
      value: Number(Number(r.value).toFixed(9)),
      unit: r.unit,
      start: r.start_at.toISOString(),
      end: r.end_at?.toISOString() ?? null,
    })),
  );
}

const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => a.start.localeCompare(b.start) || a.slug.localeCompare(b.slug) || a.value - b.value);

/** A local (Europe/Berlin, UTC+1 in November) wall-clock time as its UTC instant. */
const utc = (local: string) => new Date(Date.parse(`${local}Z`) - OFFSET_MS).toISOString();
const DAYS = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Every value the fake holds at NOW, as the platform should store it. */
function expectedRows(): Row[] {
  const rows: Row[] = [];
  const row = (slug: string, value: number, unit: string, start: string, end: string | null = null) =>
    rows.push({ slug, value: Number(value.toFixed(9)), unit, start, end });
  DAYS.forEach((day, d) => {
    const today = d === 3;
    const whole = { start: utc(`${day}T00:00:00`), end: utc(`${DAYS[d + 1] ?? "2026-11-21"}T00:00:00`) };
    // Hourly samples, up to 13:00 local today.
    for (let h = 0; h < (today ? 13 : 24); h++) {
      row("heart-rate", fakeFitbitBpm(d, h), "/min", utc(`${day}T${pad(h)}:00:00`));
    }
    // A day not over yet has no resting heart rate or final step count.
    if (!today) {
      row("resting-heart-rate", fakeFitbitResting(d), "/min", whole.start, whole.end);
      row("steps", fakeFitbitSteps(d), "{steps}", whole.start, whole.end);
    }
    if (d % 2 === 0) {
      const at = utc(`${day}T07:15:00`);
      row("body-weight", fakeFitbitWeight(d).weight, "kg", at);
      row("body-mass-index", fakeFitbitWeight(d).bmi, "kg/m2", at);
      row("body-fat-percentage", fakeFitbitFat(d), "%", at);
    }
    const spo2 = fakeFitbitSpo2(d);
    if (spo2 !== null) row("oxygen-saturation", spo2, "%", whole.start, whole.end);
    if (d >= 1) {
      // The night from 23:00 local the day before to 06:30: minutes asleep become hours (the variable's unit).
      const s = fakeFitbitSleep(d);
      const start = utc(`${DAYS[d - 1]}T23:00:00`);
      const end = utc(`${day}T06:30:00`);
      row("sleep-duration", s.asleep / 60, "h", start, end);
      row("deep-sleep-duration", s.deep, "min", start, end);
      row("light-sleep-duration", s.light, "min", start, end);
      row("rem-sleep-duration", s.rem, "min", start, end);
    }
  });
  return sorted(rows);
}

describe("connectors Worker: Fitbit end to end", () => {
  it("backfills the fake's exact values into the platform's variables in their units; a second sync stores nothing twice; revoke reaches Fitbit", async () => {
    const vendor = fakeFitbit();
    const { userId, connection } = await newPerson();
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);

    const expected = expectedRows();
    // 85 heart rates, 3 resting, 3 daily steps, 2 weighings (weight, BMI, fat), 4 SpO2, 3 nights of 4.
    expect(expected).toHaveLength(85 + 3 + 3 + 6 + 4 + 12);
    expect(await stored(userId)).toEqual(expected);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      error: null,
      importedCount: expected.length,
      // The last local day over (yesterday) for the ranged endpoints; the last night for the sleep list.
      syncCursor: {
        heart: "2026-11-19",
        steps: "2026-11-19",
        weight: "2026-11-19",
        fat: "2026-11-19",
        spo2: "2026-11-19",
        sleep: "2026-11-20",
      },
    });

    // Again, with a sample the tracker uploaded late (yesterday): the overlap brings it, and only it, in.
    vendor.addHeartRate("2026-11-19", "12:30:00", 77);
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect(await stored(userId)).toEqual(
      sorted([
        ...expected,
        { slug: "heart-rate", value: 77, unit: "/min", start: utc("2026-11-19T12:30:00"), end: null },
      ]),
    );
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(expected.length + 1);

    // DELETE /v1/me/connections/{id} deletes the row and queues its sealed tokens for revocation.
    const gone = await deleteConnection(handle.db, tenantId, userId, connection.id);
    if (gone?.encryptedTokens == null || gone.wrappedKey === null || gone.keyVersion === null) {
      throw new Error("no tokens");
    }
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toBeNull();
    expect(vendor.liveTokens).toBe(1);
    const revoke: ConnectorMessage = {
      v: 1,
      type: "revoke",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connection.id,
      connector: "fitbit",
      encrypted_tokens: gone.encryptedTokens,
      wrapped_key: gone.wrappedKey,
      key_version: gone.keyVersion,
    };
    expect(await run(vendor, [revoke])).toEqual(["ack"]);
    expect(vendor.log.at(-1)).toBe("POST /oauth2/revoke");
    expect(vendor.liveTokens).toBe(0);
  });

  it("a 429 with only Fitbit-Rate-Limit-Reset queues the sync again after it; what came before is kept, nothing lost or doubled", async () => {
    const vendor = fakeFitbit();
    const { userId, connection } = await newPerson();
    // The sleep list comes last: every ranged endpoint's pages are stored before Fitbit says no.
    vendor.fault({ path: "sleep", kind: "reset-only" });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const expected = expectedRows();
    const beforeSleep = expected.filter((r) => !r.slug.includes("sleep"));
    expect(await stored(userId)).toEqual(beforeSleep);
    // Fitbit-Rate-Limit-Reset: 900 seconds; the lease keeps the Cron from queueing a second sync meanwhile.
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "syncing",
      error: null,
      importedCount: beforeSleep.length,
      nextSyncAt: new Date(NOW.getTime() + 900_000 + SYNC_LEASE_MS),
    });

    // The delayed message: everything is asked for again, the stored part skipped as duplicates.
    vendor.resetRateLimit();
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect(await stored(userId)).toEqual(expected);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      importedCount: expected.length,
    });
  });

  it("subscribes after connecting; a signed notification becomes a sync that imports the new values; disconnecting unsubscribes", async () => {
    const vendor = fakeFitbit();
    const { userId, connection } = await newPerson();
    const runWithWebhooks = (bodies: unknown[]) => runBatch(workerEnv, webhookConfig, vendor, bodies);
    const authorize = await authorizeMessageOf(webhookConfig, fitbit, vendor, {
      connectorId: "fitbit",
      redirectUri: REDIRECT,
      tenantId,
      userId,
      connectionId: connection.id,
      pkce: { verifier: VERIFIER, challenge: CHALLENGE },
    });
    expect(await runWithWebhooks([authorize])).toEqual(["ack"]);
    // The token response's user_id is the connection's vendor user; each collection is subscribed.
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.externalUserId).toBe(FAKE_FITBIT_USER_ID);
    expect(vendor.subscriptions).toEqual(
      ["activities", "body", "sleep"].map((c) => ({
        collectionType: c,
        subscriptionId: `${FAKE_FITBIT_USER_ID}-${c}`,
        subscriberId: "1",
      })),
    );
    const before = (await stored(userId)).length;
    expect(before).toBe(expectedRows().length);

    // The tracker syncs a new sample; Fitbit notifies the subscriber, signed with the client secret.
    vendor.now = new Date(NOW.getTime() + 30 * 60_000);
    vendor.addHeartRate("2026-11-20", "13:10:00", 93);
    const notification = await vendor.notification(SUBSCRIBER_URL, ["activities"], "2026-11-20");
    if (notification === null) throw new Error("Fitbit notifies the activities subscription");
    const body = await notification.text();
    // What the API's webhook route does (workers/api/src/routes/v1_connectors_webhook.ts): verify, match.
    const webhook = fitbit.webhook;
    if (webhook === undefined) throw new Error("Fitbit takes notifications");
    expect(
      await webhook.verify(notification.headers, body, CLIENT.clientSecret, {
        url: new URL(notification.url),
        clientId: undefined,
      }),
    ).toBe(true);
    expect(webhook.vendorUserIds(body)).toEqual([FAKE_FITBIT_USER_ID]);
    expect(await connectionsOfVendorUser(handle.db, "fitbit", FAKE_FITBIT_USER_ID)).toContainEqual({
      id: connection.id,
      tenantId,
      userId,
    });
    const notified: ConnectorMessage = {
      v: 1,
      type: "sync",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connection.id,
      reason: "notified",
    };
    expect(await runWithWebhooks([notified])).toEqual(["ack"]);
    const after = await stored(userId);
    expect(after.filter((r) => r.start === utc("2026-11-20T13:10:00"))).toEqual([
      { slug: "heart-rate", value: 93, unit: "/min", start: utc("2026-11-20T13:10:00"), end: null },
    ]);
    // The 13:00 hourly sample is new too (the fake's clock moved past it): two new rows, nothing doubled.
    expect(after).toHaveLength(before + 2);

    const gone = await deleteConnection(handle.db, tenantId, userId, connection.id);
    if (gone?.encryptedTokens == null || gone.wrappedKey === null || gone.keyVersion === null) {
      throw new Error("no tokens");
    }
    const revoke: ConnectorMessage = {
      v: 1,
      type: "revoke",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connection.id,
      connector: "fitbit",
      encrypted_tokens: gone.encryptedTokens,
      wrapped_key: gone.wrappedKey,
      key_version: gone.keyVersion,
    };
    expect(await runWithWebhooks([revoke])).toEqual(["ack"]);
    expect(vendor.subscriptions).toEqual([]);
    expect(vendor.log.slice(-4)).toEqual([
      "DELETE /1/user/-/activities/apiSubscriptions/FAKE01-activities.json",
      "DELETE /1/user/-/body/apiSubscriptions/FAKE01-body.json",
      "DELETE /1/user/-/sleep/apiSubscriptions/FAKE01-sleep.json",
      "POST /oauth2/revoke",
    ]);
    expect(vendor.liveTokens).toBe(0);
  });
});
