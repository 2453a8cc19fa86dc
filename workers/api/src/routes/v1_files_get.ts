import { ApiError } from "@dfda/core";
import { getFile } from "@dfda/db/repositories/files";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { FileIdParam, FileSchema, fileResponse } from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/files/{id}",
  operationId: "getFile",
  tags: ["Files"],
  summary: "One of your files",
  description: "The file's metadata: name, detected format, size, SHA-256, key version and mapping status.",
  ...protectedRoute({ scopes: ["files:read"] }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: FileIdParam },
  responses: {
    200: { description: "The file.", content: { "application/json": { schema: FileSchema } } },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Files belong to a person." });
    const { id } = c.req.valid("param");
    const file = await getFile(await c.var.db(), principal.tenantId, principal.userId, id);
    if (!file) throw new ApiError("not_found", { detail: `No file ${id}.` });
    return c.json(fileResponse(file, c.req.url), 200, { "Cache-Control": "no-store" });
  });
}
