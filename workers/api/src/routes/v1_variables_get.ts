import { ApiError } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleVariable } from "../lib/examples";
import { referenceRepository, toVariableResponse } from "../lib/reference";
import { authErrorResponses, errorResponses, VariableSchema } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/variables/{id}",
  operationId: "getVariable",
  tags: ["Reference data"],
  // Reference data is not personal, but the platform serves nothing to callers it does not know.
  ...protectedRoute({ allowClients: true }),
  summary: "Get a variable, optionally as it was defined at a version or an instant",
  description:
    "Without parameters: the current definition. `version` selects one definition version; `at` selects the " +
    "version that was in force at that instant (RFC 3339). The response lists every version's validity period.",
  request: {
    params: z.object({
      id: z
        .string()
        .uuid()
        .openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.variable }),
    }),
    query: z
      .object({
        version: z.coerce.number().int().min(1).optional().openapi({ description: "A definition version." }),
        at: z
          .string()
          .datetime({ offset: true })
          .optional()
          .openapi({ description: "An instant (RFC 3339 with offset).", example: "2025-01-01T00:00:00Z" }),
      })
      .refine((q) => q.version === undefined || q.at === undefined, {
        message: "Give either version or at, not both",
        path: ["at"],
      }),
  },
  responses: {
    200: {
      description: "The variable.",
      content: {
        "application/json": {
          schema: VariableSchema.extend({
            versions: z.array(
              z.object({
                version: z.number().int(),
                valid_from: z.string().datetime({ offset: true }),
                valid_to: z.string().datetime({ offset: true }).nullable(),
              }),
            ),
          }).openapi("VariableWithVersions"),
          example: {
            ...exampleVariable,
            versions: [{ version: 1, valid_from: "2025-01-01T00:00:00.000Z", valid_to: null }],
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type GetVariableResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { version, at } = c.req.valid("query");
    const repo = await referenceRepository(c);
    const variable = await repo.getVariable(id, {
      ...(version !== undefined && { version }),
      ...(at !== undefined && { instant: new Date(at) }),
    });
    if (!variable) {
      const which = version !== undefined ? ` at version ${version}` : at !== undefined ? ` in force at ${at}` : "";
      throw new ApiError("not_found", { detail: `No variable ${id}${which}.` });
    }
    const versions = await repo.listVersions(id);
    const body: GetVariableResponse = {
      ...toVariableResponse(variable),
      versions: versions.map((v) => ({
        version: v.version,
        valid_from: v.validFrom.toISOString(),
        valid_to: v.validTo === null ? null : v.validTo.toISOString(),
      })),
    };
    return c.json(body, 200);
  });
}
