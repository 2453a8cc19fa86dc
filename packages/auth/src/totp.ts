/**
 * One-time passwords for the second factor: TOTP (RFC 6238) over HOTP (RFC 4226), with HMAC from
 * WebCrypto. The defaults (HMAC-SHA-1, 6 digits, 30-second steps) are the only ones every
 * authenticator app supports; SHA-256, SHA-512 and 7 or 8 digits exist for the RFC test vectors and
 * for apps that support them.
 *
 * Replay: RFC 6238 §5.2 says a verifier must not accept the second attempt of a code after a
 * successful validation. `verifyTotp` returns the time step it matched; the caller stores it and
 * passes it back as `lastUsedStep`, and only codes of later steps are accepted.
 *
 * Times are Unix milliseconds (or `Date`s) like everything else in JavaScript; RFC 6238 counts
 * seconds, so its test time 59 is `59_000` here.
 */
import { base32Decode, base32Encode, timingSafeEqual } from "@dfda/core";

export type OtpAlgorithm = "SHA1" | "SHA256" | "SHA512";

export interface HotpOptions {
  /** HMAC hash (RFC 6238 §1.2); default "SHA1". */
  algorithm?: OtpAlgorithm;
  /** Code length, 6 to 8 (RFC 4226 §5.3); default 6. */
  digits?: number;
}

export interface TotpOptions extends HotpOptions {
  /** Time step X in seconds (RFC 6238 §4.1); default 30. */
  period?: number;
}

export interface VerifyTotpOptions extends TotpOptions {
  /** The time to check against, Unix milliseconds or a Date; default now. */
  now?: number | Date | undefined;
  /** Steps accepted either side of the current one for clock drift (RFC 6238 §5.2); default 1. */
  window?: number | undefined;
  /** The step of the last code accepted for this secret; only later steps are accepted. */
  lastUsedStep?: number | null | undefined;
}

export type TotpVerification = { valid: true; step: number } | { valid: false; step: null };

const HASHES: Record<OtpAlgorithm, string> = { SHA1: "SHA-1", SHA256: "SHA-256", SHA512: "SHA-512" };

/** Secrets are base32 strings (as stored and shown to users) or raw bytes. */
function secretBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === "string" ? base32Decode(secret) : secret;
}

function checkDigits(digits: number): number {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw new RangeError(`OTP digits must be 6, 7 or 8, got ${digits}`);
  }
  return digits;
}

function checkPeriod(period: number): number {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`TOTP period must be a positive integer, got ${period}`);
  return period;
}

async function hmacKey(secret: string | Uint8Array, algorithm: OtpAlgorithm): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: HASHES[algorithm] }, false, [
    "sign",
  ]);
}

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
async function hotpWithKey(key: CryptoKey, counter: number, digits: number): Promise<string> {
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new RangeError(`HOTP counter must be a non-negative integer, got ${counter}`);
  const message = new Uint8Array(8);
  const view = new DataView(message.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = new DataView(mac.buffer).getUint32(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, "0");
}

/**
 * An RFC 4226 HOTP value for a counter.
 *
 * @example
 * await hotp(new TextEncoder().encode("12345678901234567890"), 0); // "755224" (RFC 4226 Appendix D)
 */
export async function hotp(secret: string | Uint8Array, counter: number, options: HotpOptions = {}): Promise<string> {
  const digits = checkDigits(options.digits ?? 6);
  return hotpWithKey(await hmacKey(secret, options.algorithm ?? "SHA1"), counter, digits);
}

function millis(time: number | Date): number {
  return typeof time === "number" ? time : time.getTime();
}

/**
 * The RFC 6238 time step T = floor(unix seconds / period) that a time falls in.
 *
 * @example
 * totpStep(59_000); // 1
 */
export function totpStep(time: number | Date = Date.now(), period = 30): number {
  return Math.floor(millis(time) / 1000 / checkPeriod(period));
}

/**
 * A new TOTP secret: 20 random bytes (160 bits, the HMAC-SHA-1 output size RFC 4226 §4 recommends)
 * as 32 characters of unpadded base32.
 *
 * @example
 * const secret = generateTotpSecret(); // "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
 */
export function generateTotpSecret(): string {
  return base32Encode(crypto.getRandomValues(new Uint8Array(20)));
}

/**
 * The TOTP code (RFC 6238 §4) for a base32 (or raw) secret at a time in Unix milliseconds.
 *
 * @example
 * await totp(secret, Date.now()); // "492039"
 * await totp(new TextEncoder().encode("12345678901234567890"), 59_000, { digits: 8 }); // "94287082"
 */
export async function totp(
  secret: string | Uint8Array,
  time: number | Date = Date.now(),
  options: TotpOptions = {},
): Promise<string> {
  return hotp(secret, totpStep(time, options.period ?? 30), options);
}

/**
 * Checks a code typed by the user. Accepts the current step and `window` steps either side (default
 * 1, so ±30 s of clock drift), but only a step later than `lastUsedStep`, so a code (or an earlier
 * one) cannot be used twice. Never throws on the code: anything that is not exactly `digits` ASCII
 * digits is invalid. All candidate steps are computed and compared in constant time.
 *
 * @example
 * const result = await verifyTotp(secret, "492039", { lastUsedStep: row.lastUsedStep });
 * if (result.valid) row.lastUsedStep = result.step; // store it (compare-and-set) before trusting it
 */
export async function verifyTotp(
  secret: string | Uint8Array,
  code: string,
  options: VerifyTotpOptions = {},
): Promise<TotpVerification> {
  const digits = checkDigits(options.digits ?? 6);
  const window = options.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > 10)
    throw new RangeError(`TOTP window must be 0 to 10, got ${window}`);
  const key = await hmacKey(secret, options.algorithm ?? "SHA1");
  const current = totpStep(options.now ?? Date.now(), options.period ?? 30);
  const lastUsedStep = options.lastUsedStep ?? -1;
  const wellFormed = code.length === digits && /^[0-9]+$/.test(code);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = await hotpWithKey(key, step, digits);
    // Oldest eligible match wins; steps at or before lastUsedStep are replays.
    if (timingSafeEqual(expected, code) && wellFormed && step > lastUsedStep && matched === null) matched = step;
  }
  return matched === null ? { valid: false, step: null } : { valid: true, step: matched };
}

/**
 * The `otpauth://` URI an authenticator app scans from a QR code (Google Authenticator Key Uri
 * Format): label `Issuer:account` and the `issuer` parameter, both percent-encoded (a space as %20,
 * a colon inside issuer or account as %3A), and the secret in unpadded base32. Prefer an issuer
 * without colons (a product name rather than a URL): some apps split the label at an encoded colon.
 *
 * @example
 * otpauthUri({ secret: "JBSWY3DPEHPK3PXP", issuer: "DFDA", account: "ada@example.org" });
 * // "otpauth://totp/DFDA:ada%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=DFDA&algorithm=SHA1&digits=6&period=30"
 */
export function otpauthUri(input: { secret: string; issuer: string; account: string } & TotpOptions): string {
  const issuer = encodeURIComponent(input.issuer);
  const account = encodeURIComponent(input.account);
  // Decoding and re-encoding validates the secret and gives the canonical unpadded uppercase form.
  const secret = base32Encode(base32Decode(input.secret));
  const algorithm = input.algorithm ?? "SHA1";
  const digits = checkDigits(input.digits ?? 6);
  const period = checkPeriod(input.period ?? 30);
  return `otpauth://totp/${issuer}:${account}?secret=${secret}&issuer=${issuer}&algorithm=${algorithm}&digits=${digits}&period=${period}`;
}
