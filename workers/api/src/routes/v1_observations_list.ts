import { ApiError, COMPARATORS, decodeCursor, encodeCursor } from "@dfda/core";
import { ObservationReader, type ObservationRow } from "@dfda/db/repositories/observations-read";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { exampleObservation } from "../lib/examples";
import {
  callerAndOwner,
  grantScope,
  InstantParam,
  READ_ALL,
  readableCategories,
  readRequirement,
  requireVariable,
  toAfterFrom,
  UserIdParam,
  VariableParam,
} from "../lib/observations";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ObservationSchema = z
  .object({
    id: z.uuid(),
    variable: z.object({
      id: z.uuid(),
      version: z.number().int().openapi({ description: "The definition version the value was stored under." }),
      slug: z.string().openapi({ example: "heart-rate" }),
      name: z.string().openapi({ example: "Heart rate" }),
      category: z.string().openapi({ example: "vital_signs" }),
    }),
    start_at: z.iso.datetime({ offset: true }),
    end_at: z.iso.datetime({ offset: true }).nullable(),
    value: z.number().nullable().openapi({ description: "A numeric value, in the canonical `unit`.", example: 72 }),
    comparator: z.enum(COMPARATORS).nullable().openapi({
      description:
        'Set for a censored value (FHIR R4 `Quantity.comparator`): `value` is then the bound, e.g. `<` with 5 for a result reported as "<5". Null for an exact value.',
    }),
    value_code: z.string().nullable(),
    value_text: z.string().nullable(),
    value_boolean: z.boolean().nullable(),
    unit: z.string().nullable().openapi({ description: "The variable's canonical UCUM unit.", example: "/min" }),
    original: z
      .object({ value: z.number().nullable(), unit: z.string().nullable() })
      .openapi({ description: "The value and unit as they were sent, before conversion." }),
    source: z.string().openapi({ description: "Slug of the source.", example: "client-my-watch" }),
    flags: z.object({
      valid: z.boolean().openapi({ description: "False when the value lies outside the variable's valid range." }),
      outlier: z.boolean().openapi({ description: "Unusual for this person's own history." }),
    }),
    note: z.string().nullable(),
    job_id: z.uuid().nullable(),
    file_id: z.uuid().nullable(),
    created_at: z.iso.datetime({ offset: true }),
  })
  .openapi("Observation");

export const route = createRoute({
  method: "get",
  path: "/v1/observations",
  operationId: "listObservations",
  tags: ["Observations"],
  summary: "List your observations",
  description:
    "The signed-in person's observations, newest first, paged by `cursor`. Filter by variable (id or " +
    "`system|code`), by a time window on `start_at` (`from` inclusive, `to` exclusive) and by source slug. " +
    "Values are in the variable's canonical unit; `original` keeps what was sent. Flagged (invalid) values " +
    "and outliers are listed with their `flags`. A token with only category scopes " +
    "(`observations.vital_signs:read`) sees only those categories. With `user_id`, another person's record " +
    "through their consent grant: only the granted categories or variables, from the granted data window.",
  ...protectedRoute({ scopes: [READ_ALL], action: "read", allowClients: true }, readRequirement),
  request: {
    query: z
      .object({
        variable: VariableParam.optional(),
        from: InstantParam.optional().openapi({ description: "Earliest start_at (inclusive)." }),
        to: InstantParam.optional().openapi({ description: "Latest start_at (exclusive); after `from`." }),
        source: z.string().min(1).max(64).optional().openapi({ description: "Source slug.", example: "scale" }),
        user_id: UserIdParam,
        cursor: CursorParam,
        limit: LimitParam,
      })
      .refine(toAfterFrom, { message: "Must be later than from", path: ["to"] }),
  },
  responses: {
    200: {
      description: "A page of observations.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(ObservationSchema), next_cursor: NextCursor }),
          example: {
            data: [exampleObservation],
            next_cursor: "eyJ2IjoxLCJrIjpbIjIwMjYtMTItMDZUMDc6MDA6MDBaIl19",
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type ListObservationsResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;
export type ObservationResponse = z.infer<typeof ObservationSchema>;

const CURSOR_LIST = "observations";
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function decodeObservationCursor(cursor: string): { startAt: string; id: string } {
  const [startAt, id] = decodeCursor(CURSOR_LIST, cursor, 2);
  if (typeof startAt !== "string" || !CURSOR_INSTANT.test(startAt) || typeof id !== "string" || !UUID.test(id)) {
    throw new ApiError("invalid_cursor", {
      detail: "The cursor is not one this list produced. Request the first page without a cursor.",
      errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
    });
  }
  return { startAt, id };
}

function toObservationResponse(o: ObservationRow): ObservationResponse {
  return {
    id: o.id,
    variable: {
      id: o.variableId,
      version: o.variableVersion,
      slug: o.variableSlug,
      name: o.variableName,
      category: o.category,
    },
    start_at: o.startAt.toISOString(),
    end_at: o.endAt === null ? null : o.endAt.toISOString(),
    value: o.value,
    comparator: o.comparator,
    value_code: o.valueCode,
    value_text: o.valueText,
    value_boolean: o.valueBoolean,
    unit: o.unit,
    original: { value: o.originalValue, unit: o.originalUnit },
    source: o.sourceSlug,
    flags: { valid: o.isValid, outlier: o.isOutlier },
    note: o.note,
    job_id: o.jobId,
    file_id: o.fileId,
    created_at: o.createdAt.toISOString(),
  };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const { principal, owner } = callerAndOwner(c, query.user_id);
    const variable = query.variable === undefined ? null : await requireVariable(c, query.variable);
    const after = query.cursor === undefined ? undefined : decodeObservationCursor(query.cursor);
    const observations = new ObservationReader(await c.var.db(), { tenantId: principal.tenantId, userId: owner });
    const empty: ListObservationsResponse = { data: [], next_cursor: null };
    let sourceId: string | undefined;
    if (query.source !== undefined) {
      const found = await observations.sourceId(query.source);
      // No such source: nothing can come from it.
      if (found === null) return c.json(empty, 200, { "Cache-Control": "no-store" });
      sourceId = found;
    }
    // Narrowed to the token's categories when it has no broad read scope (a variable was checked by the policy).
    const categories = variable === null ? readableCategories(principal, owner) : undefined;
    const scope = grantScope(c);
    const page = await observations.list(
      {
        ...(scope !== undefined && { scope }),
        ...(variable !== null && { variableId: variable.id }),
        ...(query.from !== undefined && { from: new Date(query.from) }),
        ...(query.to !== undefined && { to: new Date(query.to) }),
        ...(sourceId !== undefined && { sourceId }),
        ...(categories !== undefined && { categories }),
        ...(after !== undefined && { after }),
      },
      query.limit,
    );
    const body: ListObservationsResponse = {
      data: page.rows.map(toObservationResponse),
      next_cursor: page.nextKey === null ? null : encodeCursor(CURSOR_LIST, [page.nextKey.startAt, page.nextKey.id]),
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
