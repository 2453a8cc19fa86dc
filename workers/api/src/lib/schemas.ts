/**
 * Response and parameter schemas shared by the API's routes, registered as named OpenAPI components.
 */
import {
  COMBINATION_OPERATIONS,
  ERROR_CODE_LIST,
  type ProblemDetails,
  RANGE_SEVERITIES,
  VALUE_TYPES,
  VARIABLE_CATEGORY_SLUGS,
} from "@dfda/core";
import { z } from "@hono/zod-openapi";
import { exampleProblem } from "./examples";

export const FieldErrorSchema = z
  .object({
    location: z.string().openapi({ example: "query" }),
    path: z.string().openapi({ example: "limit" }),
    pointer: z.string().openapi({ example: "/limit" }),
    message: z.string().openapi({ example: "Too big: expected number to be <=200" }),
  })
  .openapi("FieldError");

/** RFC 9457 §3 members plus this platform's extensions. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: "URI of the problem type; GET it for a description.",
      example: "http://127.0.0.1:8787/problems/validation_failed",
    }),
    title: z.string().openapi({ example: "The request is not valid" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "Invalid query limit." }),
    instance: z.string().optional().openapi({ example: "/v1/variables" }),
    code: z.enum(ERROR_CODE_LIST).openapi({ description: "Stable machine-readable error code." }),
    request_id: z.string().openapi({ example: "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11" }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: "Each bad field (validation errors only)." }),
    limit_bytes: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The body limit that was passed (`payload_too_large` only)." }),
  })
  .openapi("Problem");

/**
 * A problem response with its example at the media type (OpenAPI 3.1.0 §4.8.14), so each error a route
 * documents shows what a client receives.
 *
 * @example
 * problemResponse("The upload is complete (`conflict`).", exampleProblem("conflict", { detail: "…" }))
 */
export function problemResponse(description: string, example: ProblemDetails) {
  return { description, content: { "application/problem+json": { schema: ProblemSchema, example } } };
}

/** Standard error responses; each route spreads the ones it can produce. */
export const errorResponses = {
  400: problemResponse(
    "Invalid request (`validation_failed`, `invalid_cursor`).",
    exampleProblem("validation_failed", {
      detail: "Invalid query limit.",
      errors: [
        { location: "query", path: "limit", pointer: "/limit", message: "Too big: expected number to be <=200" },
      ],
    }),
  ),
  404: problemResponse("Not found.", exampleProblem("not_found", { detail: "No such record." })),
  413: problemResponse(
    "The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md).",
    exampleProblem("payload_too_large", {
      detail: "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
      extensions: { limit_bytes: 1048576 },
    }),
  ),
  500: problemResponse(
    "Unexpected error; nothing internal is revealed.",
    exampleProblem("internal_error", {
      detail: "An unexpected error occurred. Quote the request id when reporting it.",
    }),
  ),
  503: problemResponse(
    "The database is unavailable.",
    exampleProblem("service_unavailable", { detail: "The database is unavailable. Retry later; nothing was changed." }),
  ),
} as const;

/** Responses of a protected route (RFC 6750 §3.1 challenges in `WWW-Authenticate`). */
export const authErrorResponses = {
  401: problemResponse(
    "No valid bearer token (`unauthorized`).",
    exampleProblem("unauthorized", { detail: "This route needs a bearer access token." }),
  ),
  403: problemResponse(
    "The token lacks a scope or role (`forbidden`).",
    exampleProblem("forbidden", {
      detail: "The access token lacks the scope observations:read.",
      extensions: { reason: "insufficient_scope" },
    }),
  ),
} as const;

export const LimitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ param: { name: "limit", in: "query" }, description: "Page size (1–200).", example: 50 });

export const CursorParam = z
  .string()
  .min(1)
  .max(1024)
  .optional()
  .openapi({
    param: { name: "cursor", in: "query" },
    description: "Opaque cursor from a previous page's `next_cursor`.",
  });

export const NextCursor = z
  .string()
  .nullable()
  .openapi({ description: "Pass as `cursor` to get the next page; null on the last page." });

export const CodingSchema = z
  .object({
    system: z.string().openapi({ example: "http://loinc.org" }),
    code: z.string().openapi({ example: "8867-4" }),
    display: z.string().nullable().openapi({ example: "Heart rate" }),
    preferred: z.boolean(),
  })
  .openapi("Coding");

export const VariableSchema = z
  .object({
    id: z.string().uuid(),
    version: z.number().int().openapi({ description: "Definition version; stored observations keep theirs." }),
    slug: z.string().openapi({ example: "heart-rate" }),
    name: z.string().openapi({ example: "Heart rate" }),
    category: z.string().openapi({ example: "vital_signs" }),
    value_type: z.enum(VALUE_TYPES),
    canonical_unit: z
      .string()
      .nullable()
      .openapi({ description: "Case-sensitive UCUM code values are stored in.", example: "/min" }),
    valid_min: z.number().nullable(),
    valid_max: z.number().nullable(),
    range_severity: z.enum(RANGE_SEVERITIES),
    molecular_weight: z.number().nullable().openapi({ description: "g/mol, for mass ↔ molar conversion." }),
    is_input_factor: z.boolean(),
    is_outcome: z.boolean(),
    combination_operation: z
      .enum(COMBINATION_OPERATIONS)
      .openapi({ description: "How values combine over a time bucket." }),
    synonyms: z.array(z.string()),
    description: z.string(),
    codes: z.array(CodingSchema),
    valid_from: z.string().datetime({ offset: true }),
    valid_to: z.string().datetime({ offset: true }).nullable(),
    scope: z.enum(["platform", "tenant"]).openapi({ description: "Platform reference data, or your tenant's own." }),
  })
  .openapi("Variable");

export const VariableCategorySchema = z
  .object({
    id: z.string().uuid(),
    slug: z.enum(VARIABLE_CATEGORY_SLUGS).or(z.string()).openapi({ example: "vital_signs" }),
    name: z.string().openapi({ example: "Vital signs" }),
    description: z.string(),
    variable_count: z.number().int(),
  })
  .openapi("VariableCategory");

export const UnitSchema = z
  .object({
    system: z.literal("http://unitsofmeasure.org"),
    code: z.string().openapi({ description: "Case-sensitive UCUM code.", example: "mmol/L" }),
    name: z.string().openapi({ example: "millimole per liter" }),
    property: z.string().nullable().openapi({ example: "substance concentration" }),
    dimension: z.string().nullable().openapi({ example: "mol1.L-3" }),
    common: z.boolean().openapi({ description: "In FHIR's ucum-common value set of units in common use." }),
    base: z.boolean().openapi({ description: "A UCUM base unit." }),
    synonyms: z.array(z.string()),
  })
  .openapi("Unit");
