/**
 * The plugins a person may use (GET /v1/plugins, issue 14): the enabled plugins of the caller's tenant,
 * each with what it reads, so a person deciding what to grant sees it before granting (a consent with
 * `grantee: {type: "plugin", id}`), and the input it takes. How the platform reaches a plugin (its binding
 * or URL) is an administrator's concern and is not shown.
 */
import { listPlugins } from "@dfda/db/repositories/plugins";
import { PLUGIN_KINDS, PluginManifest } from "@dfda/plugins";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { examplePluginManifest } from "../lib/examples";
import { PluginDataSchema } from "../lib/plugins";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const AvailablePlugin = z
  .object({
    id: z.string().openapi({ example: "n-of-1", description: "The id a grant and an analysis name it by." }),
    name: z.string(),
    kind: z.enum(PLUGIN_KINDS),
    version: z.string().openapi({ example: "1.0.0" }),
    description: z.string(),
    homepage: z.string().nullable(),
    data: PluginDataSchema,
    input_schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of its input." }),
    output_schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of its output." }),
  })
  .openapi("AvailablePlugin");
type AvailablePlugin = z.infer<typeof AvailablePlugin>;

export const route = createRoute({
  method: "get",
  path: "/v1/plugins",
  operationId: "listPlugins",
  tags: ["Plugins"],
  summary: "Plugins you can use",
  description:
    "The plugins your organisation enabled: what each does, the categories of data it reads (grant them with " +
    '`POST /v1/consents` and `grantee: {type: "plugin", id}`), and the JSON Schemas of its input and output.',
  ...protectedRoute({ allowClients: true }),
  responses: {
    200: {
      description: "The enabled plugins, by id.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(AvailablePlugin) }),
          example: {
            data: [
              {
                id: examplePluginManifest.id,
                name: examplePluginManifest.name,
                kind: examplePluginManifest.kind,
                version: examplePluginManifest.version,
                description: examplePluginManifest.description,
                homepage: null,
                data: examplePluginManifest.data,
                input_schema: examplePluginManifest.input_schema,
                output_schema: examplePluginManifest.output_schema,
              },
            ],
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    // protectedRoute refused anonymous callers; the tenant is the caller's own, never a parameter.
    const tenantId = principal.kind === "anonymous" ? null : principal.tenantId;
    const rows = tenantId === null ? [] : await listPlugins(await c.var.db(), tenantId, { enabledOnly: true });
    const data: AvailablePlugin[] = rows.flatMap((row) => {
      // Stored manifests were validated on registration; one that no longer parses (an older protocol) is left out.
      const parsed = PluginManifest.safeParse(row.manifest);
      if (!parsed.success) return [];
      const m = parsed.data;
      return [
        {
          id: m.id,
          name: m.name,
          kind: m.kind,
          version: m.version,
          description: m.description,
          homepage: m.homepage ?? null,
          data: m.data,
          input_schema: m.input_schema,
          output_schema: m.output_schema,
        },
      ];
    });
    return c.json({ data }, 200, { "Cache-Control": "no-store" });
  });
}
