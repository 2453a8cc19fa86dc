/**
 * Response and parameter schemas shared by the API's routes, registered as named OpenAPI components.
 */
import {
  COMBINATION_OPERATIONS,
  ERROR_CODE_LIST,
  RANGE_SEVERITIES,
  VALUE_TYPES,
  VARIABLE_CATEGORY_SLUGS,
} from "@dfda/core";
import { z } from "@hono/zod-openapi";

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

export const problemContent = { "application/problem+json": { schema: ProblemSchema } } as const;

/** Standard error responses; each route spreads the ones it can produce. */
export const errorResponses = {
  400: { description: "Invalid request (`validation_failed`, `invalid_cursor`).", content: problemContent },
  404: { description: "Not found.", content: problemContent },
  413: {
    description:
      "The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md).",
    content: problemContent,
  },
  500: { description: "Unexpected error; nothing internal is revealed.", content: problemContent },
  503: { description: "The database is unavailable.", content: problemContent },
} as const;

/** Responses of a protected route (RFC 6750 §3.1 challenges in `WWW-Authenticate`). */
export const authErrorResponses = {
  401: { description: "No valid bearer token (`unauthorized`).", content: problemContent },
  403: { description: "The token lacks a scope or role (`forbidden`).", content: problemContent },
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
