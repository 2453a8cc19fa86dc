/**
 * The Withings connector through the connectors Worker in the Workers runtime, against the real database,
 * the real per-user writer (the bundled ingest Worker) and Withings' local fake
 * (packages/connectors/src/withings/fake.ts): the mapped values pass the real validation pipeline and are
 * stored in the variables' units (sleep seconds become hours and minutes), a second sync imports nothing
 * new, and revocation (a signed `action=revoke` with the stored `userid`) reaches the vendor. The Worker's
 * config is parsed here with Withings' client, so the shared test bindings stay Oura's.
 */
import { env } from "cloudflare:workers";
import { type ConnectorMessage, webhookToken, withings } from "@dfda/connectors";
import {
  FakeWithings,
  fakeWithingsBloodPressure,
  fakeWithingsCalories,
  fakeWithingsSleep,
  fakeWithingsSpo2,
  fakeWithingsSteps,
  fakeWithingsWeightGrams,
} from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { connectionsOfVendorUser, getConnection } from "@dfda/db/repositories/connections";
import { createTenant } from "@dfda/db/repositories/identity";
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

const CLIENT = { id: "test-withings-client", secret: "test-withings-secret" };
const workerEnv = env as unknown as ConnectorsEnv;
const config = configWithVendor(
  workerEnv,
  "withings",
  { clientId: CLIENT.id, clientSecret: CLIENT.secret },
  { auth: "https://account.withings.fake.test", api: "https://wbsapi.withings.fake.test" },
);
const NOW = new Date("2026-11-20T12:00:00Z");
const WEBHOOK_SECRET = "test-withings-webhook-secret";
/** The Worker's config that subscribes people to Withings' notifications at the API's URL. */
const webhookConfig = configWithVendor(
  workerEnv,
  "withings",
  { clientId: CLIENT.id, clientSecret: CLIENT.secret },
  { auth: "https://account.withings.fake.test", api: "https://wbsapi.withings.fake.test" },
  {
    CONNECTOR_WEBHOOK_ORIGIN: "https://api.example.org",
    CONNECTOR_WEBHOOK_SECRETS: JSON.stringify({ withings: WEBHOOK_SECRET }),
  },
);

/** The API's answer to Withings' HEAD check of the callback URL (`webhook.check` with the API's keys). */
async function apiCheck(request: Request): Promise<Response> {
  const check = withings.webhook?.check;
  if (check === undefined) throw new Error("Withings checks its callback URL");
  const answer = await check(new URL(request.url), { secret: WEBHOOK_SECRET, verificationCode: undefined });
  return new Response(null, { status: answer.ok ? 204 : 404 });
}
const REDIRECT = "https://api.example.org/v1/connectors/withings/callback";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Withings" })).id;
});
afterAll(async () => {
  await handle?.close();
});

function fakeWithings() {
  return new FakeWithings({ clientId: CLIENT.id, clientSecret: CLIENT.secret, now: NOW, days: 3, pageSize: 5 });
}

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "withings", emailPrefix: "w", now: NOW });

const run = (vendor: FakeWithings, bodies: unknown[]) => runBatch(workerEnv, config, vendor, bodies);

/** The `authorize` message the API's callback queues: the code from the fake's redirect, sealed. */
const authorizeMessage = (vendor: FakeWithings, userId: string, connectionId: string) =>
  authorizeMessageOf(config, withings, vendor, {
    connectorId: "withings",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
  });

/** The person's observations from the Withings source, per variable slug, in time order. */
async function stored(userId: string) {
  const { rows } = await handle.client.query<{ slug: string; value: number; start_at: Date }>(
    `select v.slug, o.value, o.start_at from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'withings' and s.kind = 'connector'
     order by v.slug, o.start_at`,
    [tenantId, userId],
  );
  const by = (slug: string) => rows.filter((r) => r.slug === slug).map((r) => Number(r.value));
  return { total: rows.length, by, rows };
}

describe("connectors Worker: Withings end to end", () => {
  it("connects, backfills the fake's exact values in the variables' units; a second sync imports nothing; revoke reaches Withings", async () => {
    const vendor = fakeWithings();
    const { userId, connection } = await newPerson();
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);

    const data = await stored(userId);
    const days = [0, 1, 2, 3];
    expect(data.by("body-weight")).toEqual(days.map((d) => fakeWithingsWeightGrams(d) / 1000));
    expect(data.by("body-fat-percentage")).toEqual([22, 22.1, 22.2, 22.3]);
    expect(data.by("systolic-blood-pressure")).toEqual(days.map((d) => fakeWithingsBloodPressure(d).systolic));
    expect(data.by("diastolic-blood-pressure")).toEqual(days.map((d) => fakeWithingsBloodPressure(d).diastolic));
    expect(data.by("heart-rate")).toEqual(days.map((d) => fakeWithingsBloodPressure(d).pulse));
    expect(data.by("oxygen-saturation")).toEqual(days.map(fakeWithingsSpo2));
    expect(data.by("body-temperature")).toEqual([36.8, 37]);
    // Today's local day is not over: 3 days of steps.
    expect(data.by("steps")).toEqual([0, 1, 2].map(fakeWithingsSteps));
    expect(data.by("active-energy-burned")).toEqual([0, 1, 2].map(fakeWithingsCalories));
    // Seconds, converted by the platform: hours of sleep, minutes of each stage.
    const hours = data.by("sleep-duration");
    expect(hours).toHaveLength(4);
    hours.forEach((h, d) => {
      expect(h).toBeCloseTo(fakeWithingsSleep(d).total_sleep_time / 3600, 9);
    });
    expect(data.by("deep-sleep-duration")).toEqual(days.map((d) => fakeWithingsSleep(d).deepsleepduration / 60));
    expect(data.by("rem-sleep-duration")).toEqual(days.map((d) => fakeWithingsSleep(d).remsleepduration / 60));
    expect(data.by("light-sleep-duration")).toEqual(days.map(() => 240));
    expect(data.total).toBe(26 + 6 + 16);

    const after = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(after).toMatchObject({
      status: "active",
      error: null,
      importedCount: 48,
      syncCursor: { measure: String(NOW.getTime() / 1000), activity: "2026-11-19", sleep: "2026-11-20" },
    });

    const sync = syncMessage(tenantId, userId, connection.id);
    expect(await run(vendor, [sync])).toEqual(["ack"]);
    expect((await stored(userId)).total).toBe(48);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(48);

    const revoke = await revokeMessage(handle.db, {
      tenantId,
      userId,
      connectionId: connection.id,
      connector: "withings",
    });
    expect(vendor.liveTokens).toBe(1);
    expect(await run(vendor, [revoke])).toEqual(["ack"]);
    expect(vendor.liveTokens).toBe(0);
  });

  it("subscribes after connecting; Withings' notification becomes a sync that imports the new measure; disconnecting revokes the subscriptions", async () => {
    const vendor = new FakeWithings({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      now: NOW,
      days: 3,
      pageSize: 5,
      callbacks: apiCheck,
    });
    const { userId, connection } = await newPerson();
    const runWithWebhooks = (bodies: unknown[]) => runBatch(workerEnv, webhookConfig, vendor, bodies);
    const authorize = await authorizeMessageOf(webhookConfig, withings, vendor, {
      connectorId: "withings",
      redirectUri: REDIRECT,
      tenantId,
      userId,
      connectionId: connection.id,
    });
    expect(await runWithWebhooks([authorize])).toEqual(["ack"]);
    const token = await webhookToken(WEBHOOK_SECRET, "withings");
    const callbackurl = `https://api.example.org/v1/connectors/withings/webhook?token=${token}`;
    expect(vendor.subscriptions.map((s) => [s.appli, s.callbackurl])).toEqual(
      [1, 2, 4, 16, 44].map((appli) => [appli, callbackurl]),
    );
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.externalUserId).toBe("4242");
    expect((await stored(userId)).total).toBe(48);

    // The scale uploads a weigh-in; Withings notifies (form-encoded, unsigned, at the URL with the token).
    const nowS = NOW.getTime() / 1000;
    vendor.now = new Date(NOW.getTime() + 30 * 60_000);
    vendor.addMeasure(nowS + 600, nowS + 660, [{ type: 1, value: 79_321, unit: -3 }]);
    const [notification] = vendor.notifications(1, nowS + 600, nowS + 600);
    if (notification === undefined) throw new Error("Withings notifies the weight subscription");
    const body = await notification.text();
    // What the API's webhook route does: the token in the URL, then the named user's connections.
    const webhook = withings.webhook;
    if (webhook === undefined) throw new Error("Withings takes notifications");
    expect(
      await webhook.verify(notification.headers, body, WEBHOOK_SECRET, {
        url: new URL(notification.url),
        clientId: undefined,
      }),
    ).toBe(true);
    expect(webhook.vendorUserIds(body)).toEqual(["4242"]);
    expect(await connectionsOfVendorUser(handle.db, "withings", "4242")).toContainEqual({
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
    const data = await stored(userId);
    expect(data.by("body-weight").at(-1)).toBe(79.321);
    expect(data.total).toBe(49);

    const revoke = await revokeMessage(handle.db, {
      tenantId,
      userId,
      connectionId: connection.id,
      connector: "withings",
    });
    // Three hours on, the access token has expired: it is refreshed once to revoke the subscriptions.
    vendor.now = new Date(NOW.getTime() + 4 * 3600_000);
    expect(await runWithWebhooks([revoke])).toEqual(["ack"]);
    expect(vendor.subscriptions).toEqual([]);
    expect(vendor.liveTokens).toBe(0);
  });

  it("a subscription Withings refuses (the callback URL fails its check) is audited; the connection syncs anyway", async () => {
    const vendor = new FakeWithings({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      now: NOW,
      days: 3,
      pageSize: 5,
      callbacks: async () => new Response(null, { status: 404 }),
    });
    const { userId, connection } = await newPerson();
    const authorize = await authorizeMessageOf(webhookConfig, withings, vendor, {
      connectorId: "withings",
      redirectUri: REDIRECT,
      tenantId,
      userId,
      connectionId: connection.id,
    });
    expect(await runBatch(workerEnv, webhookConfig, vendor, [authorize])).toEqual(["ack"]);
    expect(vendor.subscriptions).toEqual([]);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      importedCount: 48,
    });
    const { rows } = await handle.client.query<{ outcome: string; details: Record<string, unknown> }>(
      "select outcome, details from audit_log where subject_user_id = $1 and action = 'connector.subscribed'",
      [userId],
    );
    expect(rows).toEqual([{ outcome: "failure", details: { connector: "withings", reason: "malformed" } }]);
  });
});
