import { ApiError, DETECT_HEAD_BYTES, fileObjectKey, uuidv7 } from "@dfda/core";
import { newFileKey } from "@dfda/db/repositories/file-keys";
import { findFileBySha256, insertFile } from "@dfda/db/repositories/files";
import { detectFormat, peek } from "@dfda/mappers";
import { putEncrypted } from "@dfda/vault";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleFile, exampleJobUrl, exampleProblem } from "../lib/examples";
import {
  ColumnMappingSchema,
  FileSchema,
  fileOwner,
  fileResponse,
  ownFilesRequirement,
  queueFileMapping,
} from "../lib/files";
import { MultipartReader, multipartBoundary } from "../lib/multipart";
import { fieldError } from "../lib/problem";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import { sourceForClient } from "../lib/sources";
import type { AppEnv } from "../lib/types";

export const FileAccepted = z
  .object({
    file_id: z.uuid(),
    job_id: z.uuid().nullable().openapi({ description: "The mapping job (null for a file uploaded before)." }),
    status_url: z.string().nullable(),
    existing: z
      .boolean()
      .openapi({ description: "True when the same bytes were uploaded before: that file is returned." }),
    file: FileSchema,
  })
  .openapi("FileAccepted");
export type FileAcceptedResponse = z.infer<typeof FileAccepted>;

/** Largest form field besides the file (`mapping`). */
const FIELD_LIMIT = 64 * 1024;

export const route = createRoute({
  method: "post",
  path: "/v1/ingest/files",
  operationId: "uploadFile",
  tags: ["Files"],
  summary: "Upload a raw file (FHIR, HL7 v2, C-CDA, CSV, Open mHealth, Apple Health, vendor JSON …)",
  description:
    "Send the file as `multipart/form-data` (a `file` part, and optionally a `mapping` part: a JSON object of " +
    "column header → `{variable_id, unit}` for tabular files) or as the raw request body (name it with `?name=`). " +
    "The body is streamed: it is hashed, encrypted with a per-file key and written to storage as it arrives, " +
    "never held whole. The format is detected from the content, the name and the declared type. The answer is " +
    "202 with the file and its mapping job; the same bytes uploaded again return the existing file (200). " +
    "A format no mapper knows is kept, and its job ends `unsupported_format`.",
  ...protectedRoute({ scopes: ["files:write"], action: "write" }, ownFilesRequirement),
  request: {
    query: z.object({
      name: z.string().min(1).max(255).optional().openapi({ description: "File name, for a raw body." }),
    }),
    body: {
      required: true,
      // Plain OpenAPI schemas, not zod: the body is streamed by the handler, never parsed whole.
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            required: ["file"],
            properties: {
              file: { type: "string", format: "binary" },
              mapping: { type: "string", description: "JSON: header → {variable_id, unit}" },
            },
          },
          example: {
            file: "Date,Heart rate (bpm),Notes\n2026-12-06T07:00:00Z,62,\n",
            mapping: '{"Heart rate (bpm)":{"variable_id":EXAMPLE_IDS.variable,"unit":"/min"}}',
          },
        },
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
      },
    },
  },
  responses: {
    200: {
      description: "These bytes were uploaded before: the existing file.",
      content: {
        "application/json": {
          schema: FileAccepted,
          example: {
            file_id: EXAMPLE_IDS.file,
            job_id: null,
            status_url: null,
            existing: true,
            file: exampleFile,
          },
        },
      },
    },
    202: {
      description: "Stored and queued for mapping.",
      content: {
        "application/json": {
          schema: FileAccepted,
          example: {
            file_id: EXAMPLE_IDS.file,
            job_id: EXAMPLE_IDS.job,
            status_url: exampleJobUrl,
            existing: false,
            file: { ...exampleFile, status: "processing", mapper: null, updated_at: "2026-12-06T08:30:00.000Z" },
          },
        },
      },
    },
    ...errorResponses,
    413: problemResponse(
      "The file is larger than this server accepts.",
      exampleProblem("payload_too_large", { detail: "Files are accepted up to 104,857,600 bytes." }),
    ),
    ...authErrorResponses,
  },
});

interface Upload {
  body: ReadableStream<Uint8Array>;
  name: string | null;
  contentType: string | null;
  /** Where the file is, as a validation problem names it: the `file` part, or the whole raw body. */
  field: string[];
  /** Reads form fields after the file (multipart only). */
  rest: () => Promise<Record<string, string>>;
}

/** The file part of a multipart body (fields before it are collected), or the raw body. */
async function openUpload(request: Request, nameParam: string | null): Promise<Upload> {
  if (request.body === null)
    throw new ApiError("validation_failed", {
      detail: "The request has no body.",
      errors: [fieldError("body", [], "Required")],
    });
  const contentType = request.headers.get("content-type");
  const boundary = multipartBoundary(contentType);
  if (contentType !== null && /^multipart\//i.test(contentType) && boundary === null) {
    throw new ApiError("validation_failed", {
      detail: "A multipart/form-data body needs a boundary parameter.",
      errors: [fieldError("header", ["content-type"], "No boundary parameter")],
    });
  }
  if (boundary === null) {
    const declared = contentType?.split(";")[0]?.trim() ?? null;
    return {
      body: request.body,
      name: nameParam,
      field: [],
      contentType: declared === "" || declared === "application/octet-stream" ? declared || null : declared,
      rest: async () => ({}),
    };
  }
  const reader = new MultipartReader(request.body, boundary, { names: ["file", "mapping"] });
  const fields: Record<string, string> = {};
  for (;;) {
    const part = await reader.next();
    if (part === null) {
      throw new ApiError("validation_failed", {
        detail: "The form has no `file` part.",
        errors: [fieldError("body", ["file"], "Required")],
      });
    }
    if (part.name === "file") {
      return {
        body: reader.body(),
        name: part.filename ?? nameParam,
        field: ["file"],
        contentType: part.contentType,
        rest: async () => {
          for (let next = await reader.next(); next !== null; next = await reader.next()) {
            if (next.name !== null) fields[next.name] = await reader.text(FIELD_LIMIT);
          }
          return fields;
        },
      };
    }
    if (part.name !== null) fields[part.name] = await reader.text(FIELD_LIMIT);
  }
}

/** Counts bytes and fails the stream past `limit` (the upload then answers 413). */
function sizeLimit(limit: number, seen: { bytes: number }): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      seen.bytes += chunk.byteLength;
      if (seen.bytes > limit) {
        controller.error(
          new ApiError("payload_too_large", {
            detail: `Files are accepted up to ${limit.toLocaleString("en")} bytes.`,
          }),
        );
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/** SHA-256 of everything that passes (Workers' streaming digest), and the bytes unchanged. */
function sha256Tap(): { stream: TransformStream<Uint8Array, Uint8Array>; digest: Promise<string> } {
  const digester = new crypto.DigestStream("SHA-256");
  const writer = digester.getWriter();
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      await writer.write(chunk);
      controller.enqueue(chunk);
    },
    async flush() {
      await writer.close();
    },
  });
  const digest = digester.digest.then((buffer) =>
    Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join(""),
  );
  // A failed upload never awaits the digest: do not let it reject unhandled.
  digest.catch(() => {});
  return { stream, digest };
}

/** First two hex digits of SHA-256(user id): spreads objects over key prefixes (docs/storage.md). */
async function userHashPrefix(userId: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId)));
  return (hash[0] ?? 0).toString(16).padStart(2, "0");
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const principal = fileOwner(c);
    const { tenantId, userId } = principal;
    const limit = c.var.config.maxUploadBytes;
    const declaredLength = Number(c.req.header("content-length") ?? "");
    if (Number.isFinite(declaredLength) && declaredLength > limit + FIELD_LIMIT * 4) {
      throw new ApiError("payload_too_large", {
        detail: `Files are accepted up to ${limit.toLocaleString("en")} bytes.`,
      });
    }
    const upload = await openUpload(c.req.raw, c.req.valid("query").name ?? null);
    const seen = { bytes: 0 };
    const { head, stream } = await peek(upload.body.pipeThrough(sizeLimit(limit, seen)), DETECT_HEAD_BYTES);
    if (head.byteLength === 0) {
      throw new ApiError("validation_failed", {
        detail: "The file is empty.",
        errors: [fieldError("body", upload.field, "Empty")],
      });
    }
    const detection = detectFormat(head, upload.name, upload.contentType);

    const db = await c.var.db();
    const fileId = uuidv7();
    const key = await newFileKey(db, c.var.config.masterKeys, { tenantId, userId, fileId });
    const now = new Date();
    const r2Key = fileObjectKey({
      userHashPrefix: await userHashPrefix(userId),
      userId,
      sourceType: detection.format,
      uploadedAt: now,
      fileId,
      ext: detection.ext,
    });
    const tap = sha256Tap();
    try {
      await putEncrypted(c.env.FILES, r2Key, stream.pipeThrough(tap.stream), key.dataKey, fileId);
    } catch (error) {
      await c.env.FILES.delete(r2Key).catch(() => {});
      if (error instanceof ApiError) throw error;
      throw new ApiError("validation_failed", {
        detail: "The upload could not be read to its end.",
        errors: [fieldError("body", upload.field, "Not read to its end")],
        cause: error,
      });
    }
    const sha256 = await tap.digest;
    // Until a file row references the object, it is this request's to remove: a failure now (a
    // malformed field after the file, the database) must not leave an object in R2 that nothing lists.
    const orDiscard = async <T>(step: Promise<T>): Promise<T> => {
      try {
        return await step;
      } catch (error) {
        await c.env.FILES.delete(r2Key).catch(() => {});
        throw error;
      }
    };
    const fields = await orDiscard(upload.rest());
    let mapping: Record<string, unknown> | null = null;
    if (fields.mapping !== undefined) {
      const parsed = ColumnMappingSchema.safeParse(safeJson(fields.mapping));
      if (!parsed.success) {
        await c.env.FILES.delete(r2Key).catch(() => {});
        throw new ApiError("validation_failed", {
          detail: "`mapping` must be a JSON object of column header → {variable_id, unit}.",
          errors: [fieldError("body", ["mapping"], "Not a JSON object of column header → {variable_id, unit}")],
        });
      }
      mapping = parsed.data;
    }

    const existing = await orDiscard(findFileBySha256(db, tenantId, userId, sha256));
    if (existing) {
      // The same bytes again: keep the first copy.
      await c.env.FILES.delete(r2Key).catch(() => {});
      const body: FileAcceptedResponse = {
        file_id: existing.id,
        job_id: null,
        status_url: null,
        existing: true,
        file: fileResponse(existing, c.req.url),
      };
      return c.json(body, 200);
    }
    const sourceId = await orDiscard(sourceForClient(db, tenantId, principal.clientId));
    const file = await orDiscard(
      insertFile(db, {
        id: fileId,
        tenantId,
        userId,
        sourceId,
        originalName: upload.name,
        contentType: upload.contentType,
        format: detection.format,
        sizeBytes: seen.bytes,
        sha256,
        r2Key,
        keyVersion: key.keyVersion,
        wrappedKey: key.wrappedKey,
        status: "stored",
        mapping,
      }),
    );
    // The file is kept whatever happens now; if its message cannot be queued, mapping it is one
    // POST /v1/files/{id}/reprocess away.
    const { jobId } = await queueFileMapping(c.env, db, principal, { ...file, sourceId });
    const statusUrl = new URL(`/v1/ingest/jobs/${jobId}`, c.req.url).toString();
    const body: FileAcceptedResponse = {
      file_id: fileId,
      job_id: jobId,
      status_url: statusUrl,
      existing: false,
      file: fileResponse(file, c.req.url),
    };
    return c.json(body, 202, { Location: new URL(`/v1/files/${fileId}`, c.req.url).toString() });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
