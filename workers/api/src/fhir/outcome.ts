/**
 * FHIR's wire format for answers and failures. R4 http.html §3.1.0.1.8 and §3.1.0.4: a FHIR server's
 * errors are an `OperationOutcome` (`application/fhir+json`), not RFC 9457 problems. Everything under
 * `/fhir/` therefore goes through `fhirErrors`: whatever the shared stack answers as a problem (the
 * token check, the rate limiter, 404/405, a handler's `ApiError`) is turned into the same status with an
 * OperationOutcome, keeping its headers (`WWW-Authenticate`, `Retry-After`, `Allow`) and its stable
 * `code` in `issue.details.coding` (system `<origin>/fhir/CodeSystem/problem`), so a FHIR client sees
 * one format and the platform's codes stay switchable.
 */
import type { FieldError, ProblemDetails } from "@dfda/core";
import { platformUris } from "@dfda/core/fhir";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PROBLEM_CONTENT_TYPE } from "../lib/problem";
import type { AppEnv } from "../lib/types";

/** R4 http.html §3.1.0.1.7: the JSON media type of FHIR resources. */
export const FHIR_JSON = "application/fhir+json";

/** R4 valueset-issue-type: the issue type a status stands for. */
function issueType(status: number, code: string): string {
  if (status === 401) return "login";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 405 || status === 406 || status === 415) return "not-supported";
  if (status === 409) return "conflict";
  if (status === 413) return "too-costly";
  if (status === 429) return "throttled";
  if (status === 503) return "transient";
  if (status >= 500) return "exception";
  return code === "validation_failed" || code === "invalid_cursor" ? "invalid" : "processing";
}

/**
 * An OperationOutcome (R4 operationoutcome.html) for one failure: one issue for the failure, carrying
 * the stable code, and one per bad field of a validation failure (its location and name in
 * `diagnostics`; R4 has no element for a query parameter's name).
 *
 * @example
 * operationOutcome("https://dfda.example", 400, "validation_failed", "Unsupported parameter foo.", [])
 */
export function operationOutcome(
  baseUrl: string,
  status: number,
  code: string,
  detail: string,
  errors: readonly FieldError[],
): Record<string, unknown> {
  const system = platformUris(baseUrl).problem;
  const type = issueType(status, code);
  const details = { coding: [{ system, code }], text: detail };
  return {
    resourceType: "OperationOutcome",
    issue: [
      { severity: "error", code: type, details },
      ...errors.map((e) => ({
        severity: "error",
        code: type,
        details: { coding: [{ system, code }], text: e.message },
        diagnostics: `${e.location} ${e.path}`.trim(),
      })),
    ],
  };
}

/** A FHIR JSON answer (no-store: health data and per-caller answers are not for shared caches). */
export function fhirJson(
  c: Context<AppEnv>,
  body: Record<string, unknown>,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify(body), status, { ...headers, "Content-Type": FHIR_JSON, "Cache-Control": "no-store" });
}

/**
 * Middleware for `/fhir/*`, registered before everything else so it sees every answer: a problem is
 * re-written as an OperationOutcome with the same status and headers.
 */
export function fhirErrors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (res.headers.get("content-type")?.split(";")[0]?.trim() !== PROBLEM_CONTENT_TYPE) return;
    const problem = (await res.clone().json()) as ProblemDetails;
    const headers = new Headers(res.headers);
    headers.set("Content-Type", FHIR_JSON);
    const body = operationOutcome(
      new URL(c.req.url).origin,
      res.status,
      problem.code,
      problem.detail,
      problem.errors ?? [],
    );
    c.res = undefined;
    c.res = new Response(JSON.stringify(body), { status: res.status, headers });
  };
}
