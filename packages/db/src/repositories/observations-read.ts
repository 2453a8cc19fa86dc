/**
 * Reading a person's observations back: a keyset-paged list and per-bucket summaries. A reader is
 * built for one tenant and one user, and every query it runs filters by both: there is no way to ask
 * it for anyone else's rows. Whether the caller may read that user's data at all is decided before
 * (the API's policy); this layer only guarantees the scope cannot be forgotten.
 */
import { type CombinationOperation, type Comparator, type GrantScope, SYSTEM_TENANT_ID } from "@dfda/core";
import type { FhirObservationRow } from "@dfda/core/fhir";
import { and, desc, eq, gte, inArray, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { observationHourly, observations, sources, variableCategories, variables } from "../schema";
import { fhirRowColumns } from "./fhir-rows";
import { ROLLUP_VALUE } from "./observations";

export interface ObservationScope {
  tenantId: string;
  userId: string;
}

/** The sort key of a listed row: `startAt` is exact to the microsecond (RFC 3339, UTC). */
export interface ObservationKey {
  startAt: string;
  id: string;
}

export interface ObservationListFilter {
  variableId?: string;
  /** Inclusive lower bound of `start_at`. */
  from?: Date;
  /** Exclusive upper bound of `start_at`. */
  to?: Date;
  sourceId?: string;
  /** Only variables of these category slugs (a token limited to some categories). */
  categories?: readonly string[];
  /**
   * A reader through consent grants (not the owner): only rows inside one of the grants' scopes,
   * by the variable (its category or id) and the time (`start_at` in [from, to)). Empty: nothing.
   */
  scope?: readonly GrantScope[];
  /** The key of the last row of the previous page. */
  after?: ObservationKey;
}

export interface ObservationRow {
  id: string;
  variableId: string;
  variableVersion: number;
  variableSlug: string;
  variableName: string;
  category: string;
  startAt: Date;
  endAt: Date | null;
  value: number | null;
  valueText: string | null;
  valueCode: string | null;
  valueBoolean: boolean | null;
  unit: string | null;
  originalValue: number | null;
  originalUnit: string | null;
  /** A censored value's comparator (`value` is its bound); null for an exact value. */
  comparator: Comparator | null;
  sourceSlug: string;
  isValid: boolean;
  isOutlier: boolean;
  note: string | null;
  jobId: string | null;
  fileId: string | null;
  createdAt: Date;
}

export type SummaryBucket = "hour" | "day" | "week" | "month";

export interface SummaryQuery {
  variableId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  bucket: SummaryBucket;
  /** IANA time zone the buckets are aligned to (default UTC). */
  tz?: string;
  /** Count values stored with is_valid = false too (default: only valid ones). */
  includeInvalid?: boolean;
  /**
   * A reader through consent grants: only rows whose `start_at` lies in one of these windows
   * ([from, to), null bounds open; the grants were already narrowed to the variable). Empty: nothing.
   */
  windows?: ReadonlyArray<{ from: Date | null; to: Date | null }>;
}

export interface SummaryRow {
  /** The bucket's first instant. */
  start: Date;
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  sum: number | null;
  /** The values combined the way the variable says (`combination_operation`). */
  value: number | null;
}

export interface Summary {
  /** Null when the variable is not visible to the tenant (there are then no buckets). */
  combinationOperation: CombinationOperation | null;
  buckets: SummaryRow[];
}

/** `time_bucket` widths, for servers with TimescaleDB. */
const BUCKET_INTERVALS: Record<SummaryBucket, string> = {
  hour: "1 hour",
  day: "1 day",
  week: "1 week",
  month: "1 month",
};

/** Whether TimescaleDB is installed, asked once per connection (a Database wraps one connection). */
const timescaleByConnection = new WeakMap<Database, Promise<boolean>>();

function hasTimescale(db: Database): Promise<boolean> {
  let known = timescaleByConnection.get(db);
  if (known === undefined) {
    known = db
      .execute<{ installed: boolean }>(
        sql`select exists(select 1 from pg_extension where extname = 'timescaledb') as installed`,
      )
      .then((result) => result.rows[0]?.installed === true);
    // A failed probe is not remembered: the next summary asks again.
    known.catch(() => timescaleByConnection.delete(db));
    timescaleByConnection.set(db, known);
  }
  return known;
}

export class ObservationReader {
  private readonly tenantId: string;
  private readonly userId: string;

  constructor(
    private readonly db: Database,
    scope: ObservationScope,
  ) {
    this.tenantId = scope.tenantId;
    this.userId = scope.userId;
  }

  /** The scope every query starts from. */
  private owned(): SQL {
    return sql`${eq(observations.tenantId, this.tenantId)} and ${eq(observations.userId, this.userId)}`;
  }

  /** The id of the tenant's source with this slug, or null. */
  async sourceId(slug: string): Promise<string | null> {
    const [row] = await this.db
      .select({ id: sources.id })
      .from(sources)
      .where(and(eq(sources.tenantId, this.tenantId), eq(sources.slug, slug)))
      .limit(1);
    return row?.id ?? null;
  }

  /**
   * The user's observations, newest first (start_at DESC, id DESC), `limit` a page. With a variable
   * the (user_id, variable_id, start_at DESC) index serves the order and the time window.
   */
  async list(
    filter: ObservationListFilter,
    limit: number,
  ): Promise<{ rows: ObservationRow[]; nextKey: ObservationKey | null }> {
    const visible = [SYSTEM_TENANT_ID, this.tenantId];
    const conditions: Array<SQL | undefined> = [this.owned()];
    if (filter.variableId !== undefined) conditions.push(eq(observations.variableId, filter.variableId));
    if (filter.from !== undefined) conditions.push(gte(observations.startAt, filter.from));
    if (filter.to !== undefined) conditions.push(lt(observations.startAt, filter.to));
    if (filter.sourceId !== undefined) conditions.push(eq(observations.sourceId, filter.sourceId));
    if (filter.categories !== undefined) conditions.push(inCategories(visible, filter.categories));
    if (filter.scope !== undefined) conditions.push(scopeCondition(visible, filter.scope));
    if (filter.after !== undefined) {
      const { startAt, id } = filter.after;
      // The plain bound lets the index range-scan; the row comparison breaks ties on start_at.
      conditions.push(
        lte(observations.startAt, sql`${startAt}::timestamptz`),
        sql`(${observations.startAt}, ${observations.id}) < (${startAt}::timestamptz, ${id}::uuid)`,
      );
    }
    // The page is chosen from observations alone (the index walks start_at newest first and stops
    // after `limit + 1` rows), and only those rows are joined to their variable, category and
    // source. Joined first, the planner misjudged how many rows the join on (variable id, version)
    // keeps (about 200 of 130,000 for 90 days of minute data) and sorted the whole window: ~200 ms
    // instead of a few. The joins cannot drop a row: a stored row's variable is always one its
    // tenant sees (resolved for that tenant at ingest).
    const page = this.db
      .select({
        id: observations.id,
        variableId: observations.variableId,
        variableVersion: observations.variableVersion,
        startAt: observations.startAt,
        endAt: observations.endAt,
        value: observations.value,
        valueText: observations.valueText,
        valueCode: observations.valueCode,
        valueBoolean: observations.valueBoolean,
        unit: observations.unit,
        originalValue: observations.originalValue,
        originalUnit: observations.originalUnit,
        comparator: observations.comparator,
        sourceId: observations.sourceId,
        isValid: observations.isValid,
        isOutlier: observations.isOutlier,
        note: observations.note,
        jobId: observations.jobId,
        fileId: observations.fileId,
        createdAt: observations.createdAt,
      })
      .from(observations)
      .where(and(...conditions))
      .orderBy(desc(observations.startAt), desc(observations.id))
      .limit(limit + 1)
      .as("page");
    const rows = await this.db
      .select({
        id: page.id,
        variableId: page.variableId,
        variableVersion: page.variableVersion,
        variableSlug: variables.slug,
        variableName: variables.name,
        category: variableCategories.slug,
        startAt: page.startAt,
        // The exact sort key (timestamptz keeps microseconds, a JS Date only milliseconds).
        startAtKey: sql<string>`to_char(${page.startAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        endAt: page.endAt,
        value: page.value,
        valueText: page.valueText,
        valueCode: page.valueCode,
        valueBoolean: page.valueBoolean,
        unit: page.unit,
        originalValue: page.originalValue,
        originalUnit: page.originalUnit,
        comparator: page.comparator,
        sourceSlug: sources.slug,
        isValid: page.isValid,
        isOutlier: page.isOutlier,
        note: page.note,
        jobId: page.jobId,
        fileId: page.fileId,
        createdAt: page.createdAt,
      })
      .from(page)
      // The definition the value was stored under (its version), not necessarily the current one.
      .innerJoin(variables, and(eq(variables.id, page.variableId), eq(variables.version, page.variableVersion)))
      .innerJoin(
        variableCategories,
        and(eq(variableCategories.id, variables.categoryId), inArray(variableCategories.tenantId, visible)),
      )
      .innerJoin(sources, eq(sources.id, page.sourceId))
      .orderBy(desc(page.startAt), desc(page.id));
    const kept = rows.slice(0, limit).map(({ startAtKey: _key, ...row }) => row);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { rows: kept, nextKey: last === undefined ? null : { startAt: last.startAtKey, id: last.id } };
  }

  /**
   * Count, min, max, mean and sum of the numeric values per time bucket, and `value`: the combination
   * the variable's `combination_operation` names (`last` is the bucket's latest value by start_at).
   * Buckets without observations are omitted.
   *
   * Buckets are `date_trunc(bucket, start_at AT TIME ZONE tz)` (local midnight, local Monday, local
   * first of the month), or TimescaleDB's `time_bucket` with the same zone where the extension is
   * installed. The test suite's PostgreSQL has no TimescaleDB, so it exercises the date_trunc path.
   *
   * Values flagged invalid (outside the variable's valid range) are left out unless `includeInvalid`.
   * Outliers are included: they are real measurements, unusual for this person but not wrong. A censored
   * value (`comparator` set) is counted in `count` but adds nothing to min, max, mean, sum or `last`.
   */
  async summary(query: SummaryQuery): Promise<Summary> {
    const tz = query.tz ?? "UTC";
    const [definition] = await this.db
      .select({ combinationOperation: variables.combinationOperation })
      .from(variables)
      .where(
        and(
          eq(variables.id, query.variableId),
          inArray(variables.tenantId, [SYSTEM_TENANT_ID, this.tenantId]),
          isNull(variables.validTo),
        ),
      )
      .limit(1);
    if (!definition) return { combinationOperation: null, buckets: [] };

    const timescale = await hasTimescale(this.db);
    const bucketOf = (at: SQL) =>
      timescale
        ? sql`time_bucket(${BUCKET_INTERVALS[query.bucket]}::interval, ${at}, ${tz}::text)`
        : sql`(date_trunc(${query.bucket}::text, ${at} at time zone ${tz}::text) at time zone ${tz}::text)`;
    // The rows read directly (partial hours, grant windows, invalid rows asked for, unaligned zones) add
    // to the value aggregates exactly what they add to the hourly rollups (`ROLLUP_VALUE`): a censored
    // value ("<5") counts as an observation but its bound is not its value, so it adds nothing to sum,
    // min, max, mean or last. A summary then agrees with itself however the window cuts the hours.
    const rows = sql`select id, start_at, ${ROLLUP_VALUE} from ${observations} where ${and(
      this.owned(),
      eq(observations.variableId, query.variableId),
      query.includeInvalid === true ? undefined : eq(observations.isValid, true),
      query.windows === undefined ? undefined : windowsCondition(query.windows),
    )}`;
    // Whole UTC hours come from the hourly rollups (valid rows only); the partial hours at either end,
    // and everything when invalid rows are asked for or the zone's buckets do not start on UTC hours
    // (India, Nepal, parts of Australia), from the rows themselves. A reader limited to grant windows
    // reads the rows too: rollups do not know where a window cuts an hour.
    const useRollups =
      query.includeInvalid !== true && query.windows === undefined && hourAlignedZone(tz, query.from, query.to);
    const from = query.from.toISOString();
    const to = query.to.toISOString();
    const parts = useRollups
      ? sql`
        select h.hour as at, h.count, h.value_count, h.sum, h.min, h.max, h.last_value, h.last_at, h.last_id
        from ${observationHourly} h
        where h.tenant_id = ${this.tenantId} and h.user_id = ${this.userId} and h.variable_id = ${query.variableId}
          and h.hour >= date_trunc('hour', ${from}::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour'
          and h.hour + interval '1 hour' <= ${to}::timestamptz
        union all
        select r.start_at, 1, (r.value is not null)::int, r.value, r.value, r.value, r.value, r.start_at, r.id
        from (${rows}) r
        where (r.start_at >= ${from}::timestamptz
               and r.start_at < least(${to}::timestamptz,
                 date_trunc('hour', ${from}::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour'))
           or (r.start_at >= greatest(${from}::timestamptz, date_trunc('hour', ${to}::timestamptz, 'UTC'))
               and r.start_at < ${to}::timestamptz)`
      : sql`
        select r.start_at as at, 1 as count, (r.value is not null)::int as value_count, r.value as sum, r.value as min,
               r.value as max, r.value as last_value, r.start_at as last_at, r.id as last_id
        from (${rows}) r
        where r.start_at >= ${from}::timestamptz and r.start_at < ${to}::timestamptz`;
    const result = await this.db.execute<{
      start: string;
      count: number;
      min: number | null;
      max: number | null;
      mean: number | null;
      sum: number | null;
      last: number | null;
    }>(sql`
      select to_char(${bucketOf(sql`p.at`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
             sum(p.count)::int as count,
             min(p.min) as min,
             max(p.max) as max,
             sum(p.sum) / nullif(sum(p.value_count), 0) as mean,
             sum(p.sum) as sum,
             (array_agg(p.last_value order by p.last_at desc, p.last_id desc)
               filter (where p.last_value is not null))[1] as last
      from (${parts}) p
      group by 1
      order by 1`);
    const combination = definition.combinationOperation;
    return {
      combinationOperation: combination,
      buckets: result.rows.map((r) => {
        const row = {
          start: new Date(r.start),
          count: Number(r.count),
          min: numberOrNull(r.min),
          max: numberOrNull(r.max),
          mean: numberOrNull(r.mean),
          sum: numberOrNull(r.sum),
        };
        const last = numberOrNull(r.last);
        return { ...row, value: combination === "last" ? last : row[combination] };
      }),
    };
  }
}

function windowCondition(w: { from: Date | null; to: Date | null }): SQL {
  return (
    and(
      w.from === null ? undefined : gte(observations.startAt, w.from),
      w.to === null ? undefined : lt(observations.startAt, w.to),
    ) ?? sql`true`
  );
}

/** `start_at` inside one of the windows. */
function windowsCondition(windows: ReadonlyArray<{ from: Date | null; to: Date | null }>): SQL {
  return windows.length === 0 ? sql`false` : (or(...windows.map(windowCondition)) ?? sql`false`);
}

/** Inside one of the grants' scopes: the variable's category or id, and the time window. */
/**
 * The row's variable, in the version it was stored under, belongs to a category visible to the tenant
 * (`visible`: the system tenant and the tenant itself), optionally one of `slugs`. A semi-join, so the
 * page can be picked from observations before anything is joined.
 */
function inCategories(visible: readonly string[], slugs?: readonly string[]): SQL {
  if (slugs !== undefined && slugs.length === 0) return sql`false`;
  return sql`(${observations.variableId}, ${observations.variableVersion}) in (
    select ${variables.id}, ${variables.version} from ${variables}
    join ${variableCategories} on ${variableCategories.id} = ${variables.categoryId}
    where ${and(inArray(variableCategories.tenantId, [...visible]), slugs === undefined ? undefined : inArray(variableCategories.slug, [...slugs]))})`;
}

function scopeCondition(visible: readonly string[], scope: readonly GrantScope[]): SQL {
  if (scope.length === 0) return sql`false`;
  const pieces = scope.map((s) => {
    const variable = or(
      s.categories.length === 0 ? undefined : inCategories(visible, s.categories),
      s.variableIds.length === 0 ? undefined : inArray(observations.variableId, [...s.variableIds]),
    );
    return variable === undefined ? sql`false` : (and(variable, windowCondition(s)) ?? sql`false`);
  });
  return or(...pieces) ?? sql`false`;
}

/**
 * Whether every bucket boundary of `zone` between `from` and `to` falls on a UTC hour, so hourly
 * rollups can be regrouped into its days, weeks and months: true for UTC and zones whose offsets are
 * whole hours (checked at both ends and every 15 days between, which catches DST changes and
 * historical offset changes within the range).
 */
export function hourAlignedZone(zone: string, from: Date, to: Date): boolean {
  if (zone === "UTC" || zone === "Etc/UTC") return true;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  } catch {
    return false;
  }
  const step = 15 * 24 * 3600_000;
  const last = Math.min(to.getTime(), from.getTime() + 400 * step);
  for (let t = from.getTime(); ; t = Math.min(t + step, last)) {
    const name = format.formatToParts(new Date(t)).find((p) => p.type === "timeZoneName")?.value ?? "";
    // "GMT", "GMT+02:00", "GMT-09:30"
    const minutes = /^GMT[+-]\d{2}:(\d{2})$/.exec(name)?.[1];
    if (name !== "GMT" && minutes !== "00") return false;
    if (t >= last) return true;
  }
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

// ---- FHIR search ------------------------------------------------------------------------------

/**
 * A FHIR search prefix (R4 search.html §3.1.1.4.3.4, "Prefixes"), applied to a target range and the
 * implicit range of the search value ([from, to), its precision: `2026-03` is the whole month).
 * `ap` arrives already widened by the caller (its width is the server's choice) and means "overlaps".
 */
export type RangePrefix = "eq" | "ne" | "lt" | "gt" | "le" | "ge" | "sa" | "eb" | "ap";

export interface RangePredicate {
  prefix: RangePrefix;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export type ObservationSort = "date" | "-date" | "_lastUpdated" | "-_lastUpdated";

export interface ObservationSearch {
  /** `_id`: any of these observation ids. */
  ids?: readonly string[];
  /** `code`: a row of any of these variables. */
  variableIds?: readonly string[];
  /** What the token may read (category scopes); undefined: everything. */
  categories?: readonly string[];
  /** `category`: a row of any of these category slugs (besides `categories`). */
  categoryFilter?: readonly string[];
  /** `date` on the effective time: every inner list (one parameter, comma = OR) must hold (AND). */
  effective?: ReadonlyArray<readonly RangePredicate[]>;
  /** `_lastUpdated` on the time the row was stored, the same way. */
  lastUpdated?: ReadonlyArray<readonly RangePredicate[]>;
  /** A reader through consent grants: only rows inside one of the grants' scopes (as `list`). */
  scope?: readonly GrantScope[];
  sort: ObservationSort;
  /** The sort key (RFC 3339 UTC, microseconds) and id of the last row of the previous page. */
  after?: { key: string; id: string };
}

/** A row as the FHIR builder reads it (@dfda/core/fhir), with its variable. */
export interface FhirSearchRow extends FhirObservationRow {
  variableId: string;
}

/**
 * One prefix on a target range [start, end] (a dateTime is the range of one instant, a Period its
 * bounds, an open end unbounded: R4 search §3.1.1.4.5) against the search range [from, to):
 * eq: the search range contains the target; ne: it does not; gt: the range above the search value
 * overlaps the target; lt: the range below it does; ge/le: gt/lt or eq; sa: the target starts after the
 * search range; eb: it ends before it; ap: the (widened) ranges overlap.
 */
function rangeCondition(p: RangePredicate, start: SQL, end: SQL): SQL {
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  const eq = sql`(${start} >= ${from}::timestamptz and ${end} is not null and ${end} < ${to}::timestamptz)`;
  const gt = sql`(${end} is null or ${end} >= ${to}::timestamptz)`;
  const lt = sql`(${start} < ${from}::timestamptz)`;
  switch (p.prefix) {
    case "eq":
      return eq;
    case "ne":
      return sql`(not ${eq})`;
    case "gt":
      return gt;
    case "lt":
      return lt;
    case "ge":
      return sql`(${gt} or ${eq})`;
    case "le":
      return sql`(${lt} or ${eq})`;
    case "sa":
      return sql`(${start} >= ${to}::timestamptz)`;
    case "eb":
      return sql`(${end} is not null and ${end} < ${from}::timestamptz)`;
    case "ap":
      return sql`(${start} < ${to}::timestamptz and (${end} is null or ${end} >= ${from}::timestamptz))`;
  }
}

/** All of the parameters (AND), each one of its values (OR). */
function rangesCondition(params: ReadonlyArray<readonly RangePredicate[]>, start: SQL, end: SQL): SQL | undefined {
  return and(...params.map((values) => or(...values.map((p) => rangeCondition(p, start, end))) ?? sql`false`));
}

/**
 * The tenant's observation with this id: whose it is, or null. For a read by id, whose access is
 * then decided like any other read of that person's data.
 */
export async function observationOwner(db: Database, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: observations.userId })
    .from(observations)
    .where(and(eq(observations.tenantId, tenantId), eq(observations.id, id)))
    .limit(1);
  return row?.userId ?? null;
}

export class ObservationSearcher {
  constructor(
    private readonly db: Database,
    private readonly scope: ObservationScope,
  ) {}

  /**
   * One page of the user's observations matching `q` (FHIR search), `limit` long, in `q.sort` order
   * with the id as tie-break; `nextKey` when more follow. Scoped to the tenant and user like
   * `ObservationReader`, and narrowed to the grants' scopes the same way (`scopeCondition`).
   */
  async search(q: ObservationSearch, limit: number): Promise<{ rows: FhirSearchRow[]; nextKey: string[] | null }> {
    const visible = [SYSTEM_TENANT_ID, this.scope.tenantId];
    const byCreated = q.sort === "_lastUpdated" || q.sort === "-_lastUpdated";
    const descending = q.sort.startsWith("-");
    const keyColumn = byCreated ? observations.createdAt : observations.startAt;
    const end = sql`coalesce(${observations.endAt}, ${observations.startAt})`;
    const conditions: Array<SQL | undefined> = [
      eq(observations.tenantId, this.scope.tenantId),
      eq(observations.userId, this.scope.userId),
    ];
    if (q.ids !== undefined) conditions.push(q.ids.length === 0 ? sql`false` : inArray(observations.id, [...q.ids]));
    if (q.variableIds !== undefined) {
      conditions.push(q.variableIds.length === 0 ? sql`false` : inArray(observations.variableId, [...q.variableIds]));
    }
    if (q.categories !== undefined) conditions.push(inCategories(visible, q.categories));
    if (q.categoryFilter !== undefined) conditions.push(inCategories(visible, q.categoryFilter));
    if (q.effective !== undefined) conditions.push(rangesCondition(q.effective, sql`${observations.startAt}`, end));
    if (q.lastUpdated !== undefined) {
      conditions.push(rangesCondition(q.lastUpdated, sql`${observations.createdAt}`, sql`${observations.createdAt}`));
    }
    if (q.scope !== undefined) conditions.push(scopeCondition(visible, q.scope));
    if (q.after !== undefined) {
      const { key, id } = q.after;
      conditions.push(
        descending
          ? sql`(${keyColumn}, ${observations.id}) < (${key}::timestamptz, ${id}::uuid)`
          : sql`(${keyColumn}, ${observations.id}) > (${key}::timestamptz, ${id}::uuid)`,
      );
    }
    const order = descending
      ? [desc(keyColumn), desc(observations.id)]
      : [sql`${keyColumn} asc`, sql`${observations.id} asc`];
    const rows = await this.db
      .select({ ...fhirRowColumns, variableId: observations.variableId })
      .from(observations)
      // The definition the value was stored under (its version), as the list and the export read it.
      .innerJoin(
        variables,
        and(eq(variables.id, observations.variableId), eq(variables.version, observations.variableVersion)),
      )
      .innerJoin(
        variableCategories,
        and(eq(variableCategories.id, variables.categoryId), inArray(variableCategories.tenantId, visible)),
      )
      .innerJoin(sources, eq(sources.id, observations.sourceId))
      .where(and(...conditions))
      .orderBy(...order)
      .limit(limit + 1);
    const kept = rows.slice(0, limit);
    const last = rows.length > limit ? kept[kept.length - 1] : undefined;
    return {
      rows: kept,
      nextKey: last === undefined ? null : [byCreated ? last.createdAt : last.startAt, last.id],
    };
  }
}
