/**
 * Byte encodings and constant-time comparison: the one implementation of each that every package uses
 * (@dfda/auth's tokens, PKCE, TOTP and sealed secrets, @dfda/vault's wrapped keys, list cursors, the
 * API's signed links and ID tokens, the CLI).
 *
 * - base64url (RFC 4648 §5, unpadded, as RFC 7515 §2 and RFC 7636 §3 use it) carries random tokens,
 *   PKCE challenges and sealed secrets in URLs, cookies and database columns.
 * - base64 (RFC 4648 §4, unpadded) is what the PHC string format uses for password salts and hashes.
 * - base32 (RFC 4648 §6) is the TOTP secret format authenticator apps expect (Google Authenticator
 *   Key Uri Format); people type these, so decoding forgives case, spaces and missing padding.
 * - `timingSafeEqual` compares secrets without an early exit, so response time does not reveal how
 *   many leading bytes of a guess were right.
 *
 * Hand-written rather than `Uint8Array.prototype.toBase64` / `Buffer`: the former is not in Node 20,
 * the latter is not a Web API, and this code runs in both Workers and the Node CLI.
 */

/** Input that is not valid in the encoding being decoded. */
export class EncodingError extends Error {
  override readonly name = "EncodingError";
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Value of each character code in an alphabet, -1 for characters outside it. */
function lookup(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const BASE64_LOOKUP = lookup(BASE64_ALPHABET);
const BASE64URL_LOOKUP = lookup(BASE64URL_ALPHABET);
const BASE32_LOOKUP = lookup(BASE32_ALPHABET);

/** Packs bytes into `bits`-wide groups (6 for base64, 5 for base32), most significant bit first. */
function encodeBits(bytes: Uint8Array, alphabet: string, bits: number): string {
  const mask = (1 << bits) - 1;
  let out = "";
  let buffer = 0;
  let count = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    count += 8;
    while (count >= bits) {
      count -= bits;
      out += alphabet[(buffer >>> count) & mask];
    }
  }
  if (count > 0) out += alphabet[(buffer << (bits - count)) & mask];
  return out;
}

/**
 * Unpacks `bits`-wide characters into bytes. Throws on a character outside the alphabet or on a length
 * no encoder produces; with `canonical`, also on non-zero leftover bits (RFC 4648 §3.5), so one byte
 * string has exactly one encoding.
 */
function decodeBits(text: string, table: Int16Array, bits: number, name: string, canonical: boolean): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * bits) / 8));
  let buffer = 0;
  let count = 0;
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (table[code] ?? -1) : -1;
    if (value < 0) throw new EncodingError(`Invalid ${name} character at position ${i}`);
    buffer = ((buffer << bits) | value) & 0xffff;
    count += bits;
    if (count >= 8) {
      count -= 8;
      out[index++] = (buffer >>> count) & 0xff;
    }
  }
  // Leftover bits must be fewer than one character's worth, else the length was impossible.
  if (count >= bits) throw new EncodingError(`Invalid ${name} length`);
  if (canonical && (buffer & ((1 << count) - 1)) !== 0) throw new EncodingError(`Non-canonical ${name} encoding`);
  return out;
}

/**
 * RFC 4648 §5 base64url without padding.
 *
 * @example
 * base64UrlEncode(new Uint8Array([0xfb, 0xff])); // "-_8"
 */
export function base64UrlEncode(bytes: Uint8Array): string {
  return encodeBits(bytes, BASE64URL_ALPHABET, 6);
}

/**
 * Decodes RFC 4648 §5 base64url. Padding is neither needed nor accepted (RFC 7515 §2 form); throws
 * `EncodingError` on any other character, an impossible length, or non-zero trailing bits.
 *
 * @example
 * base64UrlDecode("-_8"); // Uint8Array [0xfb, 0xff]
 */
export function base64UrlDecode(text: string): Uint8Array {
  return decodeBits(text, BASE64URL_LOOKUP, 6, "base64url", true);
}

/**
 * RFC 4648 §4 base64 without padding (the PHC string format's "B64").
 *
 * @example
 * base64Encode(new TextEncoder().encode("foob")); // "Zm9vYg"
 */
export function base64Encode(bytes: Uint8Array): string {
  return encodeBits(bytes, BASE64_ALPHABET, 6);
}

/**
 * Decodes RFC 4648 §4 base64; trailing `=` padding is accepted and ignored. Throws `EncodingError`
 * on invalid characters, an impossible length, or non-zero trailing bits.
 *
 * @example
 * new TextDecoder().decode(base64Decode("Zm9vYg==")); // "foob"
 */
export function base64Decode(text: string): Uint8Array {
  return decodeBits(text.replace(/={1,2}$/, ""), BASE64_LOOKUP, 6, "base64", true);
}

/**
 * RFC 4648 §6 base32, uppercase. Unpadded by default, which is what authenticator apps expect in
 * otpauth URIs; `{ padding: true }` gives the RFC's padded form.
 *
 * @example
 * base32Encode(new TextEncoder().encode("foobar")); // "MZXW6YTBOI"
 * base32Encode(new TextEncoder().encode("foobar"), { padding: true }); // "MZXW6YTBOI======"
 */
export function base32Encode(bytes: Uint8Array, options: { padding?: boolean } = {}): string {
  const out = encodeBits(bytes, BASE32_ALPHABET, 5);
  return options.padding === true ? out.padEnd(Math.ceil(out.length / 8) * 8, "=") : out;
}

/**
 * Decodes RFC 4648 §6 base32 as people type it: lowercase, whitespace and missing or present
 * padding are all accepted; leftover bits are ignored. Throws `EncodingError` on other characters
 * or an impossible length.
 *
 * @example
 * base32Decode("mzxw 6ytb oi"); // bytes of "foobar"
 */
export function base32Decode(text: string): Uint8Array {
  const cleaned = trimEndChar(text.replace(/\s+/g, ""), "=").toUpperCase();
  return decodeBits(cleaned, BASE32_LOOKUP, 5, "base32", false);
}

const encoder = new TextEncoder();

/**
 * Constant-time equality of two byte strings or two strings (compared as UTF-8). The loop always
 * runs over the longer input, so neither the position of the first difference nor (beyond the
 * length of the longer input) the inputs' lengths change the running time.
 *
 * @example
 * timingSafeEqual(cookieCsrfToken, formCsrfToken); // true only if identical
 * timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 */
export function timingSafeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const x = typeof a === "string" ? encoder.encode(a) : a;
  const y = typeof b === "string" ? encoder.encode(b) : b;
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * `text` without the run of `chars` (each one character) it ends with. A scan from the end rather
 * than `/x+$/`: a regex search for a run at the end retries from every character of a long run that
 * is not at the end, so its time grows with the square of the run (ReDoS, CWE-1333).
 *
 * @example
 * trimEndChar("https://example.org//", "/"); // "https://example.org"
 */
export function trimEndChar(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}
