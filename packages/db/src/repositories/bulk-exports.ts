/**
 * FHIR Bulk Data exports (`bulk_exports`), one lifecycle in one module: the API creates a job at
 * kick-off (with the participants their Durable Objects allowed), the exporter Worker claims it, writes
 * the NDJSON files and completes it, and the API serves status, manifest, files and cancellation to the
 * client that started it. Every lookup is scoped by tenant; the API's reads also by the client (and the
 * person, when a person's token started it), so one client never sees another's export.
 */
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { bulkExports, consents } from "../schema";

export type BulkExportRecord = typeof bulkExports.$inferSelect;

/** One file of a completed export: its resource type, R2 key, resources written and bytes. */
export interface BulkOutputFile {
  type: string;
  key: string;
  count: number;
  size: number;
}

export interface NewBulkExport {
  id: string;
  tenantId: string;
  clientId: string;
  requestedBy: string | null;
  studyId: string | null;
  request: string;
  types: readonly string[];
  since: Date | null;
  participants: ReadonlyArray<Record<string, unknown>>;
  transactionTime: Date;
}

export async function createBulkExport(db: Executor, input: NewBulkExport): Promise<BulkExportRecord> {
  const [row] = await db
    .insert(bulkExports)
    .values({ ...input, types: [...input.types], participants: [...input.participants] })
    .returning();
  if (!row) throw new Error("bulk export insert returned nothing");
  return row;
}

/** Removes an export whose message could not be queued (the kick-off then fails as a whole). */
export async function deleteBulkExport(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(bulkExports).where(and(eq(bulkExports.tenantId, tenantId), eq(bulkExports.id, id)));
}

/**
 * The export, only for the client that started it (and, when a person's token started it, only for
 * that person through that client); null otherwise, with no difference visible.
 */
export async function bulkExportFor(
  db: Executor,
  q: { tenantId: string; id: string; clientId: string; userId: string | null },
): Promise<BulkExportRecord | null> {
  const [row] = await db
    .select()
    .from(bulkExports)
    .where(
      and(
        eq(bulkExports.tenantId, q.tenantId),
        eq(bulkExports.id, q.id),
        eq(bulkExports.clientId, q.clientId),
        q.userId === null ? isNull(bulkExports.requestedBy) : eq(bulkExports.requestedBy, q.userId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Claims a queued (or retried) export for the exporter; null when it is finished, cancelled or gone. */
export async function claimBulkExport(db: Executor, tenantId: string, id: string): Promise<BulkExportRecord | null> {
  const [row] = await db
    .update(bulkExports)
    .set({ status: "processing", done: 0, updatedAt: sql`now()` })
    .where(
      and(
        eq(bulkExports.tenantId, tenantId),
        eq(bulkExports.id, id),
        inArray(bulkExports.status, ["queued", "processing"]),
      ),
    )
    .returning();
  return row ?? null;
}

/** The files' wrapped data key (set before anything is written). */
export async function setBulkExportKey(db: Executor, tenantId: string, id: string, wrappedKey: string): Promise<void> {
  await db
    .update(bulkExports)
    .set({ wrappedKey, updatedAt: sql`now()` })
    .where(and(eq(bulkExports.tenantId, tenantId), eq(bulkExports.id, id)));
}

/** Participants written so far; false when the export is no longer running (cancelled meanwhile). */
export async function recordBulkProgress(db: Executor, tenantId: string, id: string, done: number): Promise<boolean> {
  const rows = await db
    .update(bulkExports)
    .set({ done, updatedAt: sql`now()` })
    .where(and(eq(bulkExports.tenantId, tenantId), eq(bulkExports.id, id), eq(bulkExports.status, "processing")))
    .returning({ id: bulkExports.id });
  return rows.length > 0;
}

/** Completes a running export; false when it was cancelled or removed while it was written. */
export async function completeBulkExport(
  db: Executor,
  tenantId: string,
  id: string,
  done: { output: readonly BulkOutputFile[]; expiresAt: Date },
): Promise<boolean> {
  const rows = await db
    .update(bulkExports)
    .set({
      status: "completed",
      output: done.output.map((f) => ({ ...f })),
      completedAt: sql`now()`,
      expiresAt: done.expiresAt,
      updatedAt: sql`now()`,
    })
    .where(and(eq(bulkExports.tenantId, tenantId), eq(bulkExports.id, id), eq(bulkExports.status, "processing")))
    .returning({ id: bulkExports.id });
  return rows.length > 0;
}

export async function failBulkExport(db: Executor, tenantId: string, id: string, error: string): Promise<void> {
  await db
    .update(bulkExports)
    .set({ status: "failed", error, updatedAt: sql`now()` })
    .where(
      and(
        eq(bulkExports.tenantId, tenantId),
        eq(bulkExports.id, id),
        inArray(bulkExports.status, ["queued", "processing"]),
      ),
    );
}

/** Cancels (or, once finished, removes the files of) an export: its file keys, to delete from R2. */
export async function cancelBulkExport(db: Executor, tenantId: string, id: string): Promise<string[]> {
  const [row] = await db
    .update(bulkExports)
    .set({ status: "cancelled", output: [], wrappedKey: null, updatedAt: sql`now()` })
    .where(and(eq(bulkExports.tenantId, tenantId), eq(bulkExports.id, id)))
    .returning();
  return row === undefined ? [] : bulkOutputKeys(row, id);
}

/**
 * Every key an export's files may have, whatever state it was in: the recorded output and the key each
 * type would be written under (a cancelled run may have left one behind).
 */
export function bulkOutputKeys(row: Pick<BulkExportRecord, "types" | "tenantId">, id: string): string[] {
  return row.types.map((type) => bulkFileKey(row.tenantId, id, type));
}

/** Where a type's NDJSON file of an export lies in the exports bucket. */
export function bulkFileKey(tenantId: string, id: string, type: string): string {
  return `bulk/${tenantId}/${id}/${type}.ndjson`;
}

/** The associated data a file is encrypted under: the export and the type, so files cannot be swapped. */
export function bulkFileAad(id: string, type: string): string {
  return `bulk-export:${id}:${type}`;
}

/**
 * Of these grant ids, those still live now (not revoked, not expired): the exporter's second look,
 * so a grant revoked between kick-off and the run no longer opens anything.
 */
export async function liveGrantIds(db: Executor, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: consents.id })
    .from(consents)
    .where(
      and(
        eq(consents.tenantId, tenantId),
        inArray(consents.id, [...ids]),
        isNull(consents.revokedAt),
        or(isNull(consents.expiresAt), sql`${consents.expiresAt} > now()`),
      ),
    );
  return new Set(rows.map((r) => r.id));
}
