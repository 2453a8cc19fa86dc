import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleFile } from "../lib/examples";
import { FileIdParam, FileSchema, fileResponse, ownFile, ownFilesRequirement } from "../lib/files";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/files/{id}",
  operationId: "getFile",
  tags: ["Files"],
  summary: "One of your files",
  description: "The file's metadata: name, detected format, size, SHA-256, key version and mapping status.",
  ...protectedRoute({ scopes: ["files:read"] }, ownFilesRequirement),
  request: { params: FileIdParam },
  responses: {
    200: { description: "The file.", content: { "application/json": { schema: FileSchema, example: exampleFile } } },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { file } = await ownFile(c, c.req.valid("param").id);
    return c.json(fileResponse(file, c.req.url), 200, { "Cache-Control": "no-store" });
  });
}
