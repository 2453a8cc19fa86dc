/**
 * Ingestion jobs, their issues, and the sources observations come from. Every function takes the
 * tenant (and where it applies the user) explicitly: there is no unscoped query here.
 */
import { uuidv7 } from "@dfda/core";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { ingestIssues, ingestJobs, sources } from "../schema";

export type Job = typeof ingestJobs.$inferSelect;

export interface NewJob {
  tenantId: string;
  userId: string;
  clientId: string | null;
  sourceId: string;
  kind: "observations" | "file";
  /** The file a `file` job maps. */
  fileId?: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  received: number;
}

/**
 * Creates a job, or returns the one an earlier request with the same idempotency key created
 * (`existing: true`); the caller compares `requestHash` to tell a replay from a conflict.
 */
export async function createJob(db: Executor, job: NewJob): Promise<{ job: Job; existing: boolean }> {
  const [created] = await db
    .insert(ingestJobs)
    .values({ id: uuidv7(), ...job, status: "queued" })
    .onConflictDoNothing()
    .returning();
  if (created) return { job: created, existing: false };
  const [found] = await db
    .select()
    .from(ingestJobs)
    .where(
      and(
        eq(ingestJobs.tenantId, job.tenantId),
        eq(ingestJobs.userId, job.userId),
        eq(ingestJobs.idempotencyKey, job.idempotencyKey ?? ""),
      ),
    )
    .limit(1);
  if (!found) throw new Error("job insert conflicted but no job has that idempotency key");
  return { job: found, existing: true };
}

export async function deleteJob(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db.delete(ingestJobs).where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId)));
}

export async function getJob(db: Executor, tenantId: string, jobId: string): Promise<Job | null> {
  const [row] = await db
    .select()
    .from(ingestJobs)
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId)))
    .limit(1);
  return row ?? null;
}

/** Ends a file job whose format no mapper knows (not a failure: a reprocess can map it later). */
export async function markJobUnsupported(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db
    .update(ingestJobs)
    .set({ status: "unsupported_format", error: null, updatedAt: new Date(), completedAt: new Date() })
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId)));
}

/** Fails a job that is still queued or processing; true when it did (a finished job is left as it is). */
export async function markJobFailed(db: Executor, tenantId: string, jobId: string, reason: string): Promise<boolean> {
  const result = await db
    .update(ingestJobs)
    .set({ status: "failed", error: reason, updatedAt: new Date(), completedAt: new Date() })
    .where(
      and(
        eq(ingestJobs.tenantId, tenantId),
        eq(ingestJobs.id, jobId),
        inArray(ingestJobs.status, ["queued", "processing"]),
      ),
    );
  return (result.rowCount ?? 0) > 0;
}

/** Puts a job whose message failed to enqueue back to `queued` once it has been enqueued. */
export async function requeueJob(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db
    .update(ingestJobs)
    .set({ status: "queued", error: null, completedAt: null, updatedAt: new Date() })
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId), eq(ingestJobs.status, "failed")));
}

export async function listIssues(db: Executor, tenantId: string, jobId: string, afterId: number | null, limit: number) {
  const rows = await db
    .select({
      id: ingestIssues.id,
      itemIndex: ingestIssues.itemIndex,
      location: ingestIssues.location,
      code: ingestIssues.code,
      severity: ingestIssues.severity,
      message: ingestIssues.message,
    })
    .from(ingestIssues)
    .where(
      and(
        eq(ingestIssues.tenantId, tenantId),
        eq(ingestIssues.jobId, jobId),
        afterId === null ? undefined : gt(ingestIssues.id, afterId),
      ),
    )
    .orderBy(asc(ingestIssues.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** The source standing for an OAuth client (kind `api`), created on first use. */
export async function clientSource(
  db: Executor,
  tenantId: string,
  clientId: string,
  clientName: string,
): Promise<string> {
  const [existing] = await db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.kind, "api"), eq(sources.clientId, clientId)))
    .limit(1);
  if (existing) return existing.id;
  const slug = `client-${clientId.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}`.slice(0, 64);
  await db
    .insert(sources)
    .values({ id: uuidv7(), tenantId, slug, name: clientName, kind: "api", clientId })
    .onConflictDoNothing();
  const [row] = await db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.slug, slug)))
    .limit(1);
  if (!row) throw new Error(`source ${slug} could not be created`);
  return row.id;
}

/** Ids of the named sources of a tenant, creating the missing ones (kind `api`). */
export async function sourcesBySlug(
  db: Executor,
  tenantId: string,
  slugs: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return new Map();
  await db
    .insert(sources)
    .values(unique.map((slug) => ({ id: uuidv7(), tenantId, slug, name: slug, kind: "api" })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: sources.id, slug: sources.slug })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), inArray(sources.slug, unique)));
  return new Map(rows.map((r) => [r.slug, r.id]));
}
