/**
 * Maintaining `observation_hourly`: additive upserts as rows are stored, and recomputation of the
 * hours a delete or a replacement touched. Every path that changes `observations` goes through here,
 * inside its own transaction, so a rollup never disagrees with the rows it summarizes.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { observationHourly, observations } from "../schema";
import { ROLLUP_VALUE } from "./observations";

/**
 * The aggregate columns of a set of rows `(id, variable_id, start_at, value)` grouped by variable and
 * UTC hour, in `observation_hourly` column order after the key. `last` is by start_at then id, the same
 * order the list and summary reads use.
 */
const AGGREGATES = sql.raw(`count(*)::int, count(r.value)::int, sum(r.value), min(r.value), max(r.value),
  (array_agg(r.value order by r.start_at desc, r.id desc) filter (where r.value is not null))[1],
  max(r.start_at) filter (where r.value is not null),
  (array_agg(r.id order by r.start_at desc, r.id desc) filter (where r.value is not null))[1]`);

/**
 * Adds the rows of `source` (a relation with id, variable_id, start_at, value, is_valid, e.g. the
 * `returning` of an insert in a CTE; `value` null for a censored row, see `ROLLUP_VALUE`) to the person's hourly rollups. Returns the statement, to be
 * embedded where the rows are produced.
 */
export function addToRollups(tenantId: string, userId: string, source: SQL): SQL {
  return sql`insert into ${observationHourly} (tenant_id, user_id, variable_id, hour, count, value_count, sum, min, max,
      last_value, last_at, last_id)
    select ${tenantId}::uuid, ${userId}::uuid, r.variable_id, date_trunc('hour', r.start_at, 'UTC'), ${AGGREGATES}
    from ${source} r
    where r.is_valid
    group by r.variable_id, date_trunc('hour', r.start_at, 'UTC')
    on conflict (tenant_id, user_id, variable_id, hour) do update set
      count = observation_hourly.count + excluded.count,
      value_count = observation_hourly.value_count + excluded.value_count,
      sum = case when excluded.sum is null then observation_hourly.sum
                 else coalesce(observation_hourly.sum, 0) + excluded.sum end,
      min = least(observation_hourly.min, excluded.min),
      max = greatest(observation_hourly.max, excluded.max),
      last_value = case when observation_hourly.last_at is null
                          or (excluded.last_at, excluded.last_id) > (observation_hourly.last_at, observation_hourly.last_id)
                        then excluded.last_value else observation_hourly.last_value end,
      last_id = case when observation_hourly.last_at is null
                       or (excluded.last_at, excluded.last_id) > (observation_hourly.last_at, observation_hourly.last_id)
                     then excluded.last_id else observation_hourly.last_id end,
      last_at = greatest(observation_hourly.last_at, excluded.last_at)`;
}

export interface RollupRange {
  /** Only these variables (all of the person's when omitted). */
  variableIds?: readonly string[];
  /** Only hours overlapping [from, to) (all when omitted). */
  from?: Date;
  to?: Date;
}

/**
 * Recomputes the person's rollups for the hours in `range` from `observations` (after a delete or a
 * replacement of rows). Run it in the transaction that changed the rows.
 */
export async function refreshRollups(db: Executor, tenantId: string, userId: string, range: RollupRange = {}) {
  const variables =
    range.variableIds === undefined ? sql`true` : sql`variable_id = any(${sql.param([...range.variableIds])}::uuid[])`;
  const hourFrom =
    range.from === undefined
      ? sql`true`
      : sql`hour >= date_trunc('hour', ${range.from.toISOString()}::timestamptz, 'UTC')`;
  const hourTo = range.to === undefined ? sql`true` : sql`hour < ${range.to.toISOString()}::timestamptz`;
  await db.execute(sql`delete from ${observationHourly}
    where tenant_id = ${tenantId} and user_id = ${userId} and ${variables} and ${hourFrom} and ${hourTo}`);
  const rowFrom =
    range.from === undefined
      ? sql`true`
      : sql`start_at >= date_trunc('hour', ${range.from.toISOString()}::timestamptz, 'UTC')`;
  // Whole hours: the last hour the range touches is recomputed completely.
  const rowTo =
    range.to === undefined
      ? sql`true`
      : sql`date_trunc('hour', start_at, 'UTC') < ${range.to.toISOString()}::timestamptz`;
  await db.execute(
    addToRollups(
      tenantId,
      userId,
      sql`(select id, variable_id, start_at, ${ROLLUP_VALUE}, is_valid from ${observations}
           where tenant_id = ${tenantId} and user_id = ${userId} and ${variables} and ${rowFrom} and ${rowTo})`,
    ),
  );
}
