/**
 * Raw files, the per-user keys that protect them, and their column mappings. A file's mapping job
 * (staging its rows, committing them in place of an earlier mapping's) lives in `jobs.ts`. Every
 * function is scoped by tenant, and by user where it applies.
 */
import { uuidv7 } from "@dfda/core";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { columnMappings, type FileStatus, files, observations, pendingObservations, userKeys } from "../schema";
import { refreshRollups } from "./rollups";

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

/**
 * Deletes the observations mapped from a file and recomputes the rollups they were part of, and the
 * file's pending values (local codes not mapped yet), except those the job `keepJobId` staged.
 */
export async function removeFileObservations(
  db: Executor,
  tenantId: string,
  userId: string,
  fileId: string,
  keepJobId?: string,
) {
  await db
    .delete(pendingObservations)
    .where(
      and(
        eq(pendingObservations.tenantId, tenantId),
        eq(pendingObservations.userId, userId),
        eq(pendingObservations.fileId, fileId),
        keepJobId === undefined ? undefined : sql`${pendingObservations.jobId} is distinct from ${keepJobId}`,
      ),
    );
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
