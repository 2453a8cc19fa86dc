/**
 * Signed checkpoints of the audit hash chain: the weekly cron signs each tenant's chain head (a
 * compact JWS, RFC 7515 §7.1, ES256 with the platform's current token-signing key), and
 * `GET /v1/admin/audit/verify` checks every checkpoint against the recomputed chain.
 *
 * A checkpoint pins the hash at an entry with a key the database does not hold in the clear (its
 * private half is sealed with the master key, a Worker secret). Someone able to rewrite rows (a
 * database superuser, a restored backup) can recompute a consistent chain after their change, but
 * cannot sign the result: the checkpoint then disagrees with the recomputed hash.
 *
 * Checkpoints and access tokens share the signing keys, so a checkpoint carries its own `typ`
 * (RFC 8725 §3.11, explicit typing) and no JWT claims: it can never pass as a token, nor a token as
 * a checkpoint.
 */

import { open, SecretBoxError } from "@dfda/auth";
import { type Database, signingKeys } from "@dfda/db";
import {
  type AuditCheckpoint,
  type CheckpointSignatureCheck,
  headsWithoutCheckpoint,
  insertAuditCheckpoint,
} from "@dfda/db/repositories/audit";
import { eq, sql } from "drizzle-orm";
import { CompactSign, compactVerify, importJWK, type JWK } from "jose";
import type { MasterKeys } from "../oauth/config";
import { currentSigningKey, SIGNING_ALG } from "../oauth/keys";

/** The JWS `typ` header of a checkpoint (RFC 7515 §4.1.9). */
export const CHECKPOINT_TYP = "dfda-audit-checkpoint+jws";

/** Serializes checkpoint runs (pg_advisory_xact_lock key; 727274001 is the migrator's, …002 key rotation's). */
const CHECKPOINT_LOCK_KEY = 727_274_003;

/** The signed statement: this tenant's chain, up to this entry (its id and seq), has this hash. */
export interface CheckpointPayload {
  tenant_id: string;
  last_id: number;
  seq: number;
  hash: string;
  /** When it was signed, seconds since the epoch. */
  iat: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Signs a checkpoint for every tenant whose chain advanced since its latest one; the weekly cron
 * runs it. Returns how many were made. One run at a time (advisory lock), and a head that already has
 * a checkpoint is skipped, so a repeated run makes nothing twice.
 *
 * @example
 * const made = await createAuditCheckpoints(db, authConfig(env, origin).master);
 */
export async function createAuditCheckpoints(db: Database, master: MasterKeys, now = Date.now()): Promise<number> {
  const key = await currentSigningKey(db, master);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK_KEY})`);
    const heads = await headsWithoutCheckpoint(tx);
    for (const head of heads) {
      const payload: CheckpointPayload = {
        tenant_id: head.tenantId,
        last_id: head.lastId,
        seq: head.lastSeq,
        hash: head.lastHash,
        iat: Math.floor(now / 1000),
      };
      const signature = await new CompactSign(encoder.encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: CHECKPOINT_TYP })
        .sign(key.privateKey);
      await insertAuditCheckpoint(tx, {
        tenantId: head.tenantId,
        lastId: head.lastId,
        hash: head.lastHash,
        signature,
        kid: key.kid,
      });
    }
    return heads.length;
  });
}

/**
 * The public key that verifies checkpoints signed with `kid`, taken from the sealed private key when
 * the master key that sealed it is still configured: the public JWK stored beside it is then only
 * compared, never trusted, so a key swapped into the database does not verify forged checkpoints.
 * Once that master key is gone (rotated out), the stored public JWK is all there is.
 */
async function verificationKey(db: Database, master: MasterKeys, kid: string): Promise<CryptoKey | string> {
  const [row] = await db
    .select({ publicJwk: signingKeys.publicJwk, sealed: signingKeys.privateKeySealed })
    .from(signingKeys)
    .where(eq(signingKeys.kid, kid));
  if (!row) return "unknown signing key";
  const stored = row.publicJwk as JWK;
  let jwk: JWK = stored;
  try {
    const priv = JSON.parse(await open(row.sealed, { keys: master.keys, aad: `signing-key:${kid}` })) as JWK;
    if (priv.x !== stored.x || priv.y !== stored.y || priv.crv !== stored.crv) return "signing key does not match";
    jwk = { kty: priv.kty ?? "EC", crv: priv.crv ?? "P-256", x: priv.x ?? "", y: priv.y ?? "" };
  } catch (error) {
    if (!(error instanceof SecretBoxError) || error.code !== "unknown_key") return "signing key cannot be opened";
  }
  try {
    return (await importJWK(jwk, SIGNING_ALG)) as CryptoKey;
  } catch {
    return "signing key is malformed";
  }
}

/**
 * A checker for `verifyAuditChain`: verifies a checkpoint's JWS and returns what it signed.
 * Keys are looked up once per `kid` (checkpoints signed before a rotation use retired keys).
 */
export function checkpointSignatureChecker(
  db: Database,
  master: MasterKeys,
): (checkpoint: AuditCheckpoint) => Promise<CheckpointSignatureCheck> {
  const keys = new Map<string, Promise<CryptoKey | string>>();
  return async (checkpoint) => {
    let key = keys.get(checkpoint.kid);
    if (!key) {
      key = verificationKey(db, master, checkpoint.kid);
      keys.set(checkpoint.kid, key);
    }
    const resolved = await key;
    if (typeof resolved === "string") return { ok: false, reason: resolved };
    try {
      const { payload, protectedHeader } = await compactVerify(checkpoint.signature, resolved, {
        algorithms: [SIGNING_ALG],
      });
      if (protectedHeader.typ !== CHECKPOINT_TYP || protectedHeader.kid !== checkpoint.kid) {
        return { ok: false, reason: "not a checkpoint of this key" };
      }
      const signed = JSON.parse(decoder.decode(payload)) as Partial<CheckpointPayload>;
      if (
        typeof signed.tenant_id !== "string" ||
        typeof signed.last_id !== "number" ||
        typeof signed.hash !== "string"
      ) {
        return { ok: false, reason: "malformed payload" };
      }
      return { ok: true, tenantId: signed.tenant_id, lastId: signed.last_id, hash: signed.hash };
    } catch {
      return { ok: false, reason: "signature does not verify" };
    }
  };
}
