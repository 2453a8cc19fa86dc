/** GET /v1/analyses: the person's analyses, newest first, cursor-paged. */
import { ApiError, decodeCursor, encodeCursor } from "@dfda/core";
import { listAnalyses } from "@dfda/db/repositories/analyses";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AnalysisSchema, toAnalysisResponse } from "../lib/analyses";
import { protectedRoute, selfUser } from "../lib/auth";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const CURSOR_LIST = "analyses";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
        "application/json": { schema: z.object({ data: z.array(AnalysisSchema), next_cursor: NextCursor }) },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

function afterId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const [id] = decodeCursor(CURSOR_LIST, cursor, 1);
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new ApiError("invalid_cursor", {
      detail: "The cursor is not one this list produced. Request the first page without a cursor.",
      errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
    });
  }
  return id;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = selfUser(c);
    const query = c.req.valid("query");
    const after = afterId(query.cursor);
    const page = await listAnalyses(await c.var.db(), {
      tenantId: principal.tenantId,
      userId: principal.userId,
      limit: query.limit,
      ...(after !== undefined && { afterId: after }),
    });
    return c.json(
      {
        data: page.rows.map(toAnalysisResponse),
        next_cursor: page.nextId === null ? null : encodeCursor(CURSOR_LIST, [page.nextId]),
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
