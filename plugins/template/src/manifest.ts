/**
 * The template plugin's manifest (docs/plugins.md, "The manifest"): what `describe()` answers and what
 * the platform checks every call against. The JSON Schemas are generated from the zod schemas the plugin
 * parses with (zod's `toJSONSchema`, draft 2020-12), so the platform's boundary check and the plugin's
 * own parse can never disagree. Copying the template: change the id, name, description, data categories,
 * the input and output schemas, and the limits.
 */
import { PLUGIN_PROTOCOL, PluginManifest, VariableSlug } from "@dfda/plugins";
import { z } from "zod";

export const TEMPLATE_PLUGIN_ID = "template";
export const TEMPLATE_PLUGIN_VERSION = "1.0.0";

/** What a caller asks: the variables to describe and how many days back (the DataPlan's window). */
export const TemplateInput = z
  .object({
    variables: z.array(VariableSlug).min(1).max(20),
    days: z.int().min(1).max(3660).optional(),
  })
  .strict();
export type TemplateInput = z.infer<typeof TemplateInput>;

/** Descriptive statistics of one variable over the buckets that have a value. */
export const VariableSummary = z
  .object({
    slug: z.string(),
    name: z.string(),
    unit: z.string(),
    /** Buckets with a value, and all buckets of the window. */
    n: z.int(),
    buckets: z.int(),
    /** n / buckets: how much of the window the person tracked. */
    coverage: z.number(),
    mean: z.number().nullable(),
    /** Sample standard deviation (n − 1 in the denominator); null below two values. */
    sd: z.number().nullable(),
    min: z.number().nullable(),
    median: z.number().nullable(),
    max: z.number().nullable(),
    first: z.iso.datetime().nullable(),
    last: z.iso.datetime().nullable(),
  })
  .strict();
export type VariableSummary = z.infer<typeof VariableSummary>;

export const TemplateOutput = z
  .object({
    resolution: z.enum(["hour", "day"]),
    window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict(),
    variables: z.array(VariableSummary),
    /** Variables the input named that the table does not carry (not granted, or no data). */
    missing: z.array(z.string()),
  })
  .strict();
export type TemplateOutput = z.infer<typeof TemplateOutput>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as Record<string, unknown>;
}

export const TEMPLATE_MANIFEST: PluginManifest = PluginManifest.parse({
  protocol: PLUGIN_PROTOCOL,
  id: TEMPLATE_PLUGIN_ID,
  version: TEMPLATE_PLUGIN_VERSION,
  kind: "analysis",
  name: "Descriptive statistics (template)",
  description:
    "Per-variable count, coverage, mean, standard deviation, minimum, median and maximum of daily values. " +
    "The template plugin authors copy (plugins/template/README.md).",
  data: { categories: ["vital_signs", "physical_activity", "sleep", "body_composition", "mood"], resolutions: ["day"] },
  input_schema: jsonSchema(TemplateInput, "input"),
  output_schema: jsonSchema(TemplateOutput, "output"),
  limits: { timeout_ms: 10_000, max_output_bytes: 256 * 1024 },
});
