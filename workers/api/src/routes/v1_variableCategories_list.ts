import { decodeCursor, encodeCursor } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS } from "../lib/examples";
import { referenceRepository } from "../lib/reference";
import {
  authErrorResponses,
  CursorParam,
  errorResponses,
  LimitParam,
  NextCursor,
  VariableCategorySchema,
} from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/variable-categories",
  operationId: "listVariableCategories",
  tags: ["Reference data"],
  // Reference data is not personal, but the platform serves nothing to callers it does not know.
  ...protectedRoute({ allowClients: true }),
  summary: "List variable categories",
  description: "Categories in display order, each with the number of current variables in it.",
  request: { query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of categories.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(VariableCategorySchema), next_cursor: NextCursor }),
          example: {
            data: [
              {
                id: EXAMPLE_IDS.category,
                slug: "vital_signs",
                name: "Vital signs",
                description: "Heart rate, blood pressure, temperature, respiration and oxygen saturation.",
                variable_count: 14,
              },
            ],
            next_cursor: null,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type ListVariableCategoriesResponse = z.infer<
  (typeof route.responses)[200]["content"]["application/json"]["schema"]
>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor("variable-categories", cursor, 2);
    const repo = await referenceRepository(c);
    const page = await repo.listCategories(
      after === null ? null : { sortOrder: Number(after[0]), slug: String(after[1]) },
      limit,
    );
    const body: ListVariableCategoriesResponse = {
      data: page.rows.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        variable_count: r.variableCount,
      })),
      next_cursor:
        page.nextKey === null ? null : encodeCursor("variable-categories", [page.nextKey.sortOrder, page.nextKey.slug]),
    };
    return c.json(body, 200);
  });
}
