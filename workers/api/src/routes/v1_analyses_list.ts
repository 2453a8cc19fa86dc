/** GET /v1/analyses: the person's analyses, newest first, cursor-paged. */
import { listAnalyses } from "@dfda/db/repositories/analyses";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AnalysisSchema, toAnalysisResponse } from "../lib/analyses";
import { protectedRoute, selfUser } from "../lib/auth";
import { exampleAnalysis } from "../lib/examples";
import { afterIdOf, cursorAfterId } from "../lib/list-cursor";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const CURSOR_LIST = "analyses";

export const route = createRoute({
  method: "get",
  path: "/v1/analyses",
  operationId: "listAnalyses",
  tags: ["Analyses"],
  summary: "List your analyses",
  description: "Your analyses, newest first, with their status and (once finished) result or problem.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of analyses.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(AnalysisSchema), next_cursor: NextCursor }),
          example: { data: [exampleAnalysis], next_cursor: null },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const query = c.req.valid("query");
    const after = afterIdOf(CURSOR_LIST, query.cursor);
    const page = await listAnalyses(await c.var.db(), {
      tenantId: principal.tenantId,
      userId: principal.userId,
      limit: query.limit,
      ...(after !== undefined && { afterId: after }),
    });
    return c.json(
      {
        data: page.rows.map(toAnalysisResponse),
        next_cursor: page.nextId === null ? null : cursorAfterId(CURSOR_LIST, page.nextId),
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
