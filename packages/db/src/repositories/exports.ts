/**
 * Export jobs and what the exporter reads for them. An export is a row of `exports` (what the owner
 * asked for, progress, and where the encrypted result lies in R2) and one object in the `dfda-exports`
 * bucket, encrypted like a raw file (packages/vault: a data key of its own, wrapped by the person's
 * key, so erasing the person's keys also makes their exports unreadable).
 *
 * Every function is scoped by tenant and, where it reads health data, by user: the reader functions
 * take an `ExportScope` and put both conditions into every query themselves. `exportById` is the one
 * unscoped lookup: the download route finds the export a signed link names, then checks the link's
 * signature against that row's tenant and user before anything else is read.
 */
import {
  COMPARATORS,
  type Comparator,
  type ExportFilters,
  type ExportFormat,
  SYSTEM_TENANT_ID,
  uuidv7,
  type ValueType,
} from "@dfda/core";
import type { FhirObservationRow } from "@dfda/core/fhir";
import type { MasterKeyring } from "@dfda/vault";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  dataExports,
  EXPORT_FORMATS,
  files,
  ingestJobs,
  observations,
  pendingObservations,
  sources,
  variableCategories,
  variableCodes,
  variables,
} from "../schema";
import { fhirRowColumns, utcText } from "./fhir-rows";
import { type NewDataKey, newDataKey, openDataKey } from "./file-keys";
import type { FileRecord } from "./files";
import { recordWebhookEvent } from "./webhooks";

/** The schema's list and core's are one list (a type error here when they drift apart). */
const FORMATS_AGREE: readonly ExportFormat[] = EXPORT_FORMATS;
void FORMATS_AGREE;

export type ExportRecord = typeof dataExports.$inferSelect;

/** Whose data an export reads. */
export interface ExportScope {
  tenantId: string;
  userId: string;
}

/** Exports a person may have queued or running at once (a new one beyond that is refused). */
export const MAX_ACTIVE_EXPORTS = 3;

// ---- jobs -------------------------------------------------------------------------------------

export interface NewExport {
  tenantId: string;
  userId: string;
  /** The owner, or the custodian acting for them. */
  requestedBy: string;
  format: ExportFormat;
  filters: ExportFilters;
  includeFiles: boolean;
}

export async function createExport(db: Executor, input: NewExport): Promise<ExportRecord> {
  const [row] = await db
    .insert(dataExports)
    .values({
      id: uuidv7(),
      tenantId: input.tenantId,
      userId: input.userId,
      requestedBy: input.requestedBy,
      format: input.format,
      filters: input.filters,
      includeFiles: input.includeFiles,
    })
    .returning();
  if (!row) throw new Error("export insert returned nothing");
  return row;
}

/** Removes an export whose message could not be queued (the request then fails as a whole). */
export async function deleteExport(db: Executor, scope: ExportScope, id: string): Promise<void> {
  await db
    .delete(dataExports)
    .where(and(eq(dataExports.tenantId, scope.tenantId), eq(dataExports.userId, scope.userId), eq(dataExports.id, id)));
}

/** The person's export, or null (also for someone else's: no difference is visible). */
export async function getExport(db: Executor, scope: ExportScope, id: string): Promise<ExportRecord | null> {
  const [row] = await db
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.tenantId, scope.tenantId), eq(dataExports.userId, scope.userId), eq(dataExports.id, id)))
    .limit(1);
  return row ?? null;
}

/**
 * The export with this id in any tenant. Only for the download route, which must then verify the
 * signed link against the row's tenant, user and id before it uses anything else of it.
 */
export async function exportById(db: Executor, id: string): Promise<ExportRecord | null> {
  const [row] = await db.select().from(dataExports).where(eq(dataExports.id, id)).limit(1);
  return row ?? null;
}

/**
 * The person's exports, newest first. Ids are UUIDv7 (RFC 9562 §5.7: time-ordered), so the id alone is
 * an exact keyset position.
 */
export async function listExports(
  db: Executor,
  scope: ExportScope,
  limit: number,
  afterId?: string,
): Promise<ExportRecord[]> {
  return db
    .select()
    .from(dataExports)
    .where(
      and(
        eq(dataExports.tenantId, scope.tenantId),
        eq(dataExports.userId, scope.userId),
        afterId === undefined ? undefined : lt(dataExports.id, afterId),
      ),
    )
    .orderBy(desc(dataExports.id))
    .limit(limit);
}

/** How many of the person's exports are queued or running. */
export async function activeExportCount(db: Executor, scope: ExportScope): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(dataExports)
    .where(
      and(
        eq(dataExports.tenantId, scope.tenantId),
        eq(dataExports.userId, scope.userId),
        inArray(dataExports.status, ["queued", "processing"]),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Starts (or restarts, on a retry) an export: `processing`, counters back to zero. Null when there is
 * nothing to do: the export is finished, or gone (its owner was erased). A redelivered message for a
 * finished export therefore changes nothing.
 */
export async function claimExport(db: Executor, tenantId: string, id: string): Promise<ExportRecord | null> {
  const [row] = await db
    .update(dataExports)
    .set({ status: "processing", rowsWritten: 0, filesWritten: 0, error: null, updatedAt: new Date() })
    .where(
      and(
        eq(dataExports.tenantId, tenantId),
        eq(dataExports.id, id),
        inArray(dataExports.status, ["queued", "processing"]),
      ),
    )
    .returning();
  return row ?? null;
}

/** Progress of a running export. */
export async function recordExportProgress(
  db: Executor,
  tenantId: string,
  id: string,
  progress: { rowsWritten?: number; filesWritten?: number; totalRows?: number },
): Promise<void> {
  await db
    .update(dataExports)
    .set({
      ...(progress.rowsWritten === undefined ? {} : { rowsWritten: progress.rowsWritten }),
      ...(progress.filesWritten === undefined ? {} : { filesWritten: progress.filesWritten }),
      ...(progress.totalRows === undefined ? {} : { totalRows: progress.totalRows }),
      updatedAt: new Date(),
    })
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id), eq(dataExports.status, "processing")));
}

export interface CompletedExport {
  r2Key: string;
  /** Bytes of the plaintext (what a download returns). */
  sizeBytes: number;
  rowsWritten: number;
  filesWritten: number;
  keyVersion: number;
  wrappedKey: string;
  /** When the download link stops working. */
  expiresAt: Date;
}

/**
 * Marks a running export completed. False when it is no longer running (erased meanwhile): the
 * caller then deletes the object it wrote.
 */
export async function completeExport(
  db: Executor,
  tenantId: string,
  id: string,
  done: CompletedExport,
): Promise<boolean> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(dataExports)
      .set({ status: "completed", ...done, error: null, updatedAt: now, completedAt: now })
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id), eq(dataExports.status, "processing")))
      .returning({ id: dataExports.id, userId: dataExports.userId, format: dataExports.format });
    const row = rows[0];
    if (row === undefined) return false;
    // Webhooks (docs/webhooks.md): `export.ready`, in the transaction that completes it. No link: the
    // subscriber fetches GET /v1/me/exports/{id} with its own token for one.
    await recordWebhookEvent(tx, {
      tenantId,
      userId: row.userId,
      type: "export.ready",
      data: { export_id: id, format: row.format, expires_at: done.expiresAt.toISOString() },
      occurredAt: now,
    });
    return true;
  });
}

/** Marks an export failed, with a reason safe to show to its owner. */
export async function failExport(db: Executor, tenantId: string, id: string, error: string): Promise<void> {
  await db
    .update(dataExports)
    .set({ status: "failed", error: error.slice(0, 500), updatedAt: new Date(), completedAt: new Date() })
    .where(
      and(
        eq(dataExports.tenantId, tenantId),
        eq(dataExports.id, id),
        inArray(dataExports.status, ["queued", "processing"]),
      ),
    );
}

/** Records the object of a running export (so erasure finds it even before completion). */
export async function setExportObject(db: Executor, tenantId: string, id: string, r2Key: string): Promise<void> {
  await db
    .update(dataExports)
    .set({ r2Key, updatedAt: new Date() })
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
}

/** Completed exports whose link expired before `now` and whose object is still stored. */
export async function expiredExports(
  db: Executor,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; tenantId: string; r2Key: string }>> {
  const rows = await db
    .select({ id: dataExports.id, tenantId: dataExports.tenantId, r2Key: dataExports.r2Key })
    .from(dataExports)
    .where(and(isNotNull(dataExports.r2Key), lte(dataExports.expiresAt, now)))
    .orderBy(asc(dataExports.expiresAt))
    .limit(limit);
  return rows.flatMap((r) => (r.r2Key === null ? [] : [{ id: r.id, tenantId: r.tenantId, r2Key: r.r2Key }]));
}

/** Forgets an export's object once it is deleted; the row stays as a record of the export. */
export async function clearExportObject(db: Executor, tenantId: string, id: string): Promise<void> {
  await db
    .update(dataExports)
    .set({ r2Key: null, wrappedKey: null, updatedAt: new Date() })
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
}

// ---- keys and objects -------------------------------------------------------------------------

/**
 * The associated data of an export's key wrapping and stream encryption: `export:<id>`, never a bare
 * id, so an export's ciphertext or wrapped key can never pass for a raw file's (vault README, binding).
 */
export function exportAad(id: string): string {
  return `export:${id}`;
}

/** A new data key for an export, wrapped by the person's current key (made on first use). */
export function newExportKey(
  db: Executor,
  keyring: MasterKeyring,
  scope: ExportScope & { exportId: string },
): Promise<NewDataKey> {
  return newDataKey(db, keyring, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    boundTo: exportAad(scope.exportId),
  });
}

/** The data key of a completed export; DataKeyError when it has none or its owner's key is gone. */
export function exportDataKey(db: Executor, keyring: MasterKeyring, record: ExportRecord): Promise<Uint8Array> {
  return openDataKey(db, keyring, { ...record, boundTo: exportAad(record.id) });
}

/**
 * Where an export lies in the `dfda-exports` bucket: `{2 hex of SHA-256(user_id)}/{user_id}/{export_id}.{ext}`,
 * spread over prefixes like raw files, and all of one person's exports under one prefix.
 */
export async function exportObjectKey(userId: string, exportId: string, extension: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId)));
  const prefix = (digest[0] ?? 0).toString(16).padStart(2, "0");
  return `${prefix}/${userId}/${exportId}.${extension}`;
}

// ---- reading the data -------------------------------------------------------------------------

/** One observation as an export writes it. Instants are exact (microseconds), RFC 3339 in UTC. */
export interface ExportRow extends FhirObservationRow {
  variableId: string;
  variableVersion: number;
  valueType: ValueType;
}

/** A coding of a variable in an external system (LOINC, SNOMED CT, …). */
export interface VariableCoding {
  system: string;
  code: string;
  display: string | null;
  isPreferred: boolean;
}

/** The filter conditions, joined tables included (variables at the row's version, categories, sources). */
function conditions(scope: ExportScope, filters: ExportFilters): SQL[] {
  const where: SQL[] = [eq(observations.tenantId, scope.tenantId), eq(observations.userId, scope.userId)];
  if (filters.variables !== undefined) {
    where.push(filters.variables.length === 0 ? sql`false` : inArray(observations.variableId, filters.variables));
  }
  if (filters.from !== undefined) where.push(gte(observations.startAt, new Date(filters.from)));
  if (filters.to !== undefined) where.push(lt(observations.startAt, new Date(filters.to)));
  if (filters.categories !== undefined) {
    where.push(filters.categories.length === 0 ? sql`false` : inArray(variableCategories.slug, filters.categories));
  }
  if (filters.sources !== undefined) {
    where.push(filters.sources.length === 0 ? sql`false` : inArray(sources.slug, filters.sources));
  }
  return where;
}

/**
 * How many rows the export will hold: observations and pending values (as of now: rows stored
 * meanwhile may add to it).
 */
export async function countExportRows(db: Executor, scope: ExportScope, filters: ExportFilters): Promise<number> {
  return (await countObservationRows(db, scope, filters)) + (await countExportPending(db, scope, filters));
}

async function countObservationRows(db: Executor, scope: ExportScope, filters: ExportFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(observations)
    .innerJoin(
      variables,
      and(eq(variables.id, observations.variableId), eq(variables.version, observations.variableVersion)),
    )
    .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
    .innerJoin(sources, eq(sources.id, observations.sourceId))
    .where(and(...conditions(scope, filters)));
  return row?.n ?? 0;
}

/**
 * The variables the export covers, in a stable order: the export is written variable by variable, so
 * each page is one range scan of the (user_id, variable_id, start_at) index however much data the
 * person has, instead of a sort of all their rows per page.
 */
export async function exportVariableIds(db: Executor, scope: ExportScope, filters: ExportFilters): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: observations.variableId })
    .from(observations)
    .innerJoin(
      variables,
      and(eq(variables.id, observations.variableId), eq(variables.version, observations.variableVersion)),
    )
    .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
    .innerJoin(sources, eq(sources.id, observations.sourceId))
    .where(and(...conditions(scope, filters)))
    .orderBy(asc(observations.variableId));
  return rows.map((r) => r.id);
}

/** The codings of a variable visible to the tenant (platform codes and the tenant's own), preferred first. */
export async function variableCodings(db: Executor, tenantId: string, variableId: string): Promise<VariableCoding[]> {
  return db
    .select({
      system: variableCodes.system,
      code: variableCodes.code,
      display: variableCodes.display,
      isPreferred: variableCodes.isPreferred,
    })
    .from(variableCodes)
    .where(and(eq(variableCodes.variableId, variableId), inArray(variableCodes.tenantId, [SYSTEM_TENANT_ID, tenantId])))
    .orderBy(desc(variableCodes.isPreferred), asc(variableCodes.system), asc(variableCodes.code));
}

/** The position after which the next page starts. */
export interface ExportKey {
  startAt: string;
  id: string;
}

/** One page of a variable's rows in time order (start_at, id), after `after`. */
export async function exportRowsPage(
  db: Executor,
  scope: ExportScope,
  filters: ExportFilters,
  variableId: string,
  after: ExportKey | null,
  limit: number,
): Promise<ExportRow[]> {
  const where = [...conditions(scope, filters), eq(observations.variableId, variableId)];
  if (after !== null) {
    // The plain bound lets the index range-scan; the row comparison breaks ties on start_at.
    where.push(
      gte(observations.startAt, sql`${after.startAt}::timestamptz`),
      sql`(${observations.startAt}, ${observations.id}) > (${after.startAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  return db
    .select({
      ...fhirRowColumns,
      variableId: observations.variableId,
      variableVersion: observations.variableVersion,
      valueType: variables.valueType,
    })
    .from(observations)
    .innerJoin(
      variables,
      and(eq(variables.id, observations.variableId), eq(variables.version, observations.variableVersion)),
    )
    .innerJoin(variableCategories, eq(variableCategories.id, variables.categoryId))
    .innerJoin(sources, eq(sources.id, observations.sourceId))
    .where(and(...where))
    .orderBy(asc(observations.startAt), asc(observations.id))
    .limit(limit);
}

// ---- pending values ---------------------------------------------------------------------------

/**
 * One value held as pending (issue 15: a local code no mapping resolves yet) as an export writes it:
 * everything as the file gave it, nothing converted or validated against a variable, since none is
 * known yet. Instants are exact, RFC 3339 in UTC, like `ExportRow`'s.
 */
export interface PendingExportRow {
  id: string;
  /** The local coding, as received (or derived from the sender: `urn:dfda:local:…`). */
  system: string;
  code: string;
  display: string | null;
  startAt: string;
  endAt: string | null;
  /** As received: a number, or a string or boolean (a coded or text result). */
  value: number | string | boolean | null;
  /** As received, not checked against UCUM (a mapping decides what it is). */
  unit: string | null;
  comparator: Comparator | null;
  note: string | null;
  source: string;
  fileId: string | null;
  /** When the platform accepted it. */
  receivedAt: string;
}

/** The position after which the next page of pending values starts. */
export interface PendingExportKey {
  system: string;
  code: string;
  startAt: string;
  id: string;
}

const pendingStart = sql`(${pendingObservations.observation}->>'start_at')::timestamptz`;
const pendingEnd = sql`(${pendingObservations.observation}->>'end_at')::timestamptz`;

/**
 * The export's conditions on pending values. A pending value has no variable (and so no category)
 * yet: an export filtered by variables or categories names none of them; time and source filters
 * apply as to observations. Values of a file job still running, or failed, are not part of the record
 * (the same rule as every other list of pending values: `pending.ts`).
 */
function pendingConditions(scope: ExportScope, filters: ExportFilters): SQL[] {
  if (filters.variables !== undefined || filters.categories !== undefined) return [sql`false`];
  const where: SQL[] = [
    eq(pendingObservations.tenantId, scope.tenantId),
    eq(pendingObservations.userId, scope.userId),
    sql`(${pendingObservations.jobId} is null or ${pendingObservations.jobId} not in (select j.id from ${ingestJobs} j
      where j.tenant_id = ${scope.tenantId} and j.status in ('queued', 'processing', 'failed')))`,
  ];
  if (filters.from !== undefined) where.push(sql`${pendingStart} >= ${filters.from}::timestamptz`);
  if (filters.to !== undefined) where.push(sql`${pendingStart} < ${filters.to}::timestamptz`);
  if (filters.sources !== undefined) {
    where.push(filters.sources.length === 0 ? sql`false` : inArray(sources.slug, filters.sources));
  }
  return where;
}

/** How many pending values the export will hold. */
export async function countExportPending(db: Executor, scope: ExportScope, filters: ExportFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pendingObservations)
    .innerJoin(sources, eq(sources.id, pendingObservations.sourceId))
    .where(and(...pendingConditions(scope, filters)));
  return Number(row?.n ?? 0);
}

/**
 * One page of the person's pending values, by local code and then in time order (system, code,
 * start_at, id), after `after`. A person holds few of them next to their observations, and the owner
 * index narrows each page to them.
 */
export async function exportPendingPage(
  db: Executor,
  scope: ExportScope,
  filters: ExportFilters,
  after: PendingExportKey | null,
  limit: number,
): Promise<PendingExportRow[]> {
  const where = pendingConditions(scope, filters);
  if (after !== null) {
    where.push(
      sql`(${pendingObservations.system}, ${pendingObservations.code}, ${pendingStart}, ${pendingObservations.id})
        > (${after.system}, ${after.code}, ${after.startAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select({
      id: pendingObservations.id,
      system: pendingObservations.system,
      code: pendingObservations.code,
      display: pendingObservations.display,
      startAt: utcText(pendingStart),
      endAt: sql<string | null>`case when ${pendingEnd} is null then null else ${utcText(pendingEnd)} end`,
      value: sql<unknown>`${pendingObservations.observation}->'value'`,
      unit: sql<string | null>`${pendingObservations.observation}->>'unit'`,
      comparator: sql<string | null>`${pendingObservations.observation}->>'comparator'`,
      note: sql<string | null>`${pendingObservations.observation}->>'note'`,
      source: sources.slug,
      fileId: pendingObservations.fileId,
      receivedAt: utcText(sql`${pendingObservations.createdAt}`),
    })
    .from(pendingObservations)
    .innerJoin(sources, eq(sources.id, pendingObservations.sourceId))
    .where(and(...where))
    .orderBy(
      asc(pendingObservations.system),
      asc(pendingObservations.code),
      asc(pendingStart),
      asc(pendingObservations.id),
    )
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    // Held after validation as an `ObservationInput` value (a number, string or boolean) and comparator.
    value: typeof r.value === "number" || typeof r.value === "string" || typeof r.value === "boolean" ? r.value : null,
    comparator: isComparator(r.comparator) ? r.comparator : null,
  }));
}

function isComparator(value: string | null): value is Comparator {
  return value !== null && (COMPARATORS as readonly string[]).includes(value);
}

/** The person's live files in upload order (created_at, id), a page after `after`. */
export async function exportFilesPage(
  db: Executor,
  scope: ExportScope,
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<FileRecord[]> {
  return db
    .select()
    .from(files)
    .where(
      and(
        eq(files.tenantId, scope.tenantId),
        eq(files.userId, scope.userId),
        isNull(files.deletedAt),
        after === null
          ? undefined
          : or(gt(files.createdAt, after.createdAt), and(eq(files.createdAt, after.createdAt), gt(files.id, after.id))),
      ),
    )
    .orderBy(asc(files.createdAt), asc(files.id))
    .limit(limit);
}

/** Which of `slugs` are not sources of the tenant (for a 400 naming them). */
export async function unknownSources(db: Executor, tenantId: string, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const found = await db
    .select({ slug: sources.slug })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), inArray(sources.slug, [...slugs])));
  const known = new Set(found.map((r) => r.slug));
  return slugs.filter((s) => !known.has(s));
}

/** Which of `slugs` are not categories visible to the tenant (platform or its own). */
export async function unknownCategories(db: Executor, tenantId: string, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const found = await db
    .select({ slug: variableCategories.slug })
    .from(variableCategories)
    .where(
      and(
        inArray(variableCategories.tenantId, [SYSTEM_TENANT_ID, tenantId]),
        inArray(variableCategories.slug, [...slugs]),
      ),
    );
  const known = new Set(found.map((r) => r.slug));
  return slugs.filter((s) => !known.has(s));
}
