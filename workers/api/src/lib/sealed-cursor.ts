/**
 * Sealed cursors, for lists whose sort key must not reach the client: the study query orders by
 * pseudonym and by a per-row hash, and a researcher who also holds identified access elsewhere could
 * link those to people if the cursor carried them (issue 12). `encodeCursor` (@dfda/core) only encodes;
 * this encrypts and authenticates.
 *
 * Format: `<masterKeyId>.<base64url(nonce ‖ ciphertext ‖ tag)>`, AES-256-GCM (NIST SP 800-38D) with a
 * random 96-bit nonce, under a key derived from the master key with HKDF-SHA-256 (RFC 5869) and a
 * cursor-only `info` label, so no other ciphertext of that master key (vault, secretbox) opens as a
 * cursor or the reverse. The associated data binds the list and a context chosen by the route (for the
 * study query: tenant, study, researcher), so a cursor works only for whom and where it was made.
 *
 * - Reveals nothing: the position is encrypted, and the random nonce makes two cursors for the same
 *   position differ, for two researchers or for one researcher asking twice.
 * - Cannot be forged or altered: a changed byte fails the GCM tag, and the answer is 400 invalid_cursor,
 *   the same as for any cursor this list did not produce.
 * - Key rotation: the master key id travels with the cursor, so cursors made under a key that is still
 *   in the keyring keep working; once it is removed they are refused (a client restarts from page one).
 */
import { ApiError, base64UrlDecode, base64UrlEncode, type CursorKey } from "@dfda/core";
import type { MasterKeyring } from "@dfda/vault";

const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const FORMAT = "sc1";
const encoder = new TextEncoder();
/** HKDF `info` (RFC 5869 §3.2): this key seals cursors and nothing else. */
const CURSOR_KEY_INFO = encoder.encode("dfda-api/v1 cursor sealing");

/** Derived keys by master key value: derivation is per isolate, not per request. */
const derived = new Map<string, Promise<CryptoKey>>();

function cursorKey(keyring: MasterKeyring, keyId: string): Promise<CryptoKey> | null {
  const master = Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (master === undefined) return null;
  let key = derived.get(master);
  if (key === undefined) {
    key = crypto.subtle
      .importKey("raw", base64UrlDecode(master), "HKDF", false, ["deriveKey"])
      .then((ikm) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: CURSOR_KEY_INFO },
          ikm,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    derived.set(master, key);
  }
  return key;
}

/** AAD as a JSON array of strings: unambiguous whatever the parts contain. */
function aadOf(keyId: string, list: string, context: readonly string[]): Uint8Array {
  return encoder.encode(JSON.stringify([FORMAT, keyId, list, ...context]));
}

/**
 * Seals the key of a page's last row for `list`, bound to `context`.
 *
 * @example
 * await sealCursor(config.masterKeys, "study-observations", [tenantId, studyId, userId], [subject, at, row])
 * // "k1.q3v…" (different every call)
 */
export async function sealCursor(
  keyring: MasterKeyring,
  list: string,
  context: readonly string[],
  key: CursorKey,
): Promise<string> {
  const keyId = keyring.currentKeyId;
  const aesKey = cursorKey(keyring, keyId);
  if (aesKey === null) throw new Error("the current master key is not in the keyring");
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: aadOf(keyId, list, context), tagLength: TAG_LENGTH * 8 },
      await aesKey,
      encoder.encode(JSON.stringify(key)),
    ),
  );
  const out = new Uint8Array(NONCE_LENGTH + sealed.length);
  out.set(nonce);
  out.set(sealed, NONCE_LENGTH);
  return `${keyId}.${base64UrlEncode(out)}`;
}

/**
 * Opens a cursor sealed by `sealCursor` for the same list and context; a 400 `invalid_cursor` for
 * anything else (another researcher's, altered, forged, or under a key no longer held).
 */
export async function openCursor(
  keyring: MasterKeyring,
  list: string,
  context: readonly string[],
  cursor: string,
  arity: number,
): Promise<CursorKey> {
  const dot = cursor.indexOf(".");
  const keyId = cursor.slice(0, dot);
  const aesKey = dot > 0 ? cursorKey(keyring, keyId) : null;
  if (aesKey === null) throw invalidCursor();
  let plain: string;
  try {
    const bytes = base64UrlDecode(cursor.slice(dot + 1));
    if (bytes.length < NONCE_LENGTH + TAG_LENGTH) throw invalidCursor();
    const opened = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: bytes.slice(0, NONCE_LENGTH),
        additionalData: aadOf(keyId, list, context),
        tagLength: TAG_LENGTH * 8,
      },
      await aesKey,
      bytes.slice(NONCE_LENGTH),
    );
    plain = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(opened);
  } catch {
    throw invalidCursor();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw invalidCursor();
  }
  // Authentic, so made by this code; checked anyway, as every boundary parses what it receives.
  if (!Array.isArray(parsed) || parsed.length !== arity) throw invalidCursor();
  for (const part of parsed) {
    if (part !== null && typeof part !== "string" && typeof part !== "number") throw invalidCursor();
  }
  return parsed as CursorKey;
}

function invalidCursor(): ApiError {
  return new ApiError("invalid_cursor", {
    detail: "The cursor is not one this list produced for you. Request the first page without a cursor.",
    errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
  });
}
