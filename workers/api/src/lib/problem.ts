/**
 * Turning every failure into RFC 9457 problem details: validation errors from zod, HTTP errors from
 * Hono, database outages, and anything unexpected (logged with the request id, revealed to no one).
 */
import { ApiError, type ErrorCode, type FieldError, toProblem } from "@dfda/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { AppEnv } from "./types";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Hono's validation targets, named as OpenAPI names parameter locations. */
const LOCATION: Record<string, string> = {
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
  json: "body",
  form: "body",
};

/** RFC 6901 §3: `~` becomes `~0` and `/` becomes `~1` in a reference token. */
function pointerToken(segment: PropertyKey): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * One bad field, for a validation problem raised outside zod: its location, dotted path and RFC 6901
 * pointer, the way `fieldErrors` reports zod's issues. A path of `[]` is the whole location (a body
 * that is not well-formed).
 *
 * @example
 * throw new ApiError("validation_failed", { detail: "No file.", errors: [fieldError("body", ["file"], "Required")] });
 */
export function fieldError(location: string, path: ReadonlyArray<string | number>, message: string): FieldError {
  return {
    location,
    path: path.join("."),
    pointer: path.length === 0 ? "" : `/${path.map(pointerToken).join("/")}`,
    message,
  };
}

/** Lists each bad field of a zod failure with its location, dotted path and JSON Pointer. */
export function fieldErrors(target: string, error: ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    return {
      location: LOCATION[target] ?? target,
      path: path.join("."),
      pointer: path.length === 0 ? "" : `/${path.map(pointerToken).join("/")}`,
      message: issue.message,
    };
  });
}

export function validationError(target: string, error: ZodError): ApiError {
  const errors = fieldErrors(target, error);
  const named = errors.map((e) => (e.path === "" ? e.location : `${e.location} ${e.path}`));
  return new ApiError("validation_failed", {
    detail: `Invalid ${[...new Set(named)].join(", ")}.`,
    errors,
  });
}

/**
 * A validation problem for a URL that carries NUL (U+0000, percent-encoded as `%00`, RFC 3986 §2.1),
 * or null. PostgreSQL text cannot hold NUL (SQLSTATE 22021), and no id, code or name of this API
 * contains one, so such a request is refused before a handler passes the value to a query (which
 * failed with a 500: found by the OpenAPI fuzzer, issue 12). Query parameters are named; a path
 * segment is named by its location.
 */
export function nulInUrl(url: URL): ApiError | null {
  const errors: FieldError[] = [];
  const decoded = url.pathname.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  if (decoded.some((segment) => segment.includes("\u0000"))) {
    errors.push(fieldError("path", [], "NUL (U+0000) is not allowed"));
  }
  for (const [name, value] of url.searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      errors.push(fieldError("query", [name.replaceAll("\u0000", "\ufffd")], "NUL (U+0000) is not allowed"));
    }
  }
  if (errors.length === 0) return null;
  return new ApiError("validation_failed", {
    detail: "The URL contains a NUL character (U+0000), which no parameter accepts.",
    errors,
  });
}

/** PostgreSQL SQLSTATE classes and Node socket errors that mean "the database is unreachable". */
function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    // 08xxx connection exception, 57P0x operator intervention, 53300 too many connections.
    if (code.startsWith("08") || code.startsWith("57P") || code === "53300") return true;
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"].includes(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === "string" &&
    // pg's own messages, and workerd's when a socket (or Hyperdrive's proxy) cannot reach the server.
    /connection terminated|connection timeout|timeout expired|connect ECONNREFUSED|Connection refused|socket hang up|Client has encountered a connection error|proxy request failed|cannot connect to the specified address|Network connection lost/i.test(
      message,
    )
  );
}

/** Maps any thrown value to the ApiError that describes it to the caller. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    const byStatus: Partial<Record<number, ErrorCode>> = {
      400: "malformed_body",
      401: "unauthorized",
      403: "forbidden",
      404: "not_found",
      405: "method_not_allowed",
      413: "payload_too_large",
      415: "unsupported_media_type",
      429: "rate_limited",
    };
    const code = byStatus[error.status];
    if (code) return new ApiError(code, { ...(error.message ? { detail: error.message } : {}), cause: error });
  }
  if (isDatabaseUnavailable(error)) {
    return new ApiError("service_unavailable", {
      detail: "The database is unavailable. Retry later; nothing was changed.",
      headers: { "Retry-After": "5" },
      cause: error,
    });
  }
  return new ApiError("internal_error", {
    detail: "An unexpected error occurred. Quote the request id when reporting it.",
    cause: error,
  });
}

/** The problem+json response for an error. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const requestId = c.get("requestId") ?? "unknown";
  const body = toProblem(error, { baseUrl: c.req.url, requestId, instance: new URL(c.req.url).pathname });
  const headers = new Headers(error.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: error.status as ContentfulStatusCode, headers });
}

/** Hono `onError`: logs what the caller must not see, answers with problem details. */
export function handleError(error: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(error);
  if (apiError.status >= 500) {
    const cause = error instanceof ApiError ? error.cause : error;
    console.error(
      JSON.stringify({
        level: "error",
        request_id: c.get("requestId"),
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        code: apiError.code,
        error:
          cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : String(cause),
      }),
    );
  }
  return problemResponse(c, apiError);
}
