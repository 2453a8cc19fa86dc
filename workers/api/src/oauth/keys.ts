/**
 * Token-signing keys (ES256, RFC 7518 §3.4). The private key is sealed with the master key before it
 * reaches the database. Rotation keeps an overlap: the new key becomes `current`, the old one
 * `previous` (still published in JWKS and still accepted) and the one before that `retired`, so a token
 * signed just before a rotation stays valid until it expires (access tokens live at most 15 minutes).
 */

import { open, seal } from "@dfda/auth";
import { SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { type Database, type Executor, signingKeys } from "@dfda/db";
import { eq, inArray, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { MasterKeys } from "./config";

export const SIGNING_ALG = "ES256";

export interface PublicKey {
  kid: string;
  jwk: JWK;
  status: "current" | "previous";
}

export interface CurrentKey {
  kid: string;
  privateKey: CryptoKey;
}

/** How long an isolate trusts its cached key set before reading it again. */
const CACHE_MS = 60_000;
let cache: { at: number; keys: PublicKey[] } | null = null;
const privateKeys = new Map<string, CryptoKey>();

function aad(kid: string): string {
  return `signing-key:${kid}`;
}

/** Public keys that verify tokens: the current one and the previous one. */
export async function verificationKeys(db: Database, now = Date.now()): Promise<PublicKey[]> {
  if (cache && now - cache.at < CACHE_MS) return cache.keys;
  const rows = await db
    .select({ kid: signingKeys.kid, jwk: signingKeys.publicJwk, status: signingKeys.status })
    .from(signingKeys)
    .where(inArray(signingKeys.status, ["current", "previous"]));
  const keys = rows.map((r) => ({ kid: r.kid, jwk: r.jwk as JWK, status: r.status as PublicKey["status"] }));
  cache = { at: now, keys };
  return keys;
}

/** Forgets cached keys (after a rotation in this isolate, and in tests). */
export function clearKeyCache(): void {
  cache = null;
  privateKeys.clear();
}

/** The key to sign with; the first call on an empty database creates it. */
export async function currentSigningKey(db: Database, master: MasterKeys): Promise<CurrentKey> {
  let [row] = await db
    .select({ kid: signingKeys.kid, sealed: signingKeys.privateKeySealed })
    .from(signingKeys)
    .where(eq(signingKeys.status, "current"))
    .limit(1);
  if (!row) {
    await insertKey(db, master, "current");
    [row] = await db
      .select({ kid: signingKeys.kid, sealed: signingKeys.privateKeySealed })
      .from(signingKeys)
      .where(eq(signingKeys.status, "current"))
      .limit(1);
    cache = null;
  }
  if (!row) throw new Error("no current signing key after creating one");
  const cached = privateKeys.get(row.kid);
  if (cached) return { kid: row.kid, privateKey: cached };
  const jwk = JSON.parse(await open(row.sealed, { keys: master.keys, aad: aad(row.kid) })) as JWK;
  const privateKey = (await importJWK(jwk, SIGNING_ALG)) as CryptoKey;
  privateKeys.set(row.kid, privateKey);
  return { kid: row.kid, privateKey };
}

async function insertKey(db: Executor, master: MasterKeys, status: "current"): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = uuidv7();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const sealed = await seal(JSON.stringify(await exportJWK(privateKey)), {
    key: master.currentKey,
    keyId: master.currentKeyId,
    aad: aad(kid),
  });
  // The partial unique index on status = 'current' makes concurrent first requests agree on one key.
  await db
    .insert(signingKeys)
    .values({ kid, tenantId: SYSTEM_TENANT_ID, alg: SIGNING_ALG, publicJwk, privateKeySealed: sealed, status })
    .onConflictDoNothing();
  return kid;
}

/**
 * Rotates: retire `previous`, demote `current` to `previous`, create a new `current`. Returns the new
 * key id. Run by the weekly Cron Trigger and by `dfda keys rotate`.
 */
export async function rotateSigningKeys(db: Database, master: MasterKeys): Promise<string> {
  const kid = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727274002)`);
    await tx
      .update(signingKeys)
      .set({ status: "retired", retiredAt: new Date() })
      .where(eq(signingKeys.status, "previous"));
    await tx.update(signingKeys).set({ status: "previous" }).where(eq(signingKeys.status, "current"));
    return insertKey(tx, master, "current");
  });
  clearKeyCache();
  return kid;
}
