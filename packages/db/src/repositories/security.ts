/**
 * A person's own security settings as the Security page shows them (issue 17): whether two-step
 * verification is on, how many recovery codes are left, the browser sessions at the authorization
 * server and the signed-in apps' refresh-token families; ending one of those; replacing the recovery
 * codes. Every query is scoped to one tenant and one person, so a handler cannot reach another's rows.
 *
 * Session ids: the table keys a browser session by the SHA-256 of its cookie (RFC 6819 §5.1.4.1.3); the
 * API never shows that key, only a digest of it (`b_` + 32 hex digits), so no answer carries anything a
 * lookup by cookie could use. A refresh-token family is named by its id (`a_` + the family's UUID).
 */
import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { authSessions, mfaRecoveryCodes, mfaTotp, oauthClients, oauthRefreshTokens } from "../schema";

export interface SecurityOverview {
  totp: { enabled: boolean; enabledAt: Date | null; pending: boolean };
  recoveryCodesRemaining: number;
}

/** Two-step verification's state and the unused recovery codes. */
export async function securityOverview(db: Database, tenantId: string, userId: string): Promise<SecurityOverview> {
  const [totp] = await db
    .select({ confirmedAt: mfaTotp.confirmedAt })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)))
    .limit(1);
  const [codes] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(mfaRecoveryCodes)
    .where(
      and(
        eq(mfaRecoveryCodes.tenantId, tenantId),
        eq(mfaRecoveryCodes.userId, userId),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    );
  return {
    totp: {
      enabled: totp?.confirmedAt != null,
      enabledAt: totp?.confirmedAt ?? null,
      pending: totp !== undefined && totp.confirmedAt === null,
    },
    recoveryCodesRemaining: codes?.n ?? 0,
  };
}

/** The public id of a browser session: a digest of its key, so the key itself never leaves the database. */
export async function publicSessionId(idHash: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`session-id:${idHash}`));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `b_${hex.slice(0, 32)}`;
}

export interface BrowserSession {
  kind: "browser";
  id: string;
  idHash: string;
  createdAt: Date;
  /** The last sign-in on it (OIDC `auth_time`): a second factor or a step-up renews it. */
  signedInAt: Date;
  amr: string[];
  expiresAt: Date;
}

export interface AppSession {
  kind: "app";
  id: string;
  familyId: string;
  clientId: string;
  clientName: string;
  scopes: string[];
  /** The sign-in that started the family (its first refresh token). */
  createdAt: Date;
  signedInAt: Date;
  amr: string[];
  /** When its newest refresh token was issued: the app's last refresh (RFC 9700 §4.14.2 rotation). */
  lastUsedAt: Date;
  expiresAt: Date;
}

/**
 * The person's live sessions: browser sessions that are signed in (not revoked, not expired, no second
 * factor pending), then the refresh-token families with a usable token (neither rotated, revoked nor
 * expired). Newest first in each kind.
 */
export async function listSessions(
  db: Database,
  tenantId: string,
  userId: string,
  now: Date = new Date(),
): Promise<{ browser: BrowserSession[]; apps: AppSession[] }> {
  const rows = await db
    .select({
      idHash: authSessions.idHash,
      createdAt: authSessions.createdAt,
      authTime: authSessions.authTime,
      amr: authSessions.amr,
      expiresAt: authSessions.expiresAt,
    })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.tenantId, tenantId),
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        eq(authSessions.mfaPending, false),
        gt(authSessions.expiresAt, now),
      ),
    )
    .orderBy(sql`${authSessions.createdAt} desc`);
  const browser = await Promise.all(
    rows.map(
      async (r): Promise<BrowserSession> => ({
        kind: "browser",
        id: await publicSessionId(r.idHash),
        idHash: r.idHash,
        createdAt: r.createdAt,
        signedInAt: r.authTime,
        amr: r.amr,
        expiresAt: r.expiresAt,
      }),
    ),
  );
  // The usable token of each family (at most one: rotation marks the predecessor), with the family's start.
  const live = await db
    .select({
      familyId: oauthRefreshTokens.familyId,
      clientId: oauthRefreshTokens.clientId,
      clientName: oauthClients.name,
      scopes: oauthRefreshTokens.scopes,
      authTime: oauthRefreshTokens.authTime,
      amr: oauthRefreshTokens.amr,
      lastUsedAt: oauthRefreshTokens.createdAt,
      expiresAt: oauthRefreshTokens.expiresAt,
      startedAt:
        sql<Date>`(select min(f.created_at) from ${oauthRefreshTokens} f where f.family_id = ${oauthRefreshTokens.familyId})`.mapWith(
          (v: string | Date) => new Date(v),
        ),
    })
    .from(oauthRefreshTokens)
    .innerJoin(
      oauthClients,
      and(
        eq(oauthClients.tenantId, oauthRefreshTokens.tenantId),
        eq(oauthClients.clientId, oauthRefreshTokens.clientId),
      ),
    )
    .where(
      and(
        eq(oauthRefreshTokens.tenantId, tenantId),
        eq(oauthRefreshTokens.userId, userId),
        isNull(oauthRefreshTokens.rotatedAt),
        isNull(oauthRefreshTokens.revokedAt),
        gt(oauthRefreshTokens.expiresAt, now),
      ),
    )
    .orderBy(sql`${oauthRefreshTokens.createdAt} desc`);
  const apps = live.map(
    (r): AppSession => ({
      kind: "app",
      id: `a_${r.familyId}`,
      familyId: r.familyId,
      clientId: r.clientId,
      clientName: r.clientName,
      scopes: r.scopes,
      createdAt: r.startedAt,
      signedInAt: r.authTime,
      amr: r.amr,
      lastUsedAt: r.lastUsedAt,
      expiresAt: r.expiresAt,
    }),
  );
  return { browser, apps };
}

/**
 * Ends one of the person's sessions by its public id: a browser session is revoked (its cookie is
 * refused from then on), a refresh-token family has every token revoked (RFC 7009 §2.1: revoking a
 * refresh token may revoke its family). Returns what was ended, or null when the id names nothing live
 * of this person (another person's id included).
 */
export async function endSession(
  db: Database,
  tenantId: string,
  userId: string,
  id: string,
  now: Date = new Date(),
): Promise<BrowserSession | AppSession | null> {
  const { browser, apps } = await listSessions(db, tenantId, userId, now);
  const session = [...browser, ...apps].find((s) => s.id === id);
  if (!session) return null;
  if (session.kind === "browser") {
    await db
      .update(authSessions)
      .set({ revokedAt: now })
      .where(
        and(
          eq(authSessions.tenantId, tenantId),
          eq(authSessions.userId, userId),
          eq(authSessions.idHash, session.idHash),
        ),
      );
  } else {
    await db
      .update(oauthRefreshTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(oauthRefreshTokens.tenantId, tenantId),
          eq(oauthRefreshTokens.userId, userId),
          eq(oauthRefreshTokens.familyId, session.familyId),
          isNull(oauthRefreshTokens.revokedAt),
        ),
      );
  }
  return session;
}

/**
 * Replaces every recovery code of the person with the given hashes, in the caller's transaction: the old
 * codes, used or not, stop working in the same commit the new ones start (OWASP MFA Cheat Sheet,
 * "Recovery codes"). Only for a person with confirmed TOTP; returns false (and changes nothing) otherwise.
 */
export async function replaceRecoveryCodes(
  tx: Executor,
  tenantId: string,
  userId: string,
  codeHashes: readonly string[],
): Promise<boolean> {
  const [totp] = await tx
    .select({ userId: mfaTotp.userId })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId), isNotNull(mfaTotp.confirmedAt)))
    .for("update")
    .limit(1);
  if (!totp) return false;
  await tx
    .delete(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.tenantId, tenantId), eq(mfaRecoveryCodes.userId, userId)));
  if (codeHashes.length > 0) {
    await tx.insert(mfaRecoveryCodes).values(codeHashes.map((codeHash) => ({ codeHash, tenantId, userId })));
  }
  return true;
}
