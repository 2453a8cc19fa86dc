/**
 * Opaque tokens: authorization codes, refresh tokens, session ids, CSRF tokens, e-mail links and
 * client secrets. Each is 256 bits from the platform CSPRNG (`crypto.getRandomValues`), well above the
 * 128 bits RFC 6749 §10.10 asks of values an attacker must not guess, encoded as unpadded base64url
 * (RFC 4648 §5) so it is safe in URLs, form fields and cookies without escaping.
 *
 * The server stores only a SHA-256 of such a token (RFC 6819 §5.1.4.1.3: "store hashes of tokens"),
 * so a read of the database does not yield usable tokens. A fast hash is enough because the input is
 * already high-entropy; passwords, which are not, go through `hashPassword` instead.
 */
import { base64UrlEncode } from "@dfda/core";

/**
 * `bytes` random bytes (default 32 = 256 bits) as unpadded base64url: 43 characters for 32 bytes.
 *
 * @example
 * const code = randomToken(); // "Ry1b3y3Jk0D6-2m2cS8S1zE0bgq2nX6xqfK2k0Z9Lh4"
 * const clientId = `dfda_${randomToken(12)}`; // 16 characters after the prefix
 */
export function randomToken(bytes = 32): string {
  // getRandomValues fills at most 65 536 bytes per call (WebCrypto §10.1.1).
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 65_536) {
    throw new RangeError(`randomToken: bytes must be an integer from 1 to 65536, got ${bytes}`);
  }
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

const encoder = new TextEncoder();

async function sha256(input: string | Uint8Array): Promise<Uint8Array> {
  const data = typeof input === "string" ? encoder.encode(input) : input;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/**
 * SHA-256 (FIPS 180-4) of the UTF-8 text (or of the bytes), as 64 lowercase hex digits.
 *
 * @example
 * await sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  let out = "";
  for (const byte of await sha256(input)) out += byte.toString(16).padStart(2, "0");
  return out;
}

/**
 * SHA-256 of the UTF-8 text (or of the bytes), as 43 characters of unpadded base64url.
 *
 * @example
 * await sha256Base64Url("abc"); // "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
 */
export async function sha256Base64Url(input: string | Uint8Array): Promise<string> {
  return base64UrlEncode(await sha256(input));
}
