/**
 * Application quotas in the Workers runtime (docs/connectors.md, "Quotas"): the real `VendorQuota`
 * Durable Object this Worker hosts, and syncs of several connections of one Strava application against
 * Strava's local fake, on the fake's clock. Together the connections never make more requests than the
 * application's window has left (counted in the fake's log); a refused sync keeps what it imported,
 * stops with more to come, and is due exactly when the window opens again (queued with that delay, or
 * left to the Cron when the wait is longer than a queue delay reaches); what a sync took and did not
 * spend is given back for the next connection.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { STRAVA, strava, vendorQuotaName } from "@dfda/connectors";
import { FakeStrava } from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { claimDueConnections, getConnection, SYNC_LEASE_MS } from "@dfda/db/repositories/connections";
import { createTenant } from "@dfda/db/repositories/identity";
import type { VendorQuota } from "@dfda/vendor-quota";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { ConnectorsEnv } from "../worker-configuration";
import { QuotaGate, type QuotaStub } from "./quota";
import {
  authorizeMessage as authorizeMessageOf,
  configWithVendor,
  newPerson as newPersonOf,
  runBatch,
  syncMessage as syncMessageOf,
} from "./test-support";

const workerEnv = env as unknown as ConnectorsEnv;
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/strava/callback";
const WINDOWS = STRAVA.app_rate_limit ?? [];
const ACTIVITIES = "GET /api/v3/athlete/activities";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Quotas" })).id;
});
afterAll(async () => {
  await handle?.close();
});

/** A Strava application of its own for each test (a quota object per connector and client id). */
function application() {
  const client = { clientId: `quota-${uuidv7()}`, clientSecret: "test-strava-secret" };
  const config = configWithVendor(workerEnv, "strava", client, {
    auth: "https://strava.fake.test",
    api: "https://strava.fake.test",
  });
  const quota = workerEnv.VENDOR_QUOTA.get(
    workerEnv.VENDOR_QUOTA.idFromName(vendorQuotaName("strava", client.clientId)),
  );
  return { client, config, quota };
}

/** Everything queued on the connectors queue from now on, recorded instead of sent (no delivery after the test). */
function queued(): () => Array<{ body: unknown; delaySeconds: number | undefined }> {
  const sent: Array<{ body: unknown; delaySeconds: number | undefined }> = [];
  const spy = vi.spyOn(workerEnv.CONNECTORS_QUEUE, "send").mockImplementation(async (body, options) => {
    sent.push({ body, delaySeconds: options?.delaySeconds });
    return { metadata: { metrics: { backlogCount: sent.length, backlogBytes: 0 } } };
  });
  onTestFinished(() => spy.mockRestore());
  return () => sent;
}

describe("the VendorQuota Durable Object", () => {
  it("grants what the windows have left, stores the count, takes back what was not spent, refuses a malformed ask", async () => {
    const { quota } = application();
    const t = NOW.getTime();
    expect(await quota.acquire({ windows: WINDOWS, asked: 60, now: t })).toEqual({
      granted: 60,
      granted_at: t,
      retry_at: null,
    });
    expect(await quota.acquire({ windows: WINDOWS, asked: 60, now: t + 1000 })).toEqual({
      granted: 40,
      granted_at: t + 1000,
      retry_at: Date.parse("2026-11-20T12:15:00Z"),
    });
    await quota.release({ windows: WINDOWS, count: 10, granted_at: t + 1000 });
    // The count is in the object's storage (what survives its eviction), per window.
    const stored = await runInDurableObject(quota, (_: VendorQuota, state) => state.storage.get("state"));
    expect(stored).toEqual({
      now: t + 1000,
      counts: {
        "fixed:900": { [String(Math.floor(t / 900_000))]: 90 },
        "fixed:86400": { [String(Math.floor(t / 86_400_000))]: 90 },
      },
    });
    // A clock behind the latest one seen does not reopen a window.
    expect(await quota.acquire({ windows: WINDOWS, asked: 20, now: t - 3_600_000 })).toMatchObject({ granted: 10 });
    // Fail closed: nothing granted to a question that does not parse.
    const malformed = { windows: [], asked: 5, now: t } as unknown as Parameters<typeof quota.acquire>[0];
    expect(await quota.acquire(malformed)).toMatchObject({ granted: 0 });
    // Another application (another client id) counts on its own.
    expect(await application().quota.acquire({ windows: WINDOWS, asked: 100, now: t })).toMatchObject({
      granted: 100,
    });
  });
});

describe("a sync's permits (QuotaGate)", () => {
  it("fetches permits a few at a time, holds a request made without asking to them, and gives back the rest", async () => {
    const { quota } = application();
    const t = NOW.getTime();
    expect((await quota.acquire({ windows: WINDOWS, asked: 90, now: t })).granted).toBe(90);
    // The real object, with its calls counted.
    let calls = 0;
    const counted: QuotaStub = {
      acquire: (request) => {
        calls++;
        return quota.acquire(request);
      },
      release: (request) => quota.release(request),
    };
    const gate = new QuotaGate(counted, WINDOWS, 100, () => NOW);
    const made: string[] = [];
    const http = gate.http(async (request) => {
      made.push(request.url);
      return new Response("[]");
    });
    // Asked for: 4 fetched at once, then 8 (only 6 left).
    for (let i = 0; i < 4; i++) expect(await gate.permit()).toBe(true);
    for (let i = 0; i < 4; i++) await http(new Request(`https://strava.fake.test/asked/${i}`));
    // Not asked for (a connector outside its loop): each still takes a permit, until none is left.
    for (let i = 0; i < 6; i++) await http(new Request(`https://strava.fake.test/unasked/${i}`));
    const refused = await http(new Request("https://strava.fake.test/unasked/6")).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 900 });
    expect(made).toHaveLength(10);
    expect(gate.retryAt).toEqual(new Date("2026-11-20T12:15:00Z"));
    // Two calls to the object (4, then 8 asked); refused once, the run does not ask it again.
    expect(calls).toBe(2);
    expect(await gate.permit()).toBe(false);
    expect(calls).toBe(2);

    // A run that stops early gives back what it holds.
    const other = application().quota;
    const early = new QuotaGate(other, WINDOWS, 100, () => NOW);
    expect(await early.permit()).toBe(true);
    await early.settle();
    expect((await other.acquire({ windows: WINDOWS, asked: 100, now: t })).granted).toBe(100);
  });
});

describe("syncs of many connections share the application's quota", () => {
  it("never pass the window together; a refused sync keeps its pages and goes on when the window opens", async () => {
    const { client, config, quota } = application();
    const sent = queued();
    // 365 activities in the backfill: two pages (200 + 165) per connection, 6 requests for three.
    const vendor = new FakeStrava({ ...client, now: NOW, days: 400 });
    // Other connections of the application spent 97 of this quarter hour's 100 already.
    expect((await quota.acquire({ windows: WINDOWS, asked: 97, now: NOW.getTime() })).granted).toBe(97);
    const people = [];
    for (let i = 0; i < 3; i++) {
      people.push(await newPersonOf(handle.db, { tenantId, connector: "strava", emailPrefix: "q", now: NOW }));
    }
    for (const { userId, connection } of people) {
      const message = await authorizeMessageOf(config, strava, vendor, {
        connectorId: "strava",
        redirectUri: REDIRECT,
        tenantId,
        userId,
        connectionId: connection.id,
      });
      expect(await runBatch(workerEnv, config, vendor, [message])).toEqual(["ack"]);
    }
    // Three requests were left, and three were made: the first connection's two, the second's first page.
    expect(vendor.log.filter((l) => l.startsWith(ACTIVITIES))).toHaveLength(3);
    const rows = await Promise.all(people.map((p) => getConnection(handle.db, tenantId, p.userId, p.connection.id)));
    const [a, b, c] = rows;
    expect(a).toMatchObject({ status: "active", importedCount: expect.any(Number) });
    // The second imported its first page and keeps the cursor of the next; the third imported nothing.
    expect(b?.importedCount).toBeGreaterThan(0);
    expect(b?.syncCursor).toMatchObject({ activities_page: "2" });
    expect(c?.importedCount).toBe(0);
    const opens = new Date("2026-11-20T12:15:00Z");
    for (const row of [b, c]) {
      expect(row).toMatchObject({
        status: "syncing",
        error: null,
        nextSyncAt: new Date(opens.getTime() + SYNC_LEASE_MS),
      });
    }
    // Each refused sync is queued for the window's opening, not sooner (no loop on a spent quota).
    expect(sent().map((s) => s.delaySeconds)).toEqual([900, 900]);
    const { rows: audit } = await handle.client.query<{ details: Record<string, unknown> }>(
      `select details from audit_log where tenant_id = $1 and subject_user_id = $2 and action = 'connector.sync'`,
      [tenantId, people[2]?.userId],
    );
    expect(audit.at(-1)?.details).toMatchObject({
      requests: 0,
      more: true,
      continue_after: 900,
      app_quota_spent: true,
    });
    expect((await quota.acquire({ windows: WINDOWS, asked: 1, now: NOW.getTime() })).granted).toBe(0);

    // 12:15: the queued syncs continue, each from where it stopped.
    vendor.now = opens;
    for (const p of people.slice(1)) {
      expect(await runBatch(workerEnv, config, vendor, [syncMessageOf(tenantId, p.userId, p.connection.id)])).toEqual([
        "ack",
      ]);
    }
    // Six in all: the fewest the paging allows (two pages each), none fetched twice.
    expect(vendor.log.filter((l) => l.startsWith(ACTIVITIES))).toHaveLength(6);
    const after = await Promise.all(people.map((p) => getConnection(handle.db, tenantId, p.userId, p.connection.id)));
    for (const row of after) expect(row).toMatchObject({ status: "active", importedCount: a?.importedCount });
  });

  it("a wait past the longest queue delay (Strava's day) is left to the Cron, which finds the connection when it opens", async () => {
    const { client, config, quota } = application();
    const sent = queued();
    const at = new Date("2026-11-20T10:00:00Z");
    const vendor = new FakeStrava({ ...client, now: at, days: 30 });
    // The day's 1,000 spent by 02:30, 100 in each quarter hour.
    for (let q = 0; q < 10; q++) {
      const t = Date.parse("2026-11-20T00:00:00Z") + q * 900_000;
      expect((await quota.acquire({ windows: WINDOWS, asked: 100, now: t })).granted).toBe(100);
    }
    const { userId, connection } = await newPersonOf(handle.db, {
      tenantId,
      connector: "strava",
      emailPrefix: "d",
      now: at,
    });
    const message = await authorizeMessageOf(config, strava, vendor, {
      connectorId: "strava",
      redirectUri: REDIRECT,
      tenantId,
      userId,
      connectionId: connection.id,
    });
    expect(await runBatch(workerEnv, config, vendor, [message])).toEqual(["ack"]);
    expect(vendor.log.filter((l) => l.startsWith(ACTIVITIES))).toHaveLength(0);
    const midnight = new Date("2026-11-21T00:00:00Z");
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "syncing",
      nextSyncAt: midnight,
    });
    // 14 hours is past Cloudflare Queues' 12-hour delay: nothing queued; the Cron claims it at midnight.
    expect(sent()).toEqual([]);
    const before = await claimDueConnections(handle.db, new Date(midnight.getTime() - 1), 100_000, SYNC_LEASE_MS);
    expect(before.map((d) => d.id)).not.toContain(connection.id);
    const due = await claimDueConnections(handle.db, midnight, 100_000, SYNC_LEASE_MS);
    expect(due.map((d) => d.id)).toContain(connection.id);
    vendor.now = midnight;
    expect(await runBatch(workerEnv, config, vendor, [syncMessageOf(tenantId, userId, connection.id)])).toEqual([
      "ack",
    ]);
    expect(vendor.log.filter((l) => l.startsWith(ACTIVITIES))).toHaveLength(1);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("active");
  });
});
