import { ApiError, uuidv7 } from "@dfda/core";
import { newFileKey } from "@dfda/db/repositories/file-keys";
import { insertUpload } from "@dfda/db/repositories/uploads";
import { ciphertextLength, partSizeFor } from "@dfda/vault";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleProblem } from "../lib/examples";
import { ColumnMappingSchema, fileOwner, ownFilesRequirement } from "../lib/files";
import { fieldError } from "../lib/problem";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import {
  checkTusVersion,
  httpDate,
  newEncryptionFields,
  parseUploadMetadata,
  TusResumableHeader,
  UPLOAD_EXAMPLE,
  UPLOAD_TTL_MS,
  UploadSchema,
  type UploadState,
  uploadResponse,
} from "../lib/uploads";

export const route = createRoute({
  method: "post",
  path: "/v1/uploads",
  operationId: "createUpload",
  tags: ["Files"],
  summary: "Start a resumable upload (tus 1.0 creation)",
  description:
    "For files that take long to send: declare the size (`Upload-Length`) and, optionally, `Upload-Metadata` " +
    "(`filename`, `filetype`: the declared content type, which also hints the format, as for a single upload; " +
    "`mapping`: a CSV column mapping as JSON), then PATCH the bytes to the `Location` in as many requests as it " +
    "takes, resuming after a drop from the offset HEAD reports (tus 1.0.0 core, creation, termination and " +
    "expiration: https://tus.io/protocols/resumable-upload). The completed file is encrypted, de-duplicated " +
    "and mapped exactly as `POST /v1/ingest/files` does. Unfinished uploads expire 24 hours after their last " +
    "PATCH (`Upload-Expires`). `OPTIONS /v1/uploads` answers `Tus-Version`, `Tus-Extension` and `Tus-Max-Size`.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: {
    headers: z.object({
      "tus-resumable": TusResumableHeader,
      "upload-length": z
        .string()
        .optional()
        .openapi({ description: "The file's size in bytes (required).", example: "104857600" }),
      "upload-metadata": z.string().optional().openapi({
        description: "Comma-separated `key base64(value)` pairs (tus 1.0.0 §Upload-Metadata).",
        example: "filename ZXhwb3J0LnhtbA==,filetype YXBwbGljYXRpb24veG1s",
      }),
    }),
  },
  responses: {
    201: {
      description: "Created: PATCH the bytes to `Location`.",
      headers: z.object({
        Location: z
          .string()
          .openapi({ example: "https://api.example.org/v1/uploads/01939a4e-7c1a-7b3e-9f00-5a1d2c3b4e5f" }),
        "Upload-Expires": z.string().openapi({ example: "Mon, 07 Dec 2026 15:00:00 GMT" }),
        "Tus-Resumable": z.string().openapi({ example: "1.0.0" }),
      }),
      content: { "application/json": { schema: UploadSchema, example: UPLOAD_EXAMPLE } },
    },
    ...errorResponses,
    412: problemResponse(
      "`Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`).",
      exampleProblem("tus_version_unsupported", { detail: "Send Tus-Resumable: 1.0.0." }),
    ),
    413: problemResponse(
      "`Upload-Length` is over `Tus-Max-Size` (`payload_too_large`).",
      exampleProblem("payload_too_large", {
        detail: "Files are accepted up to 104,857,600 bytes.",
        extensions: { limit_bytes: 104857600 },
      }),
    ),
    ...authErrorResponses,
  },
});

/** A decimal header value (RFC 9110 §8.6 style: digits only), or null. */
function nonNegativeInteger(value: string | undefined): number | null {
  if (value === undefined || value.length === 0 || value.length > 16) return null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(value);
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    checkTusVersion(c.req.header("tus-resumable"), true);
    if (c.req.header("upload-defer-length") !== undefined) {
      throw new ApiError("validation_failed", {
        detail: "Upload-Defer-Length is not supported: declare Upload-Length.",
        errors: [fieldError("header", ["upload-defer-length"], "Not supported")],
      });
    }
    const length = nonNegativeInteger(c.req.header("upload-length"));
    if (length === null) {
      throw new ApiError("validation_failed", {
        detail: "Upload-Length must be the file's size in bytes.",
        errors: [fieldError("header", ["upload-length"], "Required: a non-negative integer")],
      });
    }
    if (length === 0) {
      throw new ApiError("validation_failed", {
        detail: "The file is empty.",
        errors: [fieldError("header", ["upload-length"], "Empty")],
      });
    }
    const limit = c.var.config.maxUploadBytes;
    if (length > limit) {
      throw new ApiError("payload_too_large", {
        detail: `Files are accepted up to ${limit.toLocaleString("en")} bytes.`,
        extensions: { limit_bytes: limit },
      });
    }
    // The creation-with-upload extension is not offered: bytes belong in PATCH, and are not dropped here.
    const body = await c.req.raw.arrayBuffer();
    if (body.byteLength > 0) {
      throw new ApiError("validation_failed", {
        detail: "Send the bytes with PATCH; this server does not offer creation-with-upload.",
        errors: [fieldError("body", [], "Must be empty")],
      });
    }
    const metadata = parseUploadMetadata(c.req.header("upload-metadata"));
    if (metadata.mapping !== null && !ColumnMappingSchema.safeParse(metadata.mapping).success) {
      throw new ApiError("validation_failed", {
        detail: "`mapping` must be a JSON object of column header → {variable_id, unit}.",
        errors: [fieldError("header", ["upload-metadata", "mapping"], "Not a column mapping")],
      });
    }

    const db = await c.var.db();
    const id = uuidv7();
    const fileId = uuidv7();
    const key = await newFileKey(db, c.var.config.masterKeys, { ...principal, fileId });
    // Only the wrapped key is kept; each PATCH unwraps it again.
    key.dataKey.fill(0);
    const state: UploadState = {
      v: 1,
      file_id: fileId,
      key_version: key.keyVersion,
      wrapped_key: key.wrappedKey,
      part_size: partSizeFor(ciphertextLength(length)),
      ...newEncryptionFields(),
      chunk_index: 0,
      parts: [],
      checkpoint: null,
      format: null,
      ext: null,
    };
    const now = new Date();
    const upload = await insertUpload(db, {
      id,
      tenantId: principal.tenantId,
      userId: principal.userId,
      actorUserId: principal.userId,
      clientId: principal.clientId,
      length,
      fileName: metadata.file_name,
      contentType: metadata.content_type,
      metadata,
      // Until the first 64 KiB decide the format (and so the object's key), the upload's own prefix.
      r2Key: `uploads/${principal.tenantId}/${id}`,
      state,
      expiresAt: new Date(now.getTime() + UPLOAD_TTL_MS),
    });
    return c.json(uploadResponse(upload, c.req.url), 201, {
      Location: new URL(`/v1/uploads/${id}`, c.req.url).toString(),
      "Upload-Expires": httpDate(upload.expiresAt),
      "Tus-Resumable": "1.0.0",
    });
  });
}
