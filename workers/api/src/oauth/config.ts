/**
 * Authorization-server settings, read once per request from the Worker's bindings.
 *
 * - `AUTH_MASTER_KEYS` (secret): JSON object of key id → base64url 32-byte AES key. Seals signing keys
 *   and TOTP secrets. Several ids let a new master key take over while old ciphertexts still open.
 * - `AUTH_MASTER_KEY_ID` (var): which of them seals new data.
 * - `ISSUER` (var, optional): the `iss` of every token (RFC 8414 §2). Empty: the request's origin,
 *   which suits local development; production must set it.
 */
import { ApiError } from "@dfda/core";

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

export interface AuthBindings {
  AUTH_MASTER_KEYS?: string;
  AUTH_MASTER_KEY_ID?: string;
  ISSUER?: string;
}

export function authConfig(env: AuthBindings, requestUrl: string): AuthConfig {
  const issuer = (env.ISSUER && env.ISSUER.length > 0 ? env.ISSUER : new URL(requestUrl).origin).replace(/\/$/, "");
  let keys: Record<string, string>;
  try {
    keys = JSON.parse(env.AUTH_MASTER_KEYS ?? "") as Record<string, string>;
  } catch (cause) {
    throw new ApiError("internal_error", { detail: "The authorization server is not configured.", cause });
  }
  const currentKeyId = env.AUTH_MASTER_KEY_ID ?? "";
  const currentKey = keys[currentKeyId];
  if (currentKey === undefined) {
    throw new ApiError("internal_error", {
      detail: "The authorization server is not configured.",
      cause: new Error(`AUTH_MASTER_KEY_ID ${currentKeyId} is not among AUTH_MASTER_KEYS`),
    });
  }
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
