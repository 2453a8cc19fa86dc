import { ApiError } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { fileOwner, ownFilesRequirement } from "../lib/files";
import { fieldError } from "../lib/problem";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  appendToUpload,
  checkTusVersion,
  OFFSET_OCTET_STREAM,
  TusResumableHeader,
  UploadIdParam,
  uploadHeaders,
} from "../lib/uploads";

export const route = createRoute({
  method: "patch",
  path: "/v1/uploads/{id}",
  operationId: "appendUpload",
  tags: ["Files"],
  summary: "Send the next bytes of a resumable upload (tus PATCH)",
  description:
    "The body (`Content-Type: application/offset+octet-stream`) continues the file at `Upload-Offset`, which " +
    "must equal the bytes the server holds (else 409 `upload_offset_mismatch`). Every byte received is kept, " +
    "even when the connection drops mid-body: HEAD then reports where to resume. The answer (204) carries the " +
    "new `Upload-Offset`; when it reaches `Upload-Length` the file is stored, de-duplicated and queued for " +
    "mapping as a single upload is (GET the upload for its `file_id` and `job_id`). Another request still " +
    "writing the same upload answers 423 `upload_locked` (retry after `Retry-After`).",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: {
    params: UploadIdParam,
    headers: z.object({
      "tus-resumable": TusResumableHeader,
      "upload-offset": z
        .string()
        .optional()
        .openapi({ description: "Where this body starts (required).", example: "0" }),
    }),
    body: {
      required: true,
      // Streamed by the handler, never parsed whole.
      content: { [OFFSET_OCTET_STREAM]: { schema: { type: "string", format: "binary" } } },
    },
  },
  responses: {
    204: {
      description: "Stored; `Upload-Offset` is the new offset.",
      headers: z.object({
        "Upload-Offset": z.string().openapi({ example: "15728640" }),
        "Upload-Expires": z.string().optional().openapi({ example: "Mon, 07 Dec 2026 15:00:00 GMT" }),
        "Tus-Resumable": z.string().openapi({ example: "1.0.0" }),
      }),
    },
    ...errorResponses,
    409: problemResponse(
      "`Upload-Offset` is not the upload's offset (`upload_offset_mismatch`).",
      exampleProblem("upload_offset_mismatch", {
        detail: "Upload-Offset is 0, but the upload holds 5242880 bytes: send from there.",
      }),
    ),
    410: problemResponse(
      "The upload was terminated or expired (`gone`).",
      exampleProblem("gone", { detail: "The upload expired." }),
    ),
    412: problemResponse(
      "`Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`).",
      exampleProblem("tus_version_unsupported", { detail: "Send Tus-Resumable: 1.0.0." }),
    ),
    415: problemResponse(
      "The body is not `application/offset+octet-stream`.",
      exampleProblem("unsupported_media_type", { detail: "Send the bytes as application/offset+octet-stream." }),
    ),
    423: problemResponse(
      "Another request is writing this upload (`upload_locked`).",
      exampleProblem("upload_locked", {
        detail: "Another request is writing this upload. Ask with HEAD in a moment and resume.",
      }),
    ),
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    checkTusVersion(c.req.header("tus-resumable"), true);
    const contentType = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (contentType !== OFFSET_OCTET_STREAM) {
      throw new ApiError("unsupported_media_type", {
        detail: `A PATCH body is ${OFFSET_OCTET_STREAM} (tus 1.0.0).`,
      });
    }
    const offsetHeader = c.req.header("upload-offset") ?? "";
    const offset = /^\d{1,16}$/.test(offsetHeader) ? Number(offsetHeader) : null;
    if (offset === null) {
      throw new ApiError("validation_failed", {
        detail: "Upload-Offset must be the byte offset this body starts at.",
        errors: [fieldError("header", ["upload-offset"], "Required: a non-negative integer")],
      });
    }
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const work = appendToUpload(
      c.env,
      db,
      c.var.config.masterKeys,
      principal,
      { tenantId: principal.tenantId, userId: principal.userId, id },
      offset,
      c.req.raw.body,
    );
    // A client that disconnects mid-body must not cut short the saving of what it sent.
    c.executionCtx.waitUntil(work.catch(() => {}));
    const outcome = await work;
    const headers = uploadHeaders(outcome.upload);
    if (outcome.overflow) {
      throw new ApiError("payload_too_large", {
        detail: `The body runs past Upload-Length (${outcome.upload.length} bytes); the bytes up to it are stored.`,
        headers,
      });
    }
    if (outcome.interrupted !== null) {
      throw new ApiError("validation_failed", {
        detail: `The body ended early; ${outcome.upload.offset} bytes are stored. Resume from there.`,
        errors: [fieldError("body", [], "Not read to its end")],
        headers,
      });
    }
    return c.body(null, 204, headers);
  });
}
