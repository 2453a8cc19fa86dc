/**
 * The exporter Worker in the Workers runtime against the real database and local R2: a 50,000-row
 * export streams through encryption into R2 in multipart parts while its rows are still being read
 * (memory stays at a page plus a part), and decrypts back to every row; a redelivered message changes
 * nothing; the dead-letter queue marks an export failed; an export whose owner is erased meanwhile
 * leaves no object; the Cron deletes expired exports.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type ExportFormat, type ExportMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createExport, type ExportRecord, exportAad, exportDataKey, getExport } from "@dfda/db/repositories/exports";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { getDecrypted, parseMasterKeyring, R2_MIN_PART_SIZE, type R2Like } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exporter, { deleteExpiredExports, type ExporterEnv, runExport } from "./index";

const exporterEnv = env as unknown as ExporterEnv;
const keyring = parseMasterKeyring(exporterEnv.AUTH_MASTER_KEYS, exporterEnv.AUTH_MASTER_KEY_ID);
const BASE_URL = "http://127.0.0.1:8787";
let handle: DbHandle;
let tenantId: string;

async function makeUser(): Promise<string> {
  return (
    await createUser(handle.db, {
      tenantId,
      email: `x-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
}

/** `count` heart-rate readings, one a minute from 2026-01-01, for `userId`. */
async function seedHeartRate(userId: string, count: number): Promise<void> {
  const source = await clientSource(handle.db, tenantId, "test-watch", "Watch");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id, note)
     select gen_random_uuid(), $1, $2, v.id, v.version, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 minute',
            60 + i % 40, '/min', 60 + i % 40, '/min', $3, case when i % 1000 = 0 then 'checkpoint, "quoted"' end
     from generate_series(0, $4::int - 1) as i,
          (select id, version from variables where tenant_id = $5 and slug = 'heart-rate' and valid_to is null) v`,
    [tenantId, userId, source, count, SYSTEM_TENANT_ID],
  );
  // A fresh test database has no planner statistics yet (autovacuum analyzes production tables); without
  // them the planner may sort all of the person's rows for every page instead of range-scanning the index.
  if (count >= 1_000) await handle.client.query("analyze observations");
}

/** An export of all of a person's observations, without their files, as the API records it. */
function newExport(userId: string, format: ExportFormat): Promise<ExportRecord> {
  return createExport(handle.db, { tenantId, userId, requestedBy: userId, format, filters: {}, includeFiles: false });
}

function message(record: ExportRecord): ExportMessage {
  return {
    v: 1,
    type: "export",
    export_id: record.id,
    tenant_id: record.tenantId,
    user_id: record.userId,
    base_url: BASE_URL,
  };
}

/** The decrypted content of a completed export, as the download route reads it. */
async function decrypted(record: ExportRecord): Promise<string> {
  const dataKey = await exportDataKey(handle.db, keyring, record);
  const stream = await getDecrypted(
    exporterEnv.EXPORTS,
    record.r2Key ?? "",
    dataKey,
    exportAad(record.id),
    record.sizeBytes ?? 0,
  );
  return new Response(stream).text();
}

async function reload(record: ExportRecord): Promise<ExportRecord> {
  const again = await getExport(handle.db, { tenantId: record.tenantId, userId: record.userId }, record.id);
  if (again === null) throw new Error("export vanished");
  return again;
}

beforeAll(async () => {
  handle = await connect(exporterEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `exp-${uuidv7().slice(-8)}`, name: "Exports" })).id;
});
afterAll(async () => handle.close());

describe("a large export", () => {
  it("streams 50,000 rows into R2 in parts while still reading them, and decrypts back to every row", async () => {
    const userId = await makeUser();
    const total = 50_000;
    await seedHeartRate(userId, total);
    const record = await newExport(userId, "fhir-ndjson");

    // Watches the upload: at each part, how many rows had been read from the database by then.
    let rowsRead = 0;
    const parts: Array<{ bytes: number; rowsRead: number }> = [];
    const bucket: R2Like = {
      put: (key, value) => exporterEnv.EXPORTS.put(key, value),
      get: (key) => exporterEnv.EXPORTS.get(key),
      delete: (key) => exporterEnv.EXPORTS.delete(key),
      async createMultipartUpload(key) {
        const upload = await exporterEnv.EXPORTS.createMultipartUpload(key);
        return {
          uploadPart: async (n, value) => {
            parts.push({ bytes: value.byteLength, rowsRead });
            return upload.uploadPart(n, value);
          },
          complete: (uploaded) => upload.complete(uploaded),
          abort: () => upload.abort(),
        };
      },
    };
    const progress: number[] = [];
    const outcome = await runExport(exporterEnv, handle.db, message(record), {
      bucket,
      partSize: R2_MIN_PART_SIZE,
      pageSize: 1_000,
      onRows: (p) => {
        rowsRead = p.rows;
        progress.push(p.rows);
      },
    });
    expect(outcome).toMatchObject({ status: "completed", rows: total });

    // Many parts, the first sent long before the last rows were read.
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(parts[0]?.rowsRead).toBeLessThan(total / 3);
    // Bounded: at every part, the rows read but not yet uploaded fit in one part plus two pages.
    const done = await reload(record);
    const bytesPerRow = (done.sizeBytes ?? 0) / total;
    let uploaded = 0;
    for (const part of parts) {
      const pending = part.rowsRead * bytesPerRow - uploaded;
      expect(pending).toBeLessThan(R2_MIN_PART_SIZE + 2 * 1_000 * bytesPerRow * 1.5);
      uploaded += part.bytes;
    }
    // Progress was recorded page by page.
    expect(progress).toHaveLength(total / 1_000);
    expect(done).toMatchObject({ status: "completed", rowsWritten: total, totalRows: total, filesWritten: 0 });
    expect(done.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 86_000_000);

    // R2 holds ciphertext only; decrypted, one Observation per line, in time order.
    const raw = await exporterEnv.EXPORTS.get(done.r2Key ?? "");
    const head = new Uint8Array(await (raw?.arrayBuffer() ?? Promise.resolve(new ArrayBuffer(0)))).slice(0, 4096);
    expect(new TextDecoder().decode(head)).not.toContain("Observation");
    const lines = (await decrypted(done)).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(total);
    const first = JSON.parse(lines[0] ?? "{}");
    const last = JSON.parse(lines[total - 1] ?? "{}");
    expect(first).toMatchObject({
      resourceType: "Observation",
      effectiveDateTime: "2026-01-01T00:00:00Z",
      valueQuantity: { value: 60, code: "/min" },
      note: [{ text: 'checkpoint, "quoted"' }],
    });
    expect(last.effectiveDateTime).toBe(
      new Date(Date.UTC(2026, 0, 1) + (total - 1) * 60_000).toISOString().replace(".000", ""),
    );
  }, 120_000);
});

describe("the queue handler", () => {
  it("completes an export once: a redelivered message changes nothing", async () => {
    const userId = await makeUser();
    await seedHeartRate(userId, 30);
    const record = await newExport(userId, "csv");
    const batch = () =>
      createMessageBatch("dfda-exports", [{ id: uuidv7(), timestamp: new Date(), attempts: 1, body: message(record) }]);
    await exporter.queue(batch(), exporterEnv);
    const done = await reload(record);
    expect(done).toMatchObject({ status: "completed", rowsWritten: 30 });
    const text = await decrypted(done);
    expect(text.split("\r\n")).toHaveLength(32); // header, 30 rows, and the empty string after the last CRLF

    await exporter.queue(batch(), exporterEnv);
    const again = await reload(record);
    expect(again.completedAt).toEqual(done.completedAt);
    expect(again.wrappedKey).toBe(done.wrappedKey);
    expect(await decrypted(again)).toBe(text);
  });

  it("acks a malformed message and marks the export failed from the dead-letter queue", async () => {
    const userId = await makeUser();
    const record = await newExport(userId, "json");
    const bad = createMessageBatch("dfda-exports", [
      { id: uuidv7(), timestamp: new Date(), attempts: 1, body: { v: 1, type: "export" } },
    ]);
    await exporter.queue(bad, exporterEnv);
    expect((await reload(record)).status).toBe("queued");

    // A malformed message that still names its export fails that export at once.
    const other = await newExport(userId, "csv");
    const { base_url: _dropped, ...unreadable } = message(other);
    await exporter.queue(
      createMessageBatch("dfda-exports", [{ id: uuidv7(), timestamp: new Date(), attempts: 1, body: unreadable }]),
      exporterEnv,
    );
    expect(await reload(other)).toMatchObject({ status: "failed", error: expect.stringContaining("new one") });

    const dead = createMessageBatch("dfda-exports-dlq", [
      { id: uuidv7(), timestamp: new Date(), attempts: 4, body: message(record) },
    ]);
    await exporter.queue(dead, exporterEnv);
    expect(await reload(record)).toMatchObject({ status: "failed", error: expect.stringContaining("new one") });
    // A failed export is not run again.
    expect(await runExport(exporterEnv, handle.db, message(record))).toEqual({
      status: "skipped",
      reason: "not_runnable",
    });
  });

  it("leaves no object behind when the export is erased while it is written", async () => {
    const userId = await makeUser();
    await seedHeartRate(userId, 2_500);
    const record = await newExport(userId, "json");
    let key = "";
    const outcome = await runExport(exporterEnv, handle.db, message(record), {
      pageSize: 1_000,
      onRows: async () => {
        // The owner erases everything while the export is being written (the erasure deletes the row).
        const [row] = (
          await handle.client.query<{ r2_key: string }>("select r2_key from exports where id = $1", [record.id])
        ).rows;
        key = row?.r2_key ?? key;
        await handle.client.query("delete from exports where id = $1", [record.id]);
      },
    });
    expect(outcome).toEqual({ status: "skipped", reason: "erased" });
    expect(key).not.toBe("");
    expect(await exporterEnv.EXPORTS.head(key)).toBeNull();
  });
});

describe("the Cron", () => {
  it("deletes the objects of expired exports and keeps their rows", async () => {
    const userId = await makeUser();
    await seedHeartRate(userId, 5);
    const record = await newExport(userId, "fhir-ndjson");
    await runExport(exporterEnv, handle.db, message(record));
    const done = await reload(record);
    expect(await exporterEnv.EXPORTS.head(done.r2Key ?? "")).not.toBeNull();

    expect(await deleteExpiredExports(exporterEnv, new Date())).toBe(0);
    await handle.client.query("update exports set expires_at = now() - interval '1 second' where id = $1", [record.id]);
    expect(await deleteExpiredExports(exporterEnv, new Date())).toBeGreaterThanOrEqual(1);
    expect(await exporterEnv.EXPORTS.head(done.r2Key ?? "")).toBeNull();
    expect(await reload(record)).toMatchObject({ status: "completed", r2Key: null, wrappedKey: null });
  });
});
