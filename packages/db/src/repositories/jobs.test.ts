/**
 * Both ways observations are stored, against the real PostgreSQL server of the test run: an
 * observation batch (`commitBatchJob`) and a mapped file's staged rows (`commitFileJob`) insert through
 * the one statement of `observations.ts`, so every stored row has a version-7 UUID (RFC 9562 §5.7)
 * whose timestamp is the time it was stored, whichever path it took.
 */
import { type NormalizedRow, uuidv7 } from "@dfda/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { insertFile } from "./files";
import { createTenant, createUser } from "./identity";
import { clientSource } from "./ingest";
import { commitBatchJob, commitFileJob, createJob, getJob, stageRows } from "./jobs";

let handle: DbHandle;
let tenantId: string;
let userId: string;
let sourceId: string;
let weight: { id: string; version: number };

/** RFC 9562 §4.1–4.2: version nibble 7 (first digit of the third group), variant 10 (8, 9, a or b). */
const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix time in milliseconds at the front of a UUIDv7 (RFC 9562 §5.7). */
function uuidv7Millis(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}

function row(minute: number, kg: number): NormalizedRow {
  return {
    index: minute,
    variable_id: weight.id,
    variable_version: weight.version,
    start_at: new Date(Date.UTC(2026, 0, 1, 8, minute)).toISOString(),
    end_at: null,
    value: kg,
    value_text: null,
    value_code: null,
    value_boolean: null,
    unit: "kg",
    original_value: kg,
    original_unit: "kg",
    source_id: sourceId,
    is_valid: true,
    is_outlier: false,
    note: null,
    metadata: { minute },
  };
}

async function storedIds(jobId: string): Promise<string[]> {
  const { rows } = await handle.client.query<{ id: string }>(
    "select id from observations where tenant_id = $1 and job_id = $2 order by start_at",
    [tenantId, jobId],
  );
  return rows.map((r) => r.id);
}

function newJob(kind: "observations" | "file", fileId?: string) {
  return createJob(handle.db, {
    tenantId,
    userId,
    clientId: null,
    sourceId,
    kind,
    ...(fileId === undefined ? {} : { fileId }),
    idempotencyKey: null,
    requestHash: null,
    received: 0,
  });
}

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  tenantId = (await createTenant(handle.db, { slug: `jobs-${uuidv7()}`, name: "Jobs" })).id;
  userId = (await createUser(handle.db, { tenantId, email: "jobs@example.org", passwordHash: null, roles: [] })).id;
  sourceId = await clientSource(handle.db, tenantId, "jobs-test", "Jobs test");
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select v.id, v.version from variables v join variable_codes c on c.variable_id = v.id where c.system = 'http://loinc.org' and c.code = '29463-7' and v.valid_to is null",
  );
  const found = rows[0];
  if (!found) throw new Error("LOINC 29463-7 (body weight) is not seeded");
  weight = found;
});

afterAll(async () => {
  await handle?.close();
});

describe("the one observation insert", () => {
  it("gives an observation stored from a batch a version-7 id of the time it was stored", async () => {
    const { job } = await newJob("observations");
    const before = Date.now();
    const result = await commitBatchJob(handle.db, {
      job_id: job.id,
      tenant_id: tenantId,
      user_id: userId,
      actor: { user_id: userId, client_id: null },
      rows: [row(0, 70.1), row(1, 70.2)],
      issues: [],
      counts: { rejected: 0, duplicates_in_batch: 0, flagged: 0, outliers: 0 },
    });
    const after = Date.now();
    expect(result).toEqual({ status: "completed", stored: 2, duplicates: 0 });
    const ids = await storedIds(job.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      expect(id).toMatch(UUIDV7);
      // The database's clock and this process's are the same machine's.
      expect(uuidv7Millis(id)).toBeGreaterThanOrEqual(before - 1_000);
      expect(uuidv7Millis(id)).toBeLessThanOrEqual(after + 1_000);
    }
    expect(new Set(ids).size).toBe(2);
  });

  it("gives an observation stored from a mapped file a version-7 id too", async () => {
    const fileId = uuidv7();
    await insertFile(handle.db, {
      id: fileId,
      tenantId,
      userId,
      sourceId,
      originalName: "weights.csv",
      contentType: "text/csv",
      format: "csv",
      sizeBytes: 64,
      sha256: "0".repeat(64),
      r2Key: `test/${fileId}.csv`,
      keyVersion: 1,
      wrappedKey: "unused: this test never reads the file's bytes",
      status: "processing",
      mapping: null,
    });
    const { job } = await newJob("file", fileId);
    // Minute 2 twice: the first staged row of a key is the one stored.
    await stageRows(handle.db, tenantId, job.id, 0, [row(2, 71.0), row(2, 99.0), row(3, 71.2)], []);
    const before = Date.now();
    const result = await commitFileJob(handle.db, {
      tenantId,
      userId,
      jobId: job.id,
      fileId,
      mapperId: "csv",
      mapperVersion: "1",
      received: 3,
      counts: { rejected: 0, duplicates_in_batch: 0, flagged: 0, outliers: 0 },
      hasIssues: false,
    });
    const after = Date.now();
    expect(result).toEqual({ status: "completed", stored: 2, duplicates: 1 });
    const { rows } = await handle.client.query<{ id: string; value: number; file_id: string; metadata: unknown }>(
      "select id, value, file_id, metadata from observations where tenant_id = $1 and job_id = $2 order by start_at",
      [tenantId, job.id],
    );
    expect(rows.map((r) => [r.value, r.file_id, r.metadata])).toEqual([
      [71.0, fileId, { minute: 2 }],
      [71.2, fileId, { minute: 3 }],
    ]);
    for (const { id } of rows) {
      expect(id).toMatch(UUIDV7);
      expect(uuidv7Millis(id)).toBeGreaterThanOrEqual(before - 1_000);
      expect(uuidv7Millis(id)).toBeLessThanOrEqual(after + 1_000);
    }
    expect((await getJob(handle.db, tenantId, job.id))?.status).toBe("completed");
  });
});
