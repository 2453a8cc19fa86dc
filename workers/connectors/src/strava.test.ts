/**
 * The Strava connector through the connectors Worker in the Workers runtime: the real database, local
 * R2, the real per-user writer and validation pipeline, and Strava's local fake
 * (packages/connectors/src/strava/fake.ts). It checks what the connector's own tests cannot: that each
 * mapped activity resolves to the platform's variables (workout duration, walking+running, cycling and
 * swimming distance, heart rate) and that the units Strava documents (s, m, beats per minute) are
 * converted to theirs exactly; a second sync (7 days of overlap) stores nothing twice; Strava's 429
 * without Retry-After waits for its 15-minute window.
 */
import { env } from "cloudflare:workers";
import { strava } from "@dfda/connectors";
import { FakeStrava } from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { getConnection, SYNC_LEASE_MS } from "@dfda/db/repositories/connections";
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
const CLIENT = { clientId: "test-strava-client", clientSecret: "test-strava-secret" };
// Strava's settings beside the test env's (kept here, so the shared vitest config names no vendor but Oura).
const config = configWithVendor(workerEnv, "strava", CLIENT, {
  auth: "https://strava.fake.test",
  api: "https://strava.fake.test",
});
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/strava/callback";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Strava" })).id;
});
afterAll(async () => {
  await handle?.close();
});

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "strava", emailPrefix: "s", now: NOW });

const run = (vendor: FakeStrava, bodies: unknown[]) => runBatch(workerEnv, config, vendor, bodies);

const authorizeMessage = (vendor: FakeStrava, userId: string, connectionId: string) =>
  authorizeMessageOf(config, strava, vendor, {
    connectorId: "strava",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
  });

const syncMessage = (userId: string, connectionId: string) => syncMessageOf(tenantId, userId, connectionId);

/** The person's observations from the Strava source: slug, value, unit, original value and unit, span. */
async function stored(userId: string) {
  const { rows } = await handle.client.query<{
    slug: string;
    value: number;
    unit: string;
    original_value: number | null;
    original_unit: string | null;
    start_at: Date;
    end_at: Date | null;
  }>(
    `select v.slug, o.value, o.unit, o.original_value, o.original_unit, o.start_at, o.end_at from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'strava' and s.kind = 'connector'
     order by o.start_at, v.slug`,
    [tenantId, userId],
  );
  return rows.map((r) => ({
    slug: r.slug,
    value: Number(r.value),
    unit: r.unit,
    start: r.start_at.toISOString(),
    end: r.end_at?.toISOString() ?? null,
  }));
}

describe("connectors Worker: Strava end to end", () => {
  it("backfills activities into the platform's variables in its units; a second sync stores nothing twice", async () => {
    const vendor = new FakeStrava({ ...CLIENT, now: NOW, days: 9 });
    const { userId, connection } = await newPerson();
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);

    const activities = vendor.activities().reverse();
    expect(activities.map((a) => a.sport_type)).toEqual([
      "Run",
      "Ride",
      "Swim",
      "WeightTraining",
      "Walk",
      "Run",
      "Ride",
      "Swim",
      "WeightTraining",
      "Walk",
    ]);
    const expected = activities.flatMap((a) => {
      const start = new Date(a.start_date).toISOString();
      const end = new Date(Date.parse(a.start_date) + a.elapsed_time * 1000).toISOString();
      const distance = {
        Run: ["walking-running-distance", a.distance / 1000, "km"],
        Walk: ["walking-running-distance", a.distance / 1000, "km"],
        Ride: ["cycling-distance", a.distance / 1000, "km"],
        Swim: ["swimming-distance", a.distance, "m"],
      }[a.sport_type];
      const rows = [
        { slug: "workout-duration", value: a.moving_time / 60, unit: "min", start, end },
        ...(distance === undefined
          ? []
          : [{ slug: String(distance[0]), value: Number(distance[1]), unit: String(distance[2]), start, end }]),
        ...(a.average_heartrate === undefined
          ? []
          : [{ slug: "heart-rate", value: a.average_heartrate, unit: "/min", start, end }]),
      ];
      return rows.sort((x, y) => x.slug.localeCompare(y.slug));
    });
    const got = await stored(userId);
    expect(got.map((r) => ({ ...r, value: Number(r.value.toFixed(9)) }))).toEqual(
      expected.map((r) => ({ ...r, value: Number(r.value.toFixed(9)) })),
    );
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      error: null,
      importedCount: expected.length,
      syncCursor: { activities: new Date(activities.at(-1)?.start_date ?? "").toISOString() },
    });

    // Again: 7 days of overlap are fetched again, and nothing is stored twice.
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect(await stored(userId)).toHaveLength(expected.length);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(expected.length);
  });

  it("Strava's 429 without Retry-After queues the sync again at its next 15-minute window, nothing lost", async () => {
    const vendor = new FakeStrava({ ...CLIENT, now: NOW, days: 2 });
    const { userId, connection } = await newPerson();
    vendor.fault({ path: "activities", kind: 429 });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    // 12:00:00 → Strava's window resets at 12:15: the delayed message then continues the sync.
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "syncing",
      error: null,
      nextSyncAt: new Date(NOW.getTime() + 900_000 + SYNC_LEASE_MS),
    });
    expect(await stored(userId)).toEqual([]);
    await run(vendor, [syncMessage(userId, connection.id)]);
    // Three activities (Run, Ride, Swim), each with duration, distance and average heart rate.
    expect(await stored(userId)).toHaveLength(9);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("active");
  });
});
