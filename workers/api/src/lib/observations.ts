/**
 * What the observation read routes share (list, summary, a study's observations, deletion): the query
 * parameters, the variable a request names, and what reading another person's record requires.
 */
import {
  type AccessData,
  ApiError,
  effectiveScopes,
  type GrantScope,
  type Principal,
  parseScope,
  type Requirement,
} from "@dfda/core";
import { codingKey, type VariableRecord } from "@dfda/db/repositories/reference";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accessOf } from "./access";
import { referenceRepository } from "./reference";
import type { AppEnv } from "./types";

/** The broad read scope; `observations.<category>:read` scopes narrow it to one category each. */
export const READ_ALL = "observations:read";
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
 * scopes (`observations.vital_signs:read`) each add one. SMART scopes count as the platform scopes they
 * alias (@dfda/core `effectiveScopes`), `patient/` ones only when the record read is the caller's own.
 */
export function readableCategories(principal: Principal, ownerId: string | null = null): string[] | undefined {
  if (principal.kind === "anonymous") return [];
  const scopes = effectiveScopes(principal.scopes, principal.kind === "user" && ownerId === principal.userId);
  if (scopes.has(READ_ALL)) return undefined;
  const categories: string[] = [];
  for (const scope of scopes) {
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
  const owner = requestedOwner(c);
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
    const categories = readableCategories(principal, owner);
    const first = categories?.[0];
    scopes = first === undefined ? [READ_ALL] : [`observations.${first}:read`];
  }
  return { scopes, ...(owner === null ? {} : { ownerId: owner, data, audit: "observations.read", viaGrants: true }) };
}

/**
 * Whose record a request names: its `user_id` when that is a UUID, else (without one) the signed-in
 * user's own; null for an app acting for itself, and for a malformed `user_id`. Access requirements run
 * before the route's validation, so a malformed id must not reach the owner's Durable Object (whose
 * request schema refuses it: a 500) or the audit log: the requirement then names no owner, and the
 * route's validation answers 400 naming `user_id` (found by the OpenAPI fuzzer, issue 12).
 */
export function requestedOwner(c: Context<AppEnv>): string | null {
  const raw = c.req.query("user_id");
  if (raw !== undefined) return z.uuid().safeParse(raw).success ? raw : null;
  const principal = c.var.principal;
  return principal.kind === "user" ? principal.userId : null;
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
