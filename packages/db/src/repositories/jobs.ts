/**
 * The ingestion job, its whole life in one module: the API creates it (`createJob`), a consumer claims
 * it (`claimJob`) and records failed attempts on it (`recordJobAttempt`), the mapper stages a file's
 * rows and issues (`stageRows`), the person's writer commits it (`commitBatchJob` for an observation
 * batch, `commitFileJob` for a mapped file), and it ends failed (`markJobFailed`, `failJobAndFile`),
 * as a dead letter (`failDeadLetter`) or unsupported (`markJobUnsupported`). Both commits insert
 * through the one statement of `observations.ts` (`insertObservations`).
 *
 * Every function takes the tenant explicitly: there is no unscoped query here. A job already finished
 * is never written again, so a redelivered queue message changes nothing.
 */
import { type IngestIssue, type NormalizedRow, uuidv7, type WriteRequest, type WriteResult } from "@dfda/core";
import { and, asc, eq, gt, inArray, max, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { ingestIssues, ingestJobs, ingestStagedRows, observations, pendingObservations } from "../schema";
import { removeFileObservations, setFileStatus } from "./files";
import { insertObservations } from "./observations";
import { addToRollups } from "./rollups";
import { rowColumns, rowValues, unnestRows } from "./row-columns";
import { recordJobEvents } from "./webhooks";

export type Job = typeof ingestJobs.$inferSelect;

export interface NewJob {
  tenantId: string;
  userId: string;
  clientId: string | null;
  /** The user acting through the client (the owner or their custodian); null for an app acting for itself. */
  actorUserId?: string | null;
  sourceId: string;
  /** `remap`: pending values of a local code stored after an administrator mapped it (pending.ts). */
  kind: "observations" | "file" | "remap";
  /** The file a `file` job maps. */
  fileId?: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  received: number;
}

// ---- create -------------------------------------------------------------------------------------

/**
 * The namespace of a job's idempotency key: the client and the user acting through it. A key is one
 * writer's (the draft IETF Idempotency-Key header scopes keys to the client that sent them): an app or a
 * custodian writing for an owner must not replay, or block, the keys the owner or another app used.
 */
export function jobWriter(clientId: string | null, actorUserId: string | null): string {
  return JSON.stringify([clientId, actorUserId]);
}

/**
 * Creates a job, or returns the one an earlier request by the same writer (client and acting user) with
 * the same idempotency key for the same owner created (`existing: true`); the caller compares
 * `requestHash` to tell a replay from a conflict.
 */
export async function createJob(db: Executor, job: NewJob): Promise<{ job: Job; existing: boolean }> {
  const { actorUserId, ...values } = job;
  const writer = jobWriter(job.clientId, actorUserId ?? null);
  const [created] = await db
    .insert(ingestJobs)
    .values({ id: uuidv7(), ...values, writer, status: "queued" })
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
        eq(ingestJobs.writer, writer),
        eq(ingestJobs.idempotencyKey, job.idempotencyKey ?? ""),
      ),
    )
    .limit(1);
  if (!found) throw new Error("job insert conflicted but no job has that idempotency key");
  return { job: found, existing: true };
}

/** Puts a job whose message failed to enqueue back to `queued` once it has been enqueued. */
export async function requeueJob(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db
    .update(ingestJobs)
    .set({ status: "queued", error: null, completedAt: null, updatedAt: new Date() })
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId), eq(ingestJobs.status, "failed")));
}

export async function getJob(db: Executor, tenantId: string, jobId: string): Promise<Job | null> {
  const [row] = await db
    .select()
    .from(ingestJobs)
    .where(and(eq(ingestJobs.tenantId, tenantId), eq(ingestJobs.id, jobId)))
    .limit(1);
  return row ?? null;
}

/** A job's issues in the order they were recorded, keyset-paged by id. */
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

// ---- claim and progress -------------------------------------------------------------------------

/** Marks a job `processing` (from `queued`), recording `error` when given; true while it is still to be done. */
async function markProcessing(db: Executor, tenantId: string, jobId: string, error?: string): Promise<boolean> {
  const rows = await db
    .update(ingestJobs)
    .set({ status: "processing", updatedAt: new Date(), ...(error === undefined ? {} : { error }) })
    .where(
      and(
        eq(ingestJobs.tenantId, tenantId),
        eq(ingestJobs.id, jobId),
        inArray(ingestJobs.status, ["queued", "processing"]),
      ),
    )
    .returning({ id: ingestJobs.id });
  return rows.length > 0;
}

/**
 * A consumer takes a job: `processing` from `queued`. Returns whether the job is still to be done
 * (queued or processing): false when it is gone or finished, so one statement both claims and checks it.
 */
export function claimJob(db: Executor, tenantId: string, jobId: string): Promise<boolean> {
  return markProcessing(db, tenantId, jobId);
}

/** Records why an attempt failed on a job still to be done, for its view (the queue retries the message). */
export function recordJobAttempt(db: Executor, tenantId: string, jobId: string, error: string): Promise<boolean> {
  return markProcessing(db, tenantId, jobId, error);
}

// ---- stage (a file job's rows, batch by batch) --------------------------------------------------

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
    const seqs = sql`${sql.param(part.map((_, k) => firstSeq + i + k))}::int[]`;
    await db.execute(sql`
      insert into ${ingestStagedRows} (job_id, seq, tenant_id, ${rowColumns()})
      select ${jobId}::uuid, r.seq, ${tenantId}::uuid, ${rowValues("r")}
      from ${unnestRows(part, { name: "seq", values: seqs })}`);
  }
  await insertIssues(db, tenantId, jobId, issues);
}

/** Records issues of a job (validation issues, mapping issues, a note of skipped duplicates). */
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

/**
 * Forgets what an earlier attempt of a file job staged (rows, pending values of local codes, issues),
 * before a retry maps again.
 */
export async function clearStaged(db: Executor, tenantId: string, jobId: string): Promise<void> {
  await db.delete(ingestStagedRows).where(eq(ingestStagedRows.jobId, jobId));
  await db
    .delete(pendingObservations)
    .where(and(eq(pendingObservations.tenantId, tenantId), eq(pendingObservations.jobId, jobId)));
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

// ---- commit -------------------------------------------------------------------------------------

/**
 * Commits an observation batch in one statement, which PostgreSQL runs as one transaction: lock the
 * job row, insert the rows (skipping duplicates of stored ones), add them to the hourly rollups, record
 * the issues, and set the job's counts and status. Five round trips (BEGIN, lock, insert, update,
 * COMMIT) became one; under load every round trip is a wait for the Worker's event loop and the pool.
 *
 * A concurrent redelivery of the same message waits on the job row's lock; when it gets the row, READ
 * COMMITTED re-reads it (the job is then finished), and nothing else is written.
 */
export async function commitBatchJob(db: Database, req: WriteRequest): Promise<WriteResult> {
  const rows = req.rows;
  const issues = req.issues;
  const issueCol = <T>(f: (i: (typeof issues)[number]) => T) => sql.param(issues.map(f));
  const status = issues.some((i) => i.severity !== "info") ? "completed_with_issues" : "completed";
  const owner = { tenantId: req.tenant_id, userId: req.user_id, jobId: req.job_id, fileId: null };
  const result = await db.execute<{
    found: boolean;
    live: boolean;
    stored_before: number | null;
    duplicates_before: number | null;
    stored: number;
  }>(sql`
    with job as (
      select status, stored, duplicates from ${ingestJobs}
      where tenant_id = ${req.tenant_id} and id = ${req.job_id}
      for update),
    live as (select exists (select 1 from job where status in ('queued', 'processing')) as live),
    ins as (${insertObservations(owner, sql`select * from ${unnestRows(rows)} where (select live from live)`)}),
    rollup as (${addToRollups(req.tenant_id, req.user_id, sql`ins`)}),
    counted as (select count(*)::int as stored from ins),
    -- The job's issues in item order, then a note of the rows already stored (skipped as duplicates).
    issues as (
      insert into ${ingestIssues} (tenant_id, job_id, item_index, location, code, severity, message)
      select ${req.tenant_id}::uuid, ${req.job_id}::uuid, i.item_index, i.location, i.code, i.severity, i.message
      from (
        select u.item_index, u.location, u.code, u.severity, u.message, u.ord
        from unnest(${issueCol((i) => i.index)}::int[], ${issueCol((i) => i.location)}::text[],
                    ${issueCol((i) => i.code)}::text[], ${issueCol((i) => i.severity)}::text[],
                    ${issueCol((i) => i.message)}::text[])
             with ordinality as u(item_index, location, code, severity, message, ord)
        union all
        select null, null, 'duplicate_stored', 'info',
          format('%s observation(s) were already stored (same variable, time and source) and were skipped.',
                 ${rows.length}::int - counted.stored),
          ${issues.length + 1}::bigint
        from counted where counted.stored < ${rows.length}::int
      ) i
      where (select live from live)
      order by i.ord),
    done as (
      update ${ingestJobs} set status = ${status}, stored = counted.stored,
        duplicates = ${rows.length}::int - counted.stored + ${req.counts.duplicates_in_batch}::int,
        rejected = ${req.counts.rejected}::int, flagged = ${req.counts.flagged}::int,
        outliers = ${req.counts.outliers}::int, error = null, updated_at = now(), completed_at = now()
      from counted
      where tenant_id = ${req.tenant_id} and id = ${req.job_id} and (select live from live))
    select exists (select 1 from job) as found, (select live from live) as live,
      (select stored from job) as stored_before, (select duplicates from job) as duplicates_before,
      (select stored from counted) as stored`);
  const answer = result.rows[0];
  if (!answer?.found) throw new Error(`job ${req.job_id} does not exist`);
  if (!answer.live) {
    return {
      status: "already_done",
      stored: Number(answer.stored_before ?? 0),
      duplicates: Number(answer.duplicates_before ?? 0),
    };
  }
  const stored = Number(answer.stored);
  // Webhook events (docs/webhooks.md): after the one statement, so at most once for a batch (a crash
  // between the two loses them; the job itself is intact).
  await recordJobEvents(db, {
    tenantId: req.tenant_id,
    jobId: req.job_id,
    variableIds: [...new Set(rows.map((r) => r.variable_id))],
  });
  return { status, stored, duplicates: rows.length - stored + req.counts.duplicates_in_batch };
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

/** What a finished file job or re-map counted (`WriteRequest` counts, as the consumer prepared them). */
export interface FinishedCounts {
  tenantId: string;
  jobId: string;
  received: number;
  counts: { rejected: number; flagged: number; outliers: number };
}

/**
 * Marks a job finished with its counts, inside the transaction that stored its rows: the last step of
 * committing a file job (`commitFileJob`) and a re-map of pending values (`commitPendingJob`).
 */
export async function finishJob(
  tx: Executor,
  c: FinishedCounts,
  outcome: { status: "completed" | "completed_with_issues"; stored: number; duplicates: number },
): Promise<void> {
  await tx
    .update(ingestJobs)
    .set({
      status: outcome.status,
      received: c.received,
      stored: outcome.stored,
      duplicates: outcome.duplicates,
      rejected: c.counts.rejected,
      flagged: c.counts.flagged,
      outliers: c.counts.outliers,
      error: null,
      updatedAt: new Date(),
      completedAt: new Date(),
    })
    .where(and(eq(ingestJobs.tenantId, c.tenantId), eq(ingestJobs.id, c.jobId)));
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
    // The earlier mappings' rows and pending values go; this job's pending values stay.
    await removeFileObservations(tx, c.tenantId, c.userId, c.fileId, c.jobId);
    const staged = await stagedCount(tx, c.jobId);
    const owner = { tenantId: c.tenantId, userId: c.userId, jobId: c.jobId, fileId: c.fileId };
    // The first staged row of each (variable, time, source) wins: the file's own order decides.
    const firstOfEachKey = sql`
      select distinct on (s.variable_id, s.start_at, s.source_id) ${rowColumns("s")}
      from ${ingestStagedRows} s
      where s.job_id = ${c.jobId}
      order by s.variable_id, s.start_at, s.source_id, s.seq`;
    const result = await tx.execute<{ stored: number }>(sql`
      with ins as (${insertObservations(owner, firstOfEachKey)}),
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
    await finishJob(tx, c, { status, stored, duplicates });
    await setFileStatus(tx, c.tenantId, c.fileId, "mapped", {
      mapperId: c.mapperId,
      mapperVersion: c.mapperVersion,
      error: null,
    });
    // Webhook events in the commit's transaction: they exist exactly when the commit does.
    const variables = await tx
      .selectDistinct({ id: observations.variableId })
      .from(observations)
      .where(
        and(
          eq(observations.tenantId, c.tenantId),
          eq(observations.userId, c.userId),
          eq(observations.fileId, c.fileId),
        ),
      );
    await recordJobEvents(tx, { tenantId: c.tenantId, jobId: c.jobId, variableIds: variables.map((v) => v.id) });
    return { status, stored, duplicates };
  });
}

// ---- fail and dead-letter -----------------------------------------------------------------------

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

/** A job, and its file when it has one, as a queued message names them. */
export interface NamedJob {
  tenantId: string;
  jobId: string;
  fileId: string | null;
}

/** Fails a job still queued or processing, and then its file; a finished job and its file are left as they are. */
export async function failJobAndFile(db: Executor, job: NamedJob, reason: string, fileError: string): Promise<void> {
  if ((await markJobFailed(db, job.tenantId, job.jobId, reason)) && job.fileId !== null) {
    await setFileStatus(db, job.tenantId, job.fileId, "failed", { error: fileError });
  }
}

/** A dead letter: the job gave up after its attempts, with the reason the last attempt recorded. */
export async function failDeadLetter(db: Executor, job: NamedJob, attempts: number, fileError: string): Promise<void> {
  const current = await getJob(db, job.tenantId, job.jobId);
  const reason = `gave up after ${attempts} attempts${current?.error ? `: ${current.error}` : ""}`;
  await failJobAndFile(db, job, reason, fileError);
}
