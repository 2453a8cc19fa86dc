/**
 * The charts plugin's manifest (issue 14) and the options a render call takes.
 *
 * One input schema serves every kind (a manifest has one `input_schema`); each kind reads the options
 * that concern it and ignores the others, as the table in docs/plugins.md ("The charts plugin") says.
 * The JSON Schemas in the manifest are generated from the zod schemas here (zod's `toJSONSchema`, draft
 * 2020-12), so the platform's boundary check and the plugin's own parse can never disagree.
 */
import { type PluginManifest, RenderResult, VariableSlug } from "@dfda/plugins";
import { z } from "zod";

export const CHARTS_PLUGIN_ID = "charts";
export const CHARTS_PLUGIN_VERSION = "1.0.0";

export const TIMELINE_AGGREGATES = ["auto", "none", "day", "week", "month"] as const;
export type TimelineAggregate = (typeof TIMELINE_AGGREGATES)[number];

export const ChartInput = z
  .object({
    /** The chart's heading and accessible name; each kind has a default from its data. */
    title: z.string().min(1).max(200).optional(),
    /** In CSS pixels; the SVG scales (it has a viewBox). */
    width: z.int().min(320).max(2000).optional(),
    height: z.int().min(200).max(2000).optional(),
    /** timeline: the variables to draw, one panel each, in this order (default: the table's first 4). */
    variables: z.array(VariableSlug).min(1).max(8).optional(),
    /** heatmap: the variable (default: the table's first column). */
    variable: VariableSlug.optional(),
    /**
     * timeline: `none` draws every bucket; `day`, `week`, `month` draw each period's mean with a band
     * from its lowest to its highest bucket; `auto` (default) draws buckets while there are at most
     * `max_points` of them, else the finest period that fits.
     */
    aggregate: z.enum(TIMELINE_AGGREGATES).optional(),
    max_points: z.int().min(10).max(2000).optional(),
    /** heatmap: the IANA time zone whose hours and weekdays the cells are (default UTC). */
    timezone: z
      .string()
      .max(64)
      .regex(/^[A-Za-z][A-Za-z0-9_+/-]*$/)
      .optional(),
    /** outcome-label: how many predictors to list (default 10). */
    top: z.int().min(1).max(25).optional(),
  })
  .strict();
export type ChartInput = z.infer<typeof ChartInput>;

export const CHARTS_MANIFEST: PluginManifest = {
  protocol: 1,
  id: CHARTS_PLUGIN_ID,
  version: CHARTS_PLUGIN_VERSION,
  kind: "visualization",
  name: "Charts",
  description:
    "Accessible SVG charts of a person's data and N-of-1 findings: a timeline of variables, a scatter of predictor " +
    "against outcome at the best delay with the fitted line, the correlation-over-delay curve, an outcome label of " +
    "the top predictors, and a heatmap by hour of day and day of week.",
  // It reads nothing itself: the platform hands it the table or the stored analysis a chart draws.
  data: { categories: [], resolutions: ["day", "hour"] },
  input_schema: z.toJSONSchema(ChartInput, { io: "input" }) as Record<string, unknown>,
  output_schema: z.toJSONSchema(RenderResult) as Record<string, unknown>,
  limits: { timeout_ms: 10_000, max_output_bytes: 2 * 1024 * 1024 },
};
