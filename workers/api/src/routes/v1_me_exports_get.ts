import { ApiError } from "@dfda/core";
import { getExport } from "@dfda/db/repositories/exports";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
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
          example: {
            id: "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
            status: "completed",
            format: "fhir-ndjson",
            include_files: false,
            filters: { categories: ["vital_signs"], from: "2026-01-01T00:00:00Z" },
            progress: { rows_written: 1440, total_rows: 1440, files_written: 0 },
            content_type: "application/fhir+ndjson",
            size_bytes: 524288,
            error: null,
            created_at: "2026-12-06T08:30:00.000Z",
            updated_at: "2026-12-06T08:30:04.000Z",
            completed_at: "2026-12-06T08:30:04.000Z",
            expires_at: "2026-12-13T08:30:04.000Z",
            download_url:
              "http://127.0.0.1:8787/v1/me/exports/0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34/download?token=eyJhbGciOiJFUzI1NiJ9.e30.sig",
            requested_by: "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
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
    const { id } = c.req.valid("param");
    const { user_id } = c.req.valid("query");
    const { scope } = await exportScope(c, user_id);
    const record = await getExport(await c.var.db(), scope, id);
    // Someone else's export is answered as absent: its existence is not theirs to know.
    if (record === null) throw new ApiError("not_found", { detail: `No export ${id}.` });
    return c.json(await exportResponse(c, record), 200, { "Cache-Control": "no-store" });
  });
}
