/**
 * The connector phase of `npm run bench` (issue 13, "Speed, measured"): BENCH_CONNECTIONS people each
 * link the demo connector (Oura's API v2, spoken by the local fake `@dfda/connectors/fakes`) through the
 * real flow — POST /v1/me/connections, authorize at the fake, the vendor's redirect to the callback —
 * and the connectors Worker backfills BENCH_CONNECTOR_DAYS of minute-level heart rate and daily steps
 * and SpO2 for each. Measured: observations/s end to end (first connect until every connection is idle
 * with all its rows stored), vendor data requests counted at the fake against the fewest its paging
 * allows, and the same rows sent straight to POST /v1/ingest/observations by as many other people in
 * the same run. The stored row counts are asserted exactly (never a time).
 *
 * The backfill reaches as far back as the demo connector's `backfill_days` (366), so the fake holds at
 * most `backfill_days - 1` whole days (plus today): every sample is then inside the range the connector
 * asks for, and the expected count is exact.
 */
import { createServer, type Server } from "node:http";
import { DEMO, DEMO_CLIENT, DEMO_VENDOR_ORIGIN } from "@dfda/connectors";
import { FakeOura, fakeBpm, fakeSpo2, fakeSteps } from "@dfda/connectors/fakes";
import type pg from "pg";

export interface ConnectorBenchOptions {
  base: string;
  client: pg.Client;
  /** Creates a confirmed person and signs them in (the bench's real OAuth flow). */
  person: (email: string) => Promise<{ id: string; token: string }>;
  connections: number;
  days: number;
  pageSize: number;
  batch: number;
  concurrency: number;
  log: (line: string) => void;
}

/** The fake vendor, served on the demo connector's origin (npm start's own is off: DFDA_DEMO_VENDOR=off). */
export async function startBenchVendor(days: number, pageSize: number): Promise<{ vendor: FakeOura; server: Server }> {
  if (days > DEMO.backfill_days - 1) {
    throw new Error(
      `BENCH_CONNECTOR_DAYS=${days}: the demo connector backfills ${DEMO.backfill_days} days, so at most ${DEMO.backfill_days - 1}`,
    );
  }
  // The fake's clock is fixed at the start: its data ends before any sync, so every row is known.
  const vendor = new FakeOura({ ...DEMO_CLIENT, now: new Date(), days, heartRateEveryMinutes: 1, pageSize });
  const port = Number(new URL(DEMO_VENDOR_ORIGIN).port);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length > 0 && req.method !== "GET" ? new Uint8Array(Buffer.concat(chunks)) : null;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      void vendor
        .fetch(new Request(`http://127.0.0.1:${port}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, body }))
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { vendor, server };
}

interface Row {
  variable: { system: string; code: string };
  value: number;
  unit: string;
  start_at: string;
  end_at?: string;
}

const loinc = (code: string) => ({ system: "http://loinc.org", code });
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The rows the connector stores for one connection: every sample, and each whole (UTC) day before `today`. */
function expectedRows(vendor: FakeOura, today: string): Row[] {
  const rows: Row[] = vendor.heartRate().map((s, i) => ({
    variable: loinc("8867-4"),
    value: fakeBpm(i),
    unit: "/min",
    start_at: new Date(s.timestamp).toISOString(),
  }));
  for (const { day, index } of vendor.days()) {
    if (day >= today) continue;
    const span = { start_at: `${day}T00:00:00Z`, end_at: `${nextDay(day)}T00:00:00Z` };
    rows.push({ variable: loinc("41950-7"), value: fakeSteps(index), unit: "{steps}", ...span });
    const spo2 = fakeSpo2(index);
    if (spo2 !== null) rows.push({ variable: loinc("59408-5"), value: spo2, unit: "%", ...span });
  }
  return rows;
}

async function count(client: pg.Client, users: string[]): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from observations where user_id = any($1::uuid[])",
    [users],
  );
  return rows[0]?.n ?? 0;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await work(item);
      }
    }),
  );
}

export async function runConnectorPhase(o: ConnectorBenchOptions, vendor: FakeOura) {
  const people: Array<{ id: string; token: string }> = [];
  const direct: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < o.connections; i++) {
    people.push(await o.person(`k${i}@bench.example`));
    direct.push(await o.person(`d${i}@bench.example`));
  }
  o.log(`connectors: ${o.connections} people to connect, ${o.connections} to send the same rows directly`);
  const ids = people.map((p) => p.id);
  const logStart = vendor.log.length;

  // Connect: the real flow, the fake's authorize page approving at once.
  const t0 = performance.now();
  await pool(people, o.concurrency, async (person) => {
    const created = await fetch(`${o.base}/v1/me/connections`, {
      method: "POST",
      headers: { Authorization: `Bearer ${person.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ connector: "demo" }),
    });
    if (created.status !== 201)
      throw new Error(`POST /v1/me/connections answered ${created.status}: ${await created.text()}`);
    const { authorize_url } = (await created.json()) as { authorize_url: string };
    const approved = await fetch(authorize_url, { redirect: "manual" });
    const callback = approved.headers.get("Location");
    if (approved.status !== 302 || callback === null)
      throw new Error(`the fake's authorize answered ${approved.status}`);
    const back = await fetch(callback, { redirect: "manual" });
    await back.arrayBuffer();
    if (back.status >= 400) throw new Error(`the callback answered ${back.status}`);
  });
  const tConnected = performance.now();
  o.log(`connectors: ${o.connections} connected in ${((tConnected - t0) / 1000).toFixed(1)} s; backfilling`);

  // Until every connection has finished its first sync (none syncing; none failed). The sync's first
  // message is queued by the callback, so no Cron is needed; a hang guard only, not a measure.
  const guard = Date.now() + 6 * 3600_000;
  for (;;) {
    const { rows } = await o.client.query<{ n: number; busy: number; bad: number; errors: string | null }>(
      `select count(*)::int as n, count(*) filter (where status = 'syncing' or last_sync_at is null)::int as busy,
              count(*) filter (where status in ('error', 'needs_reauth', 'paused'))::int as bad,
              string_agg(distinct error, '; ') as errors
         from connector_connections where user_id = any($1::uuid[])`,
      [ids],
    );
    const r = rows[0];
    if (r && r.bad > 0) throw new Error(`${r.bad} connections failed: ${r.errors ?? "no error recorded"}`);
    if (r && r.n === o.connections && r.busy === 0) break;
    if (Date.now() > guard) throw new Error("the connectors did not finish within 6 hours");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tSynced = performance.now();
  const today = new Date().toISOString().slice(0, 10);
  const perConnection = expectedRows(vendor, today);
  const expected = perConnection.length * o.connections;
  const stored = await count(o.client, ids);
  if (stored !== expected) throw new Error(`connectors stored ${stored} rows, expected exactly ${expected}`);

  // Vendor data requests, counted at the fake, against the fewest its paging allows: each collection
  // returns every item in the range the connector asks for, pageSize items a page, at least one page.
  // `personal_info`, read once per connection for the Oura user id notifications name, is not data.
  const dataRequests = vendor.log
    .slice(logStart)
    .filter((line) => line.includes("/v2/usercollection/") && !line.includes("/personal_info")).length;
  const pages = (items: number) => Math.max(1, Math.ceil(items / o.pageSize));
  const minimum = (pages(vendor.heartRate().length) + 2 * pages(vendor.days().length)) * o.connections;

  // The same rows, straight to POST /v1/ingest/observations by other people, in the same run.
  const directIds = direct.map((p) => p.id);
  const batches: Array<{ token: string; body: string }> = [];
  for (let i = 0; i < perConnection.length; i += o.batch) {
    // One body per slice, shared by every person (a year for 200 people would not fit in memory otherwise).
    const body = JSON.stringify({ observations: perConnection.slice(i, i + o.batch) });
    for (const person of direct) batches.push({ token: person.token, body });
  }
  const d0 = performance.now();
  await pool(batches, o.concurrency, async (batch) => {
    const res = await fetch(`${o.base}/v1/ingest/observations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${batch.token}`, "Content-Type": "application/json" },
      body: batch.body,
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  });
  for (;;) {
    const { rows } = await o.client.query<{ open: number; failed: number }>(
      "select count(*) filter (where status in ('queued','processing'))::int as open, count(*) filter (where status = 'failed')::int as failed from ingest_jobs where user_id = any($1::uuid[])",
      [directIds],
    );
    if ((rows[0]?.failed ?? 0) > 0) throw new Error(`${rows[0]?.failed} direct ingest jobs failed`);
    if ((rows[0]?.open ?? 1) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const dDone = performance.now();
  const directStored = await count(o.client, directIds);
  if (directStored !== expected) throw new Error(`direct ingest stored ${directStored} rows, expected ${expected}`);

  const syncSeconds = (tSynced - t0) / 1000;
  const backfillSeconds = (tSynced - tConnected) / 1000;
  const directSeconds = (dDone - d0) / 1000;
  return {
    connections: o.connections,
    days: o.days,
    page_size: o.pageSize,
    rows_per_connection: perConnection.length,
    rows: expected,
    connect_seconds: (tConnected - t0) / 1000,
    end_to_end_seconds: syncSeconds,
    end_to_end_observations_per_second: expected / syncSeconds,
    ingest_during_backfill_observations_per_second: expected / backfillSeconds,
    vendor_data_requests: dataRequests,
    vendor_minimum_requests: minimum,
    direct: { seconds: directSeconds, observations_per_second: expected / directSeconds, batch: o.batch },
    backfill_to_direct_ratio: expected / backfillSeconds / (expected / directSeconds),
  };
}
