/**
 * Storing a job's observations: one statement writes every row (INSERT … SELECT FROM unnest() … ON
 * CONFLICT DO NOTHING on the de-duplication key), the job's issues and its final counts. Either all of it is
 * stored or none of it, and a job already finished is never written twice, so a redelivered queue
 * message changes nothing.
 */
import { type HistoryStats, uuidv7, type WriteRequest, type WriteResult } from "@dfda/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Transaction } from "../client";
import { ingestIssues, ingestJobs, observations } from "../schema";
import { addToRollups } from "./rollups";
import { unnestRows } from "./row-columns";

/**
 * Stores a job's result in one statement, which PostgreSQL runs as one transaction: lock the job row,
 * insert the rows (skipping duplicates of stored ones), add them to the hourly rollups, record the
 * issues, and set the job's counts and status. Five round trips (BEGIN, lock, insert, update, COMMIT)
 * became one; under load every round trip is a wait for the Worker's event loop and the pool.
 *
 * A concurrent redelivery of the same message waits on the job row's lock; when it gets the row, READ
 * COMMITTED re-reads it (the job is then finished), and nothing else is written.
 */
export async function storeJobResult(db: Database, req: WriteRequest): Promise<WriteResult> {
  const rows = req.rows;
  const issues = req.issues;
  const issueCol = <T>(f: (i: (typeof issues)[number]) => T) => sql.param(issues.map(f));
  const status = issues.some((i) => i.severity !== "info") ? "completed_with_issues" : "completed";
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
    ins as (
      insert into ${observations} (id, tenant_id, user_id, variable_id, variable_version, start_at, end_at, value,
        value_text, value_code, value_boolean, unit, original_value, original_unit, source_id, job_id, is_valid,
        is_outlier, note, metadata)
      select r.id, ${req.tenant_id}::uuid, ${req.user_id}::uuid, r.variable_id, r.variable_version, r.start_at, r.end_at,
        r.value, r.value_text, r.value_code, r.value_boolean, r.unit, r.original_value, r.original_unit, r.source_id,
        ${req.job_id}::uuid, r.is_valid, r.is_outlier, r.note, r.metadata::jsonb
      from ${unnestRows(rows, "id", sql`${sql.param(rows.map(() => uuidv7()))}::uuid[]`)}
      where (select live from live)
      on conflict do nothing
      returning id, variable_id, start_at, value, is_valid),
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
  return { status, stored, duplicates: rows.length - stored + req.counts.duplicates_in_batch };
}

/**
 * Marks a job `processing` (from `queued`) and records the attempt's error, if any, for the job view.
 * Returns whether the job is still to be done (queued or processing): false when it is gone or
 * finished, so one statement both claims and checks it.
 */
export async function markJobProcessing(
  db: Database | Transaction,
  tenantId: string,
  jobId: string,
  lastError?: string,
): Promise<boolean> {
  const rows = await db
    .update(ingestJobs)
    .set({ status: "processing", updatedAt: new Date(), ...(lastError === undefined ? {} : { error: lastError }) })
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
 * How many of a person's most recent values per variable the outlier baseline is computed from. A year
 * of minute-level heart rate is 525,600 values: their quartiles took ~350 ms per incoming batch, and the
 * ingest of such a person slowed with every week of data. 10,000 values (a week of minute data, decades
 * of daily weights) estimate the mean and quartiles closely, and reading them is one bounded index scan.
 */
export const HISTORY_SAMPLE = 10_000;

/**
 * The user's own history per variable for outlier detection: count, mean, sample standard deviation
 * and quartiles of the most recent valid stored values (at most `HISTORY_SAMPLE`, none older than a
 * year, so the baseline follows the person's current state).
 */
export async function historyStats(
  db: Database,
  tenantId: string,
  userId: string,
  variableIds: readonly string[],
): Promise<Map<string, HistoryStats>> {
  if (variableIds.length === 0) return new Map();
  const result = await db.execute<{
    variable_id: string;
    count: number;
    mean: number;
    stddev: number | null;
    q1: number;
    q3: number;
  }>(sql`
    select v.variable_id, count(*)::int as count, avg(h.value) as mean, stddev_samp(h.value) as stddev,
           percentile_cont(0.25) within group (order by h.value) as q1,
           percentile_cont(0.75) within group (order by h.value) as q3
    from unnest(${sql.param([...variableIds])}::uuid[]) as v(variable_id)
    cross join lateral (
      -- Newest first along the (user_id, variable_id, start_at desc) index, stopping at the sample size.
      select o.value from ${observations} o
      where o.tenant_id = ${tenantId} and o.user_id = ${userId} and o.variable_id = v.variable_id
        and o.value is not null and o.is_valid and o.start_at > now() - interval '365 days'
      order by o.start_at desc
      limit ${HISTORY_SAMPLE}
    ) h
    group by v.variable_id`);
  return new Map(
    result.rows.map((r) => [
      r.variable_id,
      {
        count: Number(r.count),
        mean: Number(r.mean),
        stddev: Number(r.stddev ?? 0),
        q1: Number(r.q1),
        q3: Number(r.q3),
      },
    ]),
  );
}
