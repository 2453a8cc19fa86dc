/**
 * The Withings connector through the connectors Worker in the Workers runtime, against the real database,
 * the real per-user writer (the bundled ingest Worker) and Withings' local fake
 * (packages/connectors/src/withings/fake.ts): the mapped values pass the real validation pipeline and are
 * stored in the variables' units (sleep seconds become hours and minutes), a second sync imports nothing
 * new, and revocation (a signed `action=revoke` with the stored `userid`) reaches the vendor. The Worker's
 * config is parsed here with Withings' client, so the shared test bindings stay Oura's.
 */
import { env } from "cloudflare:workers";
import { withings } from "@dfda/connectors";
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
import { getConnection } from "@dfda/db/repositories/connections";
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
});
