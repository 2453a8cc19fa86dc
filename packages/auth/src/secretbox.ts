/**
 * Encryption at rest of small secrets the server must read back (TOTP secrets, token-signing private
 * keys): AES-256-GCM (NIST SP 800-38D) through WebCrypto, keyed by a master key held as a Worker
 * secret, so a copy of the database alone reveals none of them.
 *
 * Sealed form: `v1.<keyId>.<nonce>.<ciphertext‖tag>`, nonce and ciphertext in unpadded base64url.
 * - The 96-bit nonce is random per message (SP 800-38D §8.2.2); with at most a few million messages
 *   per key, far below the 2^32 limit, a nonce collision is not a concern.
 * - `keyId` names the master key version. New data is sealed with the current key; `open` takes every
 *   key still configured, so the master key can be rotated while old ciphertexts remain readable.
 * - The caller's context string (e.g. `totp:<userId>`) and the `v1.<keyId>.` header are additional
 *   authenticated data: a ciphertext copied to another user's row, or relabelled with another key
 *   id, fails to open instead of decrypting as someone else's secret.
 *
 * Any failure to open (wrong key, wrong context, a changed byte) is the same `SecretBoxError`: GCM
 * cannot tell them apart, and callers should not try.
 */
import { base64UrlDecode, base64UrlEncode } from "@dfda/core";

export type SecretBoxErrorCode = "invalid_key" | "malformed" | "unknown_key" | "decryption_failed";

/** A key that is not 32 bytes of base64url, a malformed sealed string, an unknown key id, or tampering. */
export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
  readonly code: SecretBoxErrorCode;
  constructor(code: SecretBoxErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const VERSION = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function checkKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) {
    throw new SecretBoxError("invalid_key", "Key ids are 1 to 64 characters of A-Z, a-z, 0-9, _ and -");
  }
}

async function importKey(key: string, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = base64UrlDecode(key);
  } catch {
    raw = new Uint8Array(0);
  }
  if (raw.length !== 32) throw new SecretBoxError("invalid_key", "A master key is 32 bytes, base64url-encoded");
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, [usage]);
}

function additionalData(keyId: string, aad: string): Uint8Array {
  return encoder.encode(`${VERSION}.${keyId}.${aad}`);
}

/**
 * A new random master key: 32 bytes as base64url (43 characters), for a Worker secret such as
 * `AUTH_MASTER_KEYS = {"k2":"<this>"}`.
 *
 * @example
 * generateMasterKey(); // "q0Cq3m6f1Vt1bX0Zy7ZkqgH9l9p9Tq2H7w3QJm8zF5A"
 */
export function generateMasterKey(): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Encrypts and authenticates `plaintext` (a string is taken as UTF-8) under the master key `key`
 * named `keyId`, bound to the context `aad`. Throws `SecretBoxError("invalid_key")` for a bad key or
 * key id.
 *
 * @example
 * const sealed = await seal(secret, { key: master.currentKey, keyId: "k1", aad: `totp:${userId}` });
 * // "v1.k1.3q2N….Vx0c…"
 */
export async function seal(
  plaintext: string | Uint8Array,
  options: { key: string; keyId: string; aad: string },
): Promise<string> {
  checkKeyId(options.keyId);
  const key = await importKey(options.key, "encrypt");
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const data = typeof plaintext === "string" ? encoder.encode(plaintext) : plaintext;
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: nonce,
      additionalData: additionalData(options.keyId, options.aad),
      tagLength: TAG_BYTES * 8,
    },
    key,
    data,
  );
  return `${VERSION}.${options.keyId}.${base64UrlEncode(nonce)}.${base64UrlEncode(new Uint8Array(ciphertext))}`;
}

/**
 * Decrypts a `seal` result to bytes. `keys` maps key ids to master keys (all versions still in use);
 * `aad` must equal the one given to `seal`. Throws `SecretBoxError`: `malformed`, `unknown_key`,
 * `invalid_key`, or `decryption_failed` (tampered, wrong key, wrong context).
 *
 * @example
 * const pkcs8 = await openBytes(row.sealed, { keys: { k1, k2 }, aad: `signing-key:${kid}` });
 */
export async function openBytes(
  sealed: string,
  options: { keys: Record<string, string>; aad: string },
): Promise<Uint8Array> {
  const parts = sealed.split(".");
  const [version, keyId, nonceText, ciphertextText] = parts;
  if (parts.length !== 4 || version !== VERSION || keyId === undefined || !KEY_ID.test(keyId)) {
    throw new SecretBoxError("malformed", "Not a sealed secret");
  }
  let nonce: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    nonce = base64UrlDecode(nonceText ?? "");
    ciphertext = base64UrlDecode(ciphertextText ?? "");
  } catch {
    throw new SecretBoxError("malformed", "Not a sealed secret");
  }
  if (nonce.length !== NONCE_BYTES || ciphertext.length < TAG_BYTES) {
    throw new SecretBoxError("malformed", "Not a sealed secret");
  }
  const masterKey = Object.hasOwn(options.keys, keyId) ? options.keys[keyId] : undefined;
  if (masterKey === undefined) throw new SecretBoxError("unknown_key", `No master key with id ${keyId}`);
  const key = await importKey(masterKey, "decrypt");
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: additionalData(keyId, options.aad), tagLength: TAG_BYTES * 8 },
      key,
      ciphertext,
    );
    return new Uint8Array(plaintext);
  } catch {
    throw new SecretBoxError("decryption_failed", "The sealed secret failed authentication");
  }
}

/**
 * Decrypts a `seal` result to a string (UTF-8). Same keys, context and errors as `openBytes`; bytes
 * that are not UTF-8 are `decryption_failed`.
 *
 * @example
 * const secret = await open(row.secretSealed, { keys: master.keys, aad: `totp:${userId}` });
 */
export async function open(sealed: string, options: { keys: Record<string, string>; aad: string }): Promise<string> {
  const bytes = await openBytes(sealed, options);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new SecretBoxError("decryption_failed", "The sealed secret is not text");
  }
}
