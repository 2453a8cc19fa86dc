/**
 * Password hashing with scrypt (RFC 7914), a memory-hard function, at one of the parameter sets the
 * OWASP Password Storage Cheat Sheet lists as equivalent to its scrypt minimum: N=2^14 (16 MiB per
 * lane), r=8, p=5. The p lanes run one after another, so peak memory stays ~16 MiB, which fits a
 * 128 MB Worker; one hash costs ~160 ms of CPU in workerd. Argon2id, OWASP's first choice, has no
 * native implementation in Workers; scrypt comes native through `node:crypto` (`nodejs_compat`).
 * workerd caps N · r · p at 2^20, so stronger future settings must stay within it (e.g. N=2^14, r=8,
 * p=8); OWASP's primary scrypt setting, N=2^17 r=8 p=1, is at that cap but needs 128 MiB of memory.
 *
 * Hashes are stored as PHC strings (https://github.com/P-H-C/phc-string-format):
 * `$scrypt$ln=14,r=8,p=5$<salt>$<hash>`, salt and hash in unpadded standard base64, with a 16-byte
 * random salt and a 32-byte key. The parameters travel with the hash, so they can be raised later:
 * `verifyPassword` reports `needsRehash` for a hash made with weaker ones, and the caller re-hashes
 * the password it has just verified.
 *
 * Passwords are normalized to Unicode NFKC before hashing, as NIST SP 800-63B §5.1.1.2 (which the
 * OWASP cheat sheets follow) recommends: the same password typed on another keyboard, input method
 * or OS (precomposed "é" versus "e" + combining accent, the "ﬁ" ligature versus "fi", full-width
 * digits, a no-break space) must still match. RFC 8265's OpaqueString profile asks for NFC plus
 * mapping of non-ASCII spaces to U+0020; NFKC does both of those and also folds compatibility
 * characters.
 */
import { scrypt } from "node:crypto";
import { base64Decode, base64Encode, timingSafeEqual } from "@dfda/core";

/**
 * Longest accepted password, in UTF-16 code units (`string.length`), measured before normalization.
 * It bounds the work an unauthenticated request can cause (normalization, encoding, the scrypt
 * input), and matches the 1024 the sign-up forms and the CLI allow.
 */
export const MAX_PASSWORD_LENGTH = 1024;

/** Current parameters; hashes with weaker ones get `needsRehash`. */
export const PASSWORD_PARAMS = { ln: 14, r: 8, p: 5, keyLength: 32, saltLength: 16 } as const;

/** Memory ceiling handed to scrypt; the current parameters need ~16 MiB (128 · r · N bytes). */
const MAX_MEMORY = 64 * 1024 * 1024;
/** workerd's ceiling on N · r · p (the current parameters use 655 360 of it). */
const MAX_COST = 2 ** 20;

/** `hashPassword` was given a password over `MAX_PASSWORD_LENGTH`; validate length before calling it. */
export class PasswordTooLongError extends Error {
  override readonly name = "PasswordTooLongError";
  constructor() {
    super(`Passwords may have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

export interface PasswordVerification {
  valid: boolean;
  /** The password was right but the stored hash uses weaker parameters than today's: store a new hash. */
  needsRehash: boolean;
}

interface Params {
  ln: number;
  r: number;
  p: number;
}

const encoder = new TextEncoder();

function passwordBytes(password: string): Uint8Array {
  return encoder.encode(password.normalize("NFKC"));
}

function derive(password: Uint8Array, salt: Uint8Array, params: Params, keyLength: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      keyLength,
      { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: MAX_MEMORY },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    );
  });
}

/**
 * Hashes a password for storage: NFKC, a fresh 16-byte salt, scrypt N=2^14 r=8 p=5, as a PHC string.
 * Throws `PasswordTooLongError` above `MAX_PASSWORD_LENGTH` characters (callers validate length
 * first, so this is a programming error, not a user-facing path).
 *
 * @example
 * const phc = await hashPassword("correct horse battery staple");
 * // "$scrypt$ln=14,r=8,p=5$Zb1Xw0pQ4n9cM3z5yR2k1g$0cH0m2…" (salt and hash differ every time)
 */
export async function hashPassword(password: string): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new PasswordTooLongError();
  const { ln, r, p, keyLength, saltLength } = PASSWORD_PARAMS;
  const salt = crypto.getRandomValues(new Uint8Array(saltLength));
  const key = await derive(passwordBytes(password), salt, { ln, r, p }, keyLength);
  return `$scrypt$ln=${ln},r=${r},p=${p}$${base64Encode(salt)}$${base64Encode(key)}`;
}

const PHC = /^\$scrypt\$ln=([1-9]\d?),r=([1-9]\d{0,2}),p=([1-9]\d{0,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

interface ParsedHash extends Params {
  salt: Uint8Array;
  key: Uint8Array;
}

/** The PHC string's parts, or null if it is not an scrypt hash this module can (affordably) check. */
function parse(phc: string): ParsedHash | null {
  const match = PHC.exec(phc);
  if (!match) return null;
  const [, ln, r, p, salt, key] = match;
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  // Bounds on work: RFC 7914 §2 requires p ≤ (2^32 − 1) · 32 / (128 · r); these are far tighter.
  if (params.ln > 20 || params.r > 32 || params.p > 16) return null;
  // OpenSSL's memory need: 128 · r · (N + 2) for V plus 128 · r · p for B.
  if (128 * params.r * (2 ** params.ln + 2 + params.p) > MAX_MEMORY) return null;
  // workerd refuses N · r · p above 2^20 ("cost exceeds maximum"); Node would compute it, but a hash
  // that cannot be checked where logins happen is as good as malformed.
  if (2 ** params.ln * params.r * params.p > MAX_COST) return null;
  try {
    const parsed = { ...params, salt: base64Decode(salt ?? ""), key: base64Decode(key ?? "") };
    if (parsed.salt.length > 64 || parsed.key.length < 16 || parsed.key.length > 64) return null;
    return parsed;
  } catch {
    return null;
  }
}

/**
 * Checks a password against a stored PHC string in constant time. Never throws on user input: a
 * wrong password, a password over `MAX_PASSWORD_LENGTH`, or a malformed or unsupported stored string
 * all give `{ valid: false, needsRehash: false }`. `needsRehash` is true when the password is right
 * and any of the stored parameters (ln, r, p, key or salt length) is below the current ones.
 *
 * @example
 * const { valid, needsRehash } = await verifyPassword(input, user.passwordHash);
 * if (valid && needsRehash) user.passwordHash = await hashPassword(input);
 */
export async function verifyPassword(password: string, phc: string): Promise<PasswordVerification> {
  const invalid = { valid: false, needsRehash: false };
  if (password.length > MAX_PASSWORD_LENGTH) return invalid;
  const stored = parse(phc);
  if (!stored) return invalid;
  let key: Uint8Array;
  try {
    key = await derive(passwordBytes(password), stored.salt, stored, stored.key.length);
  } catch {
    return invalid;
  }
  if (!timingSafeEqual(key, stored.key)) return invalid;
  const current = PASSWORD_PARAMS;
  const needsRehash =
    stored.ln < current.ln ||
    stored.r < current.r ||
    stored.p < current.p ||
    stored.key.length < current.keyLength ||
    stored.salt.length < current.saltLength;
  return { valid: true, needsRehash };
}
