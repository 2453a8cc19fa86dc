/**
 * Request body limits (issue 12, "Unbounded memory"; OWASP API4:2023 Unrestricted Resource
 * Consumption). Every JSON and form body is read here, counted as it arrives, and refused with a 413
 * `payload_too_large` problem (RFC 9110 §15.5.14) once it passes its route's limit, so no handler ever
 * parses more than that. The declared `Content-Length` refuses early but is not trusted: a chunked body
 * (no Content-Length) and one whose length lies are counted byte by byte, and memory holds at most the
 * limit. The streamed file upload is exempt here and bounded by its own limit (`MAX_UPLOAD_BYTES`).
 * Every limit is listed in docs/operations.md ("Input limits").
 */
import { ApiError } from "@dfda/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./types";

/** JSON and form bodies of every route not listed in BODY_LIMITS: far above any of their schemas. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * A batch of up to MAX_BATCH (20,000) observations: about 420 bytes each when full, where a typical
 * observation is 100–200 bytes. Parsed JSON takes several times its text in memory, and the Worker has
 * 128 MB.
 */
export const INGEST_OBSERVATIONS_BODY_LIMIT = 8 * 1024 * 1024;

/** A route's body limit in bytes; `null` for a route that streams its body and bounds it itself. */
export interface BodyLimitRule {
  method: string;
  /** The exact path, or a prefix ending in `/*` (one more segment or more). */
  path: string;
  bytes: number | null;
}

/** Routes whose limit is not DEFAULT_BODY_LIMIT. */
export const BODY_LIMITS: readonly BodyLimitRule[] = [
  { method: "POST", path: "/v1/ingest/observations", bytes: INGEST_OBSERVATIONS_BODY_LIMIT },
  // Streamed to R2 as it arrives, never held; the route answers 413 past MAX_UPLOAD_BYTES.
  { method: "POST", path: "/v1/ingest/files", bytes: null },
  // A resumable upload's PATCH: streamed into R2 parts, bounded by the upload's Upload-Length.
  { method: "PATCH", path: "/v1/uploads/*", bytes: null },
];

export interface BodyLimitOptions {
  /** The limit of routes not in `routes`. */
  defaultBytes: number;
  routes: readonly BodyLimitRule[];
}

function tooLarge(limit: number, method: string, path: string): ApiError {
  return new ApiError("payload_too_large", {
    detail: `The request body is larger than ${limit.toLocaleString("en")} bytes, the limit for ${method} ${path}.`,
    extensions: { limit_bytes: limit },
  });
}

/** A decimal Content-Length (RFC 9110 §8.6), or null when absent or not a plain number. */
function declaredLength(value: string | undefined): number | null {
  if (value === undefined || value.length === 0 || value.length > 16) return null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(value);
}

/**
 * Reads each request body up to its route's limit, or answers 413.
 *
 * @example
 * app.use(bodyLimits({ defaultBytes: DEFAULT_BODY_LIMIT, routes: BODY_LIMITS }));
 */
export function bodyLimits(options: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const body = c.req.raw.body;
    const method = c.req.method;
    // GET and HEAD carry no content a route reads (RFC 9110 §9.3.1).
    if (body === null || method === "GET" || method === "HEAD") return next();
    const path = c.req.path;
    const rule = options.routes.find(
      (r) =>
        r.method === method &&
        (r.path.endsWith("/*")
          ? path.startsWith(r.path.slice(0, -1)) && path.length > r.path.length - 1
          : r.path === path),
    );
    const limit = rule === undefined ? options.defaultBytes : rule.bytes;
    if (limit === null) return next();

    const declared = declaredLength(c.req.header("Content-Length"));
    if (declared !== null && declared > limit) {
      await body.cancel().catch(() => {});
      throw tooLarge(limit, method, path);
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      size += read.value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit, method, path);
      }
      chunks.push(read.value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    // The route reads the counted bytes, not the (consumed) stream.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  };
}
