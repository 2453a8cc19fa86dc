/**
 * Issuing and verifying the platform's JWTs.
 *
 * Access tokens follow RFC 9068 (JWT profile for OAuth 2.0 access tokens): header `typ: at+jwt`,
 * claims `iss`, `aud`, `sub`, `client_id`, `scope`, `jti`, `iat`, `exp`, plus `tenant` and `roles`; a
 * person's token also carries `auth_time` and `amr` of the sign-in behind it (RFC 9068 §2.2.1, RFC 8176),
 * which operations that need the person themselves check (docs/identity.md).
 * ID tokens follow OpenID Connect Core §2 with `nonce`, `auth_time`, `amr` and `at_hash` (§3.1.3.6).
 * Both are signed with ES256 and verifiable by anyone from the JWKS alone.
 */
import { base64UrlEncode, ROLE_NAMES, type RoleName, uuidv7 } from "@dfda/core";
import type { Database } from "@dfda/db";
import { errors, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { AuthConfig } from "./config";
import { currentSigningKey, SIGNING_ALG, verificationKeys } from "./keys";

export interface AccessTokenInput {
  subject: string;
  tenantId: string;
  clientId: string;
  scopes: readonly string[];
  roles: readonly RoleName[];
  /**
   * The person's sign-in that the token speaks for: its time (OIDC Core §2 `auth_time`: the time of
   * authentication, not of issuance, so a refresh keeps it) and its methods (RFC 8176 `amr`). Absent
   * for a client acting for itself.
   */
  authentication?: { time: Date; amr: readonly string[] };
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  tenant: string;
  client_id: string;
  scope: string;
  roles: RoleName[];
  /** Epoch seconds of the person's sign-in (RFC 9068 §2.2.1); absent on client tokens and older tokens. */
  auth_time?: number;
  /** RFC 8176 authentication methods of that sign-in. */
  amr?: string[];
}

export async function issueAccessToken(
  db: Database,
  config: AuthConfig,
  input: AccessTokenInput,
): Promise<{ token: string; jti: string; expiresIn: number }> {
  const key = await currentSigningKey(db, config.master);
  const jti = uuidv7();
  const token = await new SignJWT({
    tenant: input.tenantId,
    client_id: input.clientId,
    scope: input.scopes.join(" "),
    roles: [...input.roles],
    ...(input.authentication === undefined
      ? {}
      : {
          auth_time: Math.floor(input.authentication.time.getTime() / 1000),
          amr: [...input.authentication.amr],
        }),
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "at+jwt" })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(input.subject)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(`${config.accessTokenTtl}s`)
    .sign(key.privateKey);
  return { token, jti, expiresIn: config.accessTokenTtl };
}

export interface IdTokenInput {
  userId: string;
  clientId: string;
  tenantId: string;
  nonce: string | null;
  authTime: Date;
  amr: readonly string[];
  accessToken: string;
  claims: Record<string, unknown>;
}

/** OpenID Connect Core §3.1.3.6: left half of the SHA-256 of the access token, base64url. */
async function atHash(accessToken: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken)));
  return base64UrlEncode(digest.slice(0, digest.length / 2));
}

export async function issueIdToken(db: Database, config: AuthConfig, input: IdTokenInput): Promise<string> {
  const key = await currentSigningKey(db, config.master);
  const payload: Record<string, unknown> = {
    ...input.claims,
    tenant: input.tenantId,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
    amr: [...input.amr],
    at_hash: await atHash(input.accessToken),
  };
  if (input.nonce !== null) payload.nonce = input.nonce;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(config.issuer)
    .setAudience(input.clientId)
    .setSubject(input.userId)
    .setIssuedAt()
    .setExpirationTime(`${config.idTokenTtl}s`)
    .sign(key.privateKey);
}

/** Imported verification keys by kid: importing a JWK costs more than verifying a signature. */
const importedKeys = new Map<string, Promise<CryptoKey>>();

function publicKey(kid: string, jwk: JWK): Promise<CryptoKey> {
  let key = importedKeys.get(kid);
  if (!key) {
    key = importJWK(jwk, SIGNING_ALG) as Promise<CryptoKey>;
    importedKeys.set(kid, key);
  }
  return key;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "InvalidTokenError";
  }
}

/**
 * Verifies an access token's signature (by `kid` against the published keys), `typ`, algorithm,
 * issuer, audience and lifetime, and the shape of the platform's claims. Revocation and the user's
 * status are checked by the caller, which has the database.
 */
export async function verifyAccessToken(db: Database, config: AuthConfig, token: string): Promise<AccessTokenClaims> {
  const keys = await verificationKeys(db);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        const match = keys.find((k) => k.kid === header.kid);
        if (!match) throw new InvalidTokenError("unknown key id");
        return publicKey(match.kid, match.jwk);
      },
      {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: [SIGNING_ALG],
        typ: "at+jwt",
        requiredClaims: ["sub", "jti", "exp", "iat"],
      },
    ));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError("expired");
    if (error instanceof errors.JOSEError) throw new InvalidTokenError(error.code);
    throw new InvalidTokenError("malformed");
  }
  const { tenant, client_id: clientId, scope, roles, auth_time: authTime, amr } = payload as Record<string, unknown>;
  if (
    (authTime !== undefined && (typeof authTime !== "number" || !Number.isInteger(authTime))) ||
    (amr !== undefined && (!Array.isArray(amr) || !amr.every((m) => typeof m === "string"))) ||
    typeof tenant !== "string" ||
    typeof clientId !== "string" ||
    typeof scope !== "string" ||
    !Array.isArray(roles) ||
    !roles.every((r): r is RoleName => (ROLE_NAMES as readonly unknown[]).includes(r))
  ) {
    throw new InvalidTokenError("claims");
  }
  return payload as AccessTokenClaims;
}
