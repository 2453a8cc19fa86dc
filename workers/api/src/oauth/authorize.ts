/**
 * The authorization endpoint (RFC 6749 §3.1, §4.1.1) and the browser pages behind it: login, second
 * factor, consent. Errors about the client or redirect URI are shown on a page and never redirected
 * (§4.1.2.1); every other error goes back to the client's redirect URI with `state` and `iss`
 * (RFC 9207). PKCE with S256 is required of every client (RFC 9700 §2.1.1). `prompt=login` and
 * `max_age` (OIDC Core §3.1.2.1) make a signed-in person authenticate again: how a client answers the
 * RFC 9470 step-up challenge of an operation that needs the person themselves.
 */
import { grantableScope, redirectUriMatches, scopeAllowed, splitScopes, unknownScopes } from "@dfda/core";
import type { Database } from "@dfda/db";
import { findClient, findTenant } from "@dfda/db/repositories/identity";
import type { OAuthClient } from "./client-auth";
import type { AuthConfig } from "./config";
import { createAuthorizationCode, grantedScopes, type SessionRecord } from "./store";
import { fhirBaseOf } from "./userinfo";

export interface AuthorizationRequest {
  client: OAuthClient;
  tenantName: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  prompt: string | null;
  /**
   * OIDC Core §3.1.2.1 `max_age`: the longest time (seconds) since the person last authenticated that
   * the client accepts; an older session signs in again. Null when not asked.
   */
  maxAge: number | null;
  /** The request as a same-origin path, to return to after login and consent. */
  returnTo: string;
  /**
   * Where the sign-in page returns: the request without `prompt=login` and `max_age`, which the sign-in
   * just satisfied (kept, they would ask for the password again and again).
   */
  signInReturnTo: string;
}

/**
 * What the sign-in pages need of the request they continue: the client (whose organisation the person
 * signs in to) and the organisation's name. An authorization request, or a device code's verification
 * (device.ts, RFC 8628 §3.3).
 */
export type SignInRequest = Pick<AuthorizationRequest, "client" | "tenantName">;

export type ParsedAuthorization =
  | { kind: "page-error"; message: string }
  | { kind: "redirect-error"; location: string }
  | { kind: "ok"; request: AuthorizationRequest };

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** `max_age`: a non-negative whole number of seconds (OIDC Core §3.1.2.1), at most nine digits. */
const MAX_AGE = /^\d{1,9}$/;

/** Builds the client redirect with an error (RFC 6749 §4.1.2.1) or a code (§4.1.2), plus `iss` (RFC 9207). */
export function clientRedirect(redirectUri: string, params: Record<string, string | null>, issuer: string): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  url.searchParams.set("iss", issuer);
  return url.toString();
}

/**
 * The scopes an authorization request is granted (RFC 6749 §3.3: the server may grant fewer than asked,
 * and says so in the token response's `scope`), or why it is refused. SMART App Launch scopes are
 * aliases of the platform's (@dfda/core scopes.ts): each is reduced to what this server can grant
 * (`patient/Observation.cruds` → `patient/Observation.crs`), and one it cannot grant at all
 * (`patient/Condition.rs`, `launch/encounter`) is left out. An unknown scope, a scope the client is not
 * registered for, or nothing grantable left is `invalid_scope`. Shared with the device grant.
 */
export function grantScopes(
  requested: readonly string[],
  allowed: readonly string[],
): { scopes: string[] } | { error: string } {
  if (requested.length === 0) return { error: "scope is required." };
  const unknown = unknownScopes(requested);
  if (unknown.length > 0) return { error: `Unknown scope: ${unknown.join(" ")}.` };
  const scopes = [...new Set(requested.map(grantableScope).filter((s): s is string => s !== null))];
  const notAllowed = scopes.filter((s) => !scopeAllowed(allowed, s));
  if (notAllowed.length > 0) return { error: `Scope not allowed for this client: ${notAllowed.join(" ")}.` };
  if (scopes.length === 0) return { error: `None of the requested scopes can be granted: ${requested.join(" ")}.` };
  return { scopes };
}

/** Validates an authorization request given as the query of `/oauth/authorize`. */
export async function parseAuthorizationRequest(
  db: Database,
  config: AuthConfig,
  query: URLSearchParams,
): Promise<ParsedAuthorization> {
  const clientId = query.get("client_id");
  if (!clientId) return { kind: "page-error", message: "The request has no client_id." };
  const client = await findClient(db, clientId);
  if (!client || client.disabledAt !== null) return { kind: "page-error", message: "Unknown application." };
  const redirectUri = query.get("redirect_uri");
  // Exact string match against a registered URI (RFC 9700 §2.1; OAuth 2.1 §2.3.1): no prefixes, no wildcards.
  if (!redirectUri || !client.redirectUris.some((registered) => redirectUriMatches(registered, redirectUri))) {
    return { kind: "page-error", message: "The redirect URI is not registered for this application." };
  }
  const state = query.get("state");
  const fail = (error: string, description: string): ParsedAuthorization => ({
    kind: "redirect-error",
    location: clientRedirect(redirectUri, { error, error_description: description, state }, config.issuer),
  });
  if (query.get("response_type") !== "code")
    return fail("unsupported_response_type", "Only response_type=code is supported.");
  if (!client.grantTypes.includes("authorization_code")) {
    return fail("unauthorized_client", "This client may not use the authorization code flow.");
  }
  const challenge = query.get("code_challenge");
  if (!challenge || !CHALLENGE.test(challenge))
    return fail("invalid_request", "code_challenge (PKCE, S256) is required.");
  if (query.get("code_challenge_method") !== "S256")
    return fail("invalid_request", "code_challenge_method must be S256.");
  // SMART App Launch 2.x §"Obtain authorization code": `aud` names the FHIR server the token is for; a
  // server must refuse one that is not its own (a token must not be obtained for a server it cannot serve).
  const aud = query.get("aud");
  if (aud !== null && aud !== "" && withoutTrailingSlashes(aud) !== fhirBaseOf(config.issuer)) {
    return fail("invalid_request", `aud must be this server's FHIR base, ${fhirBaseOf(config.issuer)}.`);
  }
  const granted = grantScopes(splitScopes(query.get("scope")), client.allowedScopes);
  if ("error" in granted) return fail("invalid_scope", granted.error);
  const scopes = granted.scopes;
  const tenant = await findTenant(db, client.tenantId);
  if (tenant?.status !== "active") return fail("access_denied", "The organisation is not active.");
  const prompt = query.get("prompt");
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  const maxAgeValue = query.get("max_age") ?? "";
  if (maxAgeValue !== "" && !MAX_AGE.test(maxAgeValue)) {
    return fail("invalid_request", "max_age must be a whole number of seconds.");
  }
  const afterSignIn = new URLSearchParams(query);
  afterSignIn.delete("max_age");
  if (prompt === "login") afterSignIn.delete("prompt");
  return {
    kind: "ok",
    request: {
      client,
      tenantName: tenant.name,
      redirectUri,
      scopes,
      state,
      nonce: query.get("nonce"),
      codeChallenge: challenge,
      prompt,
      maxAge: maxAgeValue === "" ? null : Number(maxAgeValue),
      returnTo: `/oauth/authorize?${query.toString()}`,
      signInReturnTo: `/oauth/authorize?${afterSignIn.toString()}`,
    },
  };
}

/**
 * Whether the person must authenticate again before this request is answered: asked to (`prompt=login`),
 * or the session's sign-in is older than `max_age` (OIDC Core §3.1.2.1), counted in whole seconds as
 * `auth_time` is.
 */
export function reauthenticationDue(request: AuthorizationRequest, session: SessionRecord, now: Date): boolean {
  if (request.prompt === "login") return true;
  if (request.maxAge === null) return false;
  return Math.floor(now.getTime() / 1000) - Math.floor(session.authTime.getTime() / 1000) > request.maxAge;
}

/**
 * Whether a `return_to` value is an authorization request or a device verification page on this
 * server (no open redirect): the only places the sign-in pages send a person back to.
 */
export function safeReturnTo(value: string | null | undefined): string | null {
  if (!value?.startsWith("/oauth/authorize?") && !value?.startsWith("/oauth/device?")) return null;
  return value;
}

/**
 * The authorization request a page's `return_to` carries, validated again (the form may have been
 * altered): null unless it is a valid request on this server.
 */
export async function requestFromReturnTo(
  db: Database,
  config: AuthConfig,
  value: string | null | undefined,
): Promise<{ returnTo: string; request: AuthorizationRequest } | null> {
  const returnTo = safeReturnTo(value);
  if (!returnTo) return null;
  const parsed = await parseAuthorizationRequest(db, config, new URL(returnTo, config.issuer).searchParams);
  return parsed.kind === "ok" ? { returnTo, request: parsed.request } : null;
}

/**
 * What the authorization endpoint does for a signed-in session: issue the code when the user already
 * approved these scopes for this client, or ask.
 */
export async function completeAuthorization(
  db: Database,
  config: AuthConfig,
  request: AuthorizationRequest,
  session: SessionRecord,
): Promise<{ kind: "redirect"; location: string } | { kind: "consent" }> {
  if (session.tenantId !== request.client.tenantId) {
    // A session from another tenant cannot authorize this client: sign in again.
    return {
      kind: "redirect",
      location: clientRedirect(
        request.redirectUri,
        { error: "login_required", error_description: "Sign in to this organisation.", state: request.state },
        config.issuer,
      ),
    };
  }
  const approved = await grantedScopes(db, session.tenantId, session.userId, request.client.clientId);
  const covered = request.scopes.every((s) => approved.includes(s));
  if (!covered || request.prompt === "consent") return { kind: "consent" };
  const code = await createAuthorizationCode(
    db,
    {
      tenantId: session.tenantId,
      clientId: request.client.clientId,
      userId: session.userId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      authTime: session.authTime,
      amr: session.amr,
    },
    config.authorizationCodeTtl,
  );
  return {
    kind: "redirect",
    location: clientRedirect(request.redirectUri, { code, state: request.state }, config.issuer),
  };
}

/** `url` without its trailing slashes (a loop: `/\/+$/` backtracks quadratically on a long run of slashes). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 47) end -= 1;
  return url.slice(0, end);
}
