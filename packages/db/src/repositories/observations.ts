/**
 * Writing and reading a person's stored observations: the one statement that inserts them (both the
 * observation-batch path and the file-commit path of `jobs.ts` build their insert here), and the
 * history the outlier baseline is computed from.
 */
import type { HistoryStats } from "@dfda/core";
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { observations } from "../schema";
import { rowColumns, rowValues } from "./row-columns";

/** Whose rows an insert writes, and from which job (and file): the columns every row of it shares. */
export interface ObservationOwner {
  tenantId: string;
  userId: string;
  jobId: string;
  /** The file a file job maps; null for an observation batch. */
  fileId: string | null;
}

/**
 * The one id rule for observations: a UUIDv7 (RFC 9562 §5.7) made by PostgreSQL for each row, as it is
 * inserted. The 48-bit Unix time in milliseconds (clock_timestamp(), so the rows of a long statement
 * carry their own instants) is laid over the first six bytes of a random version-4 UUID, and bits 52
 * and 53 turn its version nibble 0100 into 0111; the variant bits (10) and the 74 random bits stay as
 * gen_random_uuid() made them. PostgreSQL 15 has no uuidv7() (it arrives in 18), and ids made in the
 * statement need no parameter per row, whatever the number of rows a file commit moves.
 */
const UUIDV7 = sql.raw(
  "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing " +
    "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), " +
    "52, 1), 53, 1), 'hex')::uuid",
);

/**
 * The value a row adds to the rollups' value aggregates: a censored value ("<5") counts as an
 * observation of the hour but adds nothing to sum, min, max or last, since its bound is not its value.
 * So for a numeric variable `count - value_count` is the hour's censored values (summaries report it).
 */
export const ROLLUP_VALUE = sql.raw("case when comparator is null then value end as value");

/**
 * The one `INSERT INTO observations`: every row of `rows` (a query yielding the row columns of
 * `row-columns.ts`, with `metadata` as jsonb or text) is stored under `owner` with a new UUIDv7, a row
 * that repeats a stored one on the de-duplication key (variable, time, source) is skipped (`ON
 * CONFLICT DO NOTHING`), and the statement returns what the hourly rollups add up
 * (`addToRollups(…, ins)`) for the rows it stored (`value` null for a censored row: `ROLLUP_VALUE`). Used as a CTE (`with ins as (…)`).
 */
export function insertObservations(owner: ObservationOwner, rows: SQL): SQL {
  return sql`insert into ${observations} (id, tenant_id, user_id, file_id, job_id, ${rowColumns()})
    select ${UUIDV7}, ${owner.tenantId}::uuid, ${owner.userId}::uuid, ${owner.fileId}::uuid, ${owner.jobId}::uuid,
      ${rowValues("r")}
    from (${rows}) r
    on conflict do nothing
    returning id, variable_id, start_at, ${ROLLUP_VALUE}, is_valid`;
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
 * year, so the baseline follows the person's current state). Censored values are left out: "<5" is a
 * bound, and counting it as 5 would move the baseline towards the assay's limit.
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
        and o.value is not null and o.comparator is null and o.is_valid and o.start_at > now() - interval '365 days'
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
