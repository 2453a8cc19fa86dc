/**
 * The ingest consumer in the Workers runtime against the real database: unit conversion, each
 * validation outcome, duplicates, idempotent redelivery, R2 staging, the database failing (down, and
 * mid-batch) and recovering with nothing lost or doubled, the dead-letter queue, and the write-side
 * consent check in the user's writer.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { seal } from "@dfda/auth";
import { gzipText, type IngestMessage, type ObservationInput, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob, getJob } from "@dfda/db/repositories/jobs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import worker, { backoffSeconds, type IngestEnv } from "./index";

const LOINC = "http://loinc.org";
const ingestEnv = env as unknown as IngestEnv;
let handle: DbHandle;
let tenantId: string;
let userId: string;
let sourceId: string;

beforeAll(async () => {
  handle = await connect(ingestEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `ing-${uuidv7().slice(-8)}`, name: "Ingest" })).id;
  userId = (
    await createUser(handle.db, {
      tenantId,
      email: `u-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
  sourceId = await clientSource(handle.db, tenantId, "test-app", "Test app");
});
afterAll(async () => handle.close());

async function newJob(
  observations: ObservationInput[],
  user = userId,
  actor: string | null = userId,
): Promise<IngestMessage> {
  const { job } = await createJob(handle.db, {
    tenantId,
    userId: user,
    clientId: "test-app",
    sourceId,
    kind: "observations",
    idempotencyKey: null,
    requestHash: null,
    received: observations.length,
  });
  return {
    v: 1,
    job_id: job.id,
    tenant_id: tenantId,
    user_id: user,
    actor_user_id: actor,
    client_id: "test-app",
    default_source_id: sourceId,
    payload: { kind: "inline", observations },
  };
}

async function deliver(message: unknown, queue = "dfda-ingest", useEnv: IngestEnv = ingestEnv, attempts = 1) {
  const batch = createMessageBatch(queue, [{ id: uuidv7(), timestamp: new Date(), attempts, body: message }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, useEnv);
  return getQueueResult(batch, ctx);
}

async function rows(jobId: string) {
  const { rows } = await handle.client.query<{
    id: string;
    code: string;
    value: number | null;
    unit: string | null;
    original_value: number | null;
    original_unit: string | null;
    is_valid: boolean;
    is_outlier: boolean;
  }>(
    `select o.id, vc.code, o.value, o.unit, o.original_value, o.original_unit, o.is_valid, o.is_outlier
     from observations o join variable_codes vc on vc.variable_id = o.variable_id and vc.system = 'http://loinc.org' and vc.is_preferred
     where o.job_id = $1 order by o.start_at`,
    [jobId],
  );
  return rows;
}

const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 8, minutes)).toISOString();

describe("validation and normalization", () => {
  it("converts units to the canonical ones and reports every outcome per item", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "2339-0" }, value: 100, unit: "mg/dL", start_at: t(0) },
      { variable: { system: LOINC, code: "29463-7" }, value: 185, unit: "[lb_av]", start_at: t(1) },
      { variable: { system: LOINC, code: "8867-4" }, value: 72, unit: "/min", start_at: t(2) },
      { variable: { system: LOINC, code: "8867-4" }, value: 400, unit: "/min", start_at: t(3) },
      { variable: { system: LOINC, code: "8867-4" }, value: 70, unit: "kg", start_at: t(4) },
      { variable: { system: LOINC, code: "0000-0" }, value: 1, start_at: t(5) },
      { variable: { system: LOINC, code: "8867-4" }, value: 72, unit: "/min", start_at: t(2) },
      { variable: { system: LOINC, code: "8867-4" }, value: 60, unit: "/min", start_at: t(6), end_at: t(5) },
      { variable: { system: LOINC, code: "8867-4" }, value: 60, unit: "/min", start_at: "2999-01-01T00:00:00Z" },
    ]);
    const result = await deliver(message);
    expect(result.explicitAcks).toHaveLength(1);
    const job = await getJob(handle.db, tenantId, message.job_id);
    expect(job).toMatchObject({
      status: "completed_with_issues",
      received: 9,
      stored: 4,
      flagged: 1,
      duplicates: 1,
      rejected: 4,
    });
    const stored = await rows(message.job_id);
    expect(stored.map((r) => r.code)).toEqual(["2339-0", "29463-7", "8867-4", "8867-4"]);
    expect(stored[0]?.value).toBeCloseTo(5.5508, 3);
    expect(stored[0]).toMatchObject({ unit: "mmol/L", original_value: 100, original_unit: "mg/dL" });
    expect(stored[1]?.value).toBeCloseTo(83.91, 2);
    expect(stored[1]).toMatchObject({ unit: "kg", original_unit: "[lb_av]" });
    expect(stored[3]).toMatchObject({ value: 400, is_valid: false });
    // Ids are UUIDv7 (RFC 9562 §5.7: version nibble 7, variant 10), as for a file's rows (mapper.test.ts).
    for (const { id } of stored)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const issues = await handle.client.query<{ item_index: number; code: string }>(
      "select item_index, code from ingest_issues where job_id = $1 order by item_index",
      [message.job_id],
    );
    expect(issues.rows.map((i) => `${i.item_index}:${i.code}`)).toEqual(
      expect.arrayContaining([
        "3:out_of_range",
        "4:unit_incommensurable",
        "5:unknown_variable",
        "6:duplicate_in_batch",
        "7:end_before_start",
        "8:in_future",
      ]),
    );
  });

  it("binds a client's writes to sources it may use: another app's own source is refused per item", async () => {
    const appA = await clientSource(handle.db, tenantId, "app-a", "App A");
    const { rows: slugRows } = await handle.client.query<{ slug: string }>("select slug from sources where id = $1", [
      appA,
    ]);
    const aSlug = slugRows[0]?.slug ?? "";
    const own = (await handle.client.query<{ slug: string }>("select slug from sources where id = $1", [sourceId]))
      .rows[0]?.slug;
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 62, unit: "/min", start_at: t(50), source: aSlug },
      { variable: { system: LOINC, code: "8867-4" }, value: 63, unit: "/min", start_at: t(51), source: "my-scale" },
      { variable: { system: LOINC, code: "8867-4" }, value: 64, unit: "/min", start_at: t(52), source: own },
    ]);
    await deliver(message);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ stored: 2, rejected: 1 });
    const { rows: stored } = await handle.client.query<{ value: number; source_id: string }>(
      "select value, source_id from observations where job_id = $1 order by start_at",
      [message.job_id],
    );
    expect(stored.map((r) => r.value)).toEqual([63, 64]);
    expect(stored.some((r) => r.source_id === appA)).toBe(false);
    expect(stored[1]?.source_id).toBe(sourceId);
    const { rows: issues } = await handle.client.query<{ item_index: number; code: string; message: string }>(
      "select item_index, code, message from ingest_issues where job_id = $1",
      [message.job_id],
    );
    expect(issues).toEqual([expect.objectContaining({ item_index: 0, code: "source_not_permitted" })]);
    expect(issues[0]?.message).toContain(aSlug);
  });

  it("changes nothing when the same message is delivered twice", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 61, unit: "/min", start_at: t(30) },
    ]);
    await deliver(message);
    const again = await deliver(message);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await rows(message.job_id)).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ stored: 1, duplicates: 0 });
  });

  it("skips observations already stored by an earlier job and counts them as duplicates", async () => {
    const first = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 58, unit: "/min", start_at: t(40) },
    ]);
    await deliver(first);
    const second = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 58, unit: "/min", start_at: t(40) },
      { variable: { system: LOINC, code: "8867-4" }, value: 59, unit: "/min", start_at: t(41) },
    ]);
    await deliver(second);
    expect(await getJob(handle.db, tenantId, second.job_id)).toMatchObject({
      status: "completed",
      stored: 1,
      duplicates: 1,
    });
  });
});

describe("large batches staged in R2", () => {
  it("reads the sealed batch, stores it, and deletes the staged object", async () => {
    const observations: ObservationInput[] = Array.from({ length: 1500 }, (_, i) => ({
      variable: { system: LOINC, code: "8867-4" },
      value: 60 + (i % 20),
      unit: "/min",
      start_at: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(),
    }));
    const message = await newJob(observations);
    const keys = JSON.parse(ingestEnv.AUTH_MASTER_KEYS) as Record<string, string>;
    const key = `ingest/${tenantId}/${message.job_id}.json`;
    await ingestEnv.INGEST_STAGING.put(
      key,
      await seal(JSON.stringify(observations), { key: keys.k1 ?? "", keyId: "k1", aad: `ingest:${message.job_id}` }),
    );
    const result = await deliver({ ...message, payload: { kind: "r2", key } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "completed", stored: 1500 });
    expect(await ingestEnv.INGEST_STAGING.head(key)).toBeNull();
  });
});

describe("large batches sent gzipped", () => {
  it("gunzips the batch from the message and stores it", async () => {
    const observations: ObservationInput[] = Array.from({ length: 1200 }, (_, i) => ({
      variable: { system: LOINC, code: "8867-4" },
      value: 50 + (i % 30),
      unit: "/min",
      start_at: new Date(Date.UTC(2025, 6, 1) + i * 60_000).toISOString(),
    }));
    const message = await newJob(observations);
    const data = await gzipText(JSON.stringify(observations));
    const result = await deliver({ ...message, payload: { kind: "gzip", data } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "completed", stored: 1200 });
    const stored = await rows(message.job_id);
    expect(stored[0]).toMatchObject({ code: "8867-4", value: 50, unit: "/min" });
    expect(stored[1199]).toMatchObject({ value: 79 });
  });
});

describe("retry backoff", () => {
  it("doubles from 5 seconds and stops growing at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(backoffSeconds)).toEqual([5, 10, 20, 40, 80, 160, 300, 300]);
  });
});

describe("its config", () => {
  it("retries the whole batch, storing nothing, while a setting does not parse, and names the setting", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 61, unit: "/min", start_at: t(70) },
    ]);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const unconfigured = { ...ingestEnv, AUTH_MASTER_KEY_ID: "k9" } as IngestEnv;
      const refused = await deliver(message, "dfda-ingest", unconfigured, 1);
      expect(refused.retryBatch.retry).toBe(true);
      expect(refused.explicitAcks).toHaveLength(0);
      expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "queued", stored: 0 });
      const line = logged.mock.calls.map((call) => String(call[0])).find((l) => l.includes("config_invalid"));
      expect(JSON.parse(line ?? "{}")).toMatchObject({
        worker: "dfda-ingest",
        issues: [{ variable: "AUTH_MASTER_KEYS" }],
      });
    } finally {
      logged.mockRestore();
    }
    const stored = await deliver(message, "dfda-ingest", ingestEnv, 2);
    expect(stored.explicitAcks).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "completed", stored: 1 });
  });
});

describe("the database failing", () => {
  it("retries with backoff while the database is down, then stores everything once it is back", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 66, unit: "/min", start_at: t(50) },
    ]);
    const down = {
      ...ingestEnv,
      HYPERDRIVE: { ...ingestEnv.HYPERDRIVE, connectionString: "postgres://postgres:x@127.0.0.1:1/none" },
    } as IngestEnv;
    const failed = await deliver(message, "dfda-ingest", down, 1);
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.explicitAcks).toHaveLength(0);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "queued", stored: 0 });
    const recovered = await deliver(message, "dfda-ingest", ingestEnv, 2);
    expect(recovered.explicitAcks).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ status: "completed", stored: 1 });
  });

  it("rolls back a write that fails mid-batch, and the retry stores every row exactly once", async () => {
    const observations: ObservationInput[] = Array.from({ length: 3000 }, (_, i) => ({
      variable: { system: LOINC, code: "8867-4" },
      value: 70,
      unit: "/min",
      start_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    }));
    const message = await newJob(observations);
    // The 2,500th row of this job raises, as a server failing in the middle of the batch would.
    await handle.client.query(`
      create or replace function fail_mid_batch() returns trigger language plpgsql as $$
      begin
        if new.job_id = '${message.job_id}' and (select count(*) from observations where job_id = new.job_id) >= 2499 then
          raise exception 'simulated failure mid-batch';
        end if;
        return new;
      end $$;
      create trigger fail_mid_batch before insert on observations for each row execute function fail_mid_batch();`);
    try {
      const failed = await deliver({ ...message, payload: { kind: "inline", observations } });
      expect(failed.retryMessages).toHaveLength(1);
      expect(await rows(message.job_id)).toHaveLength(0);
      const job = await getJob(handle.db, tenantId, message.job_id);
      expect(job?.status).toBe("processing");
      expect(job?.error).toContain("simulated failure mid-batch");
    } finally {
      await handle.client.query("drop trigger fail_mid_batch on observations; drop function fail_mid_batch();");
    }
    const retried = await deliver(
      { ...message, payload: { kind: "inline", observations } },
      "dfda-ingest",
      ingestEnv,
      2,
    );
    expect(retried.explicitAcks).toHaveLength(1);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({
      status: "completed",
      stored: 3000,
      duplicates: 0,
    });
    const count = await handle.client.query("select count(*)::int as n from observations where job_id = $1", [
      message.job_id,
    ]);
    expect(count.rows[0]).toEqual({ n: 3000 });
    // The trigger counts the job's rows before each insert (quadratic on purpose): give it time on a busy machine.
  }, 30_000);

  it("marks the job failed, with the reason, when its message reaches the dead-letter queue", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 66, unit: "/min", start_at: t(55) },
    ]);
    await handle.client.query("update ingest_jobs set error = 'attempt 6 failed: connection refused' where id = $1", [
      message.job_id,
    ]);
    const result = await deliver(message, "dfda-ingest-dlq", ingestEnv, 7);
    expect(result.explicitAcks).toHaveLength(1);
    const job = await getJob(handle.db, tenantId, message.job_id);
    expect(job?.status).toBe("failed");
    expect(job?.error).toMatch(/gave up after 7 attempts: attempt 6 failed: connection refused/);
  });
});

describe("the user's writer", () => {
  it("refuses a write by someone other than the owner, and the job fails", async () => {
    const other = (
      await createUser(handle.db, {
        tenantId,
        email: `o-${uuidv7()}@example.org`,
        passwordHash: null,
        roles: ["data_owner"],
      })
    ).id;
    const message = await newJob(
      [{ variable: { system: LOINC, code: "8867-4" }, value: 66, unit: "/min", start_at: t(58) }],
      userId,
      other,
    );
    await deliver(message);
    const job = await getJob(handle.db, tenantId, message.job_id);
    expect(job).toMatchObject({ status: "failed", stored: 0 });
    expect(await rows(message.job_id)).toHaveLength(0);
  });

  it("drops a message that is not an ingestion message instead of retrying it forever", async () => {
    const result = await deliver({ v: 99 });
    expect(result.explicitAcks).toHaveLength(1);
  });

  it("fails the job a malformed message names, with the reason, instead of leaving it queued", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 66, unit: "/min", start_at: t(59) },
    ]);
    const result = await deliver({ ...message, payload: { kind: "carrier-pigeon" } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    const job = await getJob(handle.db, tenantId, message.job_id);
    expect(job).toMatchObject({ status: "failed", stored: 0 });
    expect(job?.error).toMatch(/^its queued message could not be read \(payload/);
    expect(await rows(message.job_id)).toHaveLength(0);

    // The same in the dead-letter queue's consumer; a job already finished is left as it was.
    const done = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 67, unit: "/min", start_at: t(59) },
    ]);
    await deliver(done);
    expect((await getJob(handle.db, tenantId, done.job_id))?.status).toMatch(/^completed/);
    const dead = await deliver({ ...done, payload: null }, "dfda-ingest-dlq", ingestEnv, 7);
    expect(dead.explicitAcks).toHaveLength(1);
    expect((await getJob(handle.db, tenantId, done.job_id))?.status).toMatch(/^completed/);
  });
});

describe("tenant settings", () => {
  it("let a tenant reject what the variable would only flag", async () => {
    const strict = await createTenant(handle.db, { slug: `strict-${uuidv7().slice(-8)}`, name: "Strict" });
    const hrId = (
      await handle.client.query<{ variable_id: string }>(
        "select variable_id from variable_codes where system = 'http://loinc.org' and code = '8867-4'",
      )
    ).rows[0]?.variable_id;
    await handle.client.query("update tenants set settings = $2 where id = $1", [
      strict.id,
      JSON.stringify({ range_severity: { [hrId ?? ""]: "reject" } }),
    ]);
    const member = (
      await createUser(handle.db, {
        tenantId: strict.id,
        email: `s-${uuidv7()}@example.org`,
        passwordHash: null,
        roles: ["data_owner"],
      })
    ).id;
    const src = await clientSource(handle.db, strict.id, "test-app", "Test app");
    const { job } = await createJob(handle.db, {
      tenantId: strict.id,
      userId: member,
      clientId: "test-app",
      sourceId: src,
      kind: "observations",
      idempotencyKey: null,
      requestHash: null,
      received: 1,
    });
    await deliver({
      v: 1,
      job_id: job.id,
      tenant_id: strict.id,
      user_id: member,
      actor_user_id: member,
      client_id: "test-app",
      default_source_id: src,
      payload: {
        kind: "inline",
        observations: [{ variable: { system: LOINC, code: "8867-4" }, value: 400, unit: "/min", start_at: t(0) }],
      },
    });
    expect(await getJob(handle.db, strict.id, job.id)).toMatchObject({
      status: "completed_with_issues",
      stored: 0,
      rejected: 1,
      flagged: 0,
    });
  });
});

describe("censored values (issue 15)", () => {
  it("stores each value's comparator with its converted bound, refuses one on a coded variable, and keeps bounds out of the rollups' values", async () => {
    const message = await newJob([
      { variable: { system: LOINC, code: "2339-0" }, value: 90, unit: "mg/dL", comparator: "<", start_at: t(30) },
      { variable: { system: LOINC, code: "8867-4" }, value: 250, unit: "/min", comparator: ">=", start_at: t(31) },
      { variable: { system: LOINC, code: "8867-4" }, value: 80, unit: "/min", start_at: t(32) },
      { variable: { system: LOINC, code: "883-9" }, value: 5, comparator: "<", start_at: t(33) },
    ]);
    await deliver(message);
    expect(await getJob(handle.db, tenantId, message.job_id)).toMatchObject({ stored: 3, rejected: 1 });
    const { rows: stored } = await handle.client.query<{
      value: number;
      comparator: string | null;
      original_value: number;
      is_outlier: boolean;
    }>("select value, comparator, original_value, is_outlier from observations where job_id = $1 order by start_at", [
      message.job_id,
    ]);
    expect(stored.map((r) => [r.comparator, r.original_value])).toEqual([
      ["<", 90],
      [">=", 250],
      [null, 80],
    ]);
    expect(stored[0]?.value).toBeCloseTo(4.9957, 3);
    const { rows: issues } = await handle.client.query<{ item_index: number; code: string; message: string }>(
      "select item_index, code, message from ingest_issues where job_id = $1 and severity = 'error'",
      [message.job_id],
    );
    expect(issues).toEqual([{ item_index: 3, code: "value_type", message: expect.stringContaining("comparator (<)") }]);
    // The heart-rate hour holds both rows but only the exact one's value.
    const { rows: hour } = await handle.client.query<{ count: number; value_count: number; max: number }>(
      `select count, value_count, max from observation_hourly h join variable_codes vc on vc.variable_id = h.variable_id
       where h.user_id = $1 and vc.system = 'http://loinc.org' and vc.code = '8867-4' and h.hour = '2026-01-01T08:00:00Z'`,
      [userId],
    );
    expect(hour[0]?.count).toBeGreaterThan(hour[0]?.value_count ?? 0);
    expect(hour[0]?.max).toBeLessThan(250);
  });
});

describe("hourly rollups", () => {
  it("match the stored rows exactly after every test above (duplicates, redeliveries and failed writes add nothing)", async () => {
    const sameHourRows = await newJob([
      { variable: { system: LOINC, code: "8867-4" }, value: 70, unit: "/min", start_at: t(50) },
      { variable: { system: LOINC, code: "8867-4" }, value: 90, unit: "/min", start_at: t(51) },
    ]);
    await deliver(sameHourRows);
    await deliver(sameHourRows);
    const query = (from: string) =>
      handle.client.query<{ variable_id: string; hour: Date; count: number; value_count: number; sum: number | null }>(
        `${from} order by variable_id, hour`,
        [tenantId, userId],
      );
    const rollups = await query(
      "select variable_id, hour, count, value_count, sum from observation_hourly where tenant_id = $1 and user_id = $2",
    );
    const recomputed = await query(
      `select variable_id, date_trunc('hour', start_at, 'UTC') as hour, count(*)::int as count,
              -- A censored value counts as an observation but adds no value (ROLLUP_VALUE).
              (count(value) filter (where comparator is null))::int as value_count,
              sum(value) filter (where comparator is null) as sum
       from observations where tenant_id = $1 and user_id = $2 and is_valid group by 1, 2`,
    );
    expect(rollups.rows.length).toBeGreaterThan(0);
    expect(rollups.rows).toEqual(recomputed.rows);
    const heartRateHour = rollups.rows.find((r) => r.hour.toISOString() === "2026-01-01T08:00:00.000Z" && r.count >= 2);
    expect(heartRateHour).toBeDefined();
  });
});
