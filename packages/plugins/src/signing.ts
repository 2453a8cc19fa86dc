/**
 * Signed requests to plugins served over HTTPS (docs/plugins.md, "Calling a plugin").
 *
 * The platform signs every call with the key it signs access tokens with (ES256, published in its JWK
 * Set at `<issuer>/.well-known/jwks.json`, RFC 7517), as a short-lived JWT (RFC 7519) sent as
 * `Authorization: Bearer <jwt>`. Its claims bind the token to one request, after the proof-of-possession
 * claims of DPoP (RFC 9449 §4.2): `htm` and `htu` are the HTTP method and URL, `body_sha256` the
 * base64url SHA-256 of the exact body bytes, `jti` a unique id, `iat`/`exp` a 60-second lifetime. `aud`
 * is the plugin's registered base URL and `iss` the platform's issuer. The header's `typ` is
 * `plugin-request+jwt` (explicit typing, RFC 8725 §3.11), so an access token can never pass for a
 * request signature and the other way round.
 *
 * A plugin checks all of this with `verifyPlatformRequest` before it reads the body.
 */
import { base64UrlEncode } from "@dfda/core";
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
  SignJWT,
} from "jose";
import type { PluginMethod } from "./protocol";

export const PLUGIN_REQUEST_TYP = "plugin-request+jwt";
/** Lifetime of a request signature: long enough for clock skew and a slow network, short against replay. */
export const PLUGIN_REQUEST_TTL_SECONDS = 60;
/** The largest request body a plugin's HTTPS form reads (an aligned table of ten years of hours is ~20 MiB). */
export const MAX_PLUGIN_REQUEST_BYTES = 32 * 1024 * 1024;

export interface PluginRequestClaims extends JWTPayload {
  iss: string;
  aud: string;
  htm: "POST";
  htu: string;
  body_sha256: string;
  jti: string;
  iat: number;
  exp: number;
}

async function bodyHash(body: string | Uint8Array): Promise<string> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** `path` without its trailing slashes (a loop: `/\/+$/` backtracks quadratically on a run of slashes). */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end -= 1;
  return path.slice(0, end);
}

/** The URL a method is POSTed to: `<base>/<method>` (one slash between, whatever the base ends with). */
export function pluginMethodUrl(baseUrl: string, method: PluginMethod): string {
  return `${withoutTrailingSlashes(baseUrl)}/${method}`;
}

export interface SignPlatformRequestInput {
  /** The platform's current signing key (ES256 private key) and its `kid` in the published JWKS. */
  key: CryptoKey;
  kid: string;
  issuer: string;
  /** The plugin's registered base URL: the token's `aud`. */
  audience: string;
  method: PluginMethod;
  body: string;
  /** Epoch milliseconds; the tests pass it, production uses the clock. */
  now?: number;
}

/**
 * The headers of one signed call: `Authorization: Bearer <jwt>`.
 *
 * @example
 * const headers = await signPlatformRequest({ key, kid, issuer: "https://api.example", audience: url, method: "run", body });
 */
export async function signPlatformRequest(input: SignPlatformRequestInput): Promise<Record<string, string>> {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  const jwt = await new SignJWT({
    htm: "POST",
    htu: pluginMethodUrl(input.audience, input.method),
    body_sha256: await bodyHash(input.body),
  })
    .setProtectedHeader({ alg: "ES256", kid: input.kid, typ: PLUGIN_REQUEST_TYP })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setJti(crypto.randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + PLUGIN_REQUEST_TTL_SECONDS)
    .sign(input.key);
  return { Authorization: `Bearer ${jwt}` };
}

/** Remembers request ids until they expire, so a captured request cannot be replayed (RFC 9449 §11.1). */
export interface ReplayGuard {
  /** False when `jti` was already seen; otherwise records it until `expiresAt` (epoch seconds). */
  firstUse(jti: string, expiresAt: number, now: number): boolean | Promise<boolean>;
}

/**
 * A replay guard in the isolate's memory. A plugin running in several isolates or locations should give
 * `verifyPlatformRequest` a shared one (a Durable Object keyed by `jti`); this one still stops a replay to
 * the same isolate, and the 60-second lifetime bounds the rest.
 */
export function memoryReplayGuard(capacity = 10_000): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstUse(jti, expiresAt, now) {
      for (const [id, exp] of seen) {
        if (exp >= now && seen.size < capacity) break;
        seen.delete(id);
      }
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt);
      return true;
    },
  };
}

export interface VerifyPlatformRequestOptions {
  /** The platform's issuer (`iss`), e.g. `https://api.example.org`. */
  issuer: string;
  /** This plugin's base URL exactly as the administrator registered it (`aud`). */
  audience: string;
  /**
   * The platform's public keys. Default: its JWK Set at `<issuer>/.well-known/jwks.json`, fetched and
   * cached by jose's `createRemoteJWKSet`.
   */
  keys?: JWTVerifyGetKey;
  replay?: ReplayGuard;
  /** Epoch milliseconds (tests). */
  now?: number;
  maxBodyBytes?: number;
}

export interface VerifiedPlatformRequest {
  method: PluginMethod;
  /** The body, as the exact text the signature covers. */
  body: string;
  claims: PluginRequestClaims;
}

/** Why a request was refused; a plugin answers it with 401 (or 413 for `body_too_large`). */
export class PlatformRequestError extends Error {
  constructor(
    readonly reason:
      | "missing_signature"
      | "invalid_signature"
      | "expired"
      | "wrong_audience"
      | "wrong_request"
      | "body_mismatch"
      | "replayed"
      | "body_too_large",
    message: string,
  ) {
    super(message);
    this.name = "PlatformRequestError";
  }
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function defaultKeys(issuer: string): JWTVerifyGetKey {
  let keys = remoteKeySets.get(issuer);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${withoutTrailingSlashes(issuer)}/.well-known/jwks.json`));
    remoteKeySets.set(issuer, keys);
  }
  return keys;
}

const defaultReplayGuard = memoryReplayGuard();

async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw new PlatformRequestError("body_too_large", `The body exceeds ${limit} bytes.`);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PlatformRequestError("body_too_large", `The body exceeds ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Checks that `request` is a call the platform signed for this plugin, just now, with exactly this body,
 * and reads the body. Throws `PlatformRequestError` otherwise. For plugin authors serving the HTTPS
 * form (`servePluginHttp` calls it for them).
 *
 * @example
 * const { method, body } = await verifyPlatformRequest(request, { issuer: env.PLATFORM_ISSUER, audience: env.PLUGIN_URL });
 */
export async function verifyPlatformRequest(
  request: Request,
  options: VerifyPlatformRequestOptions,
): Promise<VerifiedPlatformRequest> {
  const authorization = request.headers.get("Authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
  if (!match?.[1])
    throw new PlatformRequestError("missing_signature", "No platform signature (Authorization: Bearer).");
  const now = options.now ?? Date.now();
  const verifyOptions: JWTVerifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ["ES256"],
    typ: PLUGIN_REQUEST_TYP,
    requiredClaims: ["iss", "aud", "iat", "exp", "jti", "htm", "htu", "body_sha256"],
    currentDate: new Date(now),
    // A signature older than its own lifetime is refused whatever its `exp` says (RFC 9449 §11.1).
    maxTokenAge: PLUGIN_REQUEST_TTL_SECONDS,
    clockTolerance: 5,
  };
  let claims: PluginRequestClaims;
  try {
    const { payload } = await jwtVerify(match[1], options.keys ?? defaultKeys(options.issuer), verifyOptions);
    claims = payload as PluginRequestClaims;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new PlatformRequestError("expired", "The signature has expired.");
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
      throw new PlatformRequestError("wrong_audience", "The signature is for another plugin.");
    }
    const reason = error instanceof errors.JOSEError ? error.code : "malformed";
    throw new PlatformRequestError("invalid_signature", `The signature does not verify (${reason}).`);
  }
  const url = new URL(request.url);
  const path = withoutTrailingSlashes(url.pathname);
  const method = path.slice(path.lastIndexOf("/") + 1) as PluginMethod;
  const expectedUrl = pluginMethodUrl(options.audience, method);
  if (
    request.method !== "POST" ||
    claims.htm !== "POST" ||
    claims.htu !== expectedUrl ||
    `${url.origin}${path}` !== expectedUrl
  ) {
    throw new PlatformRequestError("wrong_request", "The signature is for another request.");
  }
  const body = await readBody(request, options.maxBodyBytes ?? MAX_PLUGIN_REQUEST_BYTES);
  if ((await bodyHash(body)) !== claims.body_sha256) {
    throw new PlatformRequestError("body_mismatch", "The body is not the one that was signed.");
  }
  const guard = options.replay ?? defaultReplayGuard;
  if (!(await guard.firstUse(claims.jti, claims.exp, Math.floor(now / 1000)))) {
    throw new PlatformRequestError("replayed", "This request was already received.");
  }
  return { method, body: new TextDecoder().decode(body), claims };
}
