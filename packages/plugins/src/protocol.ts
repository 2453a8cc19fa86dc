/**
 * The analysis and visualization protocol (issue 14), version 1: what the platform sends a plugin and
 * what it answers, over Workers RPC (a `WorkerEntrypoint` reached by a service binding) or over HTTPS
 * (the same JSON bodies, POSTed to `<url>/describe`, `/plan`, `/run`, `/render`, signed by the platform).
 *
 * A call never carries credentials, database access or anyone's identifiers: the data arrives as an
 * `AlignedTable` that names variables, never people; the subject is "the person this analysis is for".
 *
 * The flow of one analysis:
 *   1. `plan(input)` → a `DataPlan`: which variables (by slug, or every one the person tracks in some
 *      categories), at which resolution, over how many days.
 *   2. The platform builds the table from the data the person granted the plugin (and nothing else:
 *      a variable the plan names that the grant does not cover fails the run with `consent_required`).
 *   3. `run({input, table})` → the output, validated against the manifest's `output_schema`.
 * A visualization is one call, `render({kind, input, table, analysis})` → SVG text.
 */
import { z } from "zod";
import { PluginManifest } from "./manifest";

/** Variable slugs as the reference data names them (`heart-rate`, `sleep-duration` …). */
export const VariableSlug = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/);

export const Resolution = z.enum(["hour", "day"]);
export type Resolution = z.infer<typeof Resolution>;

/**
 * What an analysis needs. `variables` names slugs; `all_in_categories` asks for every variable the person
 * has data for in those categories (a predictor search), within what the grant covers. `days` counts
 * back from the newest value of the named variables (at most ten years).
 */
export const DataPlan = z
  .object({
    variables: z.array(VariableSlug).max(500).default([]),
    all_in_categories: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*$/))
      .max(32)
      .default([]),
    resolution: Resolution.default("day"),
    days: z.int().min(1).max(3660).default(730),
  })
  .strict()
  .refine((plan) => plan.variables.length > 0 || plan.all_in_categories.length > 0, "a plan names data");
export type DataPlan = z.output<typeof DataPlan>;

/**
 * How a variable's gaps are filled when aligning (issue 14): `zero` for things a person records when
 * they happen (treatments, supplements, foods): a tracked day without a record means none was taken,
 * but only between the person's first and last record of it; `none` otherwise (a missing heart rate
 * is unknown, not zero).
 */
export const Filling = z.enum(["zero", "none"]);
export type Filling = z.infer<typeof Filling>;

/** One variable of an aligned table, in its canonical unit, one value per time bucket (null: no data). */
export const TableColumn = z
  .object({
    slug: VariableSlug,
    name: z.string(),
    category: z.string(),
    /** UCUM code of the canonical unit (the values are converted to it). */
    unit: z.string(),
    /** How the values within one bucket were combined (`sum` for steps, `mean` for heart rate …). */
    combination: z.enum(["sum", "mean", "last", "max", "min"]),
    filling: Filling,
    is_outcome: z.boolean(),
    is_input_factor: z.boolean(),
    values: z.array(z.number().nullable()),
  })
  .strict();
export type TableColumn = z.infer<typeof TableColumn>;

/**
 * Per-bucket values of the requested variables, aligned on one time axis: `times[i]` is the start of
 * bucket i (RFC 3339, UTC), buckets are consecutive hours or UTC days, and every column's `values` has
 * one entry per bucket. Gaps are already filled as each column's `filling` says.
 */
export const AlignedTable = z
  .object({
    resolution: Resolution,
    start: z.iso.datetime(),
    /** Exclusive end of the last bucket. */
    end: z.iso.datetime(),
    times: z.array(z.iso.datetime()),
    columns: z.array(TableColumn),
  })
  .strict()
  .refine((t) => t.columns.every((c) => c.values.length === t.times.length), "every column has one value per bucket");
export type AlignedTable = z.infer<typeof AlignedTable>;

export const RunRequest = z.object({ protocol: z.literal(1), input: z.unknown(), table: AlignedTable }).strict();
export type RunRequest = z.infer<typeof RunRequest>;

export const VISUALIZATION_KINDS = ["timeline", "scatter", "delay-curve", "outcome-label", "heatmap"] as const;
export type VisualizationKind = (typeof VISUALIZATION_KINDS)[number];

/**
 * A render call. `table` carries the data a chart plots (a timeline, a heatmap); `analysis` carries a
 * stored analysis result the chart draws (a scatter at the best delay, the delay curve, an outcome label).
 */
export const RenderRequest = z
  .object({
    protocol: z.literal(1),
    kind: z.enum(VISUALIZATION_KINDS),
    input: z.unknown(),
    table: AlignedTable.nullable(),
    analysis: z.unknown().nullable(),
  })
  .strict();
export type RenderRequest = z.infer<typeof RenderRequest>;

export const RenderResult = z.object({ content_type: z.literal("image/svg+xml"), body: z.string() }).strict();
export type RenderResult = z.infer<typeof RenderResult>;

/** What a plugin Worker's `WorkerEntrypoint` serves. `plan`/`run` for analyses, `render` for visualizations. */
export interface AnalysisPluginRpc {
  describe(): PluginManifest | Promise<PluginManifest>;
  plan(input: unknown): DataPlan | Promise<DataPlan>;
  run(request: RunRequest): unknown;
}
export interface VisualizationPluginRpc {
  describe(): PluginManifest | Promise<PluginManifest>;
  render(request: RenderRequest): RenderResult | Promise<RenderResult>;
}

/** The HTTPS form: each method is `POST <url>/<method>` with the JSON argument as the body. */
export const HTTP_METHODS = ["describe", "plan", "run", "render"] as const;
export type PluginMethod = (typeof HTTP_METHODS)[number];

export { PluginManifest };
