/**
 * Operator-level identity records: tenants, users with roles, OAuth clients. Used by the `dfda` CLI
 * (operators, from Node) and by the authorization server (sign-up, dynamic client registration), so
 * both create rows the same way. Secrets arrive already hashed: this layer never sees a password.
 */
import { type RoleName, uuidv7 } from "@dfda/core";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database, Executor } from "../client";
import {
  authSessions,
  authThrottles,
  mfaRecoveryCodes,
  mfaTotp,
  oauthAuthorizationCodes,
  oauthClientAssertions,
  oauthClients,
  oauthRefreshTokens,
  roles,
  tenants,
  users,
} from "../schema";

export interface NewTenant {
  slug: string;
  name: string;
  settings?: Record<string, unknown>;
}

export async function createTenant(db: Database, tenant: NewTenant): Promise<{ id: string; slug: string }> {
  const id = uuidv7();
  await db.insert(tenants).values({ id, slug: tenant.slug, name: tenant.name, settings: tenant.settings ?? {} });
  return { id, slug: tenant.slug };
}

export async function findTenantBySlug(db: Database, slug: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return row ?? null;
}

export async function findTenant(db: Database, id: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row ?? null;
}

export interface NewUser {
  tenantId: string;
  email: string;
  passwordHash: string | null;
  displayName?: string | null;
  roles: readonly RoleName[];
  emailVerified?: boolean;
}

/** Creates a user with roles in one transaction. E-mail is unique per tenant, case-insensitively. */
export async function createUser(db: Database, user: NewUser): Promise<{ id: string }> {
  const id = uuidv7();
  await db.transaction(async (tx) => {
    await tx.insert(users).values({
      id,
      tenantId: user.tenantId,
      email: user.email.trim(),
      passwordHash: user.passwordHash,
      displayName: user.displayName ?? null,
      emailVerifiedAt: user.emailVerified ? new Date() : null,
    });
    if (user.roles.length > 0) {
      await tx.insert(roles).values(user.roles.map((role) => ({ tenantId: user.tenantId, userId: id, role })));
    }
  });
  return { id };
}

export async function findUserByEmail(db: Database, tenantId: string, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = lower(${email.trim()})`))
    .limit(1);
  return row ?? null;
}

export async function findUser(db: Database, tenantId: string, userId: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
    .limit(1);
  return row ?? null;
}

export async function userRoles(db: Database, tenantId: string, userId: string): Promise<RoleName[]> {
  const rows = await db
    .select({ role: roles.role })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.userId, userId)));
  return rows.map((r) => r.role);
}

export async function grantRoles(db: Database, tenantId: string, userId: string, add: readonly RoleName[]) {
  if (add.length === 0) return;
  await db
    .insert(roles)
    .values(add.map((role) => ({ tenantId, userId, role })))
    .onConflictDoNothing();
}

export interface NewClient {
  tenantId: string;
  clientId: string;
  name: string;
  clientType: "public" | "confidential";
  secretHash: string | null;
  redirectUris: readonly string[];
  allowedScopes: readonly string[];
  grantTypes: readonly string[];
  logoUri?: string | null;
  ownerUserId?: string | null;
  /** One of the platform's own apps (an operator's decision; dynamic registration never sets it). Default false. */
  firstParty?: boolean;
  /** A JWK Set (RFC 7517 §5): the client authenticates with `private_key_jwt` (RFC 7523 §2.2). */
  jwks?: { keys: Array<Record<string, unknown>> } | null;
}

export async function createClient(db: Database, client: NewClient): Promise<{ id: string }> {
  const id = uuidv7();
  await db.insert(oauthClients).values({
    id,
    tenantId: client.tenantId,
    clientId: client.clientId,
    name: client.name,
    clientType: client.clientType,
    secretHash: client.secretHash,
    redirectUris: [...client.redirectUris],
    allowedScopes: [...client.allowedScopes],
    grantTypes: [...client.grantTypes],
    logoUri: client.logoUri ?? null,
    ownerUserId: client.ownerUserId ?? null,
    firstParty: client.firstParty ?? false,
    jwks: client.jwks ?? null,
  });
  return { id };
}

/**
 * Marks a client first-party (or not): an operator's decision, never a registration's (RFC 7591 clients
 * are always third-party). `npm start` uses it for the local `dfda-cli` client made before the column.
 */
export async function setClientFirstParty(db: Database, clientId: string, firstParty: boolean): Promise<void> {
  await db.update(oauthClients).set({ firstParty }).where(eq(oauthClients.clientId, clientId));
}

/**
 * Replaces a client's grant types: an operator's decision. `npm start` uses it to give the local
 * `dfda-cli` client, made before the device grant existed, the device grant (RFC 8628).
 */
export async function setClientGrantTypes(
  db: Database,
  clientId: string,
  grantTypes: readonly string[],
): Promise<void> {
  await db
    .update(oauthClients)
    .set({ grantTypes: [...grantTypes] })
    .where(eq(oauthClients.clientId, clientId));
}

/**
 * The client with this `client_id`, or null. A `client_id` comes from the caller (the authorization
 * request, a form, a Basic header); PostgreSQL text cannot hold NUL (U+0000, SQLSTATE 22021), so an id
 * with one matches no client and is answered without asking the database (found by the OpenAPI fuzzer).
 */
export async function findClient(db: Database, clientId: string) {
  if (clientId.includes("\u0000")) return null;
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId)).limit(1);
  return row ?? null;
}

/**
 * Revokes everything that speaks for a person: whoever held the account before keeps nothing (RFC 9700
 * §4.13; OWASP Forgot Password Cheat Sheet, "invalidate existing sessions"). Browser sessions and
 * refresh tokens by their `revoked_at`; unredeemed authorization codes expire now; access tokens, which
 * are stateless JWTs, by the cut-off `tokens_valid_after` that the API's `tokenState` checks. Used by a
 * password reset, by confirming an e-mail address and by the operator's `dfda user recover`. The second
 * factor is left as it is (docs/identity.md, "Recovery").
 */
export async function revokeEverything(db: Executor, tenantId: string, userId: string, at: Date): Promise<void> {
  const ofUser = (t: { tenantId: PgColumn; userId: PgColumn }) => and(eq(t.tenantId, tenantId), eq(t.userId, userId));
  await db
    .update(users)
    .set({ tokensValidAfter: at })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  await db
    .update(authSessions)
    .set({ revokedAt: at })
    .where(and(ofUser(authSessions), isNull(authSessions.revokedAt)));
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: at })
    .where(and(ofUser(oauthRefreshTokens), isNull(oauthRefreshTokens.revokedAt)));
  await db
    .update(oauthAuthorizationCodes)
    .set({ expiresAt: at })
    .where(and(ofUser(oauthAuthorizationCodes), isNull(oauthAuthorizationCodes.consumedAt)));
}

/** Removes a person's second factor: the TOTP secret and every recovery code. */
export async function removeSecondFactor(db: Executor, tenantId: string, userId: string): Promise<void> {
  await db.delete(mfaTotp).where(and(eq(mfaTotp.tenantId, tenantId), eq(mfaTotp.userId, userId)));
  await db
    .delete(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.tenantId, tenantId), eq(mfaRecoveryCodes.userId, userId)));
}

/** Lifts every lock on a person's sign-in: the failed-attempt counters of both kinds, from every address. */
export async function clearSignInLocks(db: Executor, tenantId: string, userId: string): Promise<void> {
  await db.delete(authThrottles).where(and(eq(authThrottles.tenantId, tenantId), eq(authThrottles.userId, userId)));
}

/**
 * Records a client assertion's `jti` (RFC 7523 §3 item 7) until it expires: true the first time, false
 * for a replay. Expired entries of the client are removed on the way, so the table holds at most what
 * could still be replayed.
 */
export async function recordClientAssertion(
  db: Database,
  q: { tenantId: string; clientId: string; jti: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  await db
    .delete(oauthClientAssertions)
    .where(and(eq(oauthClientAssertions.clientId, q.clientId), lt(oauthClientAssertions.expiresAt, q.now)));
  const inserted = await db
    .insert(oauthClientAssertions)
    .values({ tenantId: q.tenantId, clientId: q.clientId, jti: q.jti, expiresAt: q.expiresAt })
    .onConflictDoNothing()
    .returning({ jti: oauthClientAssertions.jti });
  return inserted.length > 0;
}
