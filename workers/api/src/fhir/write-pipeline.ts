/**
 * The pipeline a FHIR write goes through: the same one as every uploaded file (docs/architecture.md,
 * "Ingestion"), run synchronously for the request because FHIR clients expect the created resource's
 * id in the answer (R4 http.html §3.1.0.8 create, §3.1.0.11 transaction):
 *
 * 1. The posted bytes are the raw original: encrypted under a data key of the owner into R2 `FILES`,
 *    with a `files` row, exactly as `POST /v1/ingest/files` keeps them, so they are listed, exported
 *    with the originals and crypto-shredded with the person. The same bytes again are the same file
 *    (the upload's SHA-256 de-duplication), so a repeated identical POST writes nothing twice.
 * 2. A file job is created and mapped in-process by the mapper Worker's own `mapFile` (the FHIR mapper,
 *    the local-code rule that holds unknown codes pending, `prepareWrite`: units, ranges, times,
 *    duplicates, outliers), which stages the rows and issues as it does for a queued file.
 * 3. Any error the mapper or the validation reports refuses the whole write (no partial writes): the job
 *    is failed and the file and its staged values removed, before anything reaches the record.
 * 4. Otherwise the person's Durable Object writer commits the staged rows (`commitFile` over RPC, the
 *    call the ingest queue consumer makes): the write-side consent check for anyone but the owner, then
 *    one transaction with `INSERT … ON CONFLICT DO NOTHING`, so a measurement already stored (same
 *    variable, time and source) is not stored again.
 */
import { ApiError, type FieldError, type FileCommitMessage, fileObjectKey, userWriterName, uuidv7 } from "@dfda/core";
import type { Database } from "@dfda/db";
import { newFileKey } from "@dfda/db/repositories/file-keys";
import { deleteFile, type FileRecord, findFileBySha256, insertFile } from "@dfda/db/repositories/files";
import { createJob, listIssues, markJobFailed } from "@dfda/db/repositories/jobs";
import type { MapperEnv } from "@dfda/mapper-worker";
import { mapFile } from "@dfda/mapper-worker";
import { putEncrypted } from "@dfda/vault";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { sourceForClient } from "../lib/sources";
import type { AppEnv } from "../lib/types";

/** Who writes to whose record. */
export interface WriteParty {
  tenantId: string;
  /** Whose record (the Patient the resources are about). */
  ownerId: string;
  /** The signed-in person writing (the owner, or a grantee), null for an app acting for itself. */
  actorUserId: string | null;
  clientId: string;
}

/** A stored observation of the write, with the location in the posted document it was mapped from. */
export interface WrittenRow {
  id: string;
  /** The mapper's location (`$.valueQuantity`, `$.entry[1].resource.component[0].valueQuantity`). */
  location: string;
  /** Stored by this write (false: the same measurement was already stored). */
  created: boolean;
  createdAt: Date;
}

/** What the pipeline reported that is not an error (warnings, information, values held pending). */
export interface WriteIssue {
  code: string;
  severity: "error" | "warning" | "info";
  location: string | null;
  message: string;
}

export interface WriteOutcome {
  fileId: string;
  /** The same bytes were written before: nothing was mapped or written now. */
  repeated: boolean;
  rows: WrittenRow[];
  /** Values held pending (a local code no variable maps yet, issue 15): stored once it is mapped. */
  pending: Array<{ location: string }>;
  issues: WriteIssue[];
  /** A batch: the entries refused (by index), with why. */
  refused: Map<number, WriteIssue[]>;
}

/** How a Bundle is written: its entry count, and whether an entry may fail alone (batch). */
export interface WriteOptions {
  entries?: number;
  partial?: boolean;
}

/** The Bundle entry (by index) a mapper location is in: `$.entry[3].resource…` → 3. */
export function entryIndex(location: string): number | null {
  const match = /^\$\.entry\[(\d+)\]/.exec(location);
  return match === null ? null : Number(match[1]);
}

/** Removes the staged rows and pending values of refused batch entries before the commit. */
async function dropEntries(db: Database, party: WriteParty, jobId: string, fileId: string, entries: number[]) {
  const pattern = `^\\$\\.entry\\[(${entries.join("|")})\\]`;
  await db.execute(sql`delete from ingest_staged_rows where job_id = ${jobId} and metadata->>'location' ~ ${pattern}`);
  await db.execute(sql`
    delete from pending_observations where tenant_id = ${party.tenantId} and user_id = ${party.ownerId}
      and file_id = ${fileId} and observation->'metadata'->>'location' ~ ${pattern}`);
}

/** Issues read back from a job to explain a write (far more than one small write produces). */
const MAX_ISSUES = 200;

/** First two hex digits of SHA-256(user id): the R2 key prefix uploads use (docs/storage.md). */
async function userHashPrefix(userId: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId)));
  return (hash[0] ?? 0).toString(16).padStart(2, "0");
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The environment the mapper Worker's `mapFile` reads, from the API's own bindings: the same bucket,
 * database and master keys; the pipeline settings unset, so `prepareWrite` uses the defaults the
 * mapper and ingest Workers configure (wrangler.toml: 300 s skew, z 4, IQR 3, 20 values of history);
 * no mapper plugins (a FHIR write is always mapped by the core FHIR mapper).
 */
const mapperEnvs = new WeakMap<object, MapperEnv>();
function mapperEnv(env: AppEnv["Bindings"]): MapperEnv {
  let out = mapperEnvs.get(env);
  if (out === undefined) {
    out = {
      FILES: env.FILES,
      HYPERDRIVE: env.HYPERDRIVE,
      INGEST_QUEUE: env.INGEST_QUEUE,
      AUTH_MASTER_KEY_ID: env.AUTH_MASTER_KEY_ID,
      AUTH_MASTER_KEYS: env.AUTH_MASTER_KEYS,
      MAX_FUTURE_SKEW_SECONDS: "",
      OUTLIER_Z_THRESHOLD: "",
      OUTLIER_IQR_MULTIPLIER: "",
      OUTLIER_MIN_HISTORY: "",
      MAPPER_PLUGINS: "",
    };
    mapperEnvs.set(env, out);
  }
  return out;
}

/** The staged rows' keys and locations, in the document's order (read before the commit consumes them). */
async function stagedKeys(
  db: Database,
  jobId: string,
): Promise<Array<{ variableId: string; startAt: string; sourceId: string; location: string }>> {
  const result = await db.execute<{ variable_id: string; start_at: string; source_id: string; location: string }>(sql`
    select variable_id, to_char(start_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as start_at,
      source_id, coalesce(metadata->>'location', '') as location
    from ingest_staged_rows where job_id = ${jobId} order by seq`);
  return result.rows.map((r) => ({
    variableId: r.variable_id,
    startAt: r.start_at,
    sourceId: r.source_id,
    location: r.location,
  }));
}

/** The observations of the person's record under these keys (each key is one row at most: the primary key). */
async function rowsByKeys(
  db: Database,
  party: WriteParty,
  fileId: string,
  keys: ReadonlyArray<{ variableId: string; startAt: string; sourceId: string; location: string }>,
): Promise<WrittenRow[]> {
  if (keys.length === 0) return [];
  const result = await db.execute<{
    id: string;
    variable_id: string;
    start_at: string;
    source_id: string;
    file_id: string | null;
    created_at: Date | string;
  }>(sql`
    select id, variable_id, to_char(start_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as start_at,
      source_id, file_id, created_at
    from observations
    where tenant_id = ${party.tenantId} and user_id = ${party.ownerId}
      and (variable_id, start_at, source_id) in (${sql.join(
        keys.map((k) => sql`(${k.variableId}::uuid, ${k.startAt}::timestamptz, ${k.sourceId}::uuid)`),
        sql`, `,
      )})`);
  const byKey = new Map(result.rows.map((r) => [`${r.variable_id}|${r.start_at}|${r.source_id}`, r]));
  const out: WrittenRow[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    const row = byKey.get(`${k.variableId}|${k.startAt}|${k.sourceId}`);
    if (row === undefined || seen.has(row.id)) continue;
    seen.add(row.id);
    out.push({
      id: row.id,
      location: k.location,
      created: row.file_id === fileId,
      createdAt: new Date(row.created_at),
    });
  }
  return out;
}

/** The observations mapped from a file written before (a repeated POST of the same bytes). */
async function rowsOfFile(db: Database, party: WriteParty, fileId: string): Promise<WrittenRow[]> {
  const result = await db.execute<{ id: string; location: string; created_at: Date | string }>(sql`
    select id, coalesce(metadata->>'location', '') as location, created_at from observations
    where tenant_id = ${party.tenantId} and user_id = ${party.ownerId} and file_id = ${fileId}
    order by created_at, id`);
  // A repeat: nothing is created now (R4 http.html: a server answers 200 when it creates nothing).
  return result.rows.map((r) => ({
    id: r.id,
    location: r.location,
    created: false,
    createdAt: new Date(r.created_at),
  }));
}

async function pendingOfFile(db: Database, party: WriteParty, fileId: string): Promise<Array<{ location: string }>> {
  const result = await db.execute<{ location: string }>(sql`
    select coalesce(observation->'metadata'->>'location', '') as location from pending_observations
    where tenant_id = ${party.tenantId} and user_id = ${party.ownerId} and file_id = ${fileId} order by id`);
  return result.rows.map((r) => ({ location: r.location }));
}

/** A mapper location as a JSON Pointer into the posted document (`$.entry[1].x` → `/entry/1/x`). */
function pointerOf(location: string): string {
  return location
    .replace(/^\$/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((s) => s !== "")
    .map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`)
    .join("");
}

/** A mapper location as the FHIRPath expression R4 OperationOutcome.issue.expression uses. */
export function expressionOf(location: string, root: string): string {
  return location.startsWith("$") ? `${root}${location.slice(1)}` : location;
}

/** Removes a refused write: its job failed, its file, staged and pending values and R2 object gone. */
async function discard(c: Context<AppEnv>, db: Database, party: WriteParty, file: FileRecord, jobId: string) {
  await markJobFailed(db, party.tenantId, jobId, "refused: the FHIR write was not stored");
  await db.execute(sql`delete from ingest_staged_rows where job_id = ${jobId}`);
  await deleteFile(db, party.tenantId, party.ownerId, file.id);
  await c.env.FILES.delete(file.r2Key).catch(() => {});
}

/**
 * Keeps `bytes` as the owner's raw original and runs it through the pipeline. Throws `ApiError`
 * (`validation_failed` with one error per issue, `forbidden` when the writer's consent check refuses)
 * when nothing was written; returns what was stored otherwise.
 *
 * @example
 * const outcome = await writeFhir(c, party, bytes, "Observation", "fhir-observation.json");
 */
export async function writeFhir(
  c: Context<AppEnv>,
  party: WriteParty,
  bytes: Uint8Array,
  root: string,
  name: string,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const db = await c.var.db();
  const sha256 = await sha256Hex(bytes);
  const earlier = await findFileBySha256(db, party.tenantId, party.ownerId, sha256);
  if (earlier !== null) {
    const rows = await rowsOfFile(db, party, earlier.id);
    const pending = await pendingOfFile(db, party, earlier.id);
    if (rows.length > 0 || pending.length > 0) {
      return { fileId: earlier.id, repeated: true, rows, pending, issues: [], refused: new Map() };
    }
    // The same bytes as an upload that stored nothing (still mapping, or refused): not a FHIR write's answer.
    throw new ApiError("conflict", {
      detail: `These exact bytes are already stored as file ${earlier.id}, which holds no observations. Change the resource or send it as a new one.`,
    });
  }

  const fileId = uuidv7();
  const key = await newFileKey(db, c.var.config.masterKeys, {
    tenantId: party.tenantId,
    userId: party.ownerId,
    fileId,
  });
  const r2Key = fileObjectKey({
    userHashPrefix: await userHashPrefix(party.ownerId),
    userId: party.ownerId,
    sourceType: "fhir-r4",
    uploadedAt: new Date(),
    fileId,
    ext: "json",
  });
  try {
    await putEncrypted(c.env.FILES, r2Key, new Blob([bytes]).stream(), key.dataKey, fileId);
  } finally {
    key.dataKey.fill(0);
  }
  const sourceId = await sourceForClient(db, party.tenantId, party.clientId);
  let file: FileRecord;
  try {
    file = await insertFile(db, {
      id: fileId,
      tenantId: party.tenantId,
      userId: party.ownerId,
      sourceId,
      originalName: name,
      contentType: "application/fhir+json",
      format: "fhir-r4",
      sizeBytes: bytes.byteLength,
      sha256,
      r2Key,
      keyVersion: key.keyVersion,
      wrappedKey: key.wrappedKey,
      status: "stored",
      mapping: null,
    });
  } catch (error) {
    await c.env.FILES.delete(r2Key).catch(() => {});
    throw error;
  }
  const { job } = await createJob(db, {
    tenantId: party.tenantId,
    userId: party.ownerId,
    clientId: party.clientId,
    actorUserId: party.actorUserId,
    sourceId,
    kind: "file",
    fileId,
    idempotencyKey: null,
    requestHash: sha256,
    received: 0,
  });
  const message = {
    v: 1 as const,
    type: "map_file" as const,
    job_id: job.id,
    tenant_id: party.tenantId,
    user_id: party.ownerId,
    actor_user_id: party.actorUserId,
    client_id: party.clientId,
    file_id: fileId,
    source_id: sourceId,
  };

  let commit: FileCommitMessage | null;
  try {
    commit = await mapFile(mapperEnv(c.env), message, db);
  } catch (error) {
    // A document the mapper refuses whole (too large, unreadable): its issue says why.
    const issues = (await listIssues(db, party.tenantId, job.id, null, MAX_ISSUES)).rows;
    await discard(c, db, party, file, job.id);
    if (issues.length > 0) throw refusal(issues, root);
    throw error;
  }
  const issues = (await listIssues(db, party.tenantId, job.id, null, MAX_ISSUES)).rows;
  const keys = commit === null ? [] : await stagedKeys(db, job.id);
  const pending = await pendingOfFile(db, party, fileId);
  let errors: Array<{ code: string; location: string | null; message: string }> = issues.filter(
    (i) => i.severity === "error",
  );
  let staged = keys;
  let held = pending;
  const refused = new Map<number, WriteIssue[]>();
  if (options.entries !== undefined && commit !== null) {
    // A Bundle: each entry must be stored (or held pending) whole. An entry with an error, or with
    // nothing to store, refuses the transaction; in a batch it is refused alone (R4 §3.1.0.11).
    const storesSomething = (i: number) =>
      staged.some((k) => entryIndex(k.location) === i) || held.some((p) => entryIndex(p.location) === i);
    for (let i = 0; i < options.entries; i++) {
      const own = issues.filter((x) => x.location !== null && entryIndex(x.location) === i);
      const bad = own.filter((x) => x.severity === "error");
      if (bad.length === 0 && storesSomething(i)) continue;
      const why = bad.length > 0 ? bad : own;
      refused.set(i, [
        ...why.map((x) => ({ code: x.code, severity: "error" as const, location: x.location, message: x.message })),
        ...(why.length === 0
          ? [
              {
                code: "nothing_stored",
                severity: "error" as const,
                location: `$.entry[${i}]`,
                message: "Nothing in this entry could be stored.",
              },
            ]
          : []),
      ]);
    }
    const outside = errors.filter((x) => x.location === null || entryIndex(x.location) === null);
    if (!options.partial || outside.length > 0) {
      if (errors.length === 0) errors = [...refused.values()].flat();
    } else if (refused.size > 0) {
      // A batch: the refused entries' staged rows and pending values go; the others are committed.
      await dropEntries(db, party, job.id, fileId, [...refused.keys()]);
      staged = staged.filter((k) => !refused.has(entryIndex(k.location) ?? -1));
      held = held.filter((p) => !refused.has(entryIndex(p.location) ?? -1));
      errors = [];
    }
  }
  const nothing = staged.length + held.length === 0;
  if (commit === null || errors.length > 0 || (commit.counts.rejected > 0 && refused.size === 0) || nothing) {
    await discard(c, db, party, file, job.id);
    if (nothing && options.partial === true && refused.size > 0 && errors.length === 0) {
      return { fileId, repeated: false, rows: [], pending: [], issues: [], refused };
    }
    throw refusal(
      errors.length > 0 ? errors : issues,
      root,
      nothing && errors.length === 0 ? "Nothing in it could be stored." : undefined,
    );
  }

  const writer = c.env.USER_WRITER.get(c.env.USER_WRITER.idFromName(userWriterName(party.tenantId, party.ownerId)));
  let result: Awaited<ReturnType<typeof writer.commitFile>>;
  try {
    result = await writer.commitFile(commit);
  } catch (cause) {
    await discard(c, db, party, file, job.id);
    throw new ApiError("service_unavailable", {
      detail: "The write could not be committed; nothing was stored. Retry later.",
      headers: { "Retry-After": "5" },
      cause,
    });
  }
  if (result.status === "denied") {
    await discard(c, db, party, file, job.id);
    throw new ApiError("forbidden", {
      detail: "No write grant of the person covers every value of this write; nothing was stored.",
      extensions: { reason: "no_grant" },
    });
  }
  const rows = await rowsByKeys(db, party, fileId, staged);
  if (held.length === 0 && rows.every((r) => !r.created)) {
    // Every value was already stored (same variable, time and source): this copy of the original
    // holds nothing of the record, so it is not kept either.
    await deleteFile(db, party.tenantId, party.ownerId, fileId);
    await c.env.FILES.delete(r2Key).catch(() => {});
  }
  const finalIssues = (await listIssues(db, party.tenantId, job.id, null, MAX_ISSUES)).rows;
  return {
    fileId,
    repeated: false,
    rows,
    pending: held,
    refused,
    issues: finalIssues.map((i) => ({
      code: i.code,
      severity: i.severity === "error" || i.severity === "warning" ? i.severity : "info",
      location: i.location,
      message: i.message,
    })),
  };
}

/** The write refused: one field error per issue, located in the posted document. */
function refusal(
  issues: ReadonlyArray<{ code: string; location: string | null; message: string }>,
  root: string,
  detail?: string,
): ApiError {
  const errors: FieldError[] = issues.map((i) => ({
    location: "body",
    path: i.location === null ? root : expressionOf(i.location, root),
    pointer: i.location === null ? "" : pointerOf(i.location),
    message: `${i.code}: ${i.message}`,
  }));
  return new ApiError("validation_failed", {
    detail: `The ${root} was not stored: ${detail ?? "the validation pipeline refused it (see each issue)."} Nothing was written.`,
    errors,
  });
}
