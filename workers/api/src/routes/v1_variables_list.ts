import { decodeCursor, encodeCursor } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleVariable } from "../lib/examples";
import { referenceRepository, toVariableResponse } from "../lib/reference";
import {
  authErrorResponses,
  CursorParam,
  errorResponses,
  LimitParam,
  NextCursor,
  VariableSchema,
} from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/variables",
  operationId: "listVariables",
  tags: ["Reference data"],
  // Reference data is not personal, but the platform serves nothing to callers it does not know.
  ...protectedRoute({ allowClients: true }),
  summary: "List and search variables",
  description:
    "The current version of each variable visible to the caller, ordered by name. Filter by category, by a " +
    "coding (`system` and/or `code`, e.g. LOINC `8867-4`), or by text (`q` matches names, synonyms and codes).",
  request: {
    query: z.object({
      category: z.string().min(1).max(64).optional().openapi({ description: "Category slug.", example: "vital_signs" }),
      system: z
        .string()
        .url()
        .max(256)
        .optional()
        .openapi({ description: "Code system URI.", example: "http://loinc.org" }),
      code: z
        .string()
        .min(1)
        .max(128)
        .optional()
        .openapi({ description: "Code in `system` (or any system).", example: "8867-4" }),
      q: z.string().trim().min(1).max(128).optional().openapi({ description: "Text search.", example: "glucose" }),
      cursor: CursorParam,
      limit: LimitParam,
    }),
  },
  responses: {
    200: {
      description: "A page of variables.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(VariableSchema), next_cursor: NextCursor }),
          example: { data: [exampleVariable], next_cursor: "eyJ2IjoxLCJrIjpbImhlYXJ0LXJhdGUiXX0" },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type ListVariablesResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { cursor, limit, ...filter } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor("variables", cursor, 2);
    const repo = await referenceRepository(c);
    const page = await repo.listVariables(
      {
        ...(filter.category !== undefined && { category: filter.category }),
        ...(filter.system !== undefined && { system: filter.system }),
        ...(filter.code !== undefined && { code: filter.code }),
        ...(filter.q !== undefined && { q: filter.q }),
      },
      after === null ? null : { name: String(after[0]), id: String(after[1]) },
      limit,
    );
    const body: ListVariablesResponse = {
      data: page.rows.map(toVariableResponse),
      next_cursor: page.nextKey === null ? null : encodeCursor("variables", [page.nextKey.name, page.nextKey.id]),
    };
    return c.json(body, 200);
  });
}
