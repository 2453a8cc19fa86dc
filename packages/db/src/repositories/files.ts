/**
 * Raw files, the per-user keys that protect them, and the two-step write of a file's observations:
 * batches are staged as the mapper produces them, then one transaction replaces whatever an earlier
 * mapping of the same file stored (a reprocess) with the staged rows. Every function is scoped by
 * tenant, and by user where it applies.
 */
import { type IngestIssue, type NormalizedRow, uuidv7, type WriteResult } from "@dfda/core";
import { and, desc, eq, isNull, lt, max, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import {
  columnMappings,
  type FileStatus,
  files,
  ingestIssues,
  ingestJobs,
  ingestStagedRows,
  observations,
  userKeys,
} from "../schema";
import { addToRollups, refreshRollups } from "./rollups";
import { unnestRows } from "./row-columns";

export type FileRecord = typeof files.$inferSelect;
export type NewFile = Omit<typeof files.$inferInsert, "createdAt" | "updatedAt" | "deletedAt">;

export interface UserKeyRecord {
  version: number;
  wrappedKey: string;
  masterKeyId: string;
}

/** The person's current key, created by `create` (which wraps a new random key) on first use. */
export async function currentUserKey(
  db: Executor,
  tenantId: string,
  userId: string,
  create: () => Promise<{ wrappedKey: string; masterKeyId: string }>,
): Promise<UserKeyRecord> {
  const found = await latestUserKey(db, tenantId, userId);
  if (found) return found;
  const made = await create();
  // Two first uploads at once: one insert wins, both use the winner.
  await db
    .insert(userKeys)
    .values({ tenantId, userId, version: 1, ...made })
    .onConflictDoNothing();
  const winner = await latestUserKey(db, tenantId, userId);
  if (!winner) throw new Error("user key vanished after insert");
  return winner;
}

async function latestUserKey(db: Executor, tenantId: string, userId: string): Promise<UserKeyRecord | null> {
  const [row] = await db
    .select({ version: userKeys.version, wrappedKey: userKeys.wrappedKey, masterKeyId: userKeys.masterKeyId })
    .from(userKeys)
    .where(and(eq(userKeys.tenantId, tenantId), eq(userKeys.userId, userId)))
    .orderBy(desc(userKeys.version))
    .limit(1);
  return row ?? null;
}

/** A specific version of the person's key, or null once shredded. */
export async function userKeyVersion(
  db: Executor,
  tenantId: string,
  userId: string,
  version: number,
): Promise<UserKeyRecord | null> {
  const [row] = await db
    .select({ version: userKeys.version, wrappedKey: userKeys.wrappedKey, masterKeyId: userKeys.masterKeyId })
    .from(userKeys)
    .where(and(eq(userKeys.tenantId, tenantId), eq(userKeys.userId, userId), eq(userKeys.version, version)))
    .limit(1);
  return row ?? null;
}

/**
 * Wrapped user keys not under `currentMasterKeyId` (what a master key rotation re-wraps), in key order
 * after `after`, optionally of one tenant.
 */
export async function userKeysToRewrap(
  db: Executor,
  currentMasterKeyId: string,
  options: { limit?: number; tenantId?: string; after?: { tenantId: string; userId: string; version: number } } = {},
) {
  const after = options.after;
  return db
    .select()
    .from(userKeys)
    .where(
      and(
        sql`${userKeys.masterKeyId} <> ${currentMasterKeyId}`,
        options.tenantId === undefined ? undefined : eq(userKeys.tenantId, options.tenantId),
        after === undefined
          ? undefined
          : sql`(${userKeys.tenantId}, ${userKeys.userId}, ${userKeys.version}) > (${after.tenantId}::uuid, ${after.userId}::uuid, ${after.version})`,
      ),
    )
    .orderBy(userKeys.tenantId, userKeys.userId, userKeys.version)
    .limit(options.limit ?? 500);
}

export async function replaceWrappedUserKey(
  db: Executor,
  key: { tenantId: string; userId: string; version: number },
  wrappedKey: string,
  masterKeyId: string,
): Promise<void> {
  await db
    .update(userKeys)
    .set({ wrappedKey, masterKeyId, rotatedAt: new Date() })
    .where(
      and(eq(userKeys.tenantId, key.tenantId), eq(userKeys.userId, key.userId), eq(userKeys.version, key.version)),
    );
}

/** Crypto-shredding: deletes every key of the person; their files can never be decrypted again. */
export async function shredUserKeys(db: Executor, tenantId: string, userId: string): Promise<number> {
  const deleted = await db
    .delete(userKeys)
    .where(and(eq(userKeys.tenantId, tenantId), eq(userKeys.userId, userId)))
    .returning({ version: userKeys.version });
  return deleted.length;
}

export async function insertFile(db: Executor, file: NewFile): Promise<FileRecord> {
  const [row] = await db.insert(files).values(file).returning();
  if (!row) throw new Error("file insert returned nothing");
  return row;
}

/** The person's live file with these bytes (same SHA-256), if any. */
export async function findFileBySha256(
  db: Executor,
  tenantId: string,
  userId: string,
  sha256: string,
): Promise<FileRecord | null> {
  const [row] = await db
    .select()
    .from(files)
    .where(
      and(eq(files.tenantId, tenantId), eq(files.userId, userId), eq(files.sha256, sha256), isNull(files.deletedAt)),
    )
    .limit(1);
  return row ?? null;
}

/** A live file of the person, or null (also for another person's file: no difference is visible). */
export async function getFile(db: Executor, tenantId: string, userId: string, id: string): Promise<FileRecord | null> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.userId, userId), eq(files.id, id), isNull(files.deletedAt)))
    .limit(1);
  return row ?? null;
}

/** The person's live files, newest first, keyset-paged by (created_at, id). */
export async function listFiles(
  db: Executor,
  tenantId: string,
  userId: string,
  limit: number,
  after?: { createdAt: Date; id: string },
): Promise<FileRecord[]> {
  return db
    .select()
    .from(files)
    .where(
      and(
        eq(files.tenantId, tenantId),
        eq(files.userId, userId),
        isNull(files.deletedAt),
        after === undefined
          ? undefined
          : or(lt(files.createdAt, after.createdAt), and(eq(files.createdAt, after.createdAt), lt(files.id, after.id))),
      ),
    )
    .orderBy(desc(files.createdAt), desc(files.id))
    .limit(limit);
}

export async function setFileStatus(
  db: Executor,
  tenantId: string,
  id: string,
  status: FileStatus,
  extra: { mapperId?: string | null; mapperVersion?: string | null; error?: string | null; format?: string } = {},
): Promise<void> {
  await db
    .update(files)
    .set({ status, ...extra, updatedAt: new Date() })
    .where(and(eq(files.tenantId, tenantId), eq(files.id, id)));
}

/**
 * Deletes a file's record and every observation mapped from it (the caller deletes the R2 object).
 * One transaction; the hourly rollups of the hours those rows were in are recomputed.
 */
export async function deleteFile(db: Database, tenantId: string, userId: string, id: string): Promise<number> {
  return db.transaction(async (tx) => {
    const removed = await removeFileObservations(tx, tenantId, userId, id);
    await tx
      .update(files)
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(files.tenantId, tenantId), eq(files.userId, userId), eq(files.id, id)));
    return removed;
  });
}

/** Deletes the observations mapped from a file and recomputes the rollups they were part of. */
async function removeFileObservations(db: Executor, tenantId: string, userId: string, fileId: string) {
  const removed = await db.execute<{ variable_id: string; first: Date; last: Date; n: number }>(sql`
    with gone as (
      delete from ${observations}
      where tenant_id = ${tenantId} and user_id = ${userId} and file_id = ${fileId}
      returning variable_id, start_at)
    select variable_id, min(start_at) as first, max(start_at) as last, count(*)::int as n from gone group by variable_id`);
  let total = 0;
  for (const r of removed.rows) {
    total += Number(r.n);
    await refreshRollups(db, tenantId, userId, {
      variableIds: [r.variable_id],
      from: new Date(r.first),
      to: new Date(new Date(r.last).getTime() + 3600_000),
    });
  }
  return total;
}

/** Rows per staging statement. */
const STAGE_ROWS_PER_STATEMENT = 5_000;

/**
 * Stages a batch of a file job's rows (and writes its issues). `firstSeq` numbers the rows so a
 * retried mapping, which starts with `clearStaged`, cannot stage anything twice.
 */
export async function stageRows(
  db: Executor,
  tenantId: string,
  jobId: string,
  firstSeq: number,
  rows: readonly NormalizedRow[],
  issues: readonly IngestIssue[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + STAGE_ROWS_PER_STATEMENT);
    await db.execute(sql`
      insert into ${ingestStagedRows} (job_id, seq, tenant_id, variable_id, variable_version, start_at, end_at, value,
        value_text, value_code, value_boolean, unit, original_value, original_unit, source_id, is_valid, is_outlier,
        note, metadata)
      select ${jobId}::uuid, r.seq, ${tenantId}::uuid, r.variable_id, r.variable_version, r.start_at, r.end_at, r.value,
        r.value_text, r.value_code, r.value_boolean, r.unit, r.original_value, r.original_unit, r.source_id, r.is_valid,
        r.is_outlier, r.note, r.metadata::jsonb
      from ${unnestRows(part, "seq", sql`${sql.param(part.map((_, k) => firstSeq + i + k))}::int[]`)}`);
  }
  await insertIssues(db, tenantId, jobId, issues);
}

export async function insertIssues(db: Executor, tenantId: string, jobId: string, issues: readonly IngestIssue[]) {
  for (let i = 0; i < issues.length; i += 5_000) {
    await db.insert(ingestIssues).values(
      issues.slice(i, i + 5_000).map((issue) => ({
        tenantId,
        jobId,
        itemIndex: issue.index,
        location: issue.location,
        code: issue.code,
        severity: issue.severity,
        message: issue.message,
      })),
    );
  }
}

/** Forgets what an earlier attempt of a file job staged (rows and issues), before a retry maps again. */
export async function clearStaged(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db.delete(ingestStagedRows).where(eq(ingestStagedRows.jobId, jobId));
  await db.delete(ingestIssues).where(and(eq(ingestIssues.tenantId, tenantId), eq(ingestIssues.jobId, jobId)));
}

/** How many rows a file job has staged (the next `firstSeq`). */
export async function stagedCount(db: Executor, jobId: string): Promise<number> {
  const [row] = await db
    .select({ last: max(ingestStagedRows.seq) })
    .from(ingestStagedRows)
    .where(eq(ingestStagedRows.jobId, jobId));
  return row?.last === null || row?.last === undefined ? 0 : row.last + 1;
}

export interface FileCommit {
  tenantId: string;
  userId: string;
  jobId: string;
  fileId: string;
  mapperId: string;
  mapperVersion: string;
  /** Items the mapper produced (received), and the pipeline's counts over all batches. */
  received: number;
  counts: { rejected: number; duplicates_in_batch: number; flagged: number; outliers: number };
  /** Whether any issue that is not `info` was reported (the job then ends completed_with_issues). */
  hasIssues: boolean;
}

/**
 * Moves a file job's staged rows into `observations` in one transaction, replacing the rows of the
 * file's earlier mappings: a reader sees the old rows or the new ones, never both or neither. Rows that
 * duplicate one another (same variable, time and source) or data already stored from elsewhere are
 * skipped and counted. A job already finished is left alone (a redelivered commit changes nothing).
 */
export async function commitFileJob(db: Database, c: FileCommit): Promise<WriteResult> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .select({ status: ingestJobs.status, stored: ingestJobs.stored, duplicates: ingestJobs.duplicates })
      .from(ingestJobs)
      .where(and(eq(ingestJobs.tenantId, c.tenantId), eq(ingestJobs.id, c.jobId)))
      .for("update");
    if (!job) throw new Error(`job ${c.jobId} does not exist`);
    if (job.status !== "queued" && job.status !== "processing") {
      return { status: "already_done", stored: job.stored, duplicates: job.duplicates };
    }
    await removeFileObservations(tx, c.tenantId, c.userId, c.fileId);
    const staged = await stagedCount(tx, c.jobId);
    const result = await tx.execute<{ stored: number }>(sql`
      with ins as (
        insert into ${observations} (id, tenant_id, user_id, variable_id, variable_version, start_at, end_at, value,
          value_text, value_code, value_boolean, unit, original_value, original_unit, source_id, file_id, job_id,
          is_valid, is_outlier, note, metadata)
        select distinct on (s.variable_id, s.start_at, s.source_id)
          gen_random_uuid(), ${c.tenantId}::uuid, ${c.userId}::uuid, s.variable_id, s.variable_version, s.start_at,
          s.end_at, s.value, s.value_text, s.value_code, s.value_boolean, s.unit, s.original_value, s.original_unit,
          s.source_id, ${c.fileId}::uuid, ${c.jobId}::uuid, s.is_valid, s.is_outlier, s.note, s.metadata
        from ${ingestStagedRows} s
        where s.job_id = ${c.jobId}
        order by s.variable_id, s.start_at, s.source_id, s.seq
        on conflict do nothing
        returning id, variable_id, start_at, value, is_valid),
      rollup as (${addToRollups(c.tenantId, c.userId, sql`ins`)})
      select count(*)::int as stored from ins`);
    const stored = Number(result.rows[0]?.stored ?? 0);
    await tx.delete(ingestStagedRows).where(eq(ingestStagedRows.jobId, c.jobId));
    const skipped = staged - stored;
    if (skipped > 0) {
      await insertIssues(tx, c.tenantId, c.jobId, [
        {
          index: null,
          location: null,
          code: "duplicate_stored",
          severity: "info",
          message: `${skipped} observation(s) repeat another of the file or data already stored (same variable, time and source) and were skipped.`,
        },
      ]);
    }
    const duplicates = skipped + c.counts.duplicates_in_batch;
    const status = c.hasIssues ? "completed_with_issues" : "completed";
    await tx
      .update(ingestJobs)
      .set({
        status,
        received: c.received,
        stored,
        duplicates,
        rejected: c.counts.rejected,
        flagged: c.counts.flagged,
        outliers: c.counts.outliers,
        error: null,
        updatedAt: new Date(),
        completedAt: new Date(),
      })
      .where(and(eq(ingestJobs.tenantId, c.tenantId), eq(ingestJobs.id, c.jobId)));
    await setFileStatus(tx, c.tenantId, c.fileId, "mapped", {
      mapperId: c.mapperId,
      mapperVersion: c.mapperVersion,
      error: null,
    });
    return { status, stored, duplicates };
  });
}

/** Sets the column mapping a file is mapped with (tabular formats). */
export async function setFileMapping(db: Executor, tenantId: string, id: string, mapping: Record<string, unknown>) {
  await db
    .update(files)
    .set({ mapping, updatedAt: new Date() })
    .where(and(eq(files.tenantId, tenantId), eq(files.id, id)));
}

/** Saves (or replaces) the column mapping a person confirmed for a header signature. */
export async function saveColumnMapping(
  db: Executor,
  m: { tenantId: string; userId: string; signature: string; headers: string[]; mapping: Record<string, unknown> },
): Promise<void> {
  await db
    .insert(columnMappings)
    .values({ ...m, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [columnMappings.tenantId, columnMappings.userId, columnMappings.signature],
      set: { headers: m.headers, mapping: m.mapping, updatedAt: new Date() },
    });
}

export async function findColumnMapping(
  db: Executor,
  tenantId: string,
  userId: string,
  signature: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ mapping: columnMappings.mapping })
    .from(columnMappings)
    .where(
      and(
        eq(columnMappings.tenantId, tenantId),
        eq(columnMappings.userId, userId),
        eq(columnMappings.signature, signature),
      ),
    )
    .limit(1);
  return row?.mapping ?? null;
}

/** A new file id (UUIDv7: time-ordered, so object keys and listings sort by upload time). */
export const newFileId = uuidv7;
