/**
 * E-mail address verification and password reset. Messages go to the `outbox` table (a mail plugin
 * delivers them); no e-mail leaves the platform from a request. Links carry single-use tokens of
 * which only a hash is stored; reset links live one hour, verification links two days. Asking for a
 * reset answers the same whether or not the address exists (OWASP Forgot Password Cheat Sheet).
 * The pages that use these are `routes/oauth_verifyEmail.ts`, `oauth_forgotPassword_*.ts` and
 * `oauth_resetPassword_*.ts`.
 */

import { hashPassword, randomToken, sha256Hex } from "@dfda/auth";
import { uuidv7 } from "@dfda/core";
import { type Database, emailTokens, outbox, users } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUserByEmail } from "@dfda/db/repositories/identity";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { AuthConfig } from "./config";
import { revokeEverything } from "./store";

const RESET_TTL_S = 60 * 60;
const VERIFY_TTL_S = 2 * 24 * 60 * 60;

async function issueEmailToken(
  db: Database,
  tenantId: string,
  userId: string,
  purpose: "verify_email" | "reset_password",
  ttl: number,
) {
  const token = randomToken();
  await db.insert(emailTokens).values({
    tokenHash: await sha256Hex(token),
    tenantId,
    userId,
    purpose,
    expiresAt: new Date(Date.now() + ttl * 1000),
  });
  return token;
}

/** Marks a token used and returns its user, atomically; null when unknown, used or expired. */
export async function consumeEmailToken(db: Database, token: string, purpose: "verify_email" | "reset_password") {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256Hex(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date()),
      ),
    )
    .returning({ tenantId: emailTokens.tenantId, userId: emailTokens.userId });
  return row ?? null;
}

async function enqueue(
  db: Database,
  message: {
    tenantId: string;
    kind: string;
    recipient: string;
    subject: string;
    bodyText: string;
    payload: Record<string, unknown>;
  },
) {
  await db.insert(outbox).values({ id: uuidv7(), ...message });
}

/** Sends a link that confirms the user's e-mail address (after sign-up). */
export async function sendVerification(
  db: Database,
  config: AuthConfig,
  user: { tenantId: string; userId: string; email: string },
) {
  const token = await issueEmailToken(db, user.tenantId, user.userId, "verify_email", VERIFY_TTL_S);
  const link = `${config.issuer}/oauth/verify-email?token=${encodeURIComponent(token)}`;
  await enqueue(db, {
    tenantId: user.tenantId,
    kind: "verify_email",
    recipient: user.email,
    subject: "Confirm your e-mail address",
    bodyText: `Confirm your e-mail address by opening this link within two days:\n\n${link}\n`,
    payload: { user_id: user.userId, link },
  });
}

/** Marks the user's e-mail address confirmed, with its audit event. */
export async function confirmEmail(db: Database, row: { tenantId: string; userId: string }, requestId: string) {
  await db
    .update(users)
    .set({ emailVerifiedAt: new Date() })
    .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId)));
  await recordAudit(db, {
    tenantId: row.tenantId,
    action: "auth.email_verified",
    outcome: "success",
    actorUserId: row.userId,
    subjectUserId: row.userId,
    requestId,
  });
}

/**
 * Sends a reset link when an active account uses the address, and nothing otherwise: the caller
 * answers the same either way, so the page does not tell who has an account.
 */
export async function sendPasswordReset(
  db: Database,
  config: AuthConfig,
  tenantId: string,
  email: string,
  requestId: string,
) {
  const user = await findUserByEmail(db, tenantId, email);
  if (user?.status !== "active") return;
  const token = await issueEmailToken(db, tenantId, user.id, "reset_password", RESET_TTL_S);
  const link = `${config.issuer}/oauth/reset-password?token=${encodeURIComponent(token)}`;
  await enqueue(db, {
    tenantId,
    kind: "reset_password",
    recipient: user.email,
    subject: "Reset your password",
    bodyText: `Someone asked to reset the password of this account. If it was you, open this link within one hour:\n\n${link}\n\nIf it was not you, ignore this message.`,
    payload: { user_id: user.id, link },
  });
  await recordAudit(db, {
    tenantId,
    action: "auth.password_reset_requested",
    outcome: "success",
    subjectUserId: user.id,
    requestId,
  });
}

/**
 * Sets a new password from a reset link (which unlocks the account), revokes every session, token and
 * code issued before it, and records the audit event. Done together, so no credential of the old
 * password outlives the new one.
 */
export async function resetPassword(
  db: Database,
  row: { tenantId: string; userId: string },
  password: string,
  requestId: string,
) {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(users)
      .set({ passwordHash, failedLoginCount: 0, lockedUntil: null, updatedAt: now })
      .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId)));
    await revokeEverything(tx, row.tenantId, row.userId, now);
  });
  await recordAudit(db, {
    tenantId: row.tenantId,
    action: "auth.password_reset",
    outcome: "success",
    actorUserId: row.userId,
    subjectUserId: row.userId,
    requestId,
  });
}
