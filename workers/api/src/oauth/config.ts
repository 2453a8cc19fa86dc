/**
 * Authorization-server settings, derived per request from the Worker's config (lib/config.ts):
 *
 * - `AUTH_MASTER_KEYS` (secret): JSON object of key id → base64url 32-byte AES key. Seals signing keys
 *   and TOTP secrets. Several ids let a new master key take over while old ciphertexts still open.
 * - `AUTH_MASTER_KEY_ID` (var): which of them seals new data.
 * - `ISSUER` (var): the `iss` of every token (RFC 8414 §2) and the origin of e-mailed links. Empty:
 *   the request's origin, allowed only with `ENVIRONMENT=development`; elsewhere the config refuses
 *   to parse (lib/config.ts).
 */
import { ApiError } from "@dfda/core";
import { apiConfig } from "../lib/config";

export interface MasterKeys {
  keys: Record<string, string>;
  currentKeyId: string;
  currentKey: string;
}

export interface AuthConfig {
  issuer: string;
  /** `aud` of access tokens: this API (RFC 9068 §3). */
  audience: string;
  master: MasterKeys;
  /** Lifetimes in seconds. */
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  authorizationCodeTtl: number;
  sessionTtl: number;
}

/**
 * The authorization server's settings for a request: the issuer, and the master keys of the Worker's
 * config (lib/config.ts, parsed once; a 500 problem when they are not configured).
 */
export function authConfig(env: object, requestUrl: string): AuthConfig {
  const config = apiConfig(env);
  const issuer = config.issuer ?? new URL(requestUrl).origin;
  const { keys, currentKeyId } = config.masterKeys;
  const currentKey = keys[currentKeyId];
  // parseMasterKeyring already refused a current id that names no key; this narrows the type.
  if (currentKey === undefined) throw new ApiError("internal_error", { detail: "The server is not configured." });
  return {
    issuer,
    audience: `${issuer}/v1`,
    master: { keys, currentKeyId, currentKey },
    accessTokenTtl: 10 * 60,
    idTokenTtl: 10 * 60,
    refreshTokenTtl: 30 * 24 * 60 * 60,
    authorizationCodeTtl: 60,
    sessionTtl: 12 * 60 * 60,
  };
}
