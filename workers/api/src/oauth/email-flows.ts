/**
 * E-mail address verification, password reset and the security notices around them. Messages go to
 * the `outbox` table (a mail plugin delivers them); no e-mail leaves the platform from a request.
 * Links carry single-use tokens of which only a hash is stored; reset links live one hour,
 * verification links two days. Asking for a reset, a sign-up and asking for the confirmation link
 * again answer the same whether or not the address has an account (OWASP Forgot Password Cheat Sheet,
 * OWASP Authentication Cheat Sheet "Account enumeration"): the e-mail says which case it is. An account
 * holds no session, code or token before its address is confirmed, and confirming it revokes whatever
 * was issued before (pre-account-hijacking, Sudhodanan & Paverd, USENIX Security 2022).
 * The pages that use these are `routes/oauth_signup_create.ts`, `oauth_verifyEmail*.ts`,
 * `oauth_forgotPassword_*.ts` and `oauth_resetPassword_*.ts`.
 */

import { hashPassword, randomToken, sha256Hex } from "@dfda/auth";
import { uuidv7 } from "@dfda/core";
import { type Database, emailTokens, oauthGrants, outbox, users } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUserByEmail, revokeEverything } from "@dfda/db/repositories/identity";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { AuthConfig } from "./config";
import { clearAllAttempts } from "./throttle";

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

/** The user of a token that is still usable, without using it up (a page that asks for more first). */
export async function findEmailToken(db: Database, token: string, purpose: "verify_email" | "reset_password") {
  const [row] = await db
    .select({ tenantId: emailTokens.tenantId, userId: emailTokens.userId })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256Hex(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row ?? null;
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

/**
 * Sends a link that confirms the user's e-mail address (after sign-up). `returnTo`, the authorization
 * request the person signed up from, rides along in the link so that confirming can continue it.
 */
export async function sendVerification(
  db: Database,
  config: AuthConfig,
  user: { tenantId: string; userId: string; email: string },
  returnTo: string | null,
) {
  const token = await issueEmailToken(db, user.tenantId, user.userId, "verify_email", VERIFY_TTL_S);
  const query = new URLSearchParams({ token });
  if (returnTo) query.set("return_to", returnTo);
  const link = `${config.issuer}/oauth/verify-email?${query}`;
  await enqueue(db, {
    tenantId: user.tenantId,
    kind: "verify_email",
    recipient: user.email,
    subject: "Confirm your e-mail address",
    bodyText: `Confirm your e-mail address by opening this link within two days:\n\n${link}\n\nIf you did not create an account, ignore this message.`,
    payload: { user_id: user.userId, link },
  });
}

/**
 * The e-mail a sign-up with an address that already has a confirmed account sends, instead of
 * refusing on the page (which would tell anyone who has an account). It carries no link: the sign-up
 * was anyone's, and so was its authorization request, so a link built from it could lead the owner to
 * an application of the stranger's choosing with the platform's own name on the message.
 */
export async function sendExistingAccountNotice(
  db: Database,
  user: { tenantId: string; userId: string; email: string },
) {
  await enqueue(db, {
    tenantId: user.tenantId,
    kind: "signup_existing_account",
    recipient: user.email,
    subject: "Someone tried to create an account with your address",
    bodyText:
      "Someone tried to create an account with this e-mail address, which already has one. If it was you, " +
      'sign in from your application with your password, or choose "Forgot your password?" on its sign-in ' +
      "page to set a new one. If it was not you, ignore this message: nothing has changed.",
    payload: { user_id: user.userId },
  });
}

/**
 * Sends the confirmation link again when the address belongs to an active account not yet confirmed,
 * and nothing otherwise: the caller answers the same either way. Anyone may ask for it, so the link
 * carries no authorization request: one of a stranger's choosing must not be continued by the owner's
 * confirmation. After confirming, the person signs in from their application.
 */
export async function resendVerification(db: Database, config: AuthConfig, tenantId: string, email: string) {
  const user = await findUserByEmail(db, tenantId, email);
  if (user?.status !== "active" || user.emailVerifiedAt !== null || user.passwordHash === null) return;
  await sendVerification(db, config, { tenantId, userId: user.id, email: user.email }, null);
}

/**
 * Marks the user's e-mail address confirmed and, when it was not before, revokes every session,
 * refresh token, code and access token issued before (the same revocation as a password reset) and
 * every app approval, so nothing obtained by whoever held the account before its owner confirmed it
 * survives; with its audit event. Confirming an address again changes nothing.
 */
export async function confirmEmail(db: Database, row: { tenantId: string; userId: string }, requestId: string) {
  const confirmed = await db.transaction(async (tx) => {
    const now = new Date();
    const updated = await tx
      .update(users)
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId), isNull(users.emailVerifiedAt)))
      .returning({ id: users.id });
    if (updated.length === 0) return false;
    await revokeEverything(tx, row.tenantId, row.userId, now);
    // Unlike a reset, approvals go too: whoever approved an app before confirmation may not be the owner.
    await tx
      .update(oauthGrants)
      .set({ revokedAt: now, updatedAt: now })
      .where(
        and(eq(oauthGrants.tenantId, row.tenantId), eq(oauthGrants.userId, row.userId), isNull(oauthGrants.revokedAt)),
      );
    return true;
  });
  if (!confirmed) return;
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
 * Tells the owner that their second factor was locked after repeated wrong codes: someone may hold
 * their password or session (OWASP Authentication Cheat Sheet, "notify the user"). Sent once per
 * lock, by the attempt that set it.
 */
export async function sendSecondFactorLockedAlert(
  db: Database,
  user: { tenantId: string; userId: string; email: string },
  retryAfterSeconds: number,
) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  await enqueue(db, {
    tenantId: user.tenantId,
    kind: "second_factor_locked",
    recipient: user.email,
    subject: "Too many wrong two-step verification codes",
    bodyText:
      "Someone entered several wrong two-step verification codes for your account, so codes are refused for " +
      `the next ${minutes} minute${minutes === 1 ? "" : "s"}. If it was not you, someone may know your password: ` +
      "change it, and review the applications and sessions that can access your account.",
    payload: { user_id: user.userId, retry_after: retryAfterSeconds },
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
 * Sets a new password from a reset link, revokes every session, token and code issued before it, and
 * records the audit event. Done together, so no credential of the old password outlives the new one.
 * The link proves control of the address, so it also confirms the address and clears the password
 * failure counters (the second factor's stay: docs/identity.md).
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
      .set({
        passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(users.tenantId, row.tenantId), eq(users.id, row.userId)));
    await revokeEverything(tx, row.tenantId, row.userId, now);
    await clearAllAttempts(tx, row.tenantId, row.userId, "password");
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
