/**
 * Signed download links for exports. The link is the capability (as a pre-signed object URL is): it
 * works without a bearer token, for one export, until it expires, so a person can hand it to a
 * download manager or another device.
 *
 *     token = <master key id> "." <expiry, Unix seconds> "." <holder id> "." base64url(HMAC-SHA-256(K, message))
 *     message = "dfda-export-link/v2" LF tenant id LF user id LF export id LF holder id LF expiry
 *     K = HKDF-SHA-256(IKM = that master key, salt = empty, info = "dfda/export-download-link/v1")
 *
 * HMAC (RFC 2104) with SHA-256, a key derived with HKDF (RFC 5869) under its own `info`, so the master
 * key is never used directly and no other use of it can produce a valid link. The tag binds the tenant,
 * the owner and the export: a link never opens another export. It also binds the holder, the user the
 * link was signed for (the owner, or a custodian acting for them), so the download can ask again
 * whether the holder may still act for the owner: a custodian's link stops when the custodian link
 * ends (v1 links carried no holder and are no longer accepted). The key id lets links made before a
 * master key rotation keep working while the old key is still in the keyring (24 hours at most).
 * Verification compares in constant time.
 */
import { base64UrlDecode, base64UrlEncode, timingSafeEqual } from "@dfda/auth";
import type { MasterKeyring } from "@dfda/vault";

const CONTEXT = "dfda-export-link/v2";
const HKDF_INFO = new TextEncoder().encode("dfda/export-download-link/v1");
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const HOLDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface LinkSubject {
  tenantId: string;
  userId: string;
  exportId: string;
}

/** The user a link is signed for: the owner, or a custodian acting for them. */
export interface LinkHolder {
  holderId: string;
}

async function linkKey(masterKey: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey("raw", base64UrlDecode(masterKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: HKDF_INFO },
    ikm,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
}

async function tag(masterKey: string, subject: LinkSubject, holderId: string, expiry: number): Promise<Uint8Array> {
  const message = [CONTEXT, subject.tenantId, subject.userId, subject.exportId, holderId, String(expiry)].join("\n");
  const mac = await crypto.subtle.sign("HMAC", await linkKey(masterKey), new TextEncoder().encode(message));
  return new Uint8Array(mac);
}

/**
 * A download token for `subject`, held by `holderId`, that expires at `expiresAt` (whole seconds), under
 * the current master key.
 *
 * @example
 * const token = await signDownloadToken(keyring, { tenantId, userId, exportId, holderId }, row.expiresAt);
 * const url = `${origin}/v1/me/exports/${exportId}/download?token=${token}`;
 */
export async function signDownloadToken(
  keyring: MasterKeyring,
  subject: LinkSubject & LinkHolder,
  expiresAt: Date,
): Promise<string> {
  if (!HOLDER_ID.test(subject.holderId)) throw new Error("a link holder is a user id");
  const keyId = keyring.currentKeyId;
  const masterKey = keyring.keys[keyId];
  if (masterKey === undefined) throw new Error("the current master key is missing");
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  const mac = await tag(masterKey, subject, subject.holderId, expiry);
  return `${keyId}.${expiry}.${subject.holderId}.${base64UrlEncode(mac)}`;
}

export type LinkCheck =
  | { valid: true; expiresAt: Date; holderId: string }
  | { valid: false; reason: "malformed" | "bad_signature" | "expired" };

/**
 * Whether `token` is a link for `subject` that has not expired at `now`, and for whom it was signed. The
 * signature is checked first: an expired link is reported as expired only when it is genuine. Whether
 * the holder may still act for the owner is the caller's question (it needs the database).
 */
export async function verifyDownloadToken(
  keyring: MasterKeyring,
  token: string,
  subject: LinkSubject,
  now: Date = new Date(),
): Promise<LinkCheck> {
  const parts = token.split(".");
  const [keyId, expiryText, holderId, macText] = parts;
  if (
    parts.length !== 4 ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    !/^\d{1,12}$/.test(expiryText ?? "") ||
    holderId === undefined ||
    !HOLDER_ID.test(holderId)
  ) {
    return { valid: false, reason: "malformed" };
  }
  const masterKey = Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (masterKey === undefined) return { valid: false, reason: "bad_signature" };
  let mac: Uint8Array;
  try {
    mac = base64UrlDecode(macText ?? "");
  } catch {
    return { valid: false, reason: "malformed" };
  }
  const expiry = Number(expiryText);
  if (!timingSafeEqual(mac, await tag(masterKey, subject, holderId, expiry))) {
    return { valid: false, reason: "bad_signature" };
  }
  const expiresAt = new Date(expiry * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { valid: false, reason: "expired" };
  return { valid: true, expiresAt, holderId };
}
