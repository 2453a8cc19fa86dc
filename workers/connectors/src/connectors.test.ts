/**
 * The connectors Worker in the Workers runtime, against the real database, local R2, the real per-user
 * writer (the bundled ingest Worker) and a local fake of Oura (packages/connectors/src/oura/fake.ts)
 * speaking Oura's wire format. Values are checked exactly against the fake's data; a second sync
 * imports nothing new; 401 refreshes once, then needs_reauth; 429 waits for Retry-After; 5xx retries
 * with backoff, then the dead-letter queue marks the connection `error`; a malformed page marks it
 * `error`; revocation reaches the vendor; erasing the person shreds tokens and raw responses.
 */
import { env } from "cloudflare:workers";
import { type ConnectorMessage, oura } from "@dfda/connectors";
import { FAKE_OURA_USER_ID, FakeOura, fakeBpm, fakeSpo2, fakeSteps } from "@dfda/connectors/fakes";
import { uuidv7, vendorResponsePrefix } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import {
  claimDueConnections,
  connectionDataKey,
  connectionsOfVendorUser,
  getConnection,
  SYNC_LEASE_MS,
} from "@dfda/db/repositories/connections";
import { eraseUser } from "@dfda/db/repositories/erasure";
import { DataKeyError } from "@dfda/db/repositories/file-keys";
import { createTenant } from "@dfda/db/repositories/identity";
import { getDecrypted } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { ConnectorsEnv } from "../worker-configuration";
import { connectorsConfig } from "./config";
import { queueDueSyncs } from "./index";
import {
  authorizeMessage as authorizeMessageOf,
  newPerson as newPersonOf,
  revokeMessage,
  runBatch,
  syncMessage as syncMessageOf,
} from "./test-support";

const workerEnv = env as unknown as ConnectorsEnv;
const config = connectorsConfig(workerEnv);
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/oura/callback";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `t-${uuidv7()}`, name: "Connectors" })).id;
});
afterAll(async () => {
  await handle?.close();
});

function fakeOura() {
  return new FakeOura({
    clientId: "test-oura-client",
    clientSecret: "test-oura-secret",
    now: NOW,
    days: 3,
    heartRateEveryMinutes: 60,
    pageSize: 20,
  });
}

const newPerson = () => newPersonOf(handle.db, { tenantId, connector: "oura", emailPrefix: "c", now: NOW });

const run = (vendor: FakeOura, bodies: unknown[], queue?: string, attempts?: number) =>
  runBatch(workerEnv, config, vendor, bodies, queue, attempts);

/** The `authorize` message the API's callback queues: the code from the fake's redirect, sealed. */
const authorizeMessage = (vendor: FakeOura, userId: string, connectionId: string) =>
  authorizeMessageOf(config, oura, vendor, {
    connectorId: "oura",
    redirectUri: REDIRECT,
    tenantId,
    userId,
    connectionId,
  });

const syncMessage = (userId: string, connectionId: string) => syncMessageOf(tenantId, userId, connectionId);

/** Everything written to the console from now on (restored after the test). */
function captureLogs(): () => string[] {
  const lines: string[] = [];
  for (const method of ["log", "info", "warn", "error"] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    onTestFinished(() => spy.mockRestore());
  }
  return () => lines;
}

/** The person's observations from the Oura source, per variable slug, in time order. */
async function stored(userId: string) {
  const { rows } = await handle.client.query<{ slug: string; value: number; start_at: Date }>(
    `select v.slug, o.value, o.start_at from observations o
       join variables v on v.id = o.variable_id and v.version = o.variable_version
       join sources s on s.id = o.source_id
     where o.tenant_id = $1 and o.user_id = $2 and s.slug = 'oura' and s.kind = 'connector'
     order by v.slug, o.start_at`,
    [tenantId, userId],
  );
  const by = (slug: string) => rows.filter((r) => r.slug === slug);
  return {
    total: rows.length,
    heartRate: by("heart-rate").map((r) => Number(r.value)),
    steps: by("steps").map((r) => [r.start_at.toISOString(), Number(r.value)]),
    spo2: by("oxygen-saturation").map((r) => Number(r.value)),
  };
}

async function auditActions(userId: string) {
  const { rows } = await handle.client.query<{ action: string; outcome: string; details: Record<string, unknown> }>(
    `select action, outcome, details from audit_log where tenant_id = $1 and subject_user_id = $2 order by id`,
    [tenantId, userId],
  );
  return rows;
}

describe("connectors Worker: Oura end to end", () => {
  it("connects, backfills the fake's exact values, keeps raw responses encrypted; a second sync imports nothing", async () => {
    const logged = captureLogs();
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);

    const data = await stored(userId);
    const hr = vendor.heartRate();
    expect(data.heartRate).toEqual(hr.map((_, i) => fakeBpm(i)));
    // Days that are over (today, 2026-11-20, is partial and waits for a later sync).
    const days = vendor.days().filter((d) => d.day < "2026-11-20");
    expect(days).toHaveLength(3);
    expect(data.steps).toEqual(days.map((d) => [`${d.day}T00:00:00.000Z`, fakeSteps(d.index)]));
    expect(data.spo2).toEqual(days.flatMap((d) => (fakeSpo2(d.index) === null ? [] : [fakeSpo2(d.index)])));
    expect(data.total).toBe(84 + 3 + 3);

    const after = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(after).toMatchObject({
      status: "active",
      error: null,
      importedCount: 90,
      syncCursor: { heartrate: "2026-11-20T11:00:00.000Z", daily_activity: "2026-11-19", daily_spo2: "2026-11-19" },
      lastSyncAt: NOW,
      nextSyncAt: new Date(NOW.getTime() + 3_600_000),
    });
    // The tokens are sealed: neither token appears in the row.
    expect(after?.encryptedTokens).not.toContain("access-");
    expect(after?.encryptedTokens).not.toContain("refresh-");

    // Every vendor response is in R2 under the person's prefix, encrypted, and opens with the connection's key.
    const listed = await workerEnv.FILES.list({ prefix: vendorResponsePrefix(tenantId) });
    const mine = listed.objects.filter((o) => o.key.includes(`/${userId}/oura/`));
    expect(mine).toHaveLength(7);
    const first = mine[0];
    if (first === undefined || after === null) throw new Error("no raw response");
    const raw = await workerEnv.FILES.get(first.key);
    expect(await raw?.text()).not.toContain("bpm");
    const dataKey = await connectionDataKey(handle.db, config.masterKeys, after);
    const opened = await new Response(await getDecrypted(workerEnv.FILES, first.key, dataKey, first.key)).json();
    expect(opened).toHaveProperty("data");

    // Again: the overlap window is fetched again, and nothing is stored twice.
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect((await stored(userId)).total).toBe(90);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(90);

    // A sample the ring uploads late, inside the overlap: exactly it is imported.
    vendor.addHeartRate("2026-11-20T10:30:00+00:00", 77);
    await run(vendor, [syncMessage(userId, connection.id)]);
    expect((await stored(userId)).total).toBe(91);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.importedCount).toBe(91);

    const audit = await auditActions(userId);
    expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual([
      "connector.connect success",
      "connector.sync success",
      "connector.sync success",
      "connector.sync success",
    ]);
    expect(audit[1]?.details).toMatchObject({ connector: "oura", reason: "connected", requests: 7, stored: 90 });
    expect(audit[2]?.details).toMatchObject({ stored: 0 });
    // Tokens never reach a log line or the audit log.
    expect(logged().join("\n")).not.toMatch(/access-\d|refresh-\d|code-\d/);
    expect(JSON.stringify(audit)).not.toMatch(/access-\d|refresh-\d|code-\d/);
  });

  it("a day's documents are imported once the day is over, by the next sync's overlap", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    expect((await stored(userId)).steps.map(([day]) => day)).not.toContain("2026-11-20T00:00:00.000Z");
    vendor.now = new Date("2026-11-21T00:30:00Z");
    await run(vendor, [syncMessage(userId, connection.id)]);
    const data = await stored(userId);
    expect(data.steps.at(-1)).toEqual(["2026-11-20T00:00:00.000Z", fakeSteps(3)]);
    expect(data.spo2.at(-1)).toBe(fakeSpo2(3));
    // And the hourly heart rate from 12:00 to 00:00: 13 samples more.
    expect(data.total).toBe(90 + 13 + 1 + 1);
  });

  it("an Oura notification, verified and matched to its connection by the vendor's user id, syncs what is new", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    // Oura's token response names no user: the first sync read it from personal_info (scope `personal`).
    const vendorUser = FAKE_OURA_USER_ID;
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.externalUserId).toBe(vendorUser);
    expect(vendor.log.filter((l) => l.startsWith("GET /v2/usercollection/personal_info"))).toHaveLength(1);
    // The ring uploads a sample; Oura notifies (its wire format: x-oura-timestamp, x-oura-signature).
    vendor.addHeartRate("2026-11-20T11:30:00+00:00", 64);
    const body = JSON.stringify({
      event_type: "create",
      data_type: "heartrate",
      object_id: "0b6b6a2e-5a0c-4a53-9d0e-1d7b3a3f1c11",
      event_time: "2026-11-20T11:31:00+00:00",
      user_id: vendorUser,
    });
    const timestamp = "1763638260";
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("a-webhook-secret"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(timestamp + body)));
    const headers = new Headers({
      "x-oura-timestamp": timestamp,
      "x-oura-signature": Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(""),
    });
    const webhook = oura.webhook;
    if (webhook === undefined) throw new Error("Oura takes notifications");
    expect(await webhook.verify(headers, body, "a-webhook-secret")).toBe(true);
    expect(await webhook.verify(headers, body, "another-secret")).toBe(false);
    expect(await webhook.verify(headers, body.replace("create", "update"), "a-webhook-secret")).toBe(false);
    const ids = webhook.vendorUserIds(body);
    expect(ids).toEqual([vendorUser]);
    expect(webhook.vendorUserIds("not json")).toBeNull();

    // What the API's webhook route queues for each connection of that vendor user.
    const matched = await connectionsOfVendorUser(handle.db, "oura", vendorUser);
    // Every connection of that Oura account (the fake has one account, which this file's people all connect).
    expect(matched).toContainEqual({ id: connection.id, tenantId, userId });
    const notified: ConnectorMessage = {
      v: 1,
      type: "sync",
      tenant_id: tenantId,
      user_id: userId,
      connection_id: connection.id,
      reason: "notified",
    };
    expect(await run(vendor, [notified])).toEqual(["ack"]);
    expect((await stored(userId)).heartRate.at(-1)).toBe(64);
    expect((await stored(userId)).total).toBe(91);
    const audit = await auditActions(userId);
    expect(audit.at(-1)?.details).toMatchObject({ connector: "oura", reason: "notified", stored: 1 });
  });

  it("an Oura that will not name the user leaves it unknown and syncs anyway; the next sync reads it", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    vendor.fault({ path: "personal_info", kind: 503 });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const first = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(first).toMatchObject({ status: "active", externalUserId: null, importedCount: 90 });
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.externalUserId).toBe(FAKE_OURA_USER_ID);
    expect(vendor.log.filter((l) => l.startsWith("GET /v2/usercollection/personal_info"))).toHaveLength(2);
  });

  it("an expired token is refreshed once; a revoked grant leaves needs_reauth in plain words", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    vendor.expireAccessTokens();
    vendor.addHeartRate("2026-11-20T11:30:00+00:00", 81);
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect((await stored(userId)).total).toBe(91);
    expect(vendor.log.filter((l) => l === "POST /oauth/token")).toHaveLength(2); // the code, then one refresh

    vendor.revokeEverything();
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    const after = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(after?.status).toBe("needs_reauth");
    expect(after?.error).toBe(
      "Oura Ring no longer accepts this connection. Connect it again to keep your data coming.",
    );
    // A connection that needs the person is not synced until they connect again.
    const calls = vendor.log.length;
    await run(vendor, [syncMessage(userId, connection.id)]);
    expect(vendor.log.length).toBe(calls);
  });

  it("a 429 waits for Retry-After: the sync is queued again after it, nothing is lost", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    vendor.fault({ path: "daily_activity", kind: 429, retryAfter: "120" });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const after = await getConnection(handle.db, tenantId, userId, connection.id);
    // The retry is the delayed message; the Cron would find the connection again only after the lease.
    expect(after).toMatchObject({
      status: "syncing",
      error: null,
      nextSyncAt: new Date(NOW.getTime() + 120_000 + SYNC_LEASE_MS),
    });
    // The heart-rate pages before the 429 were stored and counted.
    expect(after?.importedCount).toBe(84);
    const audit = await auditActions(userId);
    expect(audit.at(-1)).toMatchObject({ action: "connector.sync", outcome: "failure", details: { retry_after: 120 } });
    // The retry (as the queue delivers it after the delay) completes the sync.
    await run(vendor, [syncMessage(userId, connection.id)]);
    expect((await stored(userId)).total).toBe(90);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("active");
  });

  it("a 429 after some pages: their cursor is saved, and the next sync does not fetch them again", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    // 84 hourly samples in pages of 20: Oura says no on the third page.
    vendor.fault({ path: "heartrate", kind: 429, retryAfter: "60", after: 2 });
    expect(await run(vendor, [await authorizeMessage(vendor, userId, connection.id)])).toEqual(["ack"]);
    const hr = vendor.heartRate();
    const fortieth = new Date(hr[39]?.timestamp ?? "").toISOString();
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "syncing",
      importedCount: 40,
      syncCursor: { heartrate: fortieth },
    });
    // The retry starts 6 hours (Oura's overlap) before the 40th sample: 3 pages, not the 5 of a new start.
    const from = vendor.log.length;
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    const asked = vendor.log.slice(from).filter((l) => l.includes("/v2/usercollection/heartrate"));
    expect(asked).toHaveLength(3);
    const start = new URL(`https://x${asked[0]?.split(" ")[1] ?? ""}`).searchParams.get("start_datetime");
    expect(start).toBe(new Date(Date.parse(fortieth) - 6 * 3600_000).toISOString());
    expect((await stored(userId)).total).toBe(90);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "active",
      importedCount: 90,
    });
  });

  it("a 5xx is retried with backoff; the dead-letter queue marks the connection error in plain words", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    vendor.fault({ path: "heartrate", kind: 503 });
    expect(await run(vendor, [syncMessage(userId, connection.id)], "dfda-connectors", 2)).toEqual(["retry 60"]);
    expect(await run(vendor, [syncMessage(userId, connection.id)], "dfda-connectors-dlq")).toEqual(["ack"]);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "error",
      error: "Oura Ring did not answer. We will try again at the next scheduled sync.",
      nextSyncAt: new Date(NOW.getTime() + 3_600_000),
    });
  });

  it("a malformed page marks the connection error at once; an empty page is followed", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    vendor.fault({ path: "heartrate", kind: "empty" });
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    expect((await stored(userId)).total).toBe(90);
    vendor.fault({ path: "daily_spo2", kind: "malformed" });
    expect(await run(vendor, [syncMessage(userId, connection.id)])).toEqual(["ack"]);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toMatchObject({
      status: "error",
      error: "Oura Ring sent data we could not read. We will try again at the next scheduled sync.",
    });
  });

  it("a message that does not parse is acked; a revoke message revokes the grant at the vendor", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    expect(await run(vendor, [{ v: 1, type: "sync" }])).toEqual(["ack"]);
    const revoke = await revokeMessage(handle.db, { tenantId, userId, connectionId: connection.id, connector: "oura" });
    expect(vendor.liveTokens).toBe(1);
    expect(await run(vendor, [revoke])).toEqual(["ack"]);
    expect(vendor.liveTokens).toBe(0);
  });

  it("erasing the person leaves no token, and no raw response that can be opened", async () => {
    const vendor = fakeOura();
    const { userId, connection } = await newPerson();
    await run(vendor, [await authorizeMessage(vendor, userId, connection.id)]);
    const row = await getConnection(handle.db, tenantId, userId, connection.id);
    if (row === null) throw new Error("no connection");
    const result = await eraseUser(handle.db, tenantId, userId);
    expect(result.counts.connector_connections).toBe(1);
    expect(await getConnection(handle.db, tenantId, userId, connection.id)).toBeNull();
    // The raw responses' key was wrapped by the person's key, which is gone.
    await expect(connectionDataKey(handle.db, config.masterKeys, row)).rejects.toBeInstanceOf(DataKeyError);
  });

  it("the Cron claims each due connection once and queues one sync for it", async () => {
    const { userId, connection } = await newPerson();
    // Due an hour before NOW; a connection without tokens yet, so the queued message finds nothing to do.
    await handle.client.query(`update connector_connections set status = 'active', next_sync_at = $2 where id = $1`, [
      connection.id,
      new Date(NOW.getTime() - 3_600_000),
    ]);
    const due = await claimDueConnections(handle.db, NOW, 100_000, 60_000);
    expect(due.map((d) => d.id)).toContain(connection.id);
    expect((await claimDueConnections(handle.db, NOW, 100_000, 60_000)).map((d) => d.id)).not.toContain(connection.id);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("syncing");
    await handle.client.query(`update connector_connections set next_sync_at = $2 where id = $1`, [
      connection.id,
      new Date(NOW.getTime() - 1),
    ]);
    expect(await queueDueSyncs(workerEnv, config, NOW)).toBeGreaterThanOrEqual(1);
  });
});
