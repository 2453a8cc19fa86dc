/**
 * Password sign-in with account lockout (OWASP Authentication Cheat Sheet): after
 * `MAX_FAILURES` consecutive failures the account locks for `LOCK_MINUTES`. Unknown e-mails cost the
 * same password-hash work as known ones, so response time does not reveal which accounts exist.
 */

import { hashPassword, verifyPassword } from "@dfda/auth";
import { type Database, users } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUserByEmail } from "@dfda/db/repositories/identity";
import { eq, sql } from "drizzle-orm";

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

let dummyHash: Promise<string> | null = null;

export type PasswordResult =
  | { ok: true; user: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>> }
  | { ok: false; reason: "invalid" | "locked" | "disabled" };

export async function checkPassword(
  db: Database,
  tenantId: string,
  email: string,
  password: string,
  audit: { ip: string | null; requestId: string; clientId: string | null },
): Promise<PasswordResult> {
  const user = await findUserByEmail(db, tenantId, email);
  if (!user || user.passwordHash === null) {
    dummyHash ??= hashPassword("timing-equaliser-not-a-password");
    await verifyPassword(password, await dummyHash);
    await recordAudit(db, {
      tenantId,
      action: "auth.login",
      outcome: "failure",
      actorClientId: audit.clientId,
      ip: audit.ip,
      requestId: audit.requestId,
      details: { reason: "unknown_account" },
    });
    return { ok: false, reason: "invalid" };
  }
  const base = {
    tenantId,
    actorUserId: user.id,
    subjectUserId: user.id,
    actorClientId: audit.clientId,
    ip: audit.ip,
    requestId: audit.requestId,
  };
  if (user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now()) {
    await recordAudit(db, { ...base, action: "auth.login", outcome: "denied", details: { reason: "locked" } });
    return { ok: false, reason: "locked" };
  }
  const check = await verifyPassword(password, user.passwordHash);
  if (!check.valid) {
    const [row] = await db
      .update(users)
      .set({
        failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${MAX_FAILURES} then 0 else ${users.failedLoginCount} + 1 end`,
        lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${MAX_FAILURES} then now() + make_interval(mins => ${LOCK_MINUTES}) else ${users.lockedUntil} end`,
      })
      .where(eq(users.id, user.id))
      .returning({ lockedUntil: users.lockedUntil });
    const locked =
      row?.lockedUntil !== null && row?.lockedUntil !== undefined && row.lockedUntil.getTime() > Date.now();
    await recordAudit(db, {
      ...base,
      action: locked ? "auth.lockout" : "auth.login",
      outcome: "failure",
      details: { reason: "bad_password" },
    });
    return { ok: false, reason: "invalid" };
  }
  if (user.status !== "active") {
    await recordAudit(db, { ...base, action: "auth.login", outcome: "denied", details: { reason: "disabled" } });
    return { ok: false, reason: "disabled" };
  }
  const update: Partial<typeof users.$inferInsert> = { failedLoginCount: 0, lockedUntil: null };
  // verifyPassword says when stored parameters are weaker than today's: upgrade on the way in.
  if (check.needsRehash) update.passwordHash = await hashPassword(password);
  await db.update(users).set(update).where(eq(users.id, user.id));
  return { ok: true, user };
}
