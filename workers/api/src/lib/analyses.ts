/**
 * What the analyses routes share (issue 14, docs/plugins.md "Running analyses"): the response shape of an
 * analysis, and whose analyses a caller sees: the person's own, asked by the person or by an app acting
 * for them with `observations:read`. An analysis is never shown to anyone else.
 */
import { ANALYSIS_STATUSES } from "@dfda/db";
import type { AnalysisRow } from "@dfda/db/repositories/analyses";
import { z } from "@hono/zod-openapi";
import { EXAMPLE_IDS } from "./examples";

export const AnalysisSchema = z
  .object({
    id: z.uuid(),
    plugin: z.string().openapi({ description: "The analysis plugin's id.", example: "n-of-1" }),
    plugin_version: z
      .string()
      .nullable()
      .openapi({ description: "The plugin version that computed `result` (or that will run, while queued)." }),
    status: z.enum(ANALYSIS_STATUSES),
    progress: z.number().min(0).max(1).openapi({ description: "0–1 while running; 1 once succeeded." }),
    input: z.unknown().openapi({ description: "The input as asked (validated against the plugin's input_schema)." }),
    result: z
      .unknown()
      .nullable()
      .openapi({ description: "The plugin's output (its manifest's output_schema) once succeeded; null otherwise." }),
    problem: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          "Why the last run failed: an RFC 9457 problem (`code`: `consent_required`, `plugin_timeout`, " +
          "`plugin_failed` …); null unless failed.",
      }),
    data_window: z
      .object({
        from: z.iso.datetime({ offset: true }).nullable(),
        to: z.iso.datetime({ offset: true }).nullable(),
        through: z.iso
          .datetime({ offset: true })
          .nullable()
          .openapi({ description: "The newest observation time the result saw." }),
      })
      .openapi({ description: "The buckets [from, to) the plugin's table covered in the last successful run." }),
    recompute: z
      .boolean()
      .openapi({ description: "Run again when newer data arrives (a sweep every 15 minutes looks for it)." }),
    runs: z.number().int().openapi({ description: "Runs started so far." }),
    requested_by: z.object({ user_id: z.uuid().nullable(), client_id: z.string().nullable() }),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    finished_at: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi("Analysis");
export type AnalysisResponse = z.infer<typeof AnalysisSchema>;

export const AnalysisIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.analysis }),
});

export function toAnalysisResponse(row: AnalysisRow): AnalysisResponse {
  return {
    id: row.id,
    plugin: row.pluginId,
    plugin_version: row.pluginVersion,
    status: row.status,
    progress: row.progress,
    input: row.input,
    result: row.result ?? null,
    problem: row.problem ?? null,
    data_window: {
      from: row.dataFrom?.toISOString() ?? null,
      to: row.dataTo?.toISOString() ?? null,
      through: row.dataThrough?.toISOString() ?? null,
    },
    recompute: row.recompute,
    runs: row.runs,
    requested_by: { user_id: row.requestedByUser, client_id: row.requestedByClient },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
