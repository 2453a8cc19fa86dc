import { ApiError } from "@dfda/core";
import { deleteFile, getFile } from "@dfda/db/repositories/files";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { FileIdParam } from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "delete",
  path: "/v1/files/{id}",
  operationId: "deleteFile",
  tags: ["Files"],
  summary: "Delete a file and the observations mapped from it",
  description:
    "Removes the file's record and every observation mapped from it in one transaction, then the encrypted " +
    "object from storage.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: { params: FileIdParam },
  responses: {
    204: { description: "Deleted." },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Files belong to a person." });
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const file = await getFile(db, principal.tenantId, principal.userId, id);
    if (!file) throw new ApiError("not_found", { detail: `No file ${id}.` });
    await deleteFile(db, principal.tenantId, principal.userId, id);
    // After the commit: a failure here leaves an object nothing points to, not a record without bytes.
    await c.env.FILES.delete(file.r2Key);
    return c.body(null, 204);
  });
}
