/**
 * `npm run bench`: the ingestion pipeline measured end to end on this machine, against the real
 * PostgreSQL server, with the raw COPY of the same rows as the ceiling measured in the same run.
 *
 * It creates a scratch database, starts the platform (`scripts/start.ts`: every Worker under one
 * `wrangler dev`) on it, signs in BENCH_USERS people through the real OAuth flow, and then measures:
 * - ingest at saturation: BENCH_OBSERVATIONS observations (default 1,000,000) of minute-level heart
 *   rate from the last weeks (so each person's outlier baseline is read), in batches of BENCH_BATCH
 *   (1,000), the people taking turns, BENCH_CONCURRENCY (8) requests at a time: throughput from the
 *   first POST until every job is completed, and the latency of each 202 (in a closed loop that is
 *   concurrency / throughput, Little's law: a queueing figure, not the service's latency);
 * - ingest at the target rate: BENCH_PACED_OBSERVATIONS (200,000) more, sent open-loop at
 *   BENCH_PACED_RATE (10,000) observations/s whatever the answers: the 202 latency at that load
 *   (measured from each request's scheduled time, so a late client does not hide queueing), and
 *   whether every job still completes (the pipeline keeps up);
 * - ceiling: COPY of the same number of rows straight into `observations`;
 * - reads: p50/p95 of a 90-day single-variable read (first page) and of a daily summary over a year of
 *   minute-level heart rate (525,600 rows, loaded by COPY).
 * The Workers reach PostgreSQL through PgBouncer in transaction mode (installed with apt-get when
 * missing and this runs as root; BENCH_POOLER=auto|pgbouncer|none, pool BENCH_POOL_SIZE), as deployed Workers reach it through
 * Hyperdrive's pool; see bench/pooler.ts. Migrations, the COPY ceiling and the checks connect directly.
 * - connectors (bench/connectors.ts): BENCH_CONNECTIONS (200; 0 skips) people link the demo connector
 *   and the connectors Worker backfills BENCH_CONNECTOR_DAYS (365) of minute-level heart rate and daily data from the fake vendor; obs/s end to end,
 *   vendor requests against the paging's minimum, and the same rows sent straight to the ingest API.
 * - analysis (bench/analysis.ts; BENCH_ANALYSIS=0 skips): the N-of-1 plugin on one pair over two years of
 *   daily data with the full delay/duration scan, and a predictor search over 100 predictors (issue 14).
 * - big files (bench/big.ts; BENCH_BIG=0 skips): a 100 MB Apple Health export.xml and a 100 MB FHIR NDJSON
 *   (BENCH_BIG_MB), first byte sent to every observation readable, with the Workers' peak memory; a 1 GiB
 *   tus upload cut twice and resumed (BENCH_RESUMABLE_MB), SHA-256 checked, against one uninterrupted.
 * Results are printed and written to bench/results/<time>.json. Not a test: nothing here asserts.
 *
 *   BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres npm run bench
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { from as copyFrom } from "pg-copy-streams";
import { analysisRows, runAnalysisBench } from "./analysis";
import { BIG_SCOPES, bigOptionsFromEnv, bigRows, runBigPhases } from "./big";
import { runConnectorPhase, startBenchVendor } from "./connectors";
import { startBenchPlatform } from "./platform";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const OBSERVATIONS = Number(env.BENCH_OBSERVATIONS ?? 1_000_000);
const USERS = Number(env.BENCH_USERS ?? 50);
const BATCH = Number(env.BENCH_BATCH ?? 1_000);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 8);
const READ_RUNS = Number(env.BENCH_READ_RUNS ?? 50);
const PACED_RATE = Number(env.BENCH_PACED_RATE ?? 10_000);
const PACED_OBSERVATIONS = Number(env.BENCH_PACED_OBSERVATIONS ?? 200_000);
const POOLER = env.BENCH_POOLER ?? "auto";
const POOL_SIZE = Number(env.BENCH_POOL_SIZE ?? 16);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 200);
const CONNECTOR_DAYS = Number(env.BENCH_CONNECTOR_DAYS ?? 365);
const CONNECTOR_PAGE = Number(env.BENCH_CONNECTOR_PAGE ?? 1_000);
const ANALYSIS = env.BENCH_ANALYSIS !== "0";
const BIG = env.BENCH_BIG !== "0";
const PORT = 8899;
const BASE = `http://127.0.0.1:${PORT}`;

function log(line: string) {
  console.error(`[bench] ${line}`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

async function main() {
  const server = env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";
  const vendor = CONNECTIONS > 0 ? await startBenchVendor(CONNECTOR_DAYS, CONNECTOR_PAGE) : null;
  const platform = await startBenchPlatform({
    server,
    port: PORT,
    pooler: POOLER,
    poolSize: POOL_SIZE,
    env: vendor ? { DFDA_DEMO_VENDOR: "off" } : {},
    log,
  }).catch((error: unknown) => {
    vendor?.server.close();
    throw error;
  });
  const { handle, tenant } = platform;
  try {
    // People and their tokens, issued by the server through the operator command.
    const people: Array<{ id: string; token: string }> = [];
    for (let u = 0; u < USERS; u++) {
      people.push(await platform.person(`p${u}@bench.example`, "observations:read observations:write"));
    }
    log(`${USERS} people signed in`);

    // Ingest: minute-level heart rate, each person their own series, recent enough that every batch
    // is compared with the person's stored history (the outlier baseline). The people take turns, as
    // many people's apps do; one person's batches would all queue behind that person's writer.
    const perUser = Math.ceil(OBSERVATIONS / USERS);
    const pacedPerUser = Math.ceil(PACED_OBSERVATIONS / USERS);
    // Minute j of each person's series; the last one (paced phase included) a day before now.
    const start = Date.now() - (perUser + pacedPerUser + 24 * 60) * 60_000;
    const makeBatches = (fromMinute: number, count: number) => {
      const perPerson = people.map((person, u) => {
        const list: Array<{ token: string; body: string; size: number }> = [];
        for (let i = 0; i < count; i += BATCH) {
          const observations = [];
          for (let j = fromMinute + i; j < fromMinute + Math.min(count, i + BATCH); j++) {
            observations.push({
              variable: { system: "http://loinc.org", code: "8867-4" },
              value: 55 + ((j * 7 + u) % 40),
              unit: "/min",
              start_at: new Date(start + j * 60_000).toISOString(),
            });
          }
          list.push({ token: person.token, body: JSON.stringify({ observations }), size: observations.length });
        }
        return list;
      });
      const turns: Array<{ token: string; body: string; size: number }> = [];
      for (let k = 0; perPerson.some((list) => k < list.length); k++) {
        for (const list of perPerson) {
          const batch = list[k];
          if (batch) turns.push(batch);
        }
      }
      return turns;
    };
    const post = async (batch: { token: string; body: string }) => {
      const res = await fetch(`${BASE}/v1/ingest/observations`, {
        method: "POST",
        headers: { Authorization: `Bearer ${batch.token}`, "Content-Type": "application/json" },
        body: batch.body,
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const untilJobsDone = async () => {
      for (;;) {
        const { rows } = await handle.client.query<{ open: number; failed: number }>(
          "select count(*) filter (where status in ('queued','processing'))::int as open, count(*) filter (where status = 'failed')::int as failed from ingest_jobs where tenant_id = $1",
          [tenant.id],
        );
        if ((rows[0]?.open ?? 1) === 0) {
          if ((rows[0]?.failed ?? 0) > 0) throw new Error(`${rows[0]?.failed} jobs failed`);
          return performance.now();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // At saturation: BENCH_CONCURRENCY requests in flight, each sent when one is answered.
    const batches = makeBatches(0, perUser);
    const total = batches.reduce((n, b) => n + b.size, 0);
    const ackMs: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          if (!batch) break;
          const t = performance.now();
          await post(batch);
          ackMs.push(performance.now() - t);
        }
      }),
    );
    const tPosted = performance.now();
    const tDone = await untilJobsDone();
    const stored = await handle.client.query<{ n: number }>(
      "select count(*)::int as n from observations where tenant_id = $1",
      [tenant.id],
    );
    const ingestSeconds = (tDone - t0) / 1000;
    log(`ingested ${stored.rows[0]?.n} of ${total} in ${ingestSeconds.toFixed(1)} s`);

    // At the target rate: open loop, one batch every BATCH / PACED_RATE seconds whatever the answers.
    const paced = makeBatches(perUser, pacedPerUser);
    const pacedTotal = paced.reduce((n, b) => n + b.size, 0);
    const intervalMs = (BATCH / PACED_RATE) * 1000;
    const pacedAckMs: number[] = [];
    const p0 = performance.now() + 50;
    await Promise.all(
      paced.map(async (batch, i) => {
        const scheduled = p0 + i * intervalMs;
        await new Promise((r) => setTimeout(r, Math.max(0, scheduled - performance.now())));
        await post(batch);
        pacedAckMs.push(performance.now() - scheduled);
      }),
    );
    const pPosted = performance.now();
    const pDone = await untilJobsDone();
    log(
      `paced: ${pacedTotal} at ${PACED_RATE}/s, last job done ${((pDone - pPosted) / 1000).toFixed(1)} s after the last POST`,
    );

    // Ceiling: the same number of rows by COPY, into another tenant's people.
    const copyTenant = await createTenant(handle.db, { slug: "bench-copy", name: "Benchmark COPY" });
    const hr = await handle.client.query<{ id: string; version: number }>(
      "select v.id, v.version from variables v join variable_codes c on c.variable_id = v.id where c.system = 'http://loinc.org' and c.code = '8867-4' and v.valid_to is null",
    );
    const variable = hr.rows[0];
    if (!variable) throw new Error("heart rate is not seeded");
    const copyUsers: Array<{ id: string; source: string }> = [];
    for (let u = 0; u < USERS; u++) {
      const { id } = await createUser(handle.db, {
        tenantId: copyTenant.id,
        email: `c${u}@bench.example`,
        passwordHash: null,
        roles: ["data_owner"],
      });
      copyUsers.push({ id, source: await clientSource(handle.db, copyTenant.id, "bench-copy", "copy") });
    }
    const copyRows = function* (users: typeof copyUsers, count: number, tenantId: string) {
      for (const [u, user] of users.entries()) {
        let chunk = "";
        for (let j = 0; j < count; j++) {
          chunk += `${randomUUID()}\t${tenantId}\t${user.id}\t${variable.id}\t${variable.version}\t${new Date(start + j * 60_000).toISOString()}\t${55 + ((j * 7 + u) % 40)}\t/min\t${55 + ((j * 7 + u) % 40)}\t/min\t${user.source}\n`;
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = "";
          }
        }
        if (chunk) yield chunk;
      }
    };
    const copyColumns =
      "(id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit, original_value, original_unit, source_id)";
    const c0 = performance.now();
    await pipeline(
      Readable.from(copyRows(copyUsers, perUser, copyTenant.id)),
      handle.client.query(copyFrom(`copy observations ${copyColumns} from stdin`)),
    );
    const copySeconds = (performance.now() - c0) / 1000;
    log(`COPY of ${perUser * USERS} rows in ${copySeconds.toFixed(1)} s`);

    // Reads: a year of minute-level heart rate for one person, loaded by COPY.
    const reader = people[0];
    if (!reader) throw new Error("no people");
    const yearStart = Date.now() - 365 * 24 * 3600_000;
    const readSource = await clientSource(handle.db, tenant.id, "bench-reads", "reads");
    await handle.client.query("delete from observations where user_id = $1", [reader.id]);
    await pipeline(
      Readable.from(
        (function* () {
          let chunk = "";
          for (let j = 0; j < 525_600; j++) {
            chunk += `${randomUUID()}\t${tenant.id}\t${reader.id}\t${variable.id}\t${variable.version}\t${new Date(yearStart + j * 60_000).toISOString()}\t${55 + (j % 40)}\t/min\t${55 + (j % 40)}\t/min\t${readSource}\n`;
            if (chunk.length > 1 << 20) {
              yield chunk;
              chunk = "";
            }
          }
          if (chunk) yield chunk;
        })(),
      ),
      handle.client.query(copyFrom(`copy observations ${copyColumns} from stdin`)),
    );
    await handle.client.query("analyze observations");
    const from90 = new Date(Date.now() - 90 * 24 * 3600_000).toISOString();
    const now = new Date().toISOString();
    const auth = { headers: { Authorization: `Bearer ${reader.token}` } };
    const timed = async (url: string) => {
      const samples: number[] = [];
      for (let i = 0; i < READ_RUNS; i++) {
        const t = performance.now();
        const res = await fetch(url, auth);
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        samples.push(performance.now() - t);
      }
      return stats(samples);
    };
    const hrRef = encodeURIComponent("http://loinc.org|8867-4");
    const read90 = await timed(
      `${BASE}/v1/observations?variable=${hrRef}&from=${encodeURIComponent(from90)}&to=${encodeURIComponent(now)}&limit=200`,
    );
    const summaryYear = await timed(
      `${BASE}/v1/observations/summary?variable=${hrRef}&from=${encodeURIComponent(new Date(yearStart).toISOString())}&to=${encodeURIComponent(now)}&bucket=day`,
    );

    const connectors =
      vendor === null
        ? null
        : await runConnectorPhase(
            {
              base: BASE,
              client: handle.client,
              person: (email) => platform.person(email, "observations:read observations:write"),
              connections: CONNECTIONS,
              days: CONNECTOR_DAYS,
              pageSize: CONNECTOR_PAGE,
              batch: BATCH,
              concurrency: CONCURRENCY,
              log,
            },
            vendor.vendor,
          );

    // The N-of-1 analysis plugin: pure computation, no platform needed (bench/analysis.ts).
    const analysis = ANALYSIS ? runAnalysisBench() : null;
    if (analysis)
      log(
        `analysis: pair ${analysis.pair_two_years_daily_ms.median.toFixed(0)} ms, search ${analysis.predictor_search_100_ms.median.toFixed(0)} ms`,
      );

    // Big files (issue 15): after the rest, so their memory is read on a platform that has worked.
    let bigPeople = 0;
    const big = BIG
      ? await runBigPhases(
          {
            base: BASE,
            person: (label) => platform.person(`${label}-${bigPeople++}@bench.example`, BIG_SCOPES),
            client: handle.client,
            rootPid: platform.child.pid ?? null,
            log,
          },
          bigOptionsFromEnv(env),
        )
      : null;

    const pgVersion = (await handle.client.query<{ server_version: string }>("show server_version")).rows[0]
      ?.server_version;
    const result = {
      at: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memory_gib: Math.round(totalmem() / 2 ** 30),
        free_memory_gib: Math.round(freemem() / 2 ** 30),
        node: process.version,
        postgres: pgVersion,
        timescaledb: false,
      },
      parameters: {
        observations: total,
        users: USERS,
        batch: BATCH,
        concurrency: CONCURRENCY,
        paced_rate: PACED_RATE,
        paced_observations: pacedTotal,
        read_runs: READ_RUNS,
      },
      database_path: platform.databasePath,
      ingest: {
        seconds: ingestSeconds,
        posting_seconds: (tPosted - t0) / 1000,
        observations_per_second: total / ingestSeconds,
        ack_ms: stats(ackMs),
        stored: stored.rows[0]?.n ?? 0,
      },
      paced: {
        offered_observations_per_second: PACED_RATE,
        seconds: (pDone - p0) / 1000,
        observations_per_second: pacedTotal / ((pDone - p0) / 1000),
        drain_seconds_after_last_post: (pDone - pPosted) / 1000,
        ack_ms: stats(pacedAckMs),
      },
      copy_ceiling: { seconds: copySeconds, rows_per_second: (perUser * USERS) / copySeconds },
      ratio_to_copy: total / ingestSeconds / ((perUser * USERS) / copySeconds),
      reads: { ninety_day_first_page_ms: read90, year_daily_summary_ms: summaryYear },
      connectors,
      analysis,
      big,
      targets: {
        throughput_at_least_10k_per_s: total / ingestSeconds >= 10_000,
        at_least_half_of_copy: total / ingestSeconds >= (0.5 * (perUser * USERS)) / copySeconds,
        ack_p95_under_100_ms_at_target_rate: stats(pacedAckMs).p95 < 100,
        ack_p95_under_100_ms_at_saturation: stats(ackMs).p95 < 100,
        read_p95_under_200_ms: read90.p95 < 200 && summaryYear.p95 < 200,
        ...(analysis && {
          analysis_pair_under_1_s: analysis.targets.pair_under_1_s,
          analysis_search_under_30_s: analysis.targets.search_under_30_s,
        }),
      },
    };
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    const file = join(ROOT, "bench", "results", `${result.at.replace(/[:.]/g, "-")}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const f = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 1 });
    console.log(`
Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memory_gib} GiB, Node ${result.machine.node}, PostgreSQL ${pgVersion}
Workers to PostgreSQL: ${result.database_path}
| measure                                   | value |
| ---                                       | ---   |
| ingest end to end (${f(total)} obs, ${USERS} users, batch ${BATCH}, ${CONCURRENCY} in flight) | ${f(result.ingest.observations_per_second)} obs/s in ${f(ingestSeconds)} s |
| raw COPY of the same rows (ceiling)        | ${f(result.copy_ceiling.rows_per_second)} rows/s in ${f(copySeconds)} s |
| ingest / COPY                              | ${(result.ratio_to_copy * 100).toFixed(1)} % |
| 202 at saturation p50 / p95 / p99 (${CONCURRENCY} in flight) | ${f(result.ingest.ack_ms.p50)} / ${f(result.ingest.ack_ms.p95)} / ${f(result.ingest.ack_ms.p99)} ms |
| 202 at ${f(PACED_RATE)} obs/s offered, p50 / p95 / p99 | ${f(result.paced.ack_ms.p50)} / ${f(result.paced.ack_ms.p95)} / ${f(result.paced.ack_ms.p99)} ms |
| paced ${f(pacedTotal)} obs: all stored after    | ${f(result.paced.seconds)} s (${f(result.paced.observations_per_second)} obs/s; ${f(result.paced.drain_seconds_after_last_post)} s after the last POST) |
| 90-day read, first page, p50 / p95         | ${f(read90.p50)} / ${f(read90.p95)} ms |
| daily summary over a year of minutes, p50 / p95 | ${f(summaryYear.p50)} / ${f(summaryYear.p95)} ms |
${
  connectors === null
    ? "| connectors                                 | skipped (BENCH_CONNECTIONS=0) |"
    : `| connectors: ${connectors.connections} × ${connectors.days} days backfilled (${f(connectors.rows)} obs), end to end | ${f(connectors.end_to_end_observations_per_second)} obs/s in ${f(connectors.end_to_end_seconds)} s (connecting ${f(connectors.connect_seconds)} s) |
| connectors: ingest during the backfill      | ${f(connectors.ingest_during_backfill_observations_per_second)} obs/s |
| the same rows straight to POST /v1/ingest/observations | ${f(connectors.direct.observations_per_second)} obs/s in ${f(connectors.direct.seconds)} s (backfill / direct ${(connectors.backfill_to_direct_ratio * 100).toFixed(1)} %) |
| vendor data requests / paging minimum (page ${connectors.page_size}) | ${f(connectors.vendor_data_requests)} / ${f(connectors.vendor_minimum_requests)} |`
}
${analysis === null ? "| N-of-1 analysis                            | skipped (BENCH_ANALYSIS=0) |" : analysisRows(analysis)}
${big === null ? "| big files                                  | skipped (BENCH_BIG=0) |" : bigRows(big)}
Written to ${file}`);
  } finally {
    vendor?.server.close();
    await platform.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
