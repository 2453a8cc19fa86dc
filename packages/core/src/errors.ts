/**
 * One closed set of error codes, one error class, one wire format: RFC 9457 Problem Details
 * (`application/problem+json`). Every Worker answers failures through `ApiError`; the `code` is the
 * stable, documented identifier clients switch on, `detail` is safe to show, and anything internal
 * (stack traces, SQL) is logged, never returned.
 */

/** Each code with its HTTP status and the fixed `title` RFC 9457 §3.1.3 says must not vary per occurrence. */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: "The request is not valid" },
  invalid_cursor: { status: 400, title: "The paging cursor is not valid" },
  malformed_body: { status: 400, title: "The request body could not be parsed" },
  unauthorized: { status: 401, title: "Authentication is required" },
  /** RFC 9470: the token is valid, but the operation needs a more recent sign-in (and the second factor). */
  reauthentication_required: { status: 401, title: "Sign in again to do this" },
  forbidden: { status: 403, title: "Not allowed" },
  /** Operations that need the person themselves, refused to third-party apps whatever their scopes. */
  first_party_only: { status: 403, title: "Only the platform's own apps may do this" },
  /** The person's grants to a plugin do not cover the data its analysis asks for (issue 14). */
  consent_required: { status: 403, title: "The data is not granted" },
  not_found: { status: 404, title: "Not found" },
  route_not_found: { status: 404, title: "No such route" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  not_acceptable: { status: 406, title: "Not acceptable" },
  /** A representation the route documents but cannot produce for this request (a chart too large as PNG). */
  format_unsupported: { status: 406, title: "Format not supported" },
  conflict: { status: 409, title: "Conflict" },
  gone: { status: 410, title: "Gone" },
  /** tus 1.0 (resumable uploads, issue 15): the PATCH's `Upload-Offset` is not the upload's offset (tus fixes 409). */
  upload_offset_mismatch: { status: 409, title: "Upload-Offset does not match the upload" },
  /** tus 1.0: the client's `Tus-Resumable` version is not one the server speaks (tus fixes 412). */
  tus_version_unsupported: { status: 412, title: "Unsupported tus version" },
  /** Resumable uploads: another request is writing this upload now (RFC 4918 §11.3 Locked; tus clients retry). */
  upload_locked: { status: 423, title: "The upload is being written" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  rate_limited: { status: 429, title: "Too many requests" },
  /** A secret (password, second factor) failed too often: locked with backoff (OWASP ASVS V2.2.1). */
  too_many_attempts: { status: 429, title: "Too many failed attempts" },
  /** Plugins (issue 14, docs/plugins.md): a registered plugin that could not be used. */
  invalid_manifest: { status: 422, title: "The plugin's manifest is not valid" },
  binding_not_found: { status: 422, title: "No such service binding" },
  plugin_invalid_input: { status: 422, title: "The input does not match the plugin's input schema" },
  plugin_unreachable: { status: 502, title: "The plugin could not be reached" },
  plugin_failed: { status: 502, title: "The plugin failed" },
  plugin_invalid_output: { status: 502, title: "The plugin answered something invalid" },
  plugin_output_too_large: { status: 502, title: "The plugin's answer is too large" },
  plugin_timeout: { status: 504, title: "The plugin did not answer in time" },
  internal_error: { status: 500, title: "Internal server error" },
  service_unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** One bad field of a request, as a validation problem lists it. */
export interface FieldError {
  /** Where the field was: `query`, `path`, `header`, `body` (or `cookie`, `form`). */
  location: string;
  /** The field's path, dotted with array indexes: `limit`, `observations.3.unit`. */
  path: string;
  /** RFC 6901 JSON Pointer to the field inside its location, e.g. `/observations/3/unit`. */
  pointer: string;
  message: string;
}

/**
 * RFC 9457 §3 problem details object, with this platform's extension members:
 * `code` (stable machine identifier), `request_id`, and `errors` for validation failures.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  request_id: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ApiErrorOptions {
  /** Human-readable, safe to show to the caller. Defaults to the code's title. */
  detail?: string;
  errors?: FieldError[];
  /** Extra RFC 9457 extension members (safe to show). */
  extensions?: Record<string, unknown>;
  /** Response headers the error needs (`Allow` on 405, `Retry-After` on 429). */
  headers?: Record<string, string>;
  /** Internal cause: logged, never returned. */
  cause?: unknown;
}

/**
 * The one error class every layer throws. The HTTP error handler turns it into problem+json.
 *
 * @example
 * throw new ApiError("not_found", { detail: `No variable with id ${id}` });
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    const def = ERROR_CODES[code];
    super(options.detail ?? def.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = def.status;
    this.title = def.title;
    this.detail = options.detail ?? def.title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The problem `type` URI for a code (RFC 9457 §3.1.1): dereferenceable at `GET /problems/{code}` on the API. */
export function problemTypeUri(baseUrl: string, code: ErrorCode): string {
  return new URL(`/problems/${code}`, baseUrl).toString();
}

/** Builds the RFC 9457 body for an error. */
export function toProblem(
  error: ApiError,
  ctx: { baseUrl: string; requestId: string; instance?: string },
): ProblemDetails {
  const problem: ProblemDetails = {
    ...error.extensions,
    type: problemTypeUri(ctx.baseUrl, error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    request_id: ctx.requestId,
  };
  if (ctx.instance !== undefined) problem.instance = ctx.instance;
  if (error.errors !== undefined) problem.errors = error.errors;
  return problem;
}

/** Human descriptions of each problem type, served at `/problems/{code}` and in the docs. */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  validation_failed:
    "One or more fields of the query, path, headers or body are invalid. `errors` lists each bad field with its location, path, JSON Pointer and a message.",
  invalid_cursor:
    "The `cursor` parameter was not produced by this API for this list, or was altered. Start again without a cursor.",
  malformed_body: "The body is not well-formed for its declared content type (for example, JSON that does not parse).",
  unauthorized: "No valid credentials were presented. Send a bearer token (RFC 6750).",
  reauthentication_required:
    "The access token is valid, but this operation needs the person to have signed in recently (and with their second factor, when they have one). The `WWW-Authenticate` header carries the RFC 9470 challenge `insufficient_user_authentication` with `max_age`: send the person through the authorization endpoint with that `max_age` (or `prompt=login`) and retry with the new token.",
  forbidden: "The credentials are valid but do not allow this action on this resource.",
  first_party_only:
    "This operation needs the person themselves, in one of the platform's own (first-party) apps. No scope granted to a third-party app allows it, and signing in again does not help.",
  consent_required:
    'The analysis needs data the person has not granted its plugin (or the grant expired or was revoked). `variables` and `categories` name what is missing; the person grants it with `POST /v1/consents` and `grantee: {type: "plugin", id}`, then runs the analysis again. Nothing was sent to the plugin.',
  not_found: "The resource does not exist, or is not visible to the caller.",
  route_not_found: "No route matches this path. See /openapi.json for the routes that exist.",
  method_not_allowed: "The route exists but not with this method. The `Allow` header lists the methods it accepts.",
  not_acceptable: "The server cannot produce a representation matching the request's Accept header.",
  format_unsupported:
    "The route documents this format, but cannot produce it for this request (a chart whose PNG would exceed 4,000 pixels on an edge). Ask for a smaller size or scale, or for SVG.",
  conflict: "The request conflicts with the current state of the resource.",
  gone: "The resource existed but can no longer be served, e.g. a file whose owner's key was deleted (crypto-shredded).",
  payload_too_large: "The request body exceeds the size this endpoint accepts.",
  upload_offset_mismatch:
    "A resumable upload's PATCH said it continues at an `Upload-Offset` other than the bytes the server holds. Ask with HEAD (the `Upload-Offset` header) and send from there.",
  tus_version_unsupported:
    "The `Tus-Resumable` header is missing or names a tus version this server does not speak; `Tus-Version` lists those it does (1.0.0).",
  upload_locked:
    "Another request is still writing this resumable upload (for example one whose connection dropped and that is saving what it received). Wait a moment, ask with HEAD, and resume.",
  unsupported_media_type: "The request's Content-Type is not accepted by this endpoint.",
  rate_limited: "Too many requests. Retry after the number of seconds in the `Retry-After` header.",
  too_many_attempts:
    "Too many wrong codes or passwords for this account: checking them is locked for the number of seconds in the `Retry-After` header, each lock twice as long as the last (capped at an hour). The owner is told by e-mail.",
  invalid_manifest:
    "The plugin's `describe()` answered a manifest the platform does not accept (wrong shape, an unusable JSON Schema, or an id other than the one being updated). `errors` lists each problem with a JSON Pointer into the manifest. Fix the plugin and register it again.",
  binding_not_found:
    "The API Worker has no service binding of that name. Bind the plugin's Worker in workers/api/wrangler.toml (`[[services]]`), deploy, then register it.",
  plugin_invalid_input:
    "The input does not match the JSON Schema the plugin declares for it (`input_schema` in its manifest, see GET /v1/plugins). `errors` lists each mismatch with a JSON Pointer into the input.",
  plugin_unreachable:
    "The plugin's Worker or URL did not answer: not deployed, not bound, or down. Nothing was changed; retry later or ask an administrator.",
  plugin_failed: "The plugin reported an error. `detail` quotes what it said; nothing was changed.",
  plugin_invalid_output:
    "The plugin answered something its protocol or its own output schema does not allow, so the answer was discarded. `errors` lists each mismatch.",
  plugin_output_too_large:
    "The plugin's answer exceeded its manifest's `limits.max_output_bytes` (capped by the platform), so it was discarded.",
  plugin_timeout: "The plugin did not answer within its manifest's `limits.timeout_ms` (capped by the platform).",
  internal_error:
    "An unexpected error occurred. It has been logged with the request id; nothing about it is revealed here.",
  service_unavailable: "A dependency (such as the database) is unavailable. Retry later; nothing was changed.",
};
