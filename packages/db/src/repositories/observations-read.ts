/**
 * Reading a person's observations back: a keyset-paged list and per-bucket summaries. A reader is
 * built for one tenant and one user, and every query it runs filters by both: there is no way to ask
 * it for anyone else's rows. Whether the caller may read that user's data at all is decided before
 * (the API's policy); this layer only guarantees the scope cannot be forgotten.
 */
import { type CombinationOperation, SYSTEM_TENANT_ID } from "@dfda/core";
import { and, desc, eq, gte, inArray, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { observations, sources, variableCategories, variables } from "../schema";

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
    const conditions: Array<SQL | undefined> = [this.owned()];
    if (filter.variableId !== undefined) conditions.push(eq(observations.variableId, filter.variableId));
    if (filter.from !== undefined) conditions.push(gte(observations.startAt, filter.from));
    if (filter.to !== undefined) conditions.push(lt(observations.startAt, filter.to));
    if (filter.sourceId !== undefined) conditions.push(eq(observations.sourceId, filter.sourceId));
    if (filter.categories !== undefined) {
      conditions.push(
        filter.categories.length === 0 ? sql`false` : inArray(variableCategories.slug, [...filter.categories]),
      );
    }
    if (filter.after !== undefined) {
      const { startAt, id } = filter.after;
      // The plain bound lets the index range-scan; the row comparison breaks ties on start_at.
      conditions.push(
        lte(observations.startAt, sql`${startAt}::timestamptz`),
        sql`(${observations.startAt}, ${observations.id}) < (${startAt}::timestamptz, ${id}::uuid)`,
      );
    }
    const rows = await this.db
      .select({
        id: observations.id,
        variableId: observations.variableId,
        variableVersion: observations.variableVersion,
        variableSlug: variables.slug,
        variableName: variables.name,
        category: variableCategories.slug,
        startAt: observations.startAt,
        // The exact sort key (timestamptz keeps microseconds, a JS Date only milliseconds).
        startAtKey: sql<string>`to_char(${observations.startAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        endAt: observations.endAt,
        value: observations.value,
        valueText: observations.valueText,
        valueCode: observations.valueCode,
        valueBoolean: observations.valueBoolean,
        unit: observations.unit,
        originalValue: observations.originalValue,
        originalUnit: observations.originalUnit,
        sourceSlug: sources.slug,
        isValid: observations.isValid,
        isOutlier: observations.isOutlier,
        note: observations.note,
        jobId: observations.jobId,
        fileId: observations.fileId,
        createdAt: observations.createdAt,
      })
      .from(observations)
      // The definition the value was stored under (its version), not necessarily the current one.
      .innerJoin(
        variables,
        and(eq(variables.id, observations.variableId), eq(variables.version, observations.variableVersion)),
      )
      .innerJoin(
        variableCategories,
        and(
          eq(variableCategories.id, variables.categoryId),
          inArray(variableCategories.tenantId, [SYSTEM_TENANT_ID, this.tenantId]),
        ),
      )
      .innerJoin(sources, eq(sources.id, observations.sourceId))
      .where(and(...conditions))
      .orderBy(desc(observations.startAt), desc(observations.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit).map(({ startAtKey: _key, ...row }) => row);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { rows: page, nextKey: last === undefined ? null : { startAt: last.startAtKey, id: last.id } };
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
   * Outliers are included: they are real measurements, unusual for this person but not wrong.
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

    const bucketStart = (await hasTimescale(this.db))
      ? sql`time_bucket(${BUCKET_INTERVALS[query.bucket]}::interval, ${observations.startAt}, ${tz}::text)`
      : sql`(date_trunc(${query.bucket}::text, ${observations.startAt} at time zone ${tz}::text) at time zone ${tz}::text)`;
    const result = await this.db.execute<{
      start: string;
      count: number;
      min: number | null;
      max: number | null;
      mean: number | null;
      sum: number | null;
      last: number | null;
    }>(sql`
      select to_char(${bucketStart} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
             count(*)::int as count,
             min(${observations.value}) as min,
             max(${observations.value}) as max,
             avg(${observations.value}) as mean,
             sum(${observations.value}) as sum,
             (array_agg(${observations.value} order by ${observations.startAt} desc, ${observations.id} desc)
               filter (where ${observations.value} is not null))[1] as last
      from ${observations}
      where ${and(
        this.owned(),
        eq(observations.variableId, query.variableId),
        gte(observations.startAt, query.from),
        lt(observations.startAt, query.to),
        query.includeInvalid === true ? undefined : eq(observations.isValid, true),
      )}
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

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
