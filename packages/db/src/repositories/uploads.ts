/**
 * Resumable uploads (tus 1.0, issue 15; docs/storage.md "uploads"): one row per upload, from its
 * creation to its completion into `files`, its termination or its expiry. Every function but the
 * expiry sweep's is scoped by tenant and user. A PATCH holds a lease on the row (`state.lease_id`,
 * `state.lease_until`) while it streams, so two requests never write the same upload's parts at once;
 * every write of progress is conditional on holding that lease.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { uploads } from "../schema";

export type UploadRecord = typeof uploads.$inferSelect;
export type NewUpload = Omit<typeof uploads.$inferInsert, "createdAt" | "updatedAt" | "status" | "offset">;

export interface UploadScope {
  tenantId: string;
  userId: string;
  id: string;
}

const scoped = (s: UploadScope) =>
  and(eq(uploads.tenantId, s.tenantId), eq(uploads.userId, s.userId), eq(uploads.id, s.id));
const leased = (leaseId: string) => sql`${uploads.state}->>'lease_id' = ${leaseId}`;

export async function insertUpload(db: Executor, upload: NewUpload): Promise<UploadRecord> {
  const [row] = await db.insert(uploads).values(upload).returning();
  if (!row) throw new Error("upload insert returned nothing");
  return row;
}

/** The caller's upload, or null (another person's upload is null too: it does not exist for them). */
export async function findUpload(db: Executor, scope: UploadScope): Promise<UploadRecord | null> {
  const [row] = await db.select().from(uploads).where(scoped(scope)).limit(1);
  return row ?? null;
}

export type ClaimResult =
  | { ok: true; upload: UploadRecord }
  | {
      ok: false;
      reason: "not_found" | "not_open" | "expired" | "offset_mismatch" | "locked";
      upload: UploadRecord | null;
    };

/**
 * Takes the lease of an open, unexpired upload whose confirmed offset is `offset`, until `until`.
 * Otherwise says why not (the row as it is, for the answer's headers).
 */
export async function claimUpload(
  db: Executor,
  scope: UploadScope,
  claim: { offset: number; leaseId: string; now: Date; until: Date },
): Promise<ClaimResult> {
  const [row] = await db
    .update(uploads)
    .set({
      state: sql`${uploads.state} || jsonb_build_object('lease_id', ${claim.leaseId}::text, 'lease_until', ${claim.until.toISOString()}::text)`,
      updatedAt: claim.now,
    })
    .where(
      and(
        scoped(scope),
        eq(uploads.status, "open"),
        eq(uploads.offset, claim.offset),
        sql`${uploads.expiresAt} > ${claim.now.toISOString()}::timestamptz`,
        sql`(${uploads.state}->>'lease_until' is null or (${uploads.state}->>'lease_until')::timestamptz <= ${claim.now.toISOString()}::timestamptz)`,
      ),
    )
    .returning();
  if (row) return { ok: true, upload: row };
  const upload = await findUpload(db, scope);
  if (upload === null) return { ok: false, reason: "not_found", upload };
  if (upload.status !== "open") return { ok: false, reason: "not_open", upload };
  if (upload.expiresAt <= claim.now) return { ok: false, reason: "expired", upload };
  if (upload.offset !== claim.offset) return { ok: false, reason: "offset_mismatch", upload };
  return { ok: false, reason: "locked", upload };
}

/** Extends a held lease; false when it was lost (expired and taken, or the upload was terminated). */
export async function renewLease(db: Executor, scope: UploadScope, leaseId: string, until: Date): Promise<boolean> {
  const rows = await db
    .update(uploads)
    .set({ state: sql`${uploads.state} || jsonb_build_object('lease_until', ${until.toISOString()}::text)` })
    .where(and(scoped(scope), eq(uploads.status, "open"), leased(leaseId)))
    .returning({ id: uploads.id });
  return rows.length === 1;
}

/**
 * Records what a PATCH stored (the new offset, the state without the lease, where the object goes) and
 * releases the lease. False when the lease was lost: the caller then discards what it wrote.
 */
export async function saveProgress(
  db: Executor,
  scope: UploadScope,
  leaseId: string,
  progress: {
    offset: number;
    state: Record<string, unknown>;
    r2Key: string;
    r2UploadId: string | null;
    expiresAt: Date;
    now: Date;
  },
): Promise<boolean> {
  const rows = await db
    .update(uploads)
    .set({
      offset: progress.offset,
      state: progress.state,
      r2Key: progress.r2Key,
      r2UploadId: progress.r2UploadId,
      expiresAt: progress.expiresAt,
      updatedAt: progress.now,
    })
    .where(and(scoped(scope), eq(uploads.status, "open"), leased(leaseId)))
    .returning({ id: uploads.id });
  return rows.length === 1;
}

/**
 * Marks an upload completed into a file (a new one, or the same bytes uploaded before), releasing the
 * lease; null when the lease was lost. Run it in the transaction that inserts the file row.
 */
export async function completeUpload(
  db: Executor,
  scope: UploadScope,
  leaseId: string,
  done: { offset: number; state: Record<string, unknown>; r2Key: string; fileId: string; now: Date },
): Promise<UploadRecord | null> {
  const [row] = await db
    .update(uploads)
    .set({
      status: "completed",
      offset: done.offset,
      state: done.state,
      r2Key: done.r2Key,
      r2UploadId: null,
      fileId: done.fileId,
      updatedAt: done.now,
    })
    .where(and(scoped(scope), eq(uploads.status, "open"), leased(leaseId)))
    .returning();
  return row ?? null;
}

/** Records the mapping job started for a completed upload's file. */
export async function setUploadJob(db: Executor, scope: UploadScope, jobId: string): Promise<UploadRecord | null> {
  const [row] = await db.update(uploads).set({ jobId }).where(scoped(scope)).returning();
  return row ?? null;
}

/** Terminates an open upload (tus termination); returns it as it was, or null if none was open. */
export async function abortUpload(db: Executor, scope: UploadScope, now: Date): Promise<UploadRecord | null> {
  const [row] = await db
    .update(uploads)
    .set({ status: "aborted", updatedAt: now })
    .where(and(scoped(scope), eq(uploads.status, "open")))
    .returning();
  return row ?? null;
}

/** Open uploads past their expiry, oldest first, for the sweep (all tenants). */
export async function expiredUploads(db: Executor, now: Date, limit: number): Promise<UploadRecord[]> {
  return db
    .select()
    .from(uploads)
    .where(and(eq(uploads.status, "open"), lt(uploads.expiresAt, now)))
    .orderBy(uploads.expiresAt)
    .limit(limit);
}

/** Marks a swept upload expired (its R2 parts and checkpoint are gone); false if it changed meanwhile. */
export async function markUploadExpired(db: Executor, upload: UploadRecord, now: Date): Promise<boolean> {
  const rows = await db
    .update(uploads)
    .set({ status: "expired", updatedAt: now })
    .where(and(eq(uploads.id, upload.id), eq(uploads.status, "open"), lt(uploads.expiresAt, now)))
    .returning({ id: uploads.id });
  return rows.length === 1;
}
