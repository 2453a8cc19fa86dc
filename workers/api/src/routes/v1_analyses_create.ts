/**
 * POST /v1/analyses (issue 14, docs/plugins.md "Running analyses"): the person (or an app acting for them
 * with `observations:read`) asks an analysis plugin enabled in their organisation to analyse their data.
 * The input is checked against the plugin's `input_schema` here, before anything is queued; the analysis
 * Worker (workers/analysis) runs it with the data the person granted the plugin, and nothing else.
 */
import { type AnalysisMessage, ApiError, type FieldError } from "@dfda/core";
import { createAnalysis, deleteAnalysis, enabledPlugin } from "@dfda/db/repositories/analyses";
import { recordAudit } from "@dfda/db/repositories/audit";
import { PluginId, PluginManifest, validateAgainstSchema } from "@dfda/plugins";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AnalysisSchema, toAnalysisResponse } from "../lib/analyses";
import { protectedRoute, selfUser } from "../lib/auth";
import { EXAMPLE_IDS, EXAMPLE_ORIGIN, EXAMPLE_TIME, exampleAnalysis, exampleProblem } from "../lib/examples";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const AnalysisRequest = z
  .object({
    // @dfda/plugins' PluginId, in the OpenAPI-aware zod of this Worker (its schemas carry `.openapi`).
    plugin: z
      .string()
      .max(48)
      .refine((id) => PluginId.safeParse(id).success, "A plugin id: lowercase letters, digits and '-' (2–48)")
      .openapi({ description: "The analysis plugin's id (GET /v1/plugins).", example: "n-of-1" }),
    input: z.unknown().openapi({
      description: "What to analyse, as the plugin's `input_schema` describes it.",
      example: { mode: "pair", predictor: "magnesium", outcome: "headache" },
    }),
    recompute: z
      .boolean()
      .default(false)
      .openapi({ description: "Run it again whenever newer data arrives (checked every 15 minutes)." }),
  })
  .strict()
  .openapi("AnalysisRequest");

export const route = createRoute({
  method: "post",
  path: "/v1/analyses",
  operationId: "createAnalysis",
  tags: ["Analyses"],
  summary: "Run an analysis of your data",
  description:
    "Queues an analysis by an `analysis` plugin enabled in your organisation. It runs in the background on " +
    'exactly the data you granted the plugin (`POST /v1/consents` with `grantee: {type: "plugin", id}`): a ' +
    "plan naming data you did not grant fails the run with `consent_required`, and nothing is sent to the " +
    "plugin. Follow it at the `Location`; the result is stored with the plugin version and the data window it saw.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: AnalysisRequest,
          example: { plugin: "n-of-1", input: exampleAnalysis.input, recompute: true },
        },
      },
    },
  },
  responses: {
    202: {
      description: "Queued.",
      headers: {
        Location: {
          schema: { type: "string" },
          description: "The analysis (`GET`).",
          example: `${EXAMPLE_ORIGIN}/v1/analyses/${EXAMPLE_IDS.analysis}`,
        },
      },
      content: {
        "application/json": {
          schema: AnalysisSchema,
          example: {
            ...exampleAnalysis,
            status: "queued",
            progress: 0,
            result: null,
            data_window: { from: null, to: null, through: null },
            runs: 0,
            updated_at: EXAMPLE_TIME,
            finished_at: null,
          },
        },
      },
    },
    422: problemResponse(
      "The input does not match the plugin's input schema (`plugin_invalid_input`, with `errors`).",
      exampleProblem("plugin_invalid_input", {
        detail: "The input does not match n-of-1's input schema: input.outcome: must have required property 'outcome'",
        errors: [
          {
            location: "body",
            path: "input.outcome",
            pointer: "/input/outcome",
            message: "must have required property 'outcome'",
          },
        ],
      }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const body = c.req.valid("json");
    const db = await c.var.db();
    const plugin = await enabledPlugin(db, principal.tenantId, body.plugin);
    const manifest = plugin === null ? null : PluginManifest.safeParse(plugin.manifest);
    if (plugin === null || plugin.kind !== "analysis" || manifest === null || !manifest.success) {
      throw new ApiError("validation_failed", {
        detail: `No analysis plugin ${JSON.stringify(body.plugin)} is enabled in this organisation.`,
        errors: [{ location: "body", path: "plugin", pointer: "/plugin", message: "No such analysis plugin" }],
      });
    }
    const schemaErrors = validateAgainstSchema(manifest.data.input_schema, body.input);
    if (schemaErrors.length > 0) {
      const errors: FieldError[] = schemaErrors.map((e) => ({
        location: "body",
        path: ["input", ...e.path.split("/").filter((p) => p !== "")].join("."),
        pointer: `/input${e.path}`,
        message: e.message,
      }));
      throw new ApiError("plugin_invalid_input", {
        detail: `The input does not match ${body.plugin}'s input schema: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
        errors,
      });
    }
    const row = await createAnalysis(db, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      requestedByUser: principal.userId,
      requestedByClient: principal.clientId,
      pluginId: plugin.slug,
      pluginVersion: plugin.version,
      input: body.input ?? null,
      recompute: body.recompute,
    });
    const message: AnalysisMessage = {
      v: 1,
      type: "analysis",
      analysis_id: row.id,
      tenant_id: row.tenantId,
      user_id: row.userId,
      run: 1,
    };
    try {
      await c.env.ANALYSES_QUEUE.send(message, { contentType: "json" });
    } catch (error) {
      // Not queued: no analysis that would wait for ever.
      await deleteAnalysis(db, row, row.id);
      throw error;
    }
    await recordAudit(db, {
      tenantId: principal.tenantId,
      action: "analysis.create",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: principal.userId,
      resourceType: "analysis",
      resourceId: row.id,
      requestId: c.var.requestId,
      details: { plugin: plugin.slug, plugin_version: plugin.version, recompute: body.recompute },
    });
    const location = new URL(`/v1/analyses/${row.id}`, c.req.url).toString();
    return c.json(toAnalysisResponse(row), 202, { Location: location, "Cache-Control": "no-store" });
  });
}
