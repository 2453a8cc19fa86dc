/**
 * The one authorization decision, in two steps.
 *
 * 1. `decide`: what every route declares (`Requirement`) against who is calling (`Principal`: tenant,
 *    user, client, scopes, roles). The owner of the data, a tenant administrator on an admin route,
 *    a client acting for itself where clients may: answered here, synchronously, from the token alone.
 *    Anything touching another person's data ends in `not_owner`, unless the `grants` seam says yes.
 * 2. `evaluateAccess`: the consent decision for that non-owner access, from the live facts (the
 *    owner's consent grants, custodian links, the caller's groups and studies) that the owner's
 *    Durable Object loads from Postgres at every request (docs/consent.md). Pure, so the decision
 *    table in policy.test.ts covers every rule.
 *
 * The shapes that cross the Durable Object boundary (`AuthorizeRequest`, `AuthorizeResult`) are
 * defined here with zod and parsed on both sides.
 */
import { z } from "zod";
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
      /**
       * When the person last authenticated in the session the token came from (epoch seconds; the
       * token's `auth_time`, RFC 9068 §2.2.1, OIDC Core §2). A refresh keeps the original, so a refreshed
       * token never looks like a fresh sign-in. Null when unknown: never counts as recent.
       */
      authTime: number | null;
      /** How the person authenticated (the token's `amr`, RFC 8176): `pwd`, and `otp` after the second factor. */
      amr: ReadonlySet<string>;
      /** The token's client is one of the platform's own, marked so by an operator (`oauth_clients.first_party`). */
      firstParty: boolean;
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
  /**
   * For a non-owner access: what is asked (variables, time window) and the audit action name
   * (`observations.read`), handed to the owner's Durable Object with the question.
   */
  data?: AccessData;
  audit?: string;
  /**
   * The route serves non-owners through consent grants (and narrows its work to the scope they
   * open). Without it, another person's data is refused outright: a route cannot let grantees in by
   * forgetting to narrow.
   */
  viaGrants?: boolean;
  /**
   * Needs the person themselves (destructive and security-relevant operations: erasure, second-factor
   * enrolment and removal, bulk deletes): a user token of a first-party client, from a sign-in at most
   * `PresenceFacts.maxAgeSeconds` old, with the second factor when one is enrolled. No scope a
   * third-party app can be granted is enough.
   */
  personPresent?: true;
  /**
   * Only the person on one of the platform's own (first-party) clients, however old the sign-in: what a
   * third-party app must not even read (the person's sessions and second-factor state), while reading it
   * needs no fresh sign-in. `personPresent` implies it.
   */
  firstPartyOnly?: true;
}

/**
 * What a `personPresent` requirement is checked against besides the token: the clock, the operator's
 * maximum age of a sign-in (`REAUTH_MAX_AGE_SECONDS`) and whether the person has a second factor now
 * (read from the database at the request: an `amr` from before an enrolment would not tell).
 */
export interface PresenceFacts {
  /** Epoch seconds. */
  now: number;
  maxAgeSeconds: number;
  secondFactorEnrolled: boolean;
}

export type DenyReason =
  | "unauthenticated"
  | "wrong_tenant"
  | "insufficient_scope"
  | "missing_role"
  | "client_not_allowed"
  | "not_owner"
  /** A `personPresent` operation called through a third-party app (or a client acting for itself): no re-login helps. */
  | "first_party_only"
  /** A `personPresent` operation with a sign-in too old, or without the enrolled second factor: sign in again (RFC 9470). */
  | "reauthentication_required";

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
export function decide(
  principal: Principal,
  requirement: Requirement,
  grants: GrantCheck = NO_GRANTS,
  /** Needed by `personPresent` requirements; without it they are refused (fail closed). */
  presence: PresenceFacts | null = null,
): Decision {
  if (principal.kind === "anonymous") return { allow: false, reason: "unauthenticated" };
  if (requirement.tenantId !== undefined && requirement.tenantId !== principal.tenantId) {
    return { allow: false, reason: "wrong_tenant" };
  }
  // SMART `patient/` scopes count only for the caller's own record, which the requirement must name.
  const ownRecord = principal.kind === "user" && requirement.ownerId === principal.userId;
  for (const scope of requirement.scopes ?? []) {
    if (!scopeSatisfies(principal.scopes, scope, ownRecord)) return { allow: false, reason: "insufficient_scope" };
  }
  if (requirement.personPresent) {
    const refusal = presenceRefusal(principal, presence);
    if (refusal !== null) return { allow: false, reason: refusal };
  } else if (requirement.firstPartyOnly && (principal.kind !== "user" || !principal.firstParty)) {
    return { allow: false, reason: "first_party_only" };
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

/**
 * Why a `personPresent` requirement is not met, or null when it is. First the client (no sign-in can
 * make a third-party app first-party), then the sign-in's age (OIDC Core §3.1.2.1 `max_age` semantics:
 * `auth_time` at most `maxAgeSeconds` ago) and the second factor (RFC 8176 `otp` in `amr` when one is
 * enrolled), which a fresh sign-in does satisfy.
 */
function presenceRefusal(
  principal: Extract<Principal, { kind: "user" | "client" }>,
  presence: PresenceFacts | null,
): "first_party_only" | "reauthentication_required" | null {
  if (principal.kind !== "user" || !principal.firstParty) return "first_party_only";
  if (presence === null || principal.authTime === null) return "reauthentication_required";
  if (presence.now - principal.authTime > presence.maxAgeSeconds) return "reauthentication_required";
  if (presence.secondFactorEnrolled && !principal.amr.has("otp")) return "reauthentication_required";
  return null;
}

// ---- consent grants: the decision for another person's data ------------------------------------

export const ACCESS_ACTIONS = ["read", "write"] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * Whom a grant names: a user (a clinician, a family member), an OAuth client, a group, a study, or a
 * plugin registered in the tenant (issue 14, by its slug). A plugin never holds a token: its grant only
 * decides what the platform's data API hands it for this person's analyses (docs/plugins.md).
 */
export const GRANTEE_TYPES = ["user", "client", "group", "study", "plugin"] as const;
export type GranteeType = (typeof GRANTEE_TYPES)[number];

/** A consent grant as the policy sees it: one `consents` row. */
export interface ConsentGrant {
  id: string;
  tenantId: string;
  /** The data owner who grants. */
  ownerId: string;
  granteeType: GranteeType;
  /** A user id, a `client_id`, a group id, a study id or a plugin slug. */
  granteeId: string;
  actions: readonly AccessAction[];
  /** Variables of these categories are covered… */
  categories: readonly string[];
  /** …and these variables. Both empty: nothing is covered (a grant always names its data). */
  variableIds: readonly string[];
  /** Only data whose `start_at` lies in [dataFrom, dataTo); null: unbounded on that side. */
  dataFrom: Date | null;
  dataTo: Date | null;
  /** The grant stops working at this instant. */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What one grant opens: variables of `categories` or in `variableIds`, from the window [from, to). */
export interface GrantScope {
  grantId: string;
  categories: readonly string[];
  variableIds: readonly string[];
  from: Date | null;
  to: Date | null;
}

/** The data a request touches, as far as the route knows it before reading. */
export interface AccessData {
  /** The one variable asked for (a list by variable, a summary). */
  variable?: { id: string; category: string };
  /** The window asked for on `start_at`, [from, to). */
  from?: Date;
  to?: Date;
  /** Writes: every row, each of which must be covered (no partial writes). */
  items?: ReadonlyArray<{ variableId: string; category: string; at: Date }>;
}

/** The question the owner's Durable Object answers: may this principal do this to this owner's data? */
export interface AccessQuestion {
  principal: Extract<Principal, { kind: "user" | "client" }>;
  /** The owner's tenant (the tenant of the Durable Object asked). */
  tenantId: string;
  ownerId: string;
  action: AccessAction;
  /** Research path: only grants to this study apply, and only for its researchers. */
  studyId?: string;
  data?: AccessData;
}

/** The live facts the decision needs, loaded from Postgres at every question (never cached). */
export interface AccessFacts {
  /** The owner is an active user of the tenant. */
  ownerActive: boolean;
  /** The principal holds a live custodian link to the owner. */
  custodian: boolean;
  /** Groups the principal belongs to (user principals). */
  groupIds: readonly string[];
  /** Studies the principal is a member of (user principals). */
  studyIds: readonly string[];
  /** The owner's grants naming the principal, a group of theirs or the study, in any state. */
  grants: readonly ConsentGrant[];
  now: Date;
}

export type AccessDenyReason =
  | "wrong_tenant"
  | "unknown_owner"
  | "missing_role"
  | "not_study_member"
  | "no_grant"
  | "revoked"
  | "expired"
  | "action_not_granted"
  | "out_of_scope"
  | "outside_window";

export type AccessDecision =
  | { allow: true; via: "owner" | "custodian"; scope: "all"; grantIds: [] }
  | { allow: true; via: "grant"; scope: GrantScope[]; grantIds: string[] }
  | { allow: false; reason: AccessDenyReason; grantIds: string[] };

/** Whether a grant names this principal (in this context: research or not). */
function names(grant: ConsentGrant, q: AccessQuestion, facts: AccessFacts): boolean {
  const p = q.principal;
  if (q.studyId !== undefined) {
    // Research: a study grant, for exactly this study. Nothing else applies on that path.
    return grant.granteeType === "study" && grant.granteeId === q.studyId;
  }
  switch (grant.granteeType) {
    case "user":
      return p.kind === "user" && grant.granteeId === p.userId;
    case "group":
      return p.kind === "user" && facts.groupIds.includes(grant.granteeId);
    case "client":
      // An app acting for itself (client credentials): not a person signed in through that app.
      return p.kind === "client" && grant.granteeId === p.clientId;
    case "study":
      // Study grants open data only through the research path, under pseudonyms.
      return false;
    case "plugin":
      // Plugins never call the API: their grants feed only the plugin data API, never a token.
      return false;
  }
}

function covers(scope: GrantScope, variable: { id: string; category: string }): boolean {
  return scope.categories.includes(variable.category) || scope.variableIds.includes(variable.id);
}

/** Whether [from, to) meets the scope's window (both half-open; null bounds are open). */
function meets(scope: GrantScope, from: Date | undefined, to: Date | undefined): boolean {
  if (scope.to !== null && from !== undefined && from.getTime() >= scope.to.getTime()) return false;
  if (scope.from !== null && to !== undefined && to.getTime() <= scope.from.getTime()) return false;
  return true;
}

function within(scope: GrantScope, at: Date): boolean {
  return (
    (scope.from === null || at.getTime() >= scope.from.getTime()) &&
    (scope.to === null || at.getTime() < scope.to.getTime())
  );
}

function scopeOf(grant: ConsentGrant): GrantScope {
  return {
    grantId: grant.id,
    categories: grant.categories,
    variableIds: grant.variableIds,
    from: grant.dataFrom,
    to: grant.dataTo,
  };
}

/**
 * The consent decision for one access to another person's data. The owner and a custodian see
 * everything; anyone else sees what the live grants naming them open, for the asked action, and the
 * answer carries those grants' scopes so the read can be narrowed to them. A denial names the most
 * specific reason (a revoked or expired grant is reported as such, for the access log).
 *
 * @example
 * evaluateAccess({ principal, tenantId, ownerId, action: "read", data: { variable } }, facts)
 * // { allow: true, via: "grant", scope: [{ grantId, categories: ["vital_signs"], … }], grantIds: [grantId] }
 */
export function evaluateAccess(q: AccessQuestion, facts: AccessFacts): AccessDecision {
  const denied = (reason: AccessDenyReason, grantIds: string[] = []): AccessDecision => ({
    allow: false,
    reason,
    grantIds,
  });
  const p = q.principal;
  if (p.tenantId !== q.tenantId) return denied("wrong_tenant");
  if (!facts.ownerActive) return denied("unknown_owner");
  if (q.studyId === undefined) {
    if (p.kind === "user" && p.userId === q.ownerId) return { allow: true, via: "owner", scope: "all", grantIds: [] };
    if (p.kind === "user" && facts.custodian) return { allow: true, via: "custodian", scope: "all", grantIds: [] };
  } else {
    if (p.kind !== "user" || !p.roles.has("researcher")) return denied("missing_role");
    if (!facts.studyIds.includes(q.studyId)) return denied("not_study_member");
  }

  const now = facts.now.getTime();
  const named = facts.grants.filter((g) => g.tenantId === q.tenantId && g.ownerId === q.ownerId && names(g, q, facts));
  if (named.length === 0) return denied("no_grant");
  const ids = (grants: readonly { id: string }[]) => grants.map((g) => g.id);
  const live = named.filter((g) => g.revokedAt === null || g.revokedAt.getTime() > now);
  if (live.length === 0) return denied("revoked", ids(named));
  const current = live.filter((g) => g.expiresAt === null || g.expiresAt.getTime() > now);
  if (current.length === 0) return denied("expired", ids(live));
  const acting = current.filter((g) => g.actions.includes(q.action));
  if (acting.length === 0) return denied("action_not_granted", ids(current));

  let scopes = acting.map(scopeOf);
  const data = q.data ?? {};
  const variable = data.variable;
  if (variable !== undefined) {
    scopes = scopes.filter((s) => covers(s, variable));
    if (scopes.length === 0) return denied("out_of_scope", ids(acting));
  }
  if (data.from !== undefined || data.to !== undefined) {
    const inWindow = scopes.filter((s) => meets(s, data.from, data.to));
    if (inWindow.length === 0) return denied("outside_window", ids(scopes.map((s) => ({ id: s.grantId }))));
    scopes = inWindow;
  }
  for (const item of data.items ?? []) {
    const item_ = { id: item.variableId, category: item.category };
    const forVariable = scopes.filter((s) => covers(s, item_));
    if (forVariable.length === 0) return denied("out_of_scope", ids(acting));
    if (!forVariable.some((s) => within(s, item.at))) return denied("outside_window", ids(acting));
  }
  return { allow: true, via: "grant", scope: scopes, grantIds: scopes.map((s) => s.grantId) };
}

// ---- the Durable Object boundary ------------------------------------------------------------------

/**
 * The name of a person's Durable Object (`UserWriter`): `tenant:user`. Every Worker that reaches it
 * (the ingest Worker that hosts it, the API Worker through its cross-script binding) names it so.
 */
export function userWriterName(tenantId: string, userId: string): string {
  return `${tenantId}:${userId}`;
}

const Instant = z.iso.datetime({ offset: true });

/** A principal as it crosses the RPC boundary (sets become arrays). */
export const WirePrincipal = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("user"),
    tenant_id: z.uuid(),
    user_id: z.uuid(),
    client_id: z.string(),
    scopes: z.array(z.string()),
    roles: z.array(z.enum(ROLE_NAMES)),
    token_id: z.string(),
  }),
  z.object({
    kind: z.literal("client"),
    tenant_id: z.uuid(),
    client_id: z.string(),
    scopes: z.array(z.string()),
    token_id: z.string(),
  }),
]);
export type WirePrincipal = z.infer<typeof WirePrincipal>;

/** `UserWriter.authorize`'s argument, version 1: the question, and what the access log records with it. */
export const AuthorizeRequest = z.object({
  v: z.literal(1),
  tenant_id: z.uuid(),
  owner_id: z.uuid(),
  principal: WirePrincipal,
  action: z.enum(ACCESS_ACTIONS),
  /** The audit action (`observations.read`, `observations.summary`, `study.observations.read`). */
  audit_action: z.string().min(1).max(64),
  study_id: z.uuid().optional(),
  data: z
    .object({
      variable: z.object({ id: z.uuid(), category: z.string() }).optional(),
      from: Instant.optional(),
      to: Instant.optional(),
    })
    .optional(),
  request_id: z.string().max(200).optional(),
  ip: z.string().max(100).optional(),
  /** The route, for the access log (`GET /v1/observations`). */
  route: z.string().max(200).optional(),
});
export type AuthorizeRequest = z.infer<typeof AuthorizeRequest>;

export const WireGrantScope = z.object({
  grant_id: z.uuid(),
  categories: z.array(z.string()),
  variable_ids: z.array(z.uuid()),
  from: Instant.nullable(),
  to: Instant.nullable(),
});
export type WireGrantScope = z.infer<typeof WireGrantScope>;

export const AuthorizeResult = z.discriminatedUnion("allow", [
  z.object({
    allow: z.literal(true),
    via: z.enum(["owner", "custodian", "grant"]),
    /** "all" for the owner and a custodian; otherwise what the grants open (the read is narrowed to it). */
    scope: z.union([z.literal("all"), z.array(WireGrantScope)]),
    grant_ids: z.array(z.uuid()),
  }),
  z.object({ allow: z.literal(false), reason: z.string(), grant_ids: z.array(z.uuid()) }),
]);
export type AuthorizeResult = z.infer<typeof AuthorizeResult>;

/** A principal for the RPC boundary. */
export function toWirePrincipal(p: Extract<Principal, { kind: "user" | "client" }>): WirePrincipal {
  return p.kind === "user"
    ? {
        kind: "user",
        tenant_id: p.tenantId,
        user_id: p.userId,
        client_id: p.clientId,
        scopes: [...p.scopes],
        roles: [...p.roles],
        token_id: p.tokenId,
      }
    : { kind: "client", tenant_id: p.tenantId, client_id: p.clientId, scopes: [...p.scopes], token_id: p.tokenId };
}

/**
 * The principal a wire principal stands for. The consent question does not carry the sign-in's age,
 * method or the client's first-party mark, so a principal rebuilt here never meets a `personPresent`
 * requirement (fail closed).
 */
export function fromWirePrincipal(p: WirePrincipal): Extract<Principal, { kind: "user" | "client" }> {
  return p.kind === "user"
    ? {
        kind: "user",
        tenantId: p.tenant_id,
        userId: p.user_id,
        clientId: p.client_id,
        scopes: new Set(p.scopes),
        roles: new Set(p.roles),
        tokenId: p.token_id,
        authTime: null,
        amr: new Set(),
        firstParty: false,
      }
    : { kind: "client", tenantId: p.tenant_id, clientId: p.client_id, scopes: new Set(p.scopes), tokenId: p.token_id };
}

export function toWireScope(scope: GrantScope): WireGrantScope {
  return {
    grant_id: scope.grantId,
    categories: [...scope.categories],
    variable_ids: [...scope.variableIds],
    from: scope.from?.toISOString() ?? null,
    to: scope.to?.toISOString() ?? null,
  };
}

export function fromWireScope(scope: WireGrantScope): GrantScope {
  return {
    grantId: scope.grant_id,
    categories: scope.categories,
    variableIds: scope.variable_ids,
    from: scope.from === null ? null : new Date(scope.from),
    to: scope.to === null ? null : new Date(scope.to),
  };
}
