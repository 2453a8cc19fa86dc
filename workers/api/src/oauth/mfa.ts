/**
 * Second factor: TOTP (RFC 6238) with single-use recovery codes. Mandatory for admins, optional per
 * user, enforceable per tenant (`tenants.settings.mfa_required`). TOTP secrets are sealed with the
 * master key and bound (AAD) to their user; a code's time step is remembered so it cannot be replayed.
 * Wrong codes are counted per account wherever they are tried (sign-in, turning TOTP off): five lock
 * the second factor for a minute, then twice as long each time (`SECOND_FACTOR`), and the owner gets
 * one e-mail per lock (OWASP Authentication Cheat Sheet; OWASP ASVS 4.0 V2.2.1, V2.8.x).
 */

import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  open,
  otpauthUri,
  seal,
  verifyTotp,
} from "@dfda/auth";
import type { RoleName } from "@dfda/core";
import { type Database, mfaRecoveryCodes, mfaTotp } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findUser, removeSecondFactor } from "@dfda/db/repositories/identity";
import { replaceRecoveryCodes } from "@dfda/db/repositories/security";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { MasterKeys } from "./config";
import { sendSecondFactorLockedAlert } from "./email-flows";
import { ACCOUNT_SCOPE, clearAttempts, lockedFor, reserveAttempt, SECOND_FACTOR, type ThrottleKey } from "./throttle";

const aad = (userId: string) => `totp:${userId}`;

export type SecondFactor = "verify" | "enrol" | null;

/** What the user owes after a correct password. */
export async function secondFactorDue(
  db: Database,
  tenant: { id: string; settings: Record<string, unknown> },
  userId: string,
  roles: readonly RoleName[],
): Promise<SecondFactor> {
  const [totp] = await db
    .select({ confirmedAt: mfaTotp.confirmedAt })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenant.id), eq(mfaTotp.userId, userId)))
    .limit(1);
  if (totp?.confirmedAt) return "verify";
  if (roles.includes("admin") || tenant.settings.mfa_required === true) return "enrol";
  return null;
}

/**
 * Checks a TOTP code (replay-safe) or a recovery code (single use). Not exported: every caller goes
 * through `checkSecondFactor`, which counts failures, so no route can offer an unthrottled oracle.
 */
async function verifySecondFactor(
  db: Database,
  master: MasterKeys,
  tenantId: string,
  userId: string,
  code: string,
): Promise<"totp" | "recovery" | null> {
  const trimmed = code.replace(/\s/g, "");
  if (/^\d{6}$/.test(trimmed)) {
    const [row] = await db
      .select()
      .from(mfaTotp)
      .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)))
      .limit(1);
    if (!row?.confirmedAt) return null;
    const secret = await open(row.secretSealed, { keys: master.keys, aad: aad(userId) });
    const result = await verifyTotp(secret, trimmed, { lastUsedStep: row.lastUsedStep ?? undefined });
    if (!result.valid) return null;
    // Compare-and-set on the step: of two concurrent uses of one code, one wins.
    const updated = await db
      .update(mfaTotp)
      .set({ lastUsedStep: result.step })
      .where(
        and(
          eq(mfaTotp.tenantId, tenantId),
          eq(mfaTotp.userId, userId),
          sql`coalesce(${mfaTotp.lastUsedStep}, -1) < ${result.step}`,
        ),
      )
      .returning({ step: mfaTotp.lastUsedStep });
    return updated.length === 1 ? "totp" : null;
  }
  const used = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(mfaRecoveryCodes.codeHash, await hashRecoveryCode(code)),
        eq(mfaRecoveryCodes.tenantId, tenantId),
        eq(mfaRecoveryCodes.userId, userId),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ hash: mfaRecoveryCodes.codeHash });
  return used.length === 1 ? "recovery" : null;
}

export type SecondFactorCheck =
  | { ok: true; factor: "totp" | "recovery" }
  | { ok: false; reason: "invalid" }
  /** Too many wrong codes: none is checked for `retryAfter` seconds. */
  | { ok: false; reason: "locked"; retryAfter: number };

/**
 * `verifySecondFactor` behind the per-account counter: the attempt is counted before the code is
 * checked (so parallel guesses cannot pass the limit), a right code clears the counter, and the wrong
 * code that sets a lock records `auth.mfa_lockout`, e-mails the owner (once per lock) and is answered
 * as locked.
 */
export async function checkSecondFactor(
  db: Database,
  master: MasterKeys,
  tenantId: string,
  userId: string,
  code: string,
  context: { requestId: string; ip: string | null; clientId: string | null },
): Promise<SecondFactorCheck> {
  const key: ThrottleKey = { tenantId, userId, kind: "second_factor", scope: ACCOUNT_SCOPE };
  const attempt = await reserveAttempt(db, key, SECOND_FACTOR);
  if (!attempt.allowed) return { ok: false, reason: "locked", retryAfter: attempt.retryAfter };
  const factor = await verifySecondFactor(db, master, tenantId, userId, code);
  if (factor) {
    await clearAttempts(db, [key]);
    return { ok: true, factor };
  }
  if (!attempt.locksOnFailure) return { ok: false, reason: "invalid" };
  const retryAfter = (await lockedFor(db, [key])) ?? SECOND_FACTOR.baseSeconds;
  const user = await findUser(db, tenantId, userId);
  if (user) await sendSecondFactorLockedAlert(db, { tenantId, userId, email: user.email }, retryAfter);
  await recordAudit(db, {
    tenantId,
    action: "auth.mfa_lockout",
    outcome: "failure",
    actorUserId: userId,
    subjectUserId: userId,
    actorClientId: context.clientId,
    ip: context.ip,
    requestId: context.requestId,
    details: { retry_after: retryAfter },
  });
  return { ok: false, reason: "locked", retryAfter };
}

/** Starts (or restarts) enrolment: a new secret, unconfirmed until a code from it is verified. */
export async function startTotpEnrolment(
  db: Database,
  master: MasterKeys,
  tenantId: string,
  userId: string,
  account: string,
  issuer: string,
): Promise<{ secret: string; otpauthUri: string }> {
  const [existing] = await db
    .select({ confirmedAt: mfaTotp.confirmedAt })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)))
    .limit(1);
  if (existing?.confirmedAt) throw new Error("TOTP is already enabled");
  const secret = generateTotpSecret();
  const secretSealed = await seal(secret, { key: master.currentKey, keyId: master.currentKeyId, aad: aad(userId) });
  await db
    .insert(mfaTotp)
    .values({ tenantId, userId, secretSealed })
    .onConflictDoUpdate({ target: [mfaTotp.tenantId, mfaTotp.userId], set: { secretSealed, lastUsedStep: null } });
  return { secret, otpauthUri: otpauthUri({ secret, issuer, account }) };
}

/** Confirms enrolment with a first code and returns fresh recovery codes (shown once). */
export async function confirmTotpEnrolment(
  db: Database,
  master: MasterKeys,
  tenantId: string,
  userId: string,
  code: string,
): Promise<string[] | null> {
  const [row] = await db
    .select()
    .from(mfaTotp)
    .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)))
    .limit(1);
  if (!row || row.confirmedAt) return null;
  const secret = await open(row.secretSealed, { keys: master.keys, aad: aad(userId) });
  const result = await verifyTotp(secret, code.replace(/\s/g, ""), {});
  if (!result.valid) return null;
  const codes = generateRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(c)));
  await db.transaction(async (tx) => {
    await tx
      .update(mfaTotp)
      .set({ confirmedAt: new Date(), lastUsedStep: result.step })
      .where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)));
    await replaceRecoveryCodes(tx, tenantId, userId, hashes);
  });
  return codes;
}

/**
 * New recovery codes for a person with TOTP on (shown once): the old ones, used or not, stop working in
 * the same transaction. Null when two-step verification is off (there is nothing to recover).
 */
export async function regenerateRecoveryCodes(
  db: Database,
  tenantId: string,
  userId: string,
): Promise<string[] | null> {
  const codes = generateRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(c)));
  const replaced = await db.transaction((tx) => replaceRecoveryCodes(tx, tenantId, userId, hashes));
  return replaced ? codes : null;
}

export async function disableTotp(db: Database, tenantId: string, userId: string): Promise<void> {
  await db.transaction((tx) => removeSecondFactor(tx, tenantId, userId));
}
