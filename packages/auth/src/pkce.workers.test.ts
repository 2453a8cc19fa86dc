import { describe, expect, it } from "vitest";
import { isValidCodeChallenge, isValidCodeVerifier, randomToken, s256Challenge, verifyPkce } from "./index";

// RFC 7636 Appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE (RFC 7636)", () => {
  it("computes the Appendix B S256 challenge", async () => {
    expect(await s256Challenge(VERIFIER)).toBe(CHALLENGE);
  });

  it("accepts the matching verifier", async () => {
    expect(await verifyPkce({ verifier: VERIFIER, challenge: CHALLENGE, method: "S256" })).toBe(true);
    const verifier = randomToken(32);
    expect(await verifyPkce({ verifier, challenge: await s256Challenge(verifier), method: "S256" })).toBe(true);
  });

  it("rejects a wrong verifier", async () => {
    const other = `${VERIFIER.slice(0, -1)}l`;
    expect(isValidCodeVerifier(other)).toBe(true);
    expect(await verifyPkce({ verifier: other, challenge: CHALLENGE, method: "S256" })).toBe(false);
  });

  it("rejects the plain method and unknown methods", async () => {
    expect(await verifyPkce({ verifier: VERIFIER, challenge: VERIFIER, method: "plain" })).toBe(false);
    expect(await verifyPkce({ verifier: VERIFIER, challenge: CHALLENGE, method: "plain" })).toBe(false);
    expect(await verifyPkce({ verifier: VERIFIER, challenge: CHALLENGE, method: "s256" })).toBe(false);
    expect(await verifyPkce({ verifier: VERIFIER, challenge: CHALLENGE, method: "" })).toBe(false);
  });

  it("rejects malformed verifiers and challenges", async () => {
    const short = "a".repeat(42);
    expect(await verifyPkce({ verifier: short, challenge: await s256Challenge(short), method: "S256" })).toBe(false);
    const long = "a".repeat(129);
    expect(await verifyPkce({ verifier: long, challenge: await s256Challenge(long), method: "S256" })).toBe(false);
    const badChar = `${"a".repeat(42)}+`;
    expect(await verifyPkce({ verifier: badChar, challenge: await s256Challenge(badChar), method: "S256" })).toBe(
      false,
    );
    expect(await verifyPkce({ verifier: VERIFIER, challenge: `${CHALLENGE}=`, method: "S256" })).toBe(false);
    expect(await verifyPkce({ verifier: VERIFIER, challenge: "", method: "S256" })).toBe(false);
  });

  it("validates the §4.1 verifier syntax", () => {
    expect(isValidCodeVerifier("a".repeat(43))).toBe(true);
    expect(isValidCodeVerifier("a".repeat(128))).toBe(true);
    expect(isValidCodeVerifier(`${"a".repeat(39)}-._~`)).toBe(true);
    expect(isValidCodeVerifier("a".repeat(42))).toBe(false);
    expect(isValidCodeVerifier("a".repeat(129))).toBe(false);
    expect(isValidCodeVerifier(`${"a".repeat(42)} `)).toBe(false);
    expect(isValidCodeVerifier(`${"a".repeat(42)}=`)).toBe(false);
  });

  it("validates the S256 challenge syntax", () => {
    expect(isValidCodeChallenge(CHALLENGE)).toBe(true);
    expect(isValidCodeChallenge(CHALLENGE.slice(1))).toBe(false);
    expect(isValidCodeChallenge(`${CHALLENGE}A`)).toBe(false);
    expect(isValidCodeChallenge(CHALLENGE.replace("-", "+"))).toBe(false);
    // The 43rd character carries 4 bits and 2 zero bits: "N" is never the end of a 32-byte value.
    expect(isValidCodeChallenge(`${CHALLENGE.slice(0, 42)}N`)).toBe(false);
  });
});
