import { deleteFile } from "@dfda/db/repositories/files";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { PERSON_PRESENT_NOTE, protectedRoute } from "../lib/auth";
import { FileIdParam, ownFile, ownFilesRequirement } from "../lib/files";
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
    "object from storage." +
    PERSON_PRESENT_NOTE,
  ...protectedRoute({ scopes: ["files:write"], action: "write", personPresent: true }, ownFilesRequirement),
  request: { params: FileIdParam },
  responses: {
    204: { description: "Deleted." },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { principal, db, file } = await ownFile(c, id);
    await deleteFile(db, principal.tenantId, principal.userId, id);
    // After the commit: a failure here leaves an object nothing points to, not a record without bytes.
    await c.env.FILES.delete(file.r2Key);
    return c.body(null, 204);
  });
}
