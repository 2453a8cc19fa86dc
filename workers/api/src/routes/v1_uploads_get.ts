import { ApiError } from "@dfda/core";
import { findUpload } from "@dfda/db/repositories/uploads";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { fileOwner, ownFilesRequirement } from "../lib/files";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  checkTusVersion,
  TusResumableHeader,
  UPLOAD_EXAMPLE,
  UploadIdParam,
  UploadSchema,
  uploadHeaders,
  uploadResponse,
} from "../lib/uploads";

export const route = createRoute({
  method: "get",
  path: "/v1/uploads/{id}",
  operationId: "getUpload",
  tags: ["Files"],
  summary: "A resumable upload's offset (tus HEAD) and state",
  description:
    "`HEAD` is the tus request a client resumes with: `Upload-Offset` is how many bytes the server holds, " +
    "so the next PATCH starts there. `GET` answers the same headers with the upload as JSON, including the " +
    "file and mapping job it became once complete. An upload terminated or expired answers 410; another " +
    "person's, 404.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: { params: UploadIdParam, headers: z.object({ "tus-resumable": TusResumableHeader }) },
  responses: {
    200: {
      description: "The upload.",
      headers: z.object({
        "Upload-Offset": z.string().openapi({ example: "10485760" }),
        "Upload-Length": z.string().openapi({ example: "104857600" }),
        "Upload-Expires": z.string().optional().openapi({ example: "Mon, 07 Dec 2026 15:00:00 GMT" }),
        "Cache-Control": z.string().openapi({ example: "no-store" }),
      }),
      content: { "application/json": { schema: UploadSchema, example: UPLOAD_EXAMPLE } },
    },
    ...errorResponses,
    410: problemResponse(
      "The upload was terminated or expired (`gone`).",
      exampleProblem("gone", { detail: "The upload expired." }),
    ),
    412: problemResponse(
      "`Tus-Resumable` is not 1.0.0 (`tus_version_unsupported`).",
      exampleProblem("tus_version_unsupported", {
        detail: "Tus-Resumable 0.2.2 is not supported; this server speaks 1.0.0.",
      }),
    ),
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    // A HEAD comes from a tus client, which must name its version; a plain GET need not.
    checkTusVersion(c.req.header("tus-resumable"), c.req.method === "HEAD");
    const { id } = c.req.valid("param");
    const upload = await findUpload(await c.var.db(), { ...principal, id });
    if (upload === null) throw new ApiError("not_found", { detail: "No such upload." });
    if (upload.status === "aborted" || upload.status === "expired") {
      throw new ApiError("gone", {
        detail: `The upload was ${upload.status === "aborted" ? "terminated" : "expired"}.`,
      });
    }
    return c.json(uploadResponse(upload, c.req.url), 200, uploadHeaders(upload));
  });
}
