/**
 * Who is calling, and may they. `authenticate` verifies a bearer token (RFC 6750 §2.1) on every
 * request and sets `c.var.principal`; `requireAccess` is what each protected route declares, and asks
 * the one policy (`decide` in @dfda/core) for the answer. Access to another person's data, once the
 * token itself qualifies (tenant, scopes, roles), is decided by that person's Durable Object from the
 * live consent grants (lib/access.ts, docs/consent.md). Failures are problem+json with the
 * `WWW-Authenticate` challenge RFC 6750 §3 prescribes, or RFC 9470's step-up challenge for an
 * operation that needs the person themselves and a more recent sign-in.
 */
import { ApiError, decide, type PresenceFacts, type Principal, type Requirement, type RoleName } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import type { Context, MiddlewareHandler } from "hono";
import { authConfig } from "../oauth/config";
import { InvalidTokenError, verifyAccessToken } from "../oauth/jwt";
import { secondFactorEnrolled, tokenState } from "../oauth/store";
import { askOwner, publicReason, setAccess, toAccess } from "./access";
import { securityRequirement } from "./openapi";
import { problemResponse } from "./problem";
import type { AppEnv } from "./types";

export const ANONYMOUS: Principal = Object.freeze({ kind: "anonymous" });

/** RFC 6750 §2.1: `Bearer` followed by a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * Sets the principal from the bearer token. An absent token leaves the request anonymous; an invalid
 * one too, with the reason kept for `requireAccess` to report (public routes ignore it). Other
 * schemes (Basic, at the token endpoint) are left to their routes.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("principal", ANONYMOUS);
    c.set("authError", null);
    const header = c.req.header("Authorization");
    if (header === undefined || !/^Bearer\b/i.test(header)) return next();
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      c.set("authError", "malformed");
      return next();
    }
    try {
      const db = await c.var.db();
      const claims = await verifyAccessToken(db, authConfig(c.env, c.req.url), match[1]);
      const isClient = claims.sub === claims.client_id;
      const state = await tokenState(db, claims);
      if (state.revoked) throw new InvalidTokenError("revoked");
      if (!isClient && state.userStatus !== "active") throw new InvalidTokenError("user_inactive");
      const scopes = new Set(claims.scope.split(" ").filter((s) => s.length > 0));
      c.set(
        "principal",
        isClient
          ? { kind: "client", tenantId: claims.tenant, clientId: claims.client_id, scopes, tokenId: claims.jti }
          : {
              kind: "user",
              tenantId: claims.tenant,
              userId: claims.sub,
              clientId: claims.client_id,
              scopes,
              roles: new Set<RoleName>(claims.roles),
              tokenId: claims.jti,
              authTime: claims.auth_time ?? null,
              amr: new Set(claims.amr ?? []),
              firstParty: state.firstParty,
            },
      );
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      c.set("authError", error.reason);
    }
    return next();
  };
}

function challenge(error?: string, scope?: string): string {
  let value = 'Bearer realm="dfda"';
  if (error) value += `, error="${error}"`;
  if (scope) value += `, scope="${scope}"`;
  return value;
}

/**
 * RFC 9470 §3: the step-up challenge. The token is fine, the sign-in behind it is not recent enough (or
 * lacks the enrolled second factor): the client sends the person through the authorization endpoint
 * with this `max_age` (OIDC Core §3.1.2.1) and retries with the new token. No `acr_values`: the
 * platform defines no ACRs; the second factor is asked at every sign-in of a person who has one.
 */
function stepUpChallenge(maxAge: number): string {
  return (
    'Bearer realm="dfda", error="insufficient_user_authentication", ' +
    `error_description="A more recent sign-in is needed for this operation", max_age=${maxAge}`
  );
}

/**
 * The facts a `personPresent` requirement is checked against: asked only for such routes, and only for
 * a person on a first-party client (anyone else is refused without them), so other requests pay nothing.
 */
async function presenceOf(c: Context<AppEnv>, principal: Principal, req: Requirement): Promise<PresenceFacts | null> {
  if (req.personPresent !== true || principal.kind !== "user" || !principal.firstParty) return null;
  return {
    now: Math.floor(Date.now() / 1000),
    maxAgeSeconds: c.var.config.reauthMaxAgeSeconds,
    secondFactorEnrolled: await secondFactorEnrolled(await c.var.db(), principal.tenantId, principal.userId),
  };
}

/** The sentence each `personPresent` operation's description ends with, so the reference says what it needs. */
export const PERSON_PRESENT_NOTE =
  " Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes " +
  "unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party " +
  "app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge " +
  "carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.";

/**
 * Declares what a route needs. The requirement may depend on the request (e.g. the resource's owner).
 *
 * @example
 * createRoute({ ..., middleware: [requireAccess({ scopes: ["observations:read"] })] })
 */
export function requireAccess(
  requirement: Requirement | ((c: Context<AppEnv>) => Requirement | Promise<Requirement>),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.var.principal;
    if (principal.kind === "anonymous") {
      const error = c.var.authError;
      return problemResponse(
        c,
        new ApiError("unauthorized", {
          detail: error ? "The access token is not valid." : "This route needs a bearer access token.",
          headers: { "WWW-Authenticate": challenge(error ? "invalid_token" : undefined) },
        }),
      );
    }
    const req = typeof requirement === "function" ? await requirement(c) : requirement;
    const decision = decide(principal, req, undefined, await presenceOf(c, principal, req));
    if (decision.allow) {
      if (decision.via === "owner") setAccess(c, { via: "owner" });
      return next();
    }
    if (decision.reason === "not_owner" && req.ownerId !== undefined && req.viaGrants === true) {
      // Everything the token itself must have, it has: the rest is the owner's consent, asked of the
      // owner's Durable Object, which also writes the answer to the access log.
      const action = req.action ?? "read";
      const answer = await askOwner(c, principal, {
        ownerId: req.ownerId,
        action,
        audit: req.audit ?? `observations.${action}`,
        ...(req.data !== undefined && { data: req.data }),
      });
      if (answer.allow) {
        setAccess(c, toAccess(answer));
        return next();
      }
      return problemResponse(
        c,
        new ApiError("forbidden", {
          detail: "No consent grant of the owner allows this.",
          extensions: { reason: publicReason(answer.reason) },
        }),
      );
    }
    await recordAudit(await c.var.db(), {
      tenantId: principal.tenantId,
      action: "authz.decision",
      outcome: "denied",
      actorUserId: principal.kind === "user" ? principal.userId : null,
      actorClientId: principal.clientId,
      subjectUserId: req.ownerId ?? null,
      requestId: c.var.requestId,
      details: { reason: decision.reason, path: new URL(c.req.url).pathname, method: c.req.method },
    });
    if (decision.reason === "insufficient_scope") {
      const scope = (req.scopes ?? []).join(" ");
      return problemResponse(
        c,
        new ApiError("forbidden", {
          detail: `The access token lacks the scope ${scope}.`,
          headers: { "WWW-Authenticate": challenge("insufficient_scope", scope) },
          extensions: { reason: decision.reason },
        }),
      );
    }
    if (decision.reason === "unauthenticated") {
      return problemResponse(c, new ApiError("unauthorized", { headers: { "WWW-Authenticate": challenge() } }));
    }
    if (decision.reason === "first_party_only") {
      return problemResponse(
        c,
        new ApiError("first_party_only", {
          detail: "This operation needs the person themselves, in one of the platform's own apps.",
          extensions: { reason: decision.reason },
        }),
      );
    }
    if (decision.reason === "reauthentication_required") {
      const maxAge = c.var.config.reauthMaxAgeSeconds;
      return problemResponse(
        c,
        new ApiError("reauthentication_required", {
          detail: `Sign in again (within the last ${maxAge} seconds, with your second factor if you have one), then retry.`,
          headers: { "WWW-Authenticate": stepUpChallenge(maxAge) },
          extensions: { reason: decision.reason, max_age: maxAge },
        }),
      );
    }
    return problemResponse(
      c,
      new ApiError("forbidden", { detail: "This token may not do this.", extensions: { reason: decision.reason } }),
    );
  };
}

/**
 * The administrator a route for a tenant's administrators acts for: a person, never an app acting for
 * itself (what they change is recorded under their user id). `protectedRoute` has checked their role
 * and scopes; this only narrows the principal.
 *
 * @example
 * const admin = administrator(c.var.principal); // 403 for a client-credentials token
 */
export function administrator(principal: Principal): Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Administrators only." });
  return principal;
}

/** The tenant whose rows a principal may see besides the platform's reference data. */
export function principalTenant(principal: Principal): string | null {
  return principal.kind === "anonymous" ? null : principal.tenantId;
}

/**
 * Route options for a protected operation: the OpenAPI security requirement (what the document
 * shows) and the middleware that enforces it (what runs), declared together so they cannot drift.
 *
 * @example
 * createRoute({ method: "get", path: "/v1/variables", ...protectedRoute({ allowClients: true }), ... })
 */
export function protectedRoute(
  requirement: Requirement,
  /** Parts of the requirement that depend on the request, such as the owner of the data. */
  perRequest?: (c: Context<AppEnv>) => Partial<Requirement> | Promise<Partial<Requirement>>,
): {
  security: Array<Record<string, string[]>>;
  middleware: MiddlewareHandler<AppEnv>[];
  /** OpenAPI extension marking an operation that needs the person themselves (read by the authorization matrix). */
  "x-dfda-person-present"?: true;
  /** OpenAPI extension marking an operation only the person on a first-party app may call, at any sign-in age. */
  "x-dfda-first-party-only"?: true;
} {
  return {
    security: securityRequirement(requirement.scopes ?? []),
    middleware: [requireAccess(perRequest ? async (c) => ({ ...requirement, ...(await perRequest(c)) }) : requirement)],
    ...(requirement.personPresent === true ? { "x-dfda-person-present": true as const } : {}),
    ...(requirement.firstPartyOnly === true ? { "x-dfda-first-party-only": true as const } : {}),
  };
}

/**
 * The signed-in user of a `/v1/me` route. The route's requirement already refused clients acting for
 * themselves, so this only narrows the type (and fails closed if a route forgot to).
 */
export function selfUser(c: Context<AppEnv>) {
  const principal = c.var.principal;
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "This route is for a signed-in person." });
  return principal;
}
