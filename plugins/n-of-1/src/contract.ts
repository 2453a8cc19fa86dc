/**
 * The N-of-1 plugin's side of the analysis protocol (packages/plugins/src/protocol.ts): its input, its
 * manifest (with the input and output JSON Schemas generated from the zod schemas, so the platform checks
 * exactly what this code parses and writes), `plan` and `run`.
 */

import { VARIABLE_CATEGORY_SLUGS, type VariableCategorySlug } from "@dfda/core";
import {
  AlignedTable,
  DataPlan,
  NOf1Result,
  PLUGIN_PROTOCOL,
  PluginManifest,
  type RunRequest,
  VariableSlug,
} from "@dfda/plugins";
import { z } from "zod";
import { runPair, runPredictorSearch } from "./analysis";

export const PLUGIN_ID = "n-of-1";
export const PLUGIN_VERSION = "1.0.0";

/** Categories a predictor search looks in when the input names none: what a person does, takes or is exposed to. */
export const DEFAULT_PREDICTOR_CATEGORIES = [
  "treatments",
  "supplements",
  "nutrition",
  "physical_activity",
  "sleep",
  "activities",
  "environment",
] as const satisfies readonly VariableCategorySlug[];

/** A predictor search may look in any of the platform's variable categories (packages/core/src/reference.ts). */
const Category = z.enum(VARIABLE_CATEGORY_SLUGS);
const Common = {
  outcome: VariableSlug,
  /** The table's resolution; delays and durations are scanned in its buckets (docs/plugins.md). */
  resolution: z.enum(["day", "hour"]).optional(),
  /** How many days of data, counted back from the newest value (the DataPlan's default: 730). */
  days: z.int().min(1).max(3660).optional(),
  /** Overrides the outcome variable's own direction (symptoms: lower is better; everything else: higher). */
  higher_outcome_is_better: z.boolean().optional(),
};

export const NOf1Input = z.discriminatedUnion("mode", [
  z
    .object({ mode: z.literal("pair"), predictor: VariableSlug, ...Common })
    .strict()
    .refine((input) => input.predictor !== input.outcome, "the predictor and the outcome differ"),
  z
    .object({ mode: z.literal("predictor_search"), categories: z.array(Category).min(1).max(32).optional(), ...Common })
    .strict(),
]);
export type NOf1Input = z.infer<typeof NOf1Input>;

/** JSON Schema (draft 2020-12) of a zod schema, as the manifest carries it. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as Record<string, unknown>;
}

export const MANIFEST: PluginManifest = PluginManifest.parse({
  protocol: PLUGIN_PROTOCOL,
  id: PLUGIN_ID,
  version: PLUGIN_VERSION,
  kind: "analysis",
  name: "N-of-1 predictor → outcome analysis",
  description:
    "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action, with Pearson and Spearman correlations, reverse correlation, effect size, optimal values, a data-sufficiency verdict and a Predictor Impact Score; or every predictor ranked for one outcome.",
  // Any variable may be a predictor or an outcome, so the plugin may ask for every category; what it
  // receives is only what the person granted it (a consent with grantee {type: "plugin", id: "n-of-1"}).
  data: { categories: [...VARIABLE_CATEGORY_SLUGS], resolutions: ["day", "hour"] },
  input_schema: jsonSchema(NOf1Input, "input"),
  output_schema: jsonSchema(NOf1Result, "output"),
  // A pair result carries every aligned pair for the scatter: ten years of hours is ~88,000 pairs, ~7.5 MB
  // of JSON; a hundred-predictor search over them takes seconds per predictor-year at most (bench/analysis.ts).
  limits: { timeout_ms: 60_000, max_output_bytes: 16 * 1024 * 1024 },
});

/** The data an input needs: the two variables, or the outcome and every variable in the predictor categories. */
export function plan(raw: unknown): DataPlan {
  const input = NOf1Input.parse(raw);
  const common = {
    resolution: input.resolution ?? "day",
    ...(input.days === undefined ? {} : { days: input.days }),
  };
  if (input.mode === "pair") return DataPlan.parse({ variables: [input.predictor, input.outcome], ...common });
  return DataPlan.parse({
    variables: [input.outcome],
    all_in_categories: input.categories ?? [...DEFAULT_PREDICTOR_CATEGORIES],
    ...common,
  });
}

/** Runs the analysis the input asks for on the table the platform built from the plan. */
export function run(request: RunRequest): NOf1Result {
  const input = NOf1Input.parse(request.input);
  const table = AlignedTable.parse(request.table);
  return input.mode === "pair" ? runPair(table, input) : runPredictorSearch(table, input);
}
