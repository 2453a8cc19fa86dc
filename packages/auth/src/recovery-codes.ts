/**
 * Single-use recovery codes: the way back in when the authenticator app is lost (NIST SP 800-63B
 * §5.1.2 "look-up secrets"). Users copy them onto paper and type them back, so the alphabet is
 * Crockford's base32 (https://www.crockford.com/base32.html): digits and lowercase letters without
 * i, l, o and u, and on input the look-alikes are folded (o → 0, i and l → 1), case, spaces and dashes
 * ignored.
 *
 * Each code is 16 characters (80 bits from `crypto.getRandomValues`; the 32-letter alphabet makes
 * every character exactly 5 unbiased bits), shown as `xxxx-xxxx-xxxx-xxxx`. Codes are stored as an
 * unsalted SHA-256, which the server can look up directly; a fast hash is fine because the input is
 * random, not chosen by a person: even an attacker holding every stored hash would need ~2^80 hash
 * computations to recover a code. (Ten-character codes, 50 bits, would be within reach of one
 * offline search against all users' hashes at once; hence 16.)
 */
import { sha256Hex } from "./tokens";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const LENGTH = 16;
const GROUP = 4;

/**
 * `count` new recovery codes (default 10), distinct, formatted `xxxx-xxxx-xxxx-xxxx`. Show them to
 * the user once; store only `hashRecoveryCode` of each.
 *
 * @example
 * generateRecoveryCodes(); // ["7k2q-m9xd-4tfa-0hcz", … 10 codes]
 */
export function generateRecoveryCodes(count = 10): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new RangeError(`generateRecoveryCodes: count must be an integer from 1 to 100, got ${count}`);
  }
  const codes = new Set<string>();
  while (codes.size < count) {
    const bytes = crypto.getRandomValues(new Uint8Array(LENGTH));
    let code = "";
    bytes.forEach((byte, i) => {
      if (i > 0 && i % GROUP === 0) code += "-";
      code += ALPHABET[byte & 31];
    });
    codes.add(code);
  }
  return [...codes];
}

/**
 * The canonical form of a typed recovery code: lowercase, without whitespace or dashes, with o read
 * as 0 and i or l as 1.
 *
 * @example
 * normalizeRecoveryCode(" 7K2Q-M9XD 4TFA-OHCZ "); // "7k2qm9xd4tfa0hcz"
 */
export function normalizeRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[\s-]+/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
}

/**
 * What is stored for a recovery code: SHA-256 (hex) of its normalized form, so any way the user
 * types the code finds the same row.
 *
 * @example
 * await hashRecoveryCode("7K2Q-M9XD-4TFA-0HCZ") === await hashRecoveryCode("7k2qm9xd4tfa0hcz"); // true
 */
export async function hashRecoveryCode(code: string): Promise<string> {
  return sha256Hex(normalizeRecoveryCode(code));
}
