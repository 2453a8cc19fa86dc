/**
 * The lifetimes of a refresh-token family (RFC 9700 §4.14.2: refresh tokens should expire; OWASP
 * Session Management Cheat Sheet: absolute and idle timeouts), per tenant (`tenant-settings.ts`):
 *
 * - absolute: the family ends `refresh_token_absolute_days` after its first token was issued (the
 *   sign-in that started it), however often it is used;
 * - idle: it ends when its newest token has not been used for `refresh_token_idle_days`.
 *
 * A refresh past either is `invalid_grant` (RFC 6749 §5.2) and revokes the whole family, so no token of
 * it is left to try. Each new refresh token expires at the earlier of the two bounds, so the stored
 * `expires_at` agrees with the rule (and rows can be pruned by it).
 */
import { type Database, oauthRefreshTokens } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findTenant } from "@dfda/db/repositories/identity";
import { sql } from "drizzle-orm";
import { OAuthError } from "./errors";
import { findRefreshToken, revokeFamily } from "./store";
import { daysAfter, tenantLifetimes } from "./tenant-settings";

/** Seconds from `now` until the earlier of the idle bound and the family's absolute end. */
function successorTtl(now: Date, familyStartedAt: Date, absoluteDays: number, idleDays: number): number {
  const end = Math.min(daysAfter(now, idleDays).getTime(), daysAfter(familyStartedAt, absoluteDays).getTime());
  return Math.max(1, Math.floor((end - now.getTime()) / 1000));
}

/** The lifetime of the first refresh token of a new family (authorization code grant), in seconds. */
export async function newFamilyRefreshTtl(db: Database, tenantId: string, now = new Date()): Promise<number> {
  const lifetimes = tenantLifetimes((await findTenant(db, tenantId))?.settings);
  return successorTtl(now, now, lifetimes.refreshTokenAbsoluteDays, lifetimes.refreshTokenIdleDays);
}

/**
 * Checks the presented refresh token's family against the tenant's limits, before it is rotated.
 * Past either limit: revokes the family, audits, and throws `invalid_grant`. Otherwise returns the
 * lifetime in seconds of the successor token. A token that is unknown, another client's, revoked or
 * used is left to the rotation, which refuses it as before.
 */
export async function enforceRefreshLifetime(
  db: Database,
  token: string,
  clientId: string,
  ctx: { ip: string | null; requestId: string },
  now = new Date(),
): Promise<number | null> {
  const row = await findRefreshToken(db, token);
  if (!row || row.clientId !== clientId || row.revokedAt !== null || row.rotatedAt !== null) return null;
  const lifetimes = tenantLifetimes((await findTenant(db, row.tenantId))?.settings);
  const [family] = (
    await db.execute<{ started_at: string }>(
      sql`select min(${oauthRefreshTokens.createdAt}) as started_at from ${oauthRefreshTokens}
          where ${oauthRefreshTokens.familyId} = ${row.familyId}`,
    )
  ).rows;
  const startedAt = new Date(family?.started_at ?? row.createdAt);
  const absoluteEnd = daysAfter(startedAt, lifetimes.refreshTokenAbsoluteDays);
  // The presented token is the family's newest (an older one would have been rotated): when it was
  // issued is when the family was last used.
  const idleEnd = daysAfter(row.createdAt, lifetimes.refreshTokenIdleDays);
  const limit = now >= absoluteEnd ? "absolute" : now >= idleEnd ? "idle" : null;
  if (limit === null) {
    return successorTtl(now, startedAt, lifetimes.refreshTokenAbsoluteDays, lifetimes.refreshTokenIdleDays);
  }
  await revokeFamily(db, row.familyId);
  await recordAudit(db, {
    tenantId: row.tenantId,
    action: "oauth.refresh_token_expired",
    outcome: "failure",
    actorUserId: row.userId,
    actorClientId: clientId,
    subjectUserId: row.userId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: { limit, action: "family_revoked" },
  });
  throw new OAuthError("invalid_grant", "The refresh token is invalid, expired, revoked or already used.");
}
