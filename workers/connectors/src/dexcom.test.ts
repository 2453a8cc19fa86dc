/**
 * The Dexcom connector through the connectors Worker in the Workers runtime: the real database, local
 * R2, the real per-user writer and validation pipeline, and Dexcom's local fake
 * (packages/connectors/src/dexcom/fake.ts). It checks what the connector's own tests cannot: that each
 * EGV in mg/dL resolves to the platform's `blood-glucose` variable and is stored in its canonical unit
 * (mmol/L, converted with glucose's molecular weight) with the original value kept, at the record's UTC
 * system time (phone records with an offset, receiver records without); a second sync (3 hours of
 * overlap) stores nothing twice but picks up a late reading; Dexcom's 429 without `Retry-After` waits
 * for its hourly window; deleting a connection deletes its tokens here and sends Dexcom nothing (Dexcom
 * has no revocation endpoint).
 */
import { env } from "cloudflare:workers";
import { type ConnectorMessage, dexcom } from "@dfda/connectors";
import { FakeDexcom, fakeDisplayDevice, fakeGlucose } from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { deleteConnection, getConnection, SYNC_LEASE_MS } from "@dfda/db/repositories/connections";
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
const CLIENT = { clientId: "test-dexcom-client", clientSecret: "test-dexcom-secret" };
// Dexcom's settings beside the test env's (kept here, so the shared vitest config names no vendor but Oura).
// One host serves OAuth and data, as at Dexcom.
const config = configWithVendor(workerEnv, "dexcom", CLIENT, {
  auth: "https://dexcom.fake.test",
  api: "https://dexcom.fake.test",
});
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/dexcom/callback";
/** Glucose's molecular weight (packages/reference, blood-glucose): mg/dL → mmol/L is × 10 / 180.156. */
const GLUCOSE_MW = 180.156;
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Dexcom" })).id;
});
afterAll(async () => {
  await handle?.close();
});

/** Readings every 5 minutes from 00:00 UTC today up to NOW: 144 of them, the 100th without a value. */
const fakeDexcom = () => new FakeDexcom({ ...CLIENT, now: NOW, days: 0 });

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "dexcom", emailPrefix: "d", now: NOW });

const run = (vendor: FakeDexcom, bodies: unknown[]) => runBatch(workerEnv, config, vendor, bodies);

/** The `authorize` message the API's callback queues: the code from the fake's login redirect, sealed. */
const authorizeMessage = (vendor: FakeDexcom, userId: string, connectionId: string) =>
  authorizeMessageOf(config, dexcom, vendor, {
    connectorId: "dexcom",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
  });

const syncMessage = (userId: string, connectionId: string) => syncMessageOf(tenantId, userId, connectionId);

/** The person's observations from the Dexcom source, in time order. */
async function stored(userId: string) {
  const { rows } = await handle.client.query<{
    slug: string;
    value: number;
    unit: string;
    original_value: number | null;
    original_unit: string | null;
    start_at: Date;
  }>(
    `select v.slug, o.value, o.unit, o.original_value, o.original_unit, o.start_at from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'dexcom' and s.kind = 'connector'
     order by o.start_at`,
    [tenantId, userId],
  );
  return rows.map((r) => ({
    slug: r.slug,
    value: Number(r.value),
    unit: r.unit,
    original: r.original_value === null ? null : Number(r.original_value),
    originalUnit: r.original_unit,
    start: r.start_at.toISOString(),
  }));
}

/** Reading i of the fake (5 minutes apart from 00:00 UTC today), as the platform should store it; null without a value. */
function expectedReading(i: number) {
  const mgdl = fakeGlucose(i);
  if (mgdl === null) return null;
  return {
    slug: "blood-glucose",
    value: (mgdl * 10) / GLUCOSE_MW,
    unit: "mmol/L",
    original: mgdl,
    originalUnit: "mg/dL",
    start: new Date(Date.parse("2026-11-20T00:00:00Z") + i * 300_000).toISOString(),
  };
}

function expectReadings(
  got: Awaited<ReturnType<typeof stored>>,
  want: Array<NonNullable<ReturnType<typeof expectedReading>>>,
) {
  expect(got.map(({ value: _, ...rest }) => rest)).toEqual(want.map(({ value: _, ...rest }) => rest));
  got.forEach((row, i) => {
    expect(row.value).toBeCloseTo(want[i]?.value ?? Number.NaN, 9);
  });
}

const allReadings = () => Array.from({ length: 144 }, (_, i) => expectedReading(i)).filter((r) => r !== null);

describe("connectors Worker: Dexcom end to end", () => {
  it("backfills the fake's EGVs as blood glucose in mmol/L; a second sync stores nothing twice; deleting deletes the tokens here and sends Dexcom nothing", async () => {
    const vendor = fakeDexcom();
    const { userId, connection } = await newPerson();
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);

    // Phone (offset) and receiver (no offset) records alike, at their UTC system time.
    expect([fakeDisplayDevice(0), fakeDisplayDevice(1)]).toEqual(["iOS", "receiver"]);
    const expected = allReadings();
    expect(expected).toHaveLength(143); // reading 99 has no value: nothing to import
    expectReadings(await stored(userId), expected);
    // A 90-day backfill in 30-day windows: three /egvs requests after the token exchange.
    expect(vendor.log.filter((l) => l.startsWith("GET /v3/users/self/egvs"))).toHaveLength(3);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      error: null,
      importedCount: 143,
      syncCursor: { egvs: "2026-11-20T11:55:00.000Z" },
    });

    // Again, with a reading the receiver uploaded late (within the 3-hour overlap): only it is new.
    vendor.addLateReading("2026-11-20T10:02:30", 144);
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    const late = {
      slug: "blood-glucose",
      value: 1440 / GLUCOSE_MW,
      unit: "mmol/L",
      original: 144,
      originalUnit: "mg/dL",
      start: "2026-11-20T10:02:30.000Z",
    };
    expectReadings(
      await stored(userId),
      [...expected, late].sort((a, b) => a.start.localeCompare(b.start)),
    );
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(144);

    // DELETE /v1/me/connections/{id}: the row and its sealed tokens are deleted here, and the revoke
    // message the API queues reaches the Worker, which has nothing to call at Dexcom.
    const gone = await deleteConnection(handle.db, tenantId, userId, connection.id);
    if (gone?.encryptedTokens == null || gone.wrappedKey === null || gone.keyVersion === null) {
      throw new Error("no tokens");
    }
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toBeNull();
    const { rows } = await handle.client.query("select 1 from connector_connections where id = $1", [connection.id]);
    expect(rows).toHaveLength(0);
    const requests = vendor.log.length;
    const revoke: ConnectorMessage = {
      v: 1,
      type: "revoke",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connection.id,
      connector: "dexcom",
      encrypted_tokens: gone.encryptedTokens,
      wrapped_key: gone.wrappedKey,
      key_version: gone.keyVersion,
    };
    expect(await run(vendor, [revoke])).toEqual(["ack"]);
    expect(vendor.log).toHaveLength(requests);
  });

  it("Dexcom's 429 without Retry-After queues the sync again after its hourly window, nothing lost", async () => {
    const vendor = fakeDexcom();
    const { userId, connection } = await newPerson();
    // The third 30-day window holds the readings: the first two are answered empty, then Dexcom says no.
    vendor.fault({ path: "egvs", kind: "empty", times: 2 });
    vendor.fault({ path: "egvs", kind: 429 });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    // Dexcom documents no Retry-After: its window (60,000 requests an hour) is waited for, plus the lease.
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "syncing",
      error: null,
      importedCount: 0,
      nextSyncAt: new Date(NOW.getTime() + 3_600_000 + SYNC_LEASE_MS),
    });
    expect(await stored(userId)).toEqual([]);

    // The delayed message continues after the two windows it did import (empty, and over before the
    // overlap): from 3 hours before the second one's end, 30 days and 3 hours in two requests, not
    // the three 30-day windows of a new start; everything comes in once.
    const from = vendor.log.length;
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect(vendor.log.slice(from).filter((l) => l.includes("/v3/users/self/egvs"))).toHaveLength(2);
    expectReadings(await stored(userId), allReadings());
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      importedCount: 143,
    });
  });
});
