/**
 * The one authorization decision. Every route declares what it needs (`Requirement`); `decide` says
 * yes or no, and why, from who is calling (`Principal`: tenant, user, client, scopes, roles) and whose
 * data it is. Access to another user's data goes through `grants`, the seam where consent grants
 * plug in; until then only the owner (or an admin for tenant administration) is allowed.
 */
import { scopeSatisfies } from "./scopes";

export const ROLE_NAMES = [
  "data_owner",
  "data_custodian",
  "researcher",
  "clinician_delegate",
  "app_developer",
  "admin",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Who is calling, as established from a verified access token (or nobody). */
export type Principal =
  | { kind: "anonymous" }
  | {
      kind: "user";
      tenantId: string;
      userId: string;
      clientId: string;
      scopes: ReadonlySet<string>;
      roles: ReadonlySet<RoleName>;
      tokenId: string;
    }
  | {
      /** A confidential client acting for itself (client credentials grant, RFC 6749 §4.4). */
      kind: "client";
      tenantId: string;
      clientId: string;
      scopes: ReadonlySet<string>;
      tokenId: string;
    };

export interface Requirement {
  /** Scopes the token must carry, all of them (category scopes are satisfied by the broad one). */
  scopes?: readonly string[];
  /** Roles of which the user must hold at least one. */
  anyRole?: readonly RoleName[];
  /** Whether a client acting for itself (no user) may call. Default: no. */
  allowClients?: boolean;
  /** The tenant the resource belongs to, when known (it must be the caller's). */
  tenantId?: string;
  /** The user whose data it is, when the route touches one user's data. */
  ownerId?: string;
  /** What is done to the owner's data, for the consent check. */
  action?: "read" | "write";
}

export type DenyReason =
  | "unauthenticated"
  | "wrong_tenant"
  | "insufficient_scope"
  | "missing_role"
  | "client_not_allowed"
  | "not_owner";

export type Decision =
  | { allow: true; via: "owner" | "grant" | "role" | "client" | "self" }
  | { allow: false; reason: DenyReason };

/**
 * Consent seam: may `principal` do `action` on `ownerId`'s data? The consent issue supplies the
 * implementation backed by live grants; the default denies every non-owner.
 */
export type GrantCheck = (
  principal: Extract<Principal, { kind: "user" | "client" }>,
  ownerId: string,
  action: "read" | "write",
) => boolean;

export const NO_GRANTS: GrantCheck = () => false;

/**
 * Decides one request.
 *
 * @example
 * decide(principal, { scopes: ["observations:read"], ownerId: userId, action: "read" })
 * // { allow: true, via: "owner" } for the owner with the scope
 */
export function decide(principal: Principal, requirement: Requirement, grants: GrantCheck = NO_GRANTS): Decision {
  if (principal.kind === "anonymous") return { allow: false, reason: "unauthenticated" };
  if (requirement.tenantId !== undefined && requirement.tenantId !== principal.tenantId) {
    return { allow: false, reason: "wrong_tenant" };
  }
  for (const scope of requirement.scopes ?? []) {
    if (!scopeSatisfies(principal.scopes, scope)) return { allow: false, reason: "insufficient_scope" };
  }
  if (principal.kind === "client") {
    if (!requirement.allowClients) return { allow: false, reason: "client_not_allowed" };
    if (requirement.ownerId !== undefined) {
      return grants(principal, requirement.ownerId, requirement.action ?? "read")
        ? { allow: true, via: "grant" }
        : { allow: false, reason: "not_owner" };
    }
    return { allow: true, via: "client" };
  }
  if (requirement.anyRole !== undefined && !requirement.anyRole.some((r) => principal.roles.has(r))) {
    return { allow: false, reason: "missing_role" };
  }
  if (requirement.ownerId === undefined) {
    return { allow: true, via: requirement.anyRole !== undefined ? "role" : "self" };
  }
  if (requirement.ownerId === principal.userId) return { allow: true, via: "owner" };
  return grants(principal, requirement.ownerId, requirement.action ?? "read")
    ? { allow: true, via: "grant" }
    : { allow: false, reason: "not_owner" };
}
