/**
 * Proof Key for Code Exchange (RFC 7636). A public client proves at the token endpoint that it is
 * the one that started the authorization request, by revealing the `code_verifier` whose hash it sent
 * as `code_challenge`. Only the `S256` method is accepted: `plain` sends the verifier itself through
 * the front channel and defeats the purpose (OAuth 2.0 Security BCP, RFC 9700 §2.1.1, and OAuth 2.1).
 */
import { timingSafeEqual } from "@dfda/core";
import { sha256Base64Url } from "./tokens";

/** RFC 7636 §4.1: 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~". */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** BASE64URL of a 32-byte SHA-256, unpadded: exactly 43 characters, the last from a 4-bit subset. */
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{42}[AEIMQUYcgkosw048]$/;

/**
 * Whether `verifier` has the `code_verifier` syntax of RFC 7636 §4.1.
 *
 * @example
 * isValidCodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); // true
 * isValidCodeVerifier("too-short"); // false
 */
export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/**
 * Whether `challenge` can be an S256 `code_challenge`: the unpadded base64url of 32 bytes.
 *
 * @example
 * isValidCodeChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"); // true
 * isValidCodeChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM="); // false (padded)
 */
export function isValidCodeChallenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/**
 * The S256 `code_challenge` of a verifier (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(code_verifier))).
 * The verifier is not validated here; clients generate it with `randomToken(32)`.
 *
 * @example
 * await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
 * // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
 */
export async function s256Challenge(verifier: string): Promise<string> {
  return sha256Base64Url(verifier);
}

/**
 * The token endpoint's check (RFC 7636 §4.6). True only for method `S256`, a syntactically valid
 * verifier and challenge, and a matching hash (compared in constant time). Never throws.
 *
 * @example
 * await verifyPkce({ verifier, challenge: stored.codeChallenge, method: "S256" }); // true or false
 * await verifyPkce({ verifier, challenge: verifier, method: "plain" }); // false: plain is refused
 */
export async function verifyPkce(input: { verifier: string; challenge: string; method: string }): Promise<boolean> {
  if (input.method !== "S256") return false;
  if (!isValidCodeVerifier(input.verifier) || !isValidCodeChallenge(input.challenge)) return false;
  return timingSafeEqual(await s256Challenge(input.verifier), input.challenge);
}
