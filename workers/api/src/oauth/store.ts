/**
 * Persistence of the authorization server's short-lived state: authorization codes, refresh-token
 * families, grants, revoked access tokens and browser sessions. Only hashes of opaque secrets are
 * stored (RFC 6819 §5.1.4.1.3), so a database read does not yield usable credentials.
 */

import { randomToken, sha256Hex } from "@dfda/auth";
import { uuidv7, uuidv7Time } from "@dfda/core";
import {
  authSessions,
  type Database,
  mfaTotp,
  oauthAuthorizationCodes,
  oauthClients,
  oauthGrants,
  oauthRefreshTokens,
  revokedAccessTokens,
  users,
} from "@dfda/db";
import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { AccessTokenClaims } from "./jwt";

export interface CodeRecord {
  tenantId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  nonce: string | null;
  authTime: Date;
  amr: string[];
}

export async function createAuthorizationCode(db: Database, record: CodeRecord, ttlSeconds: number): Promise<string> {
  const code = randomToken();
  await db.insert(oauthAuthorizationCodes).values({
    codeHash: await sha256Hex(code),
    ...record,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return code;
}

/** What the first redemption of a code issued, for a replay to revoke (RFC 6749 §4.1.2). */
export interface CodeIssue {
  familyId: string | null;
  accessToken: { jti: string; expiresAt: Date } | null;
}

export type CodeRedemption =
  | { ok: true; record: CodeRecord; codeHash: string }
  | { ok: false; reason: "unknown" | "expired" }
  | ({ ok: false; reason: "replayed"; tenantId: string } & CodeIssue);

/**
 * Marks a code used and returns it, atomically: of two concurrent redemptions exactly one wins. A code
 * presented again is a replay (RFC 6749 §4.1.2): the caller revokes what the first use issued.
 */
export async function redeemAuthorizationCode(db: Database, code: string): Promise<CodeRedemption> {
  const codeHash = await sha256Hex(code);
  const [won] = await db
    .update(oauthAuthorizationCodes)
    .set({ consumedAt: new Date() })
    .where(and(eq(oauthAuthorizationCodes.codeHash, codeHash), isNull(oauthAuthorizationCodes.consumedAt)))
    .returning();
  if (won) {
    if (won.expiresAt.getTime() < Date.now()) return { ok: false, reason: "expired" };
    return {
      ok: true,
      codeHash,
      record: {
        tenantId: won.tenantId,
        clientId: won.clientId,
        userId: won.userId,
        redirectUri: won.redirectUri,
        scopes: won.scopes,
        codeChallenge: won.codeChallenge,
        nonce: won.nonce,
        authTime: won.authTime,
        amr: won.amr,
      },
    };
  }
  const [seen] = await db
    .select({
      tenantId: oauthAuthorizationCodes.tenantId,
      familyId: oauthAuthorizationCodes.familyId,
      jti: oauthAuthorizationCodes.accessTokenJti,
      expiresAt: oauthAuthorizationCodes.accessTokenExpiresAt,
    })
    .from(oauthAuthorizationCodes)
    .where(eq(oauthAuthorizationCodes.codeHash, codeHash))
    .limit(1);
  if (!seen) return { ok: false, reason: "unknown" };
  return {
    ok: false,
    reason: "replayed",
    tenantId: seen.tenantId,
    familyId: seen.familyId,
    accessToken: seen.jti !== null && seen.expiresAt !== null ? { jti: seen.jti, expiresAt: seen.expiresAt } : null,
  };
}

/** Records what a code's redemption issued, so that a replay of the code can revoke it. */
export async function linkCodeToTokens(db: Database, codeHash: string, issue: CodeIssue): Promise<void> {
  await db
    .update(oauthAuthorizationCodes)
    .set({
      familyId: issue.familyId,
      accessTokenJti: issue.accessToken?.jti ?? null,
      accessTokenExpiresAt: issue.accessToken?.expiresAt ?? null,
    })
    .where(eq(oauthAuthorizationCodes.codeHash, codeHash));
}

export interface RefreshRecord {
  tenantId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  /** The original sign-in's time and methods, copied to every successor (a refresh is not a sign-in). */
  authTime: Date;
  amr: string[];
}

export async function createRefreshToken(
  db: Database,
  record: RefreshRecord,
  familyId: string,
  ttlSeconds: number,
): Promise<string> {
  const token = randomToken();
  await db.insert(oauthRefreshTokens).values({
    id: uuidv7(),
    tokenHash: await sha256Hex(token),
    familyId,
    ...record,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return token;
}

export type RefreshRotation =
  | { ok: true; record: RefreshRecord; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" | "wrong_client" };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2): the presented token is marked used, atomically, and the
 * caller issues its successor. A token used a second time revokes its whole family.
 */
export async function rotateRefreshToken(db: Database, token: string, clientId: string): Promise<RefreshRotation> {
  const tokenHash = await sha256Hex(token);
  const [row] = await db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, tokenHash)).limit(1);
  if (!row) return { ok: false, reason: "unknown" };
  // RFC 6749 §6: a refresh token is bound to the client it was issued to.
  if (row.clientId !== clientId) return { ok: false, reason: "wrong_client" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked" };
  if (row.expiresAt.getTime() < Date.now()) return { ok: false, reason: "expired" };
  const [won] = await db
    .update(oauthRefreshTokens)
    .set({ rotatedAt: new Date() })
    .where(and(eq(oauthRefreshTokens.id, row.id), isNull(oauthRefreshTokens.rotatedAt)))
    .returning({ id: oauthRefreshTokens.id });
  if (!won) {
    await revokeFamily(db, row.familyId);
    return { ok: false, reason: "reused" };
  }
  return {
    ok: true,
    familyId: row.familyId,
    record: {
      tenantId: row.tenantId,
      clientId: row.clientId,
      userId: row.userId,
      scopes: row.scopes,
      authTime: row.authTime,
      amr: row.amr,
    },
  };
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(oauthRefreshTokens.familyId, familyId), isNull(oauthRefreshTokens.revokedAt)));
}

/** RFC 7009: revokes a refresh token (and its family) presented by its client. Unknown tokens are ignored. */
export async function revokeRefreshToken(db: Database, token: string, clientId: string): Promise<boolean> {
  const [row] = await db
    .select({ familyId: oauthRefreshTokens.familyId, clientId: oauthRefreshTokens.clientId })
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row || row.clientId !== clientId) return false;
  await revokeFamily(db, row.familyId);
  return true;
}

export async function findRefreshToken(db: Database, token: string) {
  const [row] = await db
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  return row ?? null;
}

export async function revokeAccessToken(db: Database, jti: string, tenantId: string, expiresAt: Date): Promise<void> {
  await db.insert(revokedAccessTokens).values({ jti, tenantId, expiresAt }).onConflictDoNothing();
}

/**
 * Whether an access token was revoked, the status of the user it speaks for, and whether its client is
 * first-party (`oauth_clients.first_party`), in one round trip.
 * A user's token is revoked by its `jti`, by a revoked grant to its client (which stops its tokens at
 * once), or by having been issued before the user's `tokens_valid_after` (set by a password reset).
 */
export async function tokenState(
  db: Database,
  claims: AccessTokenClaims,
): Promise<{ revoked: boolean; userStatus: string | null; firstParty: boolean }> {
  const isClient = claims.sub === claims.client_id;
  const userId = isClient ? null : claims.sub;
  const clientId = isClient ? null : claims.client_id;
  // Dated to the millisecond by the jti (a UUIDv7) where it can be, so a token issued just after a
  // reset, in the same second, is not caught by it; `iat` otherwise.
  const issuedAt = new Date(uuidv7Time(claims.jti) ?? claims.iat * 1000);
  const result = await db.execute<{ revoked: boolean; user_status: string | null; first_party: boolean | null }>(
    sql`select (exists (select 1 from ${revokedAccessTokens} where ${revokedAccessTokens.jti} = ${claims.jti})
                or exists (select 1 from ${oauthGrants} where ${oauthGrants.tenantId} = ${claims.tenant}
                           and ${oauthGrants.userId} = ${userId} and ${oauthGrants.clientId} = ${clientId}
                           and ${oauthGrants.revokedAt} is not null)
                or exists (select 1 from ${users} where ${users.tenantId} = ${claims.tenant} and ${users.id} = ${userId}
                           and ${users.tokensValidAfter} > ${issuedAt.toISOString()}::timestamptz)) as revoked,
        (select ${users.status} from ${users} where ${users.tenantId} = ${claims.tenant} and ${users.id} = ${userId}) as user_status,
        (select ${oauthClients.firstParty} from ${oauthClients} where ${oauthClients.tenantId} = ${claims.tenant}
         and ${oauthClients.clientId} = ${claims.client_id}) as first_party`,
  );
  const row = result.rows[0];
  return {
    revoked: row?.revoked === true,
    userStatus: row?.user_status ?? null,
    firstParty: row?.first_party === true,
  };
}

/**
 * Whether the person has a confirmed second factor now: asked at each operation that needs the person
 * themselves (only those), since the `amr` of a token from before an enrolment cannot tell.
 */
export async function secondFactorEnrolled(db: Database, tenantId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: mfaTotp.userId })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId), isNotNull(mfaTotp.confirmedAt)))
    .limit(1);
  return row !== undefined;
}

export async function upsertGrant(
  db: Database,
  grant: { tenantId: string; userId: string; clientId: string; scopes: string[] },
): Promise<void> {
  await db
    .insert(oauthGrants)
    .values({ id: uuidv7(), ...grant })
    .onConflictDoUpdate({
      target: [oauthGrants.tenantId, oauthGrants.userId, oauthGrants.clientId],
      set: {
        scopes: sql`(select array_agg(distinct s) from unnest(${oauthGrants.scopes} || excluded.scopes) s)`,
        updatedAt: new Date(),
        revokedAt: null,
      },
    });
}

/** The scopes the user has already approved for the client (none if revoked). */
export async function grantedScopes(
  db: Database,
  tenantId: string,
  userId: string,
  clientId: string,
): Promise<string[]> {
  const [row] = await db
    .select({ scopes: oauthGrants.scopes })
    .from(oauthGrants)
    .where(
      and(
        eq(oauthGrants.tenantId, tenantId),
        eq(oauthGrants.userId, userId),
        eq(oauthGrants.clientId, clientId),
        isNull(oauthGrants.revokedAt),
      ),
    )
    .limit(1);
  return row?.scopes ?? [];
}

export interface SessionRecord {
  tenantId: string;
  userId: string;
  authTime: Date;
  amr: string[];
  mfaPending: boolean;
  csrfToken: string;
}

export async function createSession(
  db: Database,
  session: Omit<SessionRecord, "csrfToken">,
  ttlSeconds: number,
): Promise<{ id: string; csrfToken: string }> {
  const id = randomToken();
  const csrfToken = randomToken();
  await db.insert(authSessions).values({
    idHash: await sha256Hex(id),
    ...session,
    csrfToken,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return { id, csrfToken };
}

export async function findSession(db: Database, id: string): Promise<(SessionRecord & { idHash: string }) | null> {
  const idHash = await sha256Hex(id);
  const [row] = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.idHash, idHash), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  return {
    idHash,
    tenantId: row.tenantId,
    userId: row.userId,
    authTime: row.authTime,
    amr: row.amr,
    mfaPending: row.mfaPending,
    csrfToken: row.csrfToken,
  };
}

export async function completeSessionMfa(db: Database, idHash: string): Promise<void> {
  await db
    .update(authSessions)
    .set({ mfaPending: false, amr: sql`array_append(${authSessions.amr}, 'otp')`, authTime: new Date() })
    .where(eq(authSessions.idHash, idHash));
}

export async function revokeSession(db: Database, idHash: string): Promise<void> {
  await db.update(authSessions).set({ revokedAt: new Date() }).where(eq(authSessions.idHash, idHash));
}
