/**
 * Pending values in exports (issue 15: a person exporting their data gets everything the platform
 * accepted). Values held under a local code no mapping resolves yet are written after the
 * observations: in JSON as the `pending` array, in CSV as records with `status` `pending` (FHIR NDJSON:
 * test/node/export-fhir.test.ts, validated against the R4 definitions). Those of a file job still
 * running or failed are not part of the record and stay out, as do another person's; filters apply as
 * the route documents them; values the person deleted are not exported afterwards; the archive with
 * filters includes the file a pending value came from. Real Postgres, local R2, the exporter's own run.
 */
import { env } from "cloudflare:workers";
import { type ExportFilters, type ExportFormat, type ExportMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { deleteObservations } from "@dfda/db/repositories/erasure";
import { createExport, type ExportRecord, exportAad, exportDataKey, getExport } from "@dfda/db/repositories/exports";
import { newFileKey } from "@dfda/db/repositories/file-keys";
import { insertFile } from "@dfda/db/repositories/files";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { createJob } from "@dfda/db/repositories/jobs";
import { getDecrypted, parseMasterKeyring, putEncrypted } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExporterEnv, runExport } from "./index";

const exporterEnv = env as unknown as ExporterEnv;
const keyring = parseMasterKeyring(exporterEnv.AUTH_MASTER_KEYS, exporterEnv.AUTH_MASTER_KEY_ID);
const LOCAL = "urn:dfda:local:hl7v2:LAB^GENERAL%20HOSPITAL";

let handle: DbHandle;
let tenantId: string;
let userId: string;
let labSource: string;
let watchSource: string;
/** The uploaded file the lab's pending values came from. */
let fileId: string;
const fileBytes = new TextEncoder().encode("MSH|^~\\&|LAB|GENERAL HOSPITAL|||20260301||ORU^R01|1|P|2.5.1\r");

async function makeUser(): Promise<string> {
  return (await createUser(handle.db, { tenantId, email: `p-${uuidv7()}@example.org`, passwordHash: null, roles: [] }))
    .id;
}

/** A file job of `user` in the given state (pending values of a job not finished are not exported). */
async function job(user: string, source: string, status: "completed" | "processing" | "failed"): Promise<string> {
  const { job } = await createJob(handle.db, {
    tenantId,
    userId: user,
    clientId: null,
    sourceId: source,
    kind: "file",
    idempotencyKey: null,
    requestHash: null,
    received: 1,
  });
  await handle.client.query("update ingest_jobs set status = $2 where id = $1", [job.id, status]);
  return job.id;
}

async function hold(
  user: string,
  code: string,
  display: string | null,
  observation: Record<string, unknown>,
  from: { source: string; jobId: string | null; fileId?: string },
): Promise<string> {
  const id = uuidv7();
  await handle.client.query(
    `insert into pending_observations (id, tenant_id, user_id, system, code, display, observation, source_id, file_id,
       job_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      tenantId,
      user,
      LOCAL,
      code,
      display,
      JSON.stringify(observation),
      from.source,
      from.fileId ?? null,
      from.jobId,
    ],
  );
  return id;
}

/** Ids of the held values, by name. */
const held: Record<string, string> = {};

beforeAll(async () => {
  handle = await connect(exporterEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `pend-${uuidv7().slice(-8)}`, name: "Pending exports" })).id;
  userId = await makeUser();
  labSource = await clientSource(handle.db, tenantId, "lab", "Lab");
  watchSource = await clientSource(handle.db, tenantId, "watch", "Watch");

  fileId = uuidv7();
  const key = await newFileKey(handle.db, keyring, { tenantId, userId, fileId });
  const r2Key = `test/${userId}/${fileId}`;
  await putEncrypted(exporterEnv.FILES, r2Key, new Blob([fileBytes]).stream(), key.dataKey, fileId);
  await insertFile(handle.db, {
    id: fileId,
    tenantId,
    userId,
    sourceId: labSource,
    originalName: "labs.hl7",
    contentType: "application/hl7-v2",
    format: "hl7v2",
    sizeBytes: fileBytes.byteLength,
    sha256: fileId,
    r2Key,
    keyVersion: key.keyVersion,
    wrappedKey: key.wrappedKey,
    status: "mapped",
    mapping: null,
  });

  // One stored observation (heart rate, from the watch).
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     select gen_random_uuid(), $1, $2, v.id, v.version, '2026-03-01T06:00:00Z', 61, '/min', 61, '/min', $3
     from variables v where v.tenant_id = $4 and v.slug = 'heart-rate' and v.valid_to is null`,
    [tenantId, userId, watchSource, SYSTEM_TENANT_ID],
  );

  const done = await job(userId, labSource, "completed");
  const lab = { source: labSource, jobId: done, fileId };
  held.below = await hold(
    userId,
    "K-GLU",
    "Glucose, local",
    {
      value: 0.5,
      comparator: "<",
      unit: "mmol/l",
      start_at: "2026-03-01T08:00:00+01:00",
      note: 'drawn late, "haemolysed"',
    },
    lab,
  );
  held.above = await hold(
    userId,
    "K-GLU",
    "Glucose, local",
    {
      value: 10,
      comparator: ">=",
      unit: "mmol/l",
      start_at: "2026-03-05T08:00:00Z",
    },
    lab,
  );
  held.coded = await hold(userId, "X-PHEN", null, { value: "=POS", start_at: "2026-03-02T08:00:00Z" }, lab);
  // From the watch, outside any job: a boolean over a period.
  held.flag = await hold(
    userId,
    "W-WORN",
    "Worn",
    { value: true, start_at: "2026-03-03T00:00:00Z", end_at: "2026-03-04T00:00:00Z" },
    { source: watchSource, jobId: null },
  );
  // Not part of the record: staged by a job still running, and by a failed one.
  await hold(
    userId,
    "K-GLU",
    null,
    { value: 1, start_at: "2026-03-01T09:00:00Z" },
    {
      source: labSource,
      jobId: await job(userId, labSource, "processing"),
    },
  );
  await hold(
    userId,
    "K-GLU",
    null,
    { value: 2, start_at: "2026-03-01T10:00:00Z" },
    {
      source: labSource,
      jobId: await job(userId, labSource, "failed"),
    },
  );
  // Another person's, at the same instant.
  const other = await makeUser();
  await hold(
    other,
    "K-GLU",
    "Glucose, local",
    { value: 0.5, comparator: "<", start_at: "2026-03-01T07:00:00Z" },
    {
      source: labSource,
      jobId: null,
    },
  );
});
afterAll(async () => handle.close());

function message(record: ExportRecord): ExportMessage {
  return { v: 1, type: "export", export_id: record.id, tenant_id: tenantId, user_id: userId, base_url: "https://x" };
}

/** Runs an export of the person's data and returns its record and decrypted content. */
async function exported(
  format: ExportFormat,
  filters: ExportFilters = {},
  includeFiles = false,
  user = userId,
): Promise<{ record: ExportRecord; bytes: Uint8Array }> {
  const created = await createExport(handle.db, {
    tenantId,
    userId: user,
    requestedBy: user,
    format,
    filters,
    includeFiles,
  });
  const outcome = await runExport(exporterEnv, handle.db, { ...message(created), user_id: user }, { pageSize: 2 });
  expect(outcome.status).toBe("completed");
  const record = await getExport(handle.db, { tenantId, userId: user }, created.id);
  if (!record) throw new Error("export gone");
  const dataKey = await exportDataKey(handle.db, keyring, record);
  const stream = await getDecrypted(
    exporterEnv.EXPORTS,
    record.r2Key ?? "",
    dataKey,
    exportAad(record.id),
    record.sizeBytes ?? 0,
  );
  return { record, bytes: new Uint8Array(await new Response(stream).arrayBuffer()) };
}

interface JsonExport {
  observations: Array<{ id: string; variable: { slug: string } }>;
  pending: Array<Record<string, unknown>>;
}

async function jsonExport(filters: ExportFilters = {}, user = userId): Promise<JsonExport> {
  const { bytes } = await exported("json", filters, false, user);
  return JSON.parse(new TextDecoder().decode(bytes)) as JsonExport;
}

const ids = (doc: JsonExport) => doc.pending.map((p) => p.id);

/** RFC 4180 records (quoted fields, doubled quotes, CRLF after every record). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += ch;
  }
  return records;
}

describe("an export holds the person's pending values", () => {
  it("JSON: a `pending` array after the observations, each value as received with its local coding", async () => {
    const { record, bytes } = await exported("json", {}, false);
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as JsonExport;
    expect(doc.observations.map((o) => o.variable.slug)).toEqual(["heart-rate"]);
    // By local code, then time; only the settled values of this person.
    expect(doc.pending).toEqual([
      {
        id: held.below,
        status: "pending",
        code: { system: LOCAL, code: "K-GLU", display: "Glucose, local" },
        start_at: "2026-03-01T07:00:00Z",
        end_at: null,
        value: 0.5,
        comparator: "<",
        unit: "mmol/l",
        source: "client-lab",
        note: 'drawn late, "haemolysed"',
        file_id: fileId,
        received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      },
      expect.objectContaining({ id: held.above, start_at: "2026-03-05T08:00:00Z", value: 10, comparator: ">=" }),
      expect.objectContaining({
        id: held.flag,
        code: { system: LOCAL, code: "W-WORN", display: "Worn" },
        start_at: "2026-03-03T00:00:00Z",
        end_at: "2026-03-04T00:00:00Z",
        value: true,
        comparator: null,
        unit: null,
        source: "client-watch",
        file_id: null,
      }),
      expect.objectContaining({
        id: held.coded,
        code: { system: LOCAL, code: "X-PHEN", display: null },
        value: "=POS",
      }),
    ]);
    // Progress counts them: 1 observation and 4 pending values.
    expect(record).toMatchObject({ status: "completed", rowsWritten: 5, totalRows: 5 });
  });

  it("JSON: an empty `pending` array when there are none", async () => {
    const nobody = await makeUser();
    expect(await jsonExport({}, nobody)).toEqual(expect.objectContaining({ observations: [], pending: [] }));
  });

  it("CSV: one table, the pending values last with status `pending` and their coding", async () => {
    const { bytes } = await exported("csv");
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines.pop()).toBe("");
    const header = (lines[0] ?? "").split(",");
    expect(header.slice(-4)).toEqual(["status", "code_system", "code", "code_display"]);
    const records = parseCsv(
      lines
        .slice(1)
        .map((l) => `${l}\r\n`)
        .join(""),
    );
    expect(records).toHaveLength(5);
    const column = (record: string[] | undefined, name: string) => record?.[header.indexOf(name)];
    expect(records.map((r) => column(r, "status"))).toEqual(["stored", "pending", "pending", "pending", "pending"]);
    expect(column(records[0], "code_system")).toBe("");
    const below = records[1];
    expect(column(below, "id")).toBe(held.below);
    expect(column(below, "code_system")).toBe(LOCAL);
    expect(column(below, "code")).toBe("K-GLU");
    expect(column(below, "code_display")).toBe("Glucose, local");
    expect(column(below, "variable")).toBe("");
    expect(column(below, "value")).toBe("0.5");
    expect(column(below, "comparator")).toBe("<");
    expect(column(below, "unit")).toBe("mmol/l");
    expect(column(below, "original_value")).toBe("0.5");
    expect(column(below, "original_unit")).toBe("mmol/l");
    expect(column(below, "note")).toBe('drawn late, "haemolysed"');
    expect(column(below, "is_valid")).toBe("");
    // A coded result that a spreadsheet would run as a formula is defused like any text.
    expect(column(records[4], "value")).toBe("'=POS");
    expect(column(records[3], "value")).toBe("true");
    expect(column(records[3], "original_value")).toBe("");
  });
});

describe("filters", () => {
  it("apply to pending values by time and source; variables and categories name none of them", async () => {
    expect(ids(await jsonExport({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-05T00:00:00.000Z" }))).toEqual([
      held.flag,
      held.coded,
    ]);
    expect(ids(await jsonExport({ sources: ["client-watch"] }))).toEqual([held.flag]);
    const byCategory = await jsonExport({ categories: ["vital_signs"] });
    expect(byCategory.observations).toHaveLength(1);
    expect(byCategory.pending).toEqual([]);
    const { rows } = await handle.client.query<{ id: string }>(
      "select id from variables where tenant_id = $1 and slug = 'heart-rate' and valid_to is null",
      [SYSTEM_TENANT_ID],
    );
    expect((await jsonExport({ variables: rows.map((r) => r.id) })).pending).toEqual([]);
  });

  it("the archive with filters includes the file a pending value came from", async () => {
    const { bytes } = await exported("json", { sources: ["client-lab"] }, true);
    // The ZIP stores entries uncompressed (zip.ts): the manifest, the one pretty-printed entry, is readable
    // in the bytes up to its closing brace, the only one at the start of a line.
    const text = new TextDecoder().decode(bytes);
    const start = text.indexOf('{\n  "export"');
    const manifest = JSON.parse(text.slice(start, text.indexOf("\n}\n", start) + 2)) as {
      observations: { count: number; pending: number };
      files: Array<{ id: string; sha256: string }>;
    };
    expect(manifest.observations).toMatchObject({ count: 3, pending: 3 });
    expect(manifest.files.map((f) => f.id)).toEqual([fileId]);
  });
});

describe("after the person deletes values", () => {
  it("exports none of the pending values they deleted", async () => {
    const other = await makeUser();
    const keep = await hold(
      other,
      "K-GLU",
      null,
      { value: 4, start_at: "2026-04-02T00:00:00Z" },
      {
        source: labSource,
        jobId: null,
      },
    );
    await hold(
      other,
      "K-GLU",
      null,
      { value: 5, start_at: "2026-04-01T00:00:00Z" },
      { source: labSource, jobId: null },
    );
    expect(await deleteObservations(handle.db, tenantId, other, { to: new Date("2026-04-02T00:00:00Z") })).toBe(1);
    expect(ids(await jsonExport({}, other))).toEqual([keep]);
  });
});
