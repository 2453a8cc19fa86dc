import { decodeCursor, encodeCursor } from "@dfda/core";
import { listExports } from "@dfda/db/repositories/exports";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
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
            data: [
              {
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
