/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628): a device without a usable browser (`dfda login`
 * on a headless machine) asks for a device code and a short user code (§3.1–3.2), the person enters
 * the user code at the verification page on another device, signs in there (the ordinary sign-in
 * pages, second factor included) and approves or denies (§3.3), while the device polls the token
 * endpoint (§3.4–3.5).
 *
 * Storage (`oauth_device_codes`, docs/storage.md): the device code only as its SHA-256 (RFC 6819
 * §5.1.4.1.3, like authorization codes); the user code normalised (upper case, no dash). The polling
 * interval grows by 5 seconds at every `slow_down` (§3.5) and is kept in the row.
 */
import { randomToken, sha256Hex } from "@dfda/auth";
import { splitScopes } from "@dfda/core";
import { type Database, oauthDeviceCodes } from "@dfda/db";
import { findClient, findTenant } from "@dfda/db/repositories/identity";
import { and, eq, gt } from "drizzle-orm";
import { grantScopes, requestFromReturnTo, type SignInRequest, safeReturnTo } from "./authorize";
import type { OAuthClient } from "./client-auth";
import type { AuthConfig } from "./config";
import { OAuthError } from "./errors";

/** The grant type of the token request (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** How long a device code lives: long enough to pick up a phone and sign in (RFC 8628 §3.2 expires_in). */
export const DEVICE_CODE_TTL_SECONDS = 600;
/** The first polling interval (RFC 8628 §3.2: 5 seconds when absent). */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;

/**
 * RFC 8628 §6.1: base-20 consonants (no vowels, so no words are spelled; no easily confused letters),
 * 8 characters: 20^8 ≈ 2^34.5 codes, with guessing limited per address at the verification page.
 */
const USER_CODE_CHARSET = "BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LENGTH = 8;

/** A new user code, normalised (no dash), drawn uniformly by rejection sampling. */
export function newUserCode(): string {
  let code = "";
  while (code.length < USER_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // 240 = 12 × 20: bytes at or above it would favour the first letters.
      if (byte < 240 && code.length < USER_CODE_LENGTH) code += USER_CODE_CHARSET[byte % 20];
    }
  }
  return code;
}

/** How the code is shown to the person: two groups of four (RFC 8628 §6.1, "BDWP-HQPK"). */
export function displayUserCode(normalised: string): string {
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

/**
 * What the person typed, normalised (RFC 8628 §6.1: case-insensitive, dashes and other punctuation
 * ignored), or null when it cannot be a user code of this server.
 */
export function normaliseUserCode(input: string | null | undefined): string | null {
  if (input === null || input === undefined || input.length > 64) return null;
  const letters = input.toUpperCase().replace(/[^A-Z]/g, "");
  if (letters.length !== USER_CODE_LENGTH) return null;
  for (const ch of letters) if (!USER_CODE_CHARSET.includes(ch)) return null;
  return letters;
}

/** The verification page of a code, as a same-origin path (also the sign-in pages' `return_to`). */
export function verificationPath(userCode: string): string {
  return `/oauth/device?user_code=${encodeURIComponent(userCode)}`;
}

export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * The device authorization endpoint (RFC 8628 §3.1–3.2) for an authenticated client: the requested
 * scopes checked as at the authorization endpoint, then a new code pair.
 */
export async function createDeviceAuthorization(
  db: Database,
  config: AuthConfig,
  client: OAuthClient,
  scopeParam: string | null,
): Promise<DeviceAuthorizationResponse> {
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT)) {
    throw new OAuthError("unauthorized_client", "This client may not use the device authorization grant.");
  }
  // RFC 6749 §3.3: without a default scope, a request without one fails; the same rules as /oauth/authorize.
  const granted = grantScopes(splitScopes(scopeParam), client.allowedScopes);
  if ("error" in granted) throw new OAuthError("invalid_scope", granted.error);
  const scopes = granted.scopes;
  const tenant = await findTenant(db, client.tenantId);
  if (tenant?.status !== "active") throw new OAuthError("access_denied", "The organisation is not active.");
  const deviceCode = randomToken();
  const expiresAt = new Date(Date.now() + DEVICE_CODE_TTL_SECONDS * 1000);
  // The verification page finds a code by its user code alone (the person has not said which
  // organisation yet), so a new one must not equal a live one anywhere. A clash is a 1-in-2^34 event
  // per live code; a few draws always suffice.
  for (let attempt = 0; attempt < 5; attempt++) {
    const userCode = newUserCode();
    if ((await liveByUserCode(db, userCode)).length > 0) continue;
    await db.insert(oauthDeviceCodes).values({
      deviceCodeHash: await sha256Hex(deviceCode),
      userCode,
      tenantId: client.tenantId,
      clientId: client.clientId,
      scopes,
      intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS,
      expiresAt,
    });
    const display = displayUserCode(userCode);
    return {
      device_code: deviceCode,
      user_code: display,
      verification_uri: `${config.issuer}/oauth/device`,
      // §3.3.1: the code in the URI, for a QR code or a link; the page still shows it to compare.
      verification_uri_complete: `${config.issuer}${verificationPath(display)}`,
      expires_in: DEVICE_CODE_TTL_SECONDS,
      interval: DEVICE_POLL_INTERVAL_SECONDS,
    };
  }
  throw new Error("no free user code after 5 draws");
}

function liveByUserCode(db: Database, userCode: string) {
  return db
    .select()
    .from(oauthDeviceCodes)
    .where(
      and(
        eq(oauthDeviceCodes.userCode, userCode),
        eq(oauthDeviceCodes.status, "pending"),
        gt(oauthDeviceCodes.expiresAt, new Date()),
      ),
    )
    .limit(2);
}

/** A code waiting for the person's decision, with its client (enabled) and organisation name. */
export interface PendingDeviceCode {
  deviceCodeHash: string;
  userCode: string;
  tenantId: string;
  tenantName: string;
  client: OAuthClient;
  scopes: string[];
}

/** The pending, unexpired code the person typed, or null (unknown, expired, decided, or its client disabled). */
export async function findPendingDeviceCode(db: Database, input: string | null): Promise<PendingDeviceCode | null> {
  const userCode = normaliseUserCode(input);
  if (userCode === null) return null;
  const rows = await liveByUserCode(db, userCode);
  const [row] = rows;
  if (!row || rows.length > 1) return null;
  const client = await findClient(db, row.clientId);
  if (!client || client.disabledAt !== null || client.tenantId !== row.tenantId) return null;
  const tenant = await findTenant(db, row.tenantId);
  if (tenant?.status !== "active") return null;
  return {
    deviceCodeHash: row.deviceCodeHash,
    userCode,
    tenantId: row.tenantId,
    tenantName: tenant.name,
    client,
    scopes: row.scopes,
  };
}

/**
 * Records the person's decision on a pending code, once: of two concurrent decisions exactly one
 * wins. False when the code was decided meanwhile or has expired.
 */
export async function decideDeviceCode(
  db: Database,
  code: PendingDeviceCode,
  decision: { approved: true; userId: string; authTime: Date; amr: string[] } | { approved: false; userId: string },
): Promise<boolean> {
  const won = await db
    .update(oauthDeviceCodes)
    .set(
      decision.approved
        ? { status: "approved", userId: decision.userId, authTime: decision.authTime, amr: decision.amr }
        : { status: "denied", userId: decision.userId },
    )
    .where(
      and(
        eq(oauthDeviceCodes.deviceCodeHash, code.deviceCodeHash),
        eq(oauthDeviceCodes.status, "pending"),
        gt(oauthDeviceCodes.expiresAt, new Date()),
      ),
    )
    .returning({ hash: oauthDeviceCodes.deviceCodeHash });
  return won.length === 1;
}

/** What an approved code grants, for the token endpoint to issue. */
export interface ApprovedDeviceGrant {
  tenantId: string;
  userId: string;
  scopes: string[];
  authTime: Date;
  amr: string[];
}

/**
 * One poll of the token endpoint (RFC 8628 §3.5) by `clientId`: the approved grant, consumed so it is
 * issued once, or the error the device gets. A code issued to another client is `invalid_grant`
 * (RFC 6749 §5.2) and does not count as that code's poll.
 */
export async function pollDeviceCode(db: Database, deviceCode: string, clientId: string): Promise<ApprovedDeviceGrant> {
  const hash = await sha256Hex(deviceCode);
  const [row] = await db.select().from(oauthDeviceCodes).where(eq(oauthDeviceCodes.deviceCodeHash, hash)).limit(1);
  if (!row || row.clientId !== clientId) {
    throw new OAuthError("invalid_grant", "The device code is invalid or was issued to another client.");
  }
  if (row.status === "consumed") throw new OAuthError("invalid_grant", "The device code was already used.");
  const now = new Date();
  if (row.expiresAt.getTime() <= now.getTime()) {
    throw new OAuthError("expired_token", "The device code has expired; start again.");
  }
  if (row.status === "denied") throw new OAuthError("access_denied", "The person denied the request.");
  if (row.status === "pending") {
    // §3.5: polling faster than the interval is answered slow_down, and the interval grows by 5 s for
    // this and every later poll. The poll is recorded either way.
    const tooSoon =
      row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < row.intervalSeconds * 1000;
    await db
      .update(oauthDeviceCodes)
      .set({ lastPolledAt: now, intervalSeconds: tooSoon ? row.intervalSeconds + 5 : row.intervalSeconds })
      .where(eq(oauthDeviceCodes.deviceCodeHash, hash));
    if (tooSoon) throw new OAuthError("slow_down", `Poll at most every ${row.intervalSeconds + 5} seconds.`);
    throw new OAuthError("authorization_pending", "The person has not decided yet.");
  }
  // Approved: consumed atomically, so two concurrent polls issue one set of tokens.
  const [won] = await db
    .update(oauthDeviceCodes)
    .set({ status: "consumed", lastPolledAt: now })
    .where(
      and(
        eq(oauthDeviceCodes.deviceCodeHash, hash),
        eq(oauthDeviceCodes.status, "approved"),
        gt(oauthDeviceCodes.expiresAt, now),
      ),
    )
    .returning();
  if (!won || won.userId === null || won.authTime === null) {
    throw new OAuthError("invalid_grant", "The device code was already used.");
  }
  return { tenantId: won.tenantId, userId: won.userId, scopes: won.scopes, authTime: won.authTime, amr: won.amr ?? [] };
}

/**
 * The request a sign-in page's `return_to` continues: an authorization request (authorize.ts) or a
 * pending device code's verification page, validated again (the form may have been altered).
 */
export async function signInRequestFromReturnTo(
  db: Database,
  config: AuthConfig,
  value: string | null | undefined,
): Promise<{ returnTo: string; request: SignInRequest } | null> {
  const returnTo = safeReturnTo(value);
  if (!returnTo) return null;
  if (returnTo.startsWith("/oauth/device?")) {
    const code = await findPendingDeviceCode(db, new URL(returnTo, config.issuer).searchParams.get("user_code"));
    return code ? { returnTo, request: { client: code.client, tenantName: code.tenantName } } : null;
  }
  return requestFromReturnTo(db, config, returnTo);
}
