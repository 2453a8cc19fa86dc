import { ApiError } from "@dfda/core";
import { getExport } from "@dfda/db/repositories/exports";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleExport } from "../lib/examples";
import { ExportIdParam, ExportSchema, exportResponse, exportScope, OwnerQuery } from "../lib/exports";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/me/exports/{id}",
  operationId: "getMyExport",
  tags: ["Your data"],
  summary: "Follow an export",
  description:
    "Status and progress (`rows_written` of `total_rows`, `files_written`) of an export. Once completed, " +
    "`download_url` is a signed link that works without a bearer token until `expires_at`; each call signs " +
    "it afresh, with the same expiry.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: ExportIdParam, query: z.object({ user_id: OwnerQuery }) },
  responses: {
    200: {
      description: "The export.",
      content: {
        "application/json": {
          schema: ExportSchema,
          example: exampleExport,
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { user_id } = c.req.valid("query");
    const { scope } = await exportScope(c, user_id);
    const record = await getExport(await c.var.db(), scope, id);
    // Someone else's export is answered as absent: its existence is not theirs to know.
    if (record === null) throw new ApiError("not_found", { detail: `No export ${id}.` });
    return c.json(await exportResponse(c, record), 200, { "Cache-Control": "no-store" });
  });
}
