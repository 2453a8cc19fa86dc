/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3):
 * `client_secret_basic` (HTTP Basic, form-urlencoded credentials per §2.3.1) or `client_secret_post`;
 * public clients identify themselves with `client_id` alone (`none`); clients registered with a JWK Set
 * sign an assertion (`private_key_jwt`: RFC 7523 §2.2 and §3, as SMART Backend Services profiles it).
 * Using two methods at once is an error (§2.3).
 */

import { sha256Hex, timingSafeEqual } from "@dfda/auth";
import type { Database } from "@dfda/db";
import { findClient, recordClientAssertion } from "@dfda/db/repositories/identity";
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, errors as joseErrors, jwtVerify } from "jose";
import { OAuthError } from "./errors";

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** SMART Backend Services: the server supports RS384 and ES384 assertions (and we accept only those). */
export const ASSERTION_ALGORITHMS = ["RS384", "ES384"];
/** SMART Backend Services: an assertion's `exp` is no more than five minutes in the future. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 5 * 60;
/** Clock skew tolerated on `exp`/`nbf`/`iat` between the client and us. */
const CLOCK_TOLERANCE_SECONDS = 30;

export type OAuthClient = NonNullable<Awaited<ReturnType<typeof findClient>>>;

function decodeBasic(header: string): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  try {
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    return null;
  }
}

export async function hashClientSecret(secret: string): Promise<string> {
  // Client secrets are 256-bit random strings, so a fast hash suffices (unlike passwords).
  return sha256Hex(secret);
}

/**
 * Authenticates the calling client, or throws `invalid_client` (401). Public clients pass with their
 * id alone; `requireConfidential` refuses them (client credentials, introspection).
 */
export async function authenticateClient(
  db: Database,
  authorization: string | undefined,
  form: URLSearchParams,
  options: {
    requireConfidential?: boolean;
    /** The `aud` a client assertion must name: the token endpoint's URL (SMART Backend Services). */
    assertionAudience?: string;
    now?: () => Date;
  } = {},
): Promise<OAuthClient> {
  const assertionType = form.get("client_assertion_type");
  const assertion = form.get("client_assertion");
  if (assertionType !== null || assertion !== null) {
    if (authorization || form.get("client_secret") !== null) {
      throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
    }
    return authenticateAssertion(db, form, assertionType, assertion, options);
  }
  const basic = authorization ? decodeBasic(authorization) : null;
  if (authorization && !basic) throw new OAuthError("invalid_client", "Malformed Basic credentials.");
  const postId = form.get("client_id");
  const postSecret = form.get("client_secret");
  if (basic && postSecret !== null) {
    throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
  }
  if (basic && postId !== null && postId !== basic.id) {
    throw new OAuthError("invalid_request", "client_id does not match the authenticated client.");
  }
  const clientId = basic?.id ?? postId;
  if (!clientId) throw new OAuthError("invalid_client", "Client authentication failed.");
  const client = await findClient(db, clientId);
  if (!client || client.disabledAt !== null) {
    throw new OAuthError(
      "invalid_client",
      "Client authentication failed.",
      401,
      `unknown or disabled client ${clientId}`,
    );
  }
  if (client.jwks !== null) {
    // A client registered with keys authenticates with them only (RFC 7591 §2 token_endpoint_auth_method).
    throw new OAuthError(
      "invalid_client",
      "Client authentication failed.",
      401,
      "private_key_jwt client without assertion",
    );
  }
  const secret = basic?.secret ?? postSecret;
  if (client.clientType === "confidential") {
    if (secret === null || client.secretHash === null)
      throw new OAuthError("invalid_client", "Client authentication failed.");
    if (!timingSafeEqual(await hashClientSecret(secret), client.secretHash)) {
      throw new OAuthError("invalid_client", "Client authentication failed.");
    }
  } else {
    if (secret !== null && secret !== "") throw new OAuthError("invalid_client", "Public clients have no secret.");
    if (options.requireConfidential) {
      throw new OAuthError("unauthorized_client", "This endpoint is for confidential clients.");
    }
  }
  return client;
}

/**
 * `private_key_jwt` (RFC 7523 §2.2, §3; SMART Backend Services "Authenticating to the Token endpoint"):
 * the assertion is a JWT signed with one of the keys the client registered, `iss` = `sub` = its
 * client_id, `aud` the token endpoint's URL, `exp` at most five minutes ahead, and a `jti` never seen
 * before from this client (kept until the assertion expires, so a replay is refused). Every failure is
 * `invalid_client` (RFC 6749 §5.2) with one public text; the reason is only logged.
 */
async function authenticateAssertion(
  db: Database,
  form: URLSearchParams,
  assertionType: string | null,
  assertion: string | null,
  options: { assertionAudience?: string; now?: () => Date },
): Promise<OAuthClient> {
  const fail = (reason: string): never => {
    throw new OAuthError("invalid_client", "Client authentication failed.", 401, reason);
  };
  if (assertionType !== JWT_BEARER_ASSERTION) {
    throw new OAuthError("invalid_request", `client_assertion_type must be ${JWT_BEARER_ASSERTION}.`);
  }
  if (!assertion) throw new OAuthError("invalid_request", "client_assertion is required.");
  if (options.assertionAudience === undefined) return fail("client assertion at an endpoint that takes none");
  let claimedId: unknown;
  try {
    claimedId = decodeJwt(assertion).iss;
  } catch {
    return fail("malformed client assertion");
  }
  if (typeof claimedId !== "string" || claimedId === "") return fail("client assertion without iss");
  const postId = form.get("client_id");
  if (postId !== null && postId !== claimedId) {
    throw new OAuthError("invalid_request", "client_id does not match the client assertion.");
  }
  const client = await findClient(db, claimedId);
  if (!client || client.disabledAt !== null) return fail(`unknown or disabled client ${claimedId}`);
  if (client.jwks === null) return fail(`client ${claimedId} has no registered keys`);
  const now = (options.now ?? (() => new Date()))();
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks as JSONWebKeySet), {
      algorithms: ASSERTION_ALGORITHMS,
      issuer: client.clientId,
      subject: client.clientId,
      audience: options.assertionAudience,
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : "verification failed";
    return fail(`client assertion refused: ${reason}`);
  }
  const exp = payload.exp ?? 0;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    return fail("client assertion lives longer than five minutes");
  }
  const jti = payload.jti ?? "";
  if (jti.length === 0 || jti.length > 255) return fail("client assertion jti missing or too long");
  const fresh = await recordClientAssertion(db, {
    tenantId: client.tenantId,
    clientId: client.clientId,
    jti,
    expiresAt: new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000),
    now,
  });
  if (!fresh) return fail("client assertion replayed (jti seen before)");
  return client;
}
