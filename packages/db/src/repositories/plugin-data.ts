/**
 * The consent-scoped data API for plugins (issue 14, docs/plugins.md "Data for plugins (grants)"): the
 * one place a plugin's data comes from. Given a person, a plugin (by slug) and the plugin's `DataPlan`,
 * it builds the `AlignedTable` the plugin receives from ONLY what the person's live grants to that plugin
 * cover: a consent row with `grantee_type = 'plugin'`, `grantee_id = <slug>`, the action `read`, not
 * revoked, not expired at `now`, whose categories or variable ids name the variable, and whose data
 * window holds the observation's `start_at`. Anything else is never read.
 *
 * Values come from the hourly rollups (`observation_hourly`, valid rows in canonical units); the hours a
 * grant's window cuts are read from `observations` itself, so a window that ends at 10:30 hands over the
 * values before 10:30 and nothing after. Each bucket (a UTC hour or a UTC day) combines its values the way
 * the variable's `combination_operation` says; gaps are filled as `Filling` says (protocol.ts).
 *
 * A plan naming a variable the grants do not cover fails the whole request (`consent_required`, naming
 * it): nothing partial is ever handed to a plugin.
 */
import { type CombinationOperation, SYSTEM_TENANT_ID } from "@dfda/core";
import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";

/** The parts of a `DataPlan` (@dfda/plugins, protocol.ts) this module reads. */
export interface PluginDataPlan {
  variables: readonly string[];
  all_in_categories: readonly string[];
  resolution: "hour" | "day";
  days: number;
}

/** One column of an `AlignedTable` (@dfda/plugins, protocol.ts). */
export interface PluginTableColumn {
  slug: string;
  name: string;
  category: string;
  unit: string;
  combination: CombinationOperation;
  filling: "zero" | "none";
  is_outcome: boolean;
  is_input_factor: boolean;
  values: Array<number | null>;
}

/** An `AlignedTable` (@dfda/plugins, protocol.ts). */
export interface PluginTable {
  resolution: "hour" | "day";
  start: string;
  end: string;
  times: string[];
  columns: PluginTableColumn[];
}

export interface PluginData {
  table: PluginTable;
  /** The newest observation time the table's variables have within the grants (null: no data at all). */
  dataThrough: Date | null;
  /** The grants the table was built from (recorded in the access log by the caller). */
  grantIds: string[];
}

/**
 * Categories whose variables are recorded when they happen (issue 14): a bucket without a record, between
 * the person's first and last record of that variable, means none was taken, so it is 0, not unknown.
 */
export const ZERO_FILLED_CATEGORIES: ReadonlySet<string> = new Set(["treatments", "supplements", "nutrition"]);

/**
 * Why the data cannot be handed over. `consent_required`: the grants do not cover `variables` (slugs) or
 * no live grant to the plugin exists (`reason`); `unknown_variables`: the plan names variables the
 * tenant does not have, or that are not numeric (a table holds numbers).
 */
export class PluginDataRefused extends Error {
  constructor(
    readonly code: "consent_required" | "unknown_variables",
    message: string,
    readonly variables: readonly string[],
    readonly reason: "no_grant" | "revoked" | "expired" | "out_of_scope" | "unknown" | "not_numeric",
  ) {
    super(message);
    this.name = "PluginDataRefused";
  }
}

type GrantRow = {
  id: string;
  categories: string[];
  variable_ids: string[];
  data_from: string | null;
  data_to: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  actions: string[];
};

type VariableRow = {
  id: string;
  slug: string;
  name: string;
  category: string;
  category_order: number;
  value_type: string;
  canonical_unit: string | null;
  combination_operation: CombinationOperation;
  is_outcome: boolean;
  is_input_factor: boolean;
};

interface Window {
  from: Date | null;
  to: Date | null;
}

/** An instant as RFC 3339 text in UTC, to the microsecond (what `Date.parse` reads exactly, to the millisecond). */
function iso(expression: SQL): SQL {
  return sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The live grants of the person to the plugin at `now`, or the refusal that says why there are none. */
async function liveGrants(
  db: Executor,
  q: { tenantId: string; userId: string; pluginSlug: string; now: Date },
): Promise<GrantRow[]> {
  const { rows } = await db.execute<GrantRow>(sql`
    select id, categories, variable_ids,
           to_char(data_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as data_from,
           to_char(data_to at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as data_to,
           to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as expires_at,
           to_char(revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as revoked_at, actions
    from consents
    where tenant_id = ${q.tenantId} and user_id = ${q.userId}
      and grantee_type = 'plugin' and grantee_id = ${q.pluginSlug}`);
  const now = q.now.getTime();
  const refuse = (reason: "no_grant" | "revoked" | "expired", why: string) =>
    new PluginDataRefused("consent_required", why, [], reason);
  if (rows.length === 0) throw refuse("no_grant", `The person has not granted ${q.pluginSlug} any data.`);
  const live = rows.filter((g) => g.revoked_at === null || Date.parse(g.revoked_at) > now);
  if (live.length === 0) throw refuse("revoked", `The person revoked their grants to ${q.pluginSlug}.`);
  const current = live.filter((g) => g.expires_at === null || Date.parse(g.expires_at) > now);
  if (current.length === 0) throw refuse("expired", `The person's grants to ${q.pluginSlug} have expired.`);
  const reading = current.filter((g) => g.actions.includes("read"));
  if (reading.length === 0) throw refuse("no_grant", `No grant lets ${q.pluginSlug} read the person's data.`);
  return reading;
}

/**
 * The current definitions of the variables the tenant sees (its own first, then the platform's), by
 * slug, or of every variable in the categories: one query either way.
 */
async function variablesBy(
  db: Executor,
  tenantId: string,
  by: { slugs: readonly string[] } | { categories: readonly string[]; ids: readonly string[] },
): Promise<VariableRow[]> {
  const where =
    "slugs" in by
      ? sql`v.slug = any(${sql.param([...by.slugs])}::text[])`
      : sql`(c.slug = any(${sql.param([...by.categories])}::text[]) or v.id = any(${sql.param([...by.ids])}::uuid[]))`;
  const { rows } = await db.execute<VariableRow>(sql`
    select distinct on (v.slug) v.id, v.slug, v.name, c.slug as category, c.sort_order as category_order,
           v.value_type, v.canonical_unit, v.combination_operation, v.is_outcome, v.is_input_factor
    from variables v
    join variable_categories c on c.id = v.category_id
    where v.valid_to is null and v.tenant_id in (${tenantId}, ${SYSTEM_TENANT_ID}) and ${where}
    order by v.slug, (v.tenant_id = ${tenantId}) desc`);
  return rows;
}

function covers(grant: GrantRow, v: { id: string; category: string }): boolean {
  return grant.categories.includes(v.category) || grant.variable_ids.includes(v.id);
}

function windowOf(grant: GrantRow): Window {
  return {
    from: grant.data_from === null ? null : new Date(grant.data_from),
    to: grant.data_to === null ? null : new Date(grant.data_to),
  };
}

/** Per-variable windows as three parallel arrays, for `unnest` (a null bound is open). */
function windowArrays(windows: ReadonlyMap<string, readonly Window[]>) {
  const ids: string[] = [];
  const froms: Array<string | null> = [];
  const tos: Array<string | null> = [];
  for (const [id, list] of windows) {
    for (const w of list) {
      ids.push(id);
      froms.push(w.from?.toISOString() ?? null);
      tos.push(w.to?.toISOString() ?? null);
    }
  }
  return sql`select * from unnest(${sql.param(ids)}::uuid[], ${sql.param(froms)}::timestamptz[],
    ${sql.param(tos)}::timestamptz[]) as w(variable_id, wfrom, wto)`;
}

/**
 * The granted values of the variables as rows (variable_id, at, value_count, sum, min, max, last_value,
 * last_at, last_id): whole hours inside a window from the rollups, the rows of hours a window cuts from
 * `observations`, only valid numeric values, optionally only `at` in [from, to).
 */
function grantedParts(
  q: { tenantId: string; userId: string },
  windows: ReadonlyMap<string, readonly Window[]>,
  range: { from: Date; to: Date } | null,
) {
  const ids = sql.param([...windows.keys()]);
  const w = windowArrays(windows);
  const hourRange =
    range === null
      ? sql`true`
      : sql`h.hour >= ${range.from.toISOString()}::timestamptz and h.hour < ${range.to.toISOString()}::timestamptz`;
  const rowRange =
    range === null
      ? sql`true`
      : sql`o.start_at >= ${range.from.toISOString()}::timestamptz and o.start_at < ${range.to.toISOString()}::timestamptz`;
  return sql`
    with w as (${w})
    select h.variable_id, h.hour as at, h.value_count, h.sum, h.min, h.max, h.last_value, h.last_at, h.last_id
    from observation_hourly h
    where h.tenant_id = ${q.tenantId} and h.user_id = ${q.userId} and h.variable_id = any(${ids}::uuid[])
      and h.value_count > 0 and ${hourRange}
      and exists (select 1 from w where w.variable_id = h.variable_id
                    and (w.wfrom is null or h.hour >= w.wfrom)
                    and (w.wto is null or h.hour + interval '1 hour' <= w.wto))
    union all
    select o.variable_id, o.start_at, 1, o.value, o.value, o.value, o.value, o.start_at, o.id
    from observations o
    where o.tenant_id = ${q.tenantId} and o.user_id = ${q.userId} and o.variable_id = any(${ids}::uuid[])
      and o.is_valid and o.value is not null and ${rowRange}
      and exists (select 1 from w where w.variable_id = o.variable_id
                    and (w.wfrom is null or o.start_at >= w.wfrom) and (w.wto is null or o.start_at < w.wto))
      and not exists (select 1 from w where w.variable_id = o.variable_id
                    and (w.wfrom is null or date_trunc('hour', o.start_at, 'UTC') >= w.wfrom)
                    and (w.wto is null or date_trunc('hour', o.start_at, 'UTC') + interval '1 hour' <= w.wto))`;
}

function bucketStart(t: number, resolution: "hour" | "day"): number {
  const size = resolution === "hour" ? HOUR : DAY;
  return Math.floor(t / size) * size;
}

/**
 * Builds the table a plugin's plan asks for, from the person's grants to the plugin alone.
 *
 * @example
 * const { table } = await pluginData(db, { tenantId, userId, pluginSlug: "n-of-1",
 *   plan: { variables: ["metformin", "headache"], all_in_categories: [], resolution: "day", days: 365 }, now });
 */
export async function pluginData(
  db: Executor,
  q: { tenantId: string; userId: string; pluginSlug: string; plan: PluginDataPlan; now: Date },
): Promise<PluginData> {
  const grants = await liveGrants(db, q);

  // The named variables: each must exist, be numeric, and be covered by a grant.
  const named = q.plan.variables.length === 0 ? [] : await variablesBy(db, q.tenantId, { slugs: q.plan.variables });
  const bySlug = new Map(named.map((v) => [v.slug, v]));
  const unknown = q.plan.variables.filter((s) => !bySlug.has(s));
  if (unknown.length > 0) {
    throw new PluginDataRefused(
      "unknown_variables",
      `The plan names variables that do not exist: ${unknown.join(", ")}.`,
      unknown,
      "unknown",
    );
  }
  const notNumeric = named.filter((v) => v.value_type !== "numeric").map((v) => v.slug);
  if (notNumeric.length > 0) {
    throw new PluginDataRefused(
      "unknown_variables",
      `A table holds numbers; these variables are not numeric: ${notNumeric.join(", ")}.`,
      notNumeric,
      "not_numeric",
    );
  }
  const uncovered = q.plan.variables.filter((s) => {
    const v = bySlug.get(s);
    return v !== undefined && !grants.some((g) => covers(g, v));
  });
  if (uncovered.length > 0) {
    throw new PluginDataRefused(
      "consent_required",
      `The person has not granted ${q.pluginSlug} these variables: ${uncovered.join(", ")}.`,
      uncovered,
      "out_of_scope",
    );
  }

  // Every variable of the asked categories that a grant covers (checked per variable below: a grant of
  // one variable of a category does not open the category).
  let searched: VariableRow[] = [];
  if (q.plan.all_in_categories.length > 0) {
    const grantedIds = grants.flatMap((g) => g.variable_ids);
    const candidates = await variablesBy(db, q.tenantId, { categories: q.plan.all_in_categories, ids: grantedIds });
    searched = candidates.filter(
      (v) =>
        q.plan.all_in_categories.includes(v.category) &&
        v.value_type === "numeric" &&
        !bySlug.has(v.slug) &&
        grants.some((g) => covers(g, v)),
    );
  }

  const all = [...q.plan.variables.map((s) => bySlug.get(s) as VariableRow), ...searched];
  const windows = new Map<string, Window[]>();
  for (const v of all) {
    const list = grants.filter((g) => covers(g, v)).map(windowOf);
    // An unbounded window makes the others redundant.
    windows.set(v.id, list.some((w) => w.from === null && w.to === null) ? [{ from: null, to: null }] : list);
  }

  // The extent of each variable's granted data: where zero filling may apply, and where the table ends.
  const extent = new Map<string, { first: number; last: number }>();
  if (all.length > 0) {
    const { rows } = await db.execute<{ variable_id: string; first: string; last: string }>(sql`
      select p.variable_id, ${iso(sql`min(p.at)`)} as first, ${iso(sql`max(p.last_at)`)} as last
      from (${grantedParts(q, windows, null)}) p
      group by p.variable_id`);
    for (const r of rows) extent.set(r.variable_id, { first: Date.parse(r.first), last: Date.parse(r.last) });
  }
  // A predictor search gets only the variables the person has data for (within the grants).
  const columns = all.filter((v) => bySlug.has(v.slug) || extent.has(v.id));
  const newest = Math.max(...columns.map((v) => extent.get(v.id)?.last ?? Number.NEGATIVE_INFINITY));
  const dataThrough = Number.isFinite(newest) ? new Date(newest) : null;

  const size = q.plan.resolution === "hour" ? HOUR : DAY;
  const end = bucketStart(dataThrough?.getTime() ?? q.now.getTime(), q.plan.resolution) + size;
  const count = (q.plan.days * DAY) / size;
  const start = end - count * size;
  const times = Array.from({ length: count }, (_, i) => new Date(start + i * size).toISOString());

  const values = new Map<string, Array<number | null>>(columns.map((v) => [v.id, new Array(count).fill(null)]));
  if (columns.length > 0) {
    const resolution = sql.raw(`'${q.plan.resolution}'`);
    const { rows } = await db.execute<{
      variable_id: string;
      bucket: string;
      value_count: number;
      sum: number | null;
      min: number | null;
      max: number | null;
      last: number | null;
    }>(sql`
      select p.variable_id, ${iso(sql`date_trunc(${resolution}, p.at, 'UTC')`)} as bucket,
             sum(p.value_count)::int as value_count, sum(p.sum) as sum, min(p.min) as min, max(p.max) as max,
             (array_agg(p.last_value order by p.last_at desc, p.last_id desc))[1] as last
      from (${grantedParts(q, new Map(columns.map((v) => [v.id, windows.get(v.id) ?? []])), { from: new Date(start), to: new Date(end) })}) p
      group by p.variable_id, date_trunc(${resolution}, p.at, 'UTC')`);
    const combinationOf = new Map(columns.map((v) => [v.id, v.combination_operation]));
    for (const r of rows) {
      const index = Math.round((Date.parse(r.bucket) - start) / size);
      const column = values.get(r.variable_id);
      if (column === undefined || index < 0 || index >= count) continue;
      const sum = r.sum === null ? null : Number(r.sum);
      const combined: Record<CombinationOperation, number | null> = {
        sum,
        mean: sum === null || Number(r.value_count) === 0 ? null : sum / Number(r.value_count),
        min: r.min === null ? null : Number(r.min),
        max: r.max === null ? null : Number(r.max),
        last: r.last === null ? null : Number(r.last),
      };
      column[index] = combined[combinationOf.get(r.variable_id) ?? "mean"];
    }
  }

  const table: PluginTable = {
    resolution: q.plan.resolution,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    times,
    columns: columns.map((v) => {
      const filling = ZERO_FILLED_CATEGORIES.has(v.category) ? "zero" : "none";
      const column = values.get(v.id) ?? [];
      const span = extent.get(v.id);
      if (filling === "zero" && span !== undefined) {
        const first = bucketStart(span.first, q.plan.resolution);
        const last = bucketStart(span.last, q.plan.resolution);
        const granted = windows.get(v.id) ?? [];
        for (let i = 0; i < count; i++) {
          const t = start + i * size;
          // Only between the first and last record, and only inside a granted window: outside it the
          // plugin knows nothing, not "none taken".
          const inWindow = granted.some(
            (w) => (w.from === null || t + size > w.from.getTime()) && (w.to === null || t < w.to.getTime()),
          );
          if (column[i] === null && t >= first && t <= last && inWindow) column[i] = 0;
        }
      }
      return {
        slug: v.slug,
        name: v.name,
        category: v.category,
        unit: v.canonical_unit ?? "1",
        combination: v.combination_operation,
        filling,
        is_outcome: v.is_outcome,
        is_input_factor: v.is_input_factor,
        values: column,
      };
    }),
  };
  const used = new Set(columns.flatMap((v) => grants.filter((g) => covers(g, v)).map((g) => g.id)));
  return { table, dataThrough, grantIds: [...used] };
}
