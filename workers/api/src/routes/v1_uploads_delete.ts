import { ApiError } from "@dfda/core";
import { abortUpload, findUpload } from "@dfda/db/repositories/uploads";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleProblem } from "../lib/examples";
import { fileOwner, ownFilesRequirement } from "../lib/files";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { checkTusVersion, discardUploadObjects, TusResumableHeader, UploadIdParam } from "../lib/uploads";

export const route = createRoute({
  method: "delete",
  path: "/v1/uploads/{id}",
  operationId: "terminateUpload",
  tags: ["Files"],
  summary: "Terminate an unfinished resumable upload (tus termination)",
  description:
    "Deletes the bytes received so far (the R2 parts and the checkpoint); the upload then answers 410. A " +
    "completed upload is a file: delete it with `DELETE /v1/files/{id}` (409 here).",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: { params: UploadIdParam, headers: z.object({ "tus-resumable": TusResumableHeader }) },
  responses: {
    204: { description: "Terminated." },
    ...errorResponses,
    409: problemResponse(
      "The upload is complete: it is a file now (`conflict`).",
      exampleProblem("conflict", {
        detail: `The upload is complete: it is file ${EXAMPLE_IDS.file}; delete that instead.`,
      }),
    ),
    410: problemResponse(
      "Already terminated or expired (`gone`).",
      exampleProblem("gone", { detail: "The upload was already terminated or expired." }),
    ),
    412: problemResponse(
      "`Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`).",
      exampleProblem("tus_version_unsupported", { detail: "Send Tus-Resumable: 1.0.0." }),
    ),
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    checkTusVersion(c.req.header("tus-resumable"), true);
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const scope = { tenantId: principal.tenantId, userId: principal.userId, id };
    const aborted = await abortUpload(db, scope, new Date());
    if (aborted === null) {
      const upload = await findUpload(db, scope);
      if (upload === null) throw new ApiError("not_found", { detail: "No such upload." });
      if (upload.status === "completed") {
        throw new ApiError("conflict", {
          detail: `The upload is complete: it is file ${upload.fileId}; delete that instead.`,
        });
      }
      throw new ApiError("gone", { detail: "The upload was already terminated or expired." });
    }
    // After the row says aborted: a failure here leaves parts nothing lists, which R2 removes itself
    // from an incomplete multipart upload after 7 days, never bytes of a live upload.
    await discardUploadObjects(c.env.FILES, aborted);
    return c.body(null, 204, { "Tus-Resumable": "1.0.0" });
  });
}
