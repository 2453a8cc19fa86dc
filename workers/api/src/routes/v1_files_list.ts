import { decodeCursor, encodeCursor } from "@dfda/core";
import { listFiles } from "@dfda/db/repositories/files";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleFile } from "../lib/examples";
import { FileSchema, fileOwner, fileResponse, ownFilesRequirement } from "../lib/files";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const FileList = z.object({ data: z.array(FileSchema), next_cursor: NextCursor }).openapi("FileList");
export type FileListResponse = z.infer<typeof FileList>;

export const route = createRoute({
  method: "get",
  path: "/v1/files",
  operationId: "listFiles",
  tags: ["Files"],
  summary: "Your uploaded files",
  description: "The raw files you uploaded, newest first, with their format and mapping status.",
  ...protectedRoute({ scopes: ["files:read"] }, ownFilesRequirement),
  request: { query: z.object({ cursor: CursorParam, limit: LimitParam }) },
  responses: {
    200: {
      description: "A page of files.",
      content: { "application/json": { schema: FileList, example: { data: [exampleFile], next_cursor: null } } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    const { cursor, limit } = c.req.valid("query");
    const after =
      cursor === undefined
        ? undefined
        : (() => {
            const [at, id] = decodeCursor("files", cursor, 2);
            return { createdAt: new Date(String(at)), id: String(id) };
          })();
    const db = await c.var.db();
    const rows = await listFiles(db, principal.tenantId, principal.userId, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: FileListResponse = {
      data: page.map((f) => fileResponse(f, c.req.url)),
      next_cursor: rows.length > limit && last ? encodeCursor("files", [last.createdAt.toISOString(), last.id]) : null,
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
