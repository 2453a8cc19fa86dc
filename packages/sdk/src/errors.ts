/**
 * What the SDK throws. The platform answers every failure of its `/v1` API with
 * `application/problem+json` (RFC 9457) carrying a stable `code` (docs/api.md); {@link DfdaProblem}
 * exposes it with the HTTP status, the request id and the field errors, so callers branch on
 * `error.code`, never on message text. The OAuth endpoints answer in OAuth's own format (RFC 6749 §5.2),
 * which becomes {@link DfdaAuthError}.
 */

/** Base class of everything this SDK throws. */
export class DfdaError extends Error {
  override name = "DfdaError";
}

/** The platform could not be reached (connection refused or reset, DNS, timeout, aborted). */
export class DfdaNetworkError extends DfdaError {
  override name = "DfdaNetworkError";
}

/** An OAuth 2.0 error response (RFC 6749 §5.2; RFC 7009 §2.2.1): `error` and `error_description`. */
export class DfdaAuthError extends DfdaError {
  override name = "DfdaAuthError";
  constructor(
    readonly error: string,
    readonly description?: string,
    readonly status?: number,
  ) {
    super(description ? `${error}: ${description}` : error);
  }
}

/** One entry of a `validation_failed` problem's `errors` (docs/api.md). */
export interface FieldError {
  location?: "query" | "path" | "header" | "body" | string;
  /** RFC 6901 JSON Pointer into that location ("" for the whole of it). */
  pointer?: string;
  path?: (string | number)[];
  message?: string;
  [member: string]: unknown;
}

/** A problem details object (RFC 9457 §3) with the platform's extension members. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  request_id?: string;
  errors?: FieldError[];
  [member: string]: unknown;
}

/** A problem+json answer of the platform's API. */
export class DfdaProblem extends DfdaError {
  override name = "DfdaProblem";
  /** The stable machine code (`validation_failed`, `rate_limited`, …), or `http_<status>` for a body without one. */
  readonly code: string;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** Same as the `X-Request-Id` response header: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** The validation failures (`errors`), empty for other problems. */
  readonly fieldErrors: FieldError[];

  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
    requestIdHeader?: string | null,
  ) {
    const code = typeof problem.code === "string" ? problem.code : `http_${status}`;
    const detail = typeof problem.detail === "string" ? problem.detail : undefined;
    const title = typeof problem.title === "string" ? problem.title : undefined;
    const requestId = typeof problem.request_id === "string" ? problem.request_id : (requestIdHeader ?? undefined);
    let message = `${status} ${code}`;
    if (detail ?? title) message += `: ${detail ?? title}`;
    if (requestId) message += ` (request ${requestId})`;
    super(message);
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.requestId = requestId;
    this.fieldErrors = Array.isArray(problem.errors)
      ? problem.errors.filter((e): e is FieldError => typeof e === "object" && e !== null)
      : [];
  }
}

/** Reads a 4xx/5xx answer into a {@link DfdaProblem} (problem+json, or whatever text the body holds). */
export async function problemFrom(response: Response): Promise<DfdaProblem> {
  let problem: ProblemDetails = {};
  const text = await response.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) problem = parsed as ProblemDetails;
  } catch {
    problem = { detail: text.slice(0, 300) };
  }
  return new DfdaProblem(response.status, problem, response.headers.get("x-request-id"));
}
