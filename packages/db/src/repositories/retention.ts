/**
 * Per-tenant retention (docs/retention.md): the periods an administrator sets, and the deletions the
 * sweep (the exporter Worker's Cron) makes with them. Every deletion here is bounded (`limit`), so one
 * run does a bounded amount of work and the next run continues; each is safe to run twice.
 *
 * The audit log's part (archive, then prune) lives with the rest of the audit chain in `./audit`.
 */
import { KEEP_EVERYTHING, type RetentionPolicy } from "@dfda/core";
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { tenantRetention } from "../schema";

export interface StoredRetention {
  policy: RetentionPolicy;
  /** When an administrator last set it; null for a tenant still on the default (keep everything). */
  updatedAt: Date | null;
  updatedBy: string | null;
}

function toPolicy(row: typeof tenantRetention.$inferSelect): RetentionPolicy {
  return {
    raw_files_days: row.rawFilesDays,
    vendor_responses_days: row.vendorResponsesDays,
    job_issues_days: row.jobIssuesDays,
    access_log_days: row.accessLogDays,
  };
}

/** The tenant's retention periods; a tenant without a row keeps everything. */
export async function getRetention(db: Executor, tenantId: string): Promise<StoredRetention> {
  const [row] = await db.select().from(tenantRetention).where(eq(tenantRetention.tenantId, tenantId));
  if (row === undefined) return { policy: KEEP_EVERYTHING, updatedAt: null, updatedBy: null };
  return { policy: toPolicy(row), updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/** Sets all four periods of the tenant at once (PUT semantics: a null keeps that kind for ever). */
export async function putRetention(
  db: Executor,
  tenantId: string,
  policy: RetentionPolicy,
  updatedBy: string,
): Promise<StoredRetention> {
  const values = {
    rawFilesDays: policy.raw_files_days,
    vendorResponsesDays: policy.vendor_responses_days,
    jobIssuesDays: policy.job_issues_days,
    accessLogDays: policy.access_log_days,
    updatedAt: new Date(),
    updatedBy,
  };
  const [row] = await db
    .insert(tenantRetention)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: tenantRetention.tenantId, set: values })
    .returning();
  if (row === undefined) throw new Error("retention upsert returned no row");
  return { policy: toPolicy(row), updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/** Tenants that set at least one period; a tenant without one keeps everything, so the sweep skips it. */
export async function tenantsWithRetention(
  db: Executor,
): Promise<Array<{ tenantId: string; policy: RetentionPolicy }>> {
  const rows = await db
    .select()
    .from(tenantRetention)
    .where(
      sql`${tenantRetention.rawFilesDays} is not null or ${tenantRetention.vendorResponsesDays} is not null
       or ${tenantRetention.jobIssuesDays} is not null or ${tenantRetention.accessLogDays} is not null`,
    )
    .orderBy(tenantRetention.tenantId);
  return rows.map((r) => ({ tenantId: r.tenantId, policy: toPolicy(r) }));
}

/** A file whose original the sweep removed. */
export interface ExpiredFile {
  id: string;
  userId: string;
  r2Key: string;
}

/**
 * Expires up to `limit` of the tenant's files uploaded before `cutoff`: their originals are deleted
 * (`deleteObjects`, the R2 delete) and their rows marked deleted (`deleted_at`, `retention_expired_at`);
 * the observations mapped from them stay. Returns the files expired.
 *
 * A file being mapped is never touched: not one whose status is `processing`, nor one with a queued or
 * processing ingest job (a reprocess waiting in the queue). The rows are locked (`for update skip
 * locked`) while their objects are deleted, so a reprocess that starts meanwhile waits and then finds
 * the file gone; and the object goes before the row is marked, in that transaction, so a failure leaves
 * the file as it was (or already without its object, which the next run finishes marking).
 *
 * @example
 * const expired = await expireFiles(db, tenantId, retentionCutoff(now, 365), 100, now, (keys) => env.FILES.delete(keys));
 */
export async function expireFiles(
  db: Database,
  tenantId: string,
  cutoff: Date,
  limit: number,
  now: Date,
  deleteObjects: (keys: string[]) => Promise<void>,
): Promise<ExpiredFile[]> {
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; user_id: string; r2_key: string }>(sql`
      select f.id, f.user_id, f.r2_key
        from files f
       where f.tenant_id = ${tenantId} and f.deleted_at is null and f.created_at < ${cutoff}
         and f.status <> 'processing'
         and not exists (select 1 from ingest_jobs j
                          where j.tenant_id = f.tenant_id and j.file_id = f.id and j.status in ('queued', 'processing'))
       order by f.created_at, f.id
       limit ${limit}
       for update of f skip locked`);
    const expired = due.rows.map((r) => ({ id: r.id, userId: r.user_id, r2Key: r.r2_key }));
    if (expired.length === 0) return expired;
    await deleteObjects(expired.map((f) => f.r2Key));
    await tx.execute(sql`
      update files set deleted_at = ${now}, retention_expired_at = ${now}, updated_at = ${now}
       where tenant_id = ${tenantId}
         and id in (${sql.join(
           expired.map((f) => sql`${f.id}::uuid`),
           sql`, `,
         )})`);
    return expired;
  });
}

/**
 * Deletes up to `limit` of the tenant's ingest issues recorded before `cutoff`, of jobs that are no
 * longer queued or processing (a running job's issues are still being written and read). Returns how
 * many it deleted.
 */
export async function deleteJobIssues(db: Executor, tenantId: string, cutoff: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`
    delete from ingest_issues
     where id in (
       select i.id from ingest_issues i
         join ingest_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id
        where i.tenant_id = ${tenantId} and i.created_at < ${cutoff}
          and j.status not in ('queued', 'processing')
        order by i.id
        limit ${limit})`);
  return result.rowCount ?? 0;
}
