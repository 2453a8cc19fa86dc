import {
  type AccessData,
  ApiError,
  decodeCursor,
  encodeCursor,
  type GrantScope,
  type Principal,
  parseScope,
  type Requirement,
} from "@dfda/core";
import { ObservationReader, type ObservationRow } from "@dfda/db/repositories/observations-read";
import { codingKey, type VariableRecord } from "@dfda/db/repositories/reference";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accessOf } from "../lib/access";
import { protectedRoute } from "../lib/auth";
import { referenceRepository } from "../lib/reference";
import { authErrorResponses, CursorParam, errorResponses, LimitParam, NextCursor } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

// ---- shared by the observation read routes (list and summary) ---------------------------------

/** The broad read scope; `observations.<category>:read` scopes narrow it to one category each. */
const READ_ALL = "observations:read";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Category slugs a category scope can name (core's scope grammar). */
const CATEGORY_SLUG = /^[a-z_]+$/;

export const VariableParam = z.string().min(1).max(400).openapi({
  description: "A variable id, or a coding as `system|code` (e.g. `http://loinc.org|8867-4`).",
  example: "http://loinc.org|8867-4",
});

export const InstantParam = z.iso.datetime({
  offset: true,
  message: "An RFC 3339 date-time with offset, e.g. 2026-03-01T00:00:00Z",
});

export const UserIdParam = z
  .uuid()
  .optional()
  .openapi({
    description:
      "Whose record (default: the signed-in user). Another person's record needs their consent grant (or a " +
      "custodian link); the answer is then limited to what the grant opens. Required for an app acting for itself.",
  });

/** The variable `variable` names, looked up once per request (the policy and the handler both need it). */
const resolvedByRequest = new WeakMap<Request, Promise<VariableRecord | null>>();

/** The current definition of the variable named by id or by `system|code`, or null when none is visible. */
export function resolveVariable(c: Context<AppEnv>, raw: string): Promise<VariableRecord | null> {
  let found = resolvedByRequest.get(c.req.raw);
  if (found === undefined) {
    found = lookUpVariable(c, raw);
    resolvedByRequest.set(c.req.raw, found);
  }
  return found;
}

async function lookUpVariable(c: Context<AppEnv>, raw: string): Promise<VariableRecord | null> {
  if (raw.length === 0 || raw.length > 400) return null;
  const repo = await referenceRepository(c);
  if (UUID.test(raw)) {
    const id = raw.toLowerCase();
    const { byId } = await repo.resolveVariables([id], []);
    const resolved = byId.get(id);
    return resolved === undefined ? null : repo.getVariable(resolved.id);
  }
  const bar = raw.indexOf("|");
  if (bar <= 0 || bar === raw.length - 1) return null;
  const coding = { system: raw.slice(0, bar), code: raw.slice(bar + 1) };
  const { byCoding } = await repo.resolveVariables([], [coding]);
  const resolved = byCoding.get(codingKey(coding.system, coding.code));
  return resolved === undefined ? null : repo.getVariable(resolved.id);
}

/** The variable `variable` names, or a 400 naming the parameter. */
export async function requireVariable(c: Context<AppEnv>, raw: string): Promise<VariableRecord> {
  const variable = await resolveVariable(c, raw);
  if (variable === null) {
    throw new ApiError("validation_failed", {
      detail: `Unknown variable ${JSON.stringify(raw)}: give a variable id or a known coding as system|code.`,
      errors: [{ location: "query", path: "variable", pointer: "/variable", message: "Unknown variable" }],
    });
  }
  return variable;
}

/**
 * The categories a principal may read, or undefined for all of them (`observations:read`). Category
 * scopes (`observations.vital_signs:read`) each add one.
 */
export function readableCategories(principal: Principal): string[] | undefined {
  if (principal.kind === "anonymous") return [];
  if (principal.scopes.has(READ_ALL)) return undefined;
  const categories: string[] = [];
  for (const scope of principal.scopes) {
    const parsed = parseScope(scope);
    if (parsed?.kind === "category" && parsed.action === "read") categories.push(parsed.category);
  }
  return categories;
}

/**
 * What reading observations needs: a read scope covering the data and, for another person's record,
 * their consent (decided by their Durable Object, with the variable and window asked for, so the
 * access log says what was asked). With a variable, the scope of its category (which
 * `observations:read` satisfies); without one, any read scope: the list is then narrowed to the
 * readable categories.
 */
export async function readRequirement(c: Context<AppEnv>): Promise<Partial<Requirement>> {
  const principal = c.var.principal;
  const owner = c.req.query("user_id") ?? (principal.kind === "user" ? principal.userId : null);
  const raw = c.req.query("variable");
  const variable = raw === undefined ? null : await resolveVariable(c, raw);
  const from = instant(c.req.query("from"));
  const to = instant(c.req.query("to"));
  const data: AccessData = {
    ...(variable !== null && { variable: { id: variable.id, category: variable.category } }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
  };
  let scopes: string[];
  if (variable !== null) {
    // An unknown variable is the handler's 400; a known one needs its category's scope.
    scopes = CATEGORY_SLUG.test(variable.category) ? [`observations.${variable.category}:read`] : [READ_ALL];
  } else {
    const categories = readableCategories(principal);
    const first = categories?.[0];
    scopes = first === undefined ? [READ_ALL] : [`observations.${first}:read`];
  }
  return { scopes, ...(owner === null ? {} : { ownerId: owner, data, audit: "observations.read", viaGrants: true }) };
}

/** A valid RFC 3339 instant from the query, or undefined (validation reports bad ones). */
function instant(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const parsed = InstantParam.safeParse(raw);
  return parsed.success ? new Date(parsed.data) : undefined;
}

/** The caller and whose record they read (their own unless `user_id` says otherwise). */
export function callerAndOwner(
  c: Context<AppEnv>,
  userId: string | undefined,
): { principal: Extract<Principal, { kind: "user" | "client" }>; owner: string } {
  const principal = c.var.principal;
  if (principal.kind === "anonymous") throw new ApiError("unauthorized");
  const owner = userId ?? (principal.kind === "user" ? principal.userId : undefined);
  if (owner === undefined) {
    throw new ApiError("validation_failed", {
      detail: "An app acting for itself must name whose record it reads (user_id).",
      errors: [{ location: "query", path: "user_id", pointer: "/user_id", message: "Required" }],
    });
  }
  return { principal, owner };
}

/** The grant scopes a non-owner read is narrowed to; undefined for the owner and a custodian. */
export function grantScope(c: Context<AppEnv>): GrantScope[] | undefined {
  const access = accessOf(c);
  return access.via === "grant" ? access.scope : undefined;
}

/** Refines a query with `from` and `to`: when both are given, `to` must be later. */
export function toAfterFrom(q: { from?: string | undefined; to?: string | undefined }): boolean {
  return q.from === undefined || q.to === undefined || Date.parse(q.to) > Date.parse(q.from);
}

// ---- GET /v1/observations ---------------------------------------------------------------------

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
        "application/json": { schema: z.object({ data: z.array(ObservationSchema), next_cursor: NextCursor }) },
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
    const categories = variable === null ? readableCategories(principal) : undefined;
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
