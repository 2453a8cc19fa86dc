/**
 * The key hierarchy of the vault (envelope encryption; key wrapping as in NIST SP 800-57 Part 1 Rev. 5):
 *
 *     master key (Worker secret, keyring by id)
 *       └─ wraps ─ user key (KEK, 256-bit, one per user; wrapped form in the database)
 *                    └─ wraps ─ data key (DEK, 256-bit, one per file; wrapped form in the file's row)
 *                                 └─ encrypts ─ the file in R2 (`stream.ts`)
 *
 * - Master keys use the `AUTH_MASTER_KEYS` secret format: a JSON object of key id → base64url of 32
 *   random bytes, plus the id of the current key. The vault never uses a master key directly: it
 *   derives its own wrapping key from it with HKDF-SHA-256 (RFC 5869) and a vault-only `info` label,
 *   so one secret can serve both `@dfda/auth`'s secretbox and the vault without a ciphertext of one
 *   ever being a valid ciphertext of the other.
 * - A wrapped user key is `uk1.<masterKeyId>.<nonce>.<ciphertext‖tag>` (base64url): AES-256-GCM (NIST
 *   SP 800-38D) with a random 96-bit nonce and, as additional authenticated data, the format, the
 *   master key id, the tenant id and the user id. A wrapped key copied to another user's row, or
 *   relabelled with another master key id, fails to open.
 * - A wrapped data key is `dk1.<userKeyVersion>.<nonce>.<ciphertext‖tag>`: AES-256-GCM under the user
 *   key, AAD binding the format, tenant, user, file id and user-key version.
 * - Random 96-bit nonces are safe for at most 2^32 encryptions under one key (SP 800-38D §8.3). A
 *   master key wraps one user key per user (plus one per rotation), a user key one data key per file:
 *   orders of magnitude below that bound.
 * - AES-KW (RFC 3394) would need no nonce, but takes no associated data; GCM binds the context.
 *
 * Rotation: put the new master key in the keyring, make it current, and `rewrapUserKey` every wrapped
 * user key whose `masterKeyIdOf` is not the current id; once none is left, remove the old key. Data keys
 * and files are untouched. See README.md.
 *
 * Crypto-shredding: deleting a user's wrapped user key (the database row and every backup of it)
 * makes every data key wrapped under it, and so every file of that user, undecryptable by anyone:
 * the user key existed nowhere else, and the master keys never encrypted a data key.
 */
import { base64UrlDecode, base64UrlEncode } from "@dfda/auth";
import { VaultError } from "./errors";

/** Master keys by id (base64url, 32 bytes each) and the id that wraps new user keys. */
export interface MasterKeyring {
  readonly keys: Readonly<Record<string, string>>;
  readonly currentKeyId: string;
}

/** Whose user key this is. Both ids are bound into the wrapping. */
export interface UserKeyContext {
  readonly tenantId: string;
  readonly userId: string;
}

/** Which file a data key belongs to, and which version of the user's key wraps it. */
export interface DataKeyContext extends UserKeyContext {
  readonly fileId: string;
  /** The version of the user key (e.g. `files.key_version`): a non-negative integer. */
  readonly userKeyVersion: number;
}

/** A user key wrapped under a master key, and that master key's id (store both). */
export interface WrappedUserKey {
  readonly wrapped: string;
  readonly masterKeyId: string;
}

/** Bytes in a master key, a user key and a data key: AES-256. */
export const KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const USER_KEY_FORMAT = "uk1";
const DATA_KEY_FORMAT = "dk1";
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,14})$/;
const encoder = new TextEncoder();
/** HKDF `info` of the user-key wrapping key derived from a master key (RFC 5869 §3.2). */
const WRAPPING_KEY_INFO = encoder.encode("dfda-vault/v1 user-key wrapping");

/** AAD as a JSON array of strings: an unambiguous encoding, whatever the ids contain. */
function aadOf(fields: readonly string[]): Uint8Array {
  return encoder.encode(JSON.stringify(fields));
}

function checkKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) {
    throw new VaultError("invalid_key", "Master key ids are 1 to 64 characters of A-Z, a-z, 0-9, _ and -");
  }
}

function checkKeyBytes(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new VaultError("invalid_key", `A ${what} is ${KEY_LENGTH} bytes`);
  }
}

function checkContext(context: UserKeyContext): void {
  if (typeof context.tenantId !== "string" || context.tenantId.length === 0) {
    throw new VaultError("invalid_argument", "tenantId is required");
  }
  if (typeof context.userId !== "string" || context.userId.length === 0) {
    throw new VaultError("invalid_argument", "userId is required");
  }
}

function checkDataContext(context: DataKeyContext): void {
  checkContext(context);
  if (typeof context.fileId !== "string" || context.fileId.length === 0) {
    throw new VaultError("invalid_argument", "fileId is required");
  }
  if (!Number.isSafeInteger(context.userKeyVersion) || context.userKeyVersion < 0) {
    throw new VaultError("invalid_argument", "userKeyVersion is a non-negative integer");
  }
}

function decodeMasterKey(keyId: string, key: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = base64UrlDecode(key);
  } catch {
    raw = new Uint8Array(0);
  }
  if (raw.length !== KEY_LENGTH) {
    throw new VaultError("invalid_key", `Master key ${keyId} is not ${KEY_LENGTH} bytes of base64url`);
  }
  return raw;
}

/** The AES-256-GCM key that wraps user keys, derived from master key `keyId` of the keyring. */
async function wrappingKey(keyring: MasterKeyring, keyId: string): Promise<CryptoKey> {
  checkKeyId(keyId);
  const key = Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (key === undefined) throw new VaultError("unknown_key", `No master key with id ${keyId}`);
  const ikm = await crypto.subtle.importKey("raw", decodeMasterKey(keyId, key), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: WRAPPING_KEY_INFO },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

async function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

/** `<format>.<label>.<nonce>.<ciphertext‖tag>` from AES-256-GCM of `plaintext`. */
async function wrap(key: CryptoKey, format: string, label: string, plaintext: Uint8Array, aad: Uint8Array) {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: TAG_LENGTH * 8 },
    key,
    plaintext,
  );
  return `${format}.${label}.${base64UrlEncode(nonce)}.${base64UrlEncode(new Uint8Array(sealed))}`;
}

interface ParsedWrap {
  label: string;
  nonce: Uint8Array;
  sealed: Uint8Array;
}

function parseWrap(wrapped: string, format: string, labelPattern: RegExp, what: string): ParsedWrap {
  const parts = typeof wrapped === "string" ? wrapped.split(".") : [];
  const [prefix, label, nonceText, sealedText] = parts;
  if (parts.length !== 4 || prefix !== format || label === undefined || !labelPattern.test(label)) {
    throw new VaultError("malformed", `Not a wrapped ${what}`);
  }
  try {
    const nonce = base64UrlDecode(nonceText ?? "");
    const sealed = base64UrlDecode(sealedText ?? "");
    if (nonce.length === NONCE_LENGTH && sealed.length === KEY_LENGTH + TAG_LENGTH) return { label, nonce, sealed };
  } catch {
    // Reported below.
  }
  throw new VaultError("malformed", `Not a wrapped ${what}`);
}

async function unwrap(key: CryptoKey, parsed: ParsedWrap, aad: Uint8Array, what: string): Promise<Uint8Array> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: parsed.nonce, additionalData: aad, tagLength: TAG_LENGTH * 8 },
      key,
      parsed.sealed,
    );
    return new Uint8Array(plaintext);
  } catch (cause) {
    throw new VaultError(
      "unwrap_failed",
      `The wrapped ${what} failed authentication: wrong key, wrong context, or a changed byte`,
      { cause },
    );
  }
}

function userKeyAad(masterKeyId: string, context: UserKeyContext): Uint8Array {
  return aadOf(["dfda-vault/user-key", USER_KEY_FORMAT, masterKeyId, context.tenantId, context.userId]);
}

function dataKeyAad(context: DataKeyContext): Uint8Array {
  return aadOf([
    "dfda-vault/data-key",
    DATA_KEY_FORMAT,
    context.tenantId,
    context.userId,
    context.fileId,
    String(context.userKeyVersion),
  ]);
}

/**
 * Parses the master keyring from the `AUTH_MASTER_KEYS` secret format (JSON object of key id →
 * base64url of 32 bytes) and the id of the current key. Every key is checked here, so a bad secret
 * fails at startup rather than at the first upload. Throws `VaultError("invalid_key")`.
 *
 * @example
 * const keyring = parseMasterKeyring(env.VAULT_MASTER_KEYS, env.VAULT_MASTER_KEY_ID);
 * // or, sharing the authorization server's secret: parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID)
 */
export function parseMasterKeyring(keysJson: string, currentKeyId: string): MasterKeyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(keysJson);
  } catch (cause) {
    throw new VaultError("invalid_key", "The master keyring is not JSON", { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new VaultError("invalid_key", "The master keyring is a JSON object of key id to key");
  }
  const keys: Record<string, string> = {};
  for (const [keyId, key] of Object.entries(parsed)) {
    checkKeyId(keyId);
    if (typeof key !== "string") throw new VaultError("invalid_key", `Master key ${keyId} is not a string`);
    decodeMasterKey(keyId, key);
    keys[keyId] = key;
  }
  checkKeyId(currentKeyId);
  if (!Object.hasOwn(keys, currentKeyId)) {
    throw new VaultError("invalid_key", `The current master key id ${currentKeyId} is not in the keyring`);
  }
  return { keys, currentKeyId };
}

/**
 * A new random user key (KEK): 32 bytes from the platform CSPRNG. Wrap it at once with `wrapUserKey`
 * and keep only the wrapped form.
 *
 * @example
 * const userKey = generateUserKey();
 * const { wrapped, masterKeyId } = await wrapUserKey(keyring, userKey, { tenantId, userId });
 */
export function generateUserKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_LENGTH));
}

/**
 * A new random data key (DEK) for one file: 32 bytes from the platform CSPRNG.
 *
 * @example
 * const dek = generateDataKey();
 * const wrappedDek = await wrapDataKey(userKey, dek, { tenantId, userId, fileId, userKeyVersion: 1 });
 */
export function generateDataKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_LENGTH));
}

/**
 * Wraps a user key under the keyring's current master key, bound to the tenant and user. Store both
 * `wrapped` and `masterKeyId` (the latter to find keys still to rotate).
 *
 * @example
 * const { wrapped, masterKeyId } = await wrapUserKey(keyring, generateUserKey(), { tenantId, userId });
 * // wrapped: "uk1.k2.dGhpcyBpcyBhIG5vbmNl.…", masterKeyId: "k2"
 */
export async function wrapUserKey(
  keyring: MasterKeyring,
  userKey: Uint8Array,
  context: UserKeyContext,
): Promise<WrappedUserKey> {
  checkKeyBytes(userKey, "user key");
  checkContext(context);
  const masterKeyId = keyring.currentKeyId;
  const key = await wrappingKey(keyring, masterKeyId);
  const wrapped = await wrap(key, USER_KEY_FORMAT, masterKeyId, userKey, userKeyAad(masterKeyId, context));
  return { wrapped, masterKeyId };
}

/**
 * Opens a wrapped user key with whichever master key of the keyring it names. Throws `VaultError`:
 * `malformed`, `unknown_key` (that master key is no longer in the keyring), `invalid_key`, or
 * `unwrap_failed` (another tenant or user, or a changed byte).
 *
 * @example
 * const userKey = await unwrapUserKey(keyring, row.wrappedKey, { tenantId, userId });
 */
export async function unwrapUserKey(
  keyring: MasterKeyring,
  wrapped: string,
  context: UserKeyContext,
): Promise<Uint8Array> {
  checkContext(context);
  const parsed = parseWrap(wrapped, USER_KEY_FORMAT, KEY_ID, "user key");
  const key = await wrappingKey(keyring, parsed.label);
  return unwrap(key, parsed, userKeyAad(parsed.label, context), "user key");
}

/**
 * Re-wraps a wrapped user key under the keyring's current master key (the old master key must still
 * be in the keyring). The user key itself, and so every data key and file under it, is unchanged:
 * master-key rotation costs one small write per user. Always produces a fresh wrapping.
 *
 * @example
 * if (masterKeyIdOf(row.wrappedKey) !== keyring.currentKeyId) {
 *   const next = await rewrapUserKey(keyring, row.wrappedKey, { tenantId, userId });
 *   await db.update(userKeys).set({ wrappedKey: next.wrapped, masterKeyId: next.masterKeyId });
 * }
 */
export async function rewrapUserKey(
  keyring: MasterKeyring,
  wrapped: string,
  context: UserKeyContext,
): Promise<WrappedUserKey> {
  const userKey = await unwrapUserKey(keyring, wrapped, context);
  try {
    return await wrapUserKey(keyring, userKey, context);
  } finally {
    userKey.fill(0);
  }
}

/**
 * The id of the master key a wrapped user key is wrapped under (no decryption). Throws
 * `VaultError("malformed")`.
 *
 * @example
 * masterKeyIdOf("uk1.k1.AAAAAAAAAAAAAAAA.…"); // "k1"
 */
export function masterKeyIdOf(wrapped: string): string {
  return parseWrap(wrapped, USER_KEY_FORMAT, KEY_ID, "user key").label;
}

/**
 * Wraps a file's data key under the user key, bound to tenant, user, file and user-key version.
 *
 * @example
 * const wrappedDek = await wrapDataKey(userKey, dek, { tenantId, userId, fileId, userKeyVersion: 1 });
 * // "dk1.1.<nonce>.<ciphertext‖tag>"
 */
export async function wrapDataKey(userKey: Uint8Array, dataKey: Uint8Array, context: DataKeyContext): Promise<string> {
  checkKeyBytes(userKey, "user key");
  checkKeyBytes(dataKey, "data key");
  checkDataContext(context);
  const key = await aesKey(userKey);
  return wrap(key, DATA_KEY_FORMAT, String(context.userKeyVersion), dataKey, dataKeyAad(context));
}

/**
 * Opens a wrapped data key with the user key of version `context.userKeyVersion`. Throws
 * `VaultError`: `malformed`, `wrong_key` (it was wrapped under another user-key version: see
 * `userKeyVersionOf`), or `unwrap_failed` (another user's key, another file, or a changed byte).
 *
 * @example
 * const dek = await unwrapDataKey(userKey, file.wrappedDek, { tenantId, userId, fileId, userKeyVersion: 1 });
 */
export async function unwrapDataKey(
  userKey: Uint8Array,
  wrapped: string,
  context: DataKeyContext,
): Promise<Uint8Array> {
  checkKeyBytes(userKey, "user key");
  checkDataContext(context);
  const parsed = parseWrap(wrapped, DATA_KEY_FORMAT, DECIMAL, "data key");
  if (parsed.label !== String(context.userKeyVersion)) {
    throw new VaultError(
      "wrong_key",
      `The data key is wrapped under user key version ${parsed.label}, not ${context.userKeyVersion}`,
    );
  }
  return unwrap(await aesKey(userKey), parsed, dataKeyAad(context), "data key");
}

/**
 * The user-key version a wrapped data key names (no decryption), to know which user key to load.
 * Throws `VaultError("malformed")`.
 *
 * @example
 * userKeyVersionOf("dk1.3.AAAAAAAAAAAAAAAA.…"); // 3
 */
export function userKeyVersionOf(wrapped: string): number {
  return Number(parseWrap(wrapped, DATA_KEY_FORMAT, DECIMAL, "data key").label);
}
