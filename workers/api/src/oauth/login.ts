/**
 * Password sign-in with throttling that an attacker cannot turn against the owner (OWASP
 * Authentication Cheat Sheet, "Account lockout"; OWASP ASVS 4.0 V2.2.1). Failures are counted per
 * (client address, account): five from one address lock that address out of that account, for a
 * minute and then twice as long each time, while the owner signing in from elsewhere is not affected.
 * A much higher ceiling per account (`PASSWORD_PER_ACCOUNT`, over every address) stops guessing spread
 * over many addresses; reaching it locks the account for everyone, the trade-off docs/identity.md
 * describes. No CAPTCHA: the backoff is the only friction. Unknown e-mails and locked counters cost the
 * same password-hash work as a real check, so response time does not reveal which accounts exist.
 */

import { hashPassword, verifyPassword } from "@dfda/auth";
import { type Database, users } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import { findTenant, findUserByEmail, userRoles } from "@dfda/db/repositories/identity";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../lib/types";
import type { SignInRequest } from "./authorize";
import type { AuthConfig } from "./config";
import { clientIp, cookieName, cookieOptions, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from "./http";
import { secondFactorDue } from "./mfa";
import { createSession } from "./store";
import {
  ACCOUNT_SCOPE,
  addressScope,
  clearAttempts,
  lockedFor,
  PASSWORD_PER_ACCOUNT,
  PASSWORD_PER_ADDRESS,
  reserveAttempt,
  type ThrottleKey,
} from "./throttle";

let dummyHash: Promise<string> | null = null;

/** Spends the time of a real password check, against a hash no password matches. */
async function equaliseTiming(password: string): Promise<void> {
  dummyHash ??= hashPassword("timing-equaliser-not-a-password");
  await verifyPassword(password, await dummyHash);
}

export type PasswordResult =
  | { ok: true; user: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>> }
  | { ok: false; reason: "invalid" | "disabled" }
  | { ok: false; reason: "locked"; retryAfter: number };

export async function checkPassword(
  db: Database,
  tenantId: string,
  email: string,
  password: string,
  audit: { ip: string | null; requestId: string; clientId: string | null },
): Promise<PasswordResult> {
  const user = await findUserByEmail(db, tenantId, email);
  if (!user || user.passwordHash === null) {
    await equaliseTiming(password);
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
  const perAddress: ThrottleKey = { tenantId, userId: user.id, kind: "password", scope: addressScope(audit.ip) };
  const perAccount: ThrottleKey = { tenantId, userId: user.id, kind: "password", scope: ACCOUNT_SCOPE };
  const locked = async (retryAfter: number): Promise<PasswordResult> => {
    await equaliseTiming(password);
    await recordAudit(db, { ...base, action: "auth.login", outcome: "denied", details: { reason: "locked" } });
    return { ok: false, reason: "locked", retryAfter };
  };
  // Read first, so a refused attempt does not count against the other counter.
  const already = await lockedFor(db, [perAddress, perAccount]);
  if (already !== null) return locked(already);
  const address = await reserveAttempt(db, perAddress, PASSWORD_PER_ADDRESS);
  if (!address.allowed) return locked(address.retryAfter);
  const account = await reserveAttempt(db, perAccount, PASSWORD_PER_ACCOUNT);
  if (!account.allowed) return locked(account.retryAfter);
  const check = await verifyPassword(password, user.passwordHash);
  if (!check.valid) {
    const lockout = (address.locksOnFailure ? ["address"] : []).concat(account.locksOnFailure ? ["account"] : []);
    await recordAudit(db, {
      ...base,
      action: lockout.length > 0 ? "auth.lockout" : "auth.login",
      outcome: "failure",
      details: lockout.length > 0 ? { reason: "bad_password", locked: lockout } : { reason: "bad_password" },
    });
    return { ok: false, reason: "invalid" };
  }
  await clearAttempts(db, [perAddress, perAccount]);
  if (user.status !== "active") {
    await recordAudit(db, { ...base, action: "auth.login", outcome: "denied", details: { reason: "disabled" } });
    return { ok: false, reason: "disabled" };
  }
  // verifyPassword says when stored parameters are weaker than today's: upgrade on the way in.
  if (check.needsRehash) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, user.id));
  }
  return { ok: true, user };
}

/**
 * Starts the browser session of a person who has just proved their password (at sign-in, or by
 * confirming their address), and sends them on: to the second-factor step when one is due (an
 * enrolled TOTP, or enrolment that an admin role or the tenant's `mfa_required` demands), else back
 * to the authorization request. Sign-in and address confirmation share it, so neither can skip the
 * second factor.
 */
export async function startSignedInSession(
  c: Context<AppEnv>,
  db: Database,
  cfg: AuthConfig,
  request: SignInRequest,
  returnTo: string,
  userId: string,
): Promise<Response> {
  const tenantId = request.client.tenantId;
  const tenant = await findTenant(db, tenantId);
  const roles = await userRoles(db, tenantId, userId);
  const due = await secondFactorDue(db, { id: tenantId, settings: tenant?.settings ?? {} }, userId, roles);
  const session = await createSession(
    db,
    { tenantId, userId, authTime: new Date(), amr: ["pwd"], mfaPending: due !== null },
    cfg.sessionTtl,
  );
  setCookie(c, cookieName(cfg, SESSION_COOKIE), session.id, cookieOptions(cfg, cfg.sessionTtl));
  deleteCookie(c, cookieName(cfg, LOGIN_CSRF_COOKIE), { path: "/", secure: cfg.issuer.startsWith("https://") });
  await recordAudit(db, {
    tenantId,
    action: "auth.login",
    outcome: "success",
    actorUserId: userId,
    subjectUserId: userId,
    actorClientId: request.client.clientId,
    ip: clientIp(c),
    requestId: c.var.requestId,
    details: { mfa: due ?? "none" },
  });
  if (due === "verify") return c.redirect(`/oauth/mfa?return_to=${encodeURIComponent(returnTo)}`, 303);
  if (due === "enrol") return c.redirect(`/oauth/mfa/enrol?return_to=${encodeURIComponent(returnTo)}`, 303);
  return c.redirect(returnTo, 303);
}
