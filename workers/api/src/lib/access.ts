/**
 * Access to another person's data: the API asks that person's Durable Object (`UserWriter`, named
 * `tenant:user`, hosted by the ingest Worker and bound here as `USER_WRITER` with
 * `script_name = "dfda-ingest"`). The object reads the live grants, decides and writes the access log;
 * the API only forwards the question and applies the answer. Owner access never comes here.
 *
 * What was decided for a request is kept beside it (`accessOf`), so the handler narrows its read to
 * exactly the scope the grants opened.
 */
import {
  type AccessAction,
  ApiError,
  AuthorizeRequest,
  AuthorizeResult,
  fromWireScope,
  type GrantScope,
  type Principal,
  toWirePrincipal,
  userWriterName,
} from "@dfda/core";
import type { Context } from "hono";
import { limitGranteeAccess } from "./rate-limit";
import type { AppEnv } from "./types";

/** How the caller reaches the owner's data on this request. */
export type Access =
  | { via: "owner" }
  | { via: "custodian"; grantIds: [] }
  | { via: "grant"; scope: GrantScope[]; grantIds: string[] };

const accessByRequest = new WeakMap<Request, Access>();

/** Records how this request reaches the owner's data (set by `requireAccess`). */
export function setAccess(c: Context<AppEnv>, access: Access): void {
  accessByRequest.set(c.req.raw, access);
}

/**
 * How this request reaches the owner's data. A route that reads another person's data without a
 * recorded decision is a bug: it fails closed.
 */
export function accessOf(c: Context<AppEnv>): Access {
  const access = accessByRequest.get(c.req.raw);
  if (access === undefined) {
    throw new ApiError("forbidden", { detail: "No access decision was made for this request." });
  }
  return access;
}

export interface OwnerQuestion {
  ownerId: string;
  action: AccessAction;
  /** The audit action (`observations.read`). */
  audit: string;
  studyId?: string;
  data?: { variable?: { id: string; category: string }; from?: Date; to?: Date };
}

/**
 * Asks the owner's Durable Object whether `principal` may do this, now. The answer is already in
 * the access log when this returns. A failure to reach the object denies (503): never allow blind.
 * A grantee over its limit for this owner is answered 429 before the object is asked (lib/rate-limit.ts).
 *
 * @example
 * const answer = await askOwner(c, principal, { ownerId, action: "read", audit: "observations.read" });
 */
export async function askOwner(
  c: Context<AppEnv>,
  principal: Extract<Principal, { kind: "user" | "client" }>,
  q: OwnerQuestion,
): Promise<AuthorizeResult> {
  await limitGranteeAccess(c, principal, q.ownerId);
  const data = q.data;
  const request = AuthorizeRequest.parse({
    v: 1,
    tenant_id: principal.tenantId,
    owner_id: q.ownerId,
    principal: toWirePrincipal(principal),
    action: q.action,
    audit_action: q.audit,
    ...(q.studyId !== undefined && { study_id: q.studyId }),
    ...(data !== undefined && {
      data: {
        ...(data.variable !== undefined && { variable: data.variable }),
        ...(data.from !== undefined && { from: data.from.toISOString() }),
        ...(data.to !== undefined && { to: data.to.toISOString() }),
      },
    }),
    request_id: c.var.requestId,
    ...(c.req.header("CF-Connecting-IP") !== undefined && { ip: c.req.header("CF-Connecting-IP") }),
    route: `${c.req.method} ${new URL(c.req.url).pathname}`,
  });
  const namespace = c.env.USER_WRITER;
  const writer = namespace.get(namespace.idFromName(userWriterName(principal.tenantId, q.ownerId)));
  let answer: unknown;
  try {
    answer = await writer.authorize(request);
  } catch (cause) {
    throw new ApiError("service_unavailable", {
      detail: "The access decision could not be made. Retry later.",
      headers: { "Retry-After": "5" },
      cause,
    });
  }
  return AuthorizeResult.parse(answer);
}

/** The answer as the request's `Access` (an allowed one). */
export function toAccess(answer: Extract<AuthorizeResult, { allow: true }>): Access {
  if (answer.via === "owner") return { via: "owner" };
  if (answer.scope === "all") return { via: "custodian", grantIds: [] };
  return { via: "grant", scope: answer.scope.map(fromWireScope), grantIds: answer.grant_ids };
}

/** A denial's public reason: the grant-side reasons, except whether an owner exists at all. */
export function publicReason(reason: string): string {
  return reason === "unknown_owner" || reason === "wrong_tenant" ? "no_grant" : reason;
}
