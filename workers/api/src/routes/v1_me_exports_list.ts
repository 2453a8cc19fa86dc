import { decodeCursor, encodeCursor } from "@dfda/core";
import { listExports } from "@dfda/db/repositories/exports";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleExport } from "../lib/examples";
import { ExportSchema, exportResponse, exportScope, OwnerQuery } from "../lib/exports";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const ExportList = z.object({ data: z.array(ExportSchema), next_cursor: NextCursor }).openapi("ExportList");
export type ExportListResponse = z.infer<typeof ExportList>;

export const route = createRoute({
  method: "get",
  path: "/v1/me/exports",
  operationId: "listMyExports",
  tags: ["Your data"],
  summary: "Your exports",
  description:
    "The exports you asked for, newest first, with their status and progress; completed ones still within " +
    "their time carry a signed `download_url`.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { query: z.object({ user_id: OwnerQuery, cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of exports.",
      content: {
        "application/json": {
          schema: ExportList,
          example: {
            data: [exampleExport],
            next_cursor: null,
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

const CURSOR = "exports";

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { user_id, cursor, limit } = c.req.valid("query");
    const { scope } = await exportScope(c, user_id);
    const after = cursor === undefined ? undefined : String(decodeCursor(CURSOR, cursor, 1)[0]);
    const rows = await listExports(await c.var.db(), scope, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: ExportListResponse = {
      data: await Promise.all(page.map((row) => exportResponse(c, row))),
      next_cursor: rows.length > limit && last ? encodeCursor(CURSOR, [last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
