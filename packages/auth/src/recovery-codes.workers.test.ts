import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode, sha256Hex } from "./index";

const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

describe("recovery codes", () => {
  it("generates ten distinct codes of 16 unambiguous characters by default", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(FORMAT);
      expect(code).not.toMatch(/[ilou]/);
    }
  });

  it("honours the count and uses the whole alphabet", () => {
    const codes = generateRecoveryCodes(100);
    expect(new Set(codes).size).toBe(100);
    const seen = new Set(codes.join("").replace(/-/g, ""));
    expect([...seen].sort().join("")).toBe("0123456789abcdefghjkmnpqrstvwxyz");
    expect(() => generateRecoveryCodes(0)).toThrow(RangeError);
    expect(() => generateRecoveryCodes(101)).toThrow(RangeError);
  });

  it("normalizes case, spaces, dashes and look-alike letters", () => {
    expect(normalizeRecoveryCode("7k2q-m9xd-4tfa-0hcz")).toBe("7k2qm9xd4tfa0hcz");
    expect(normalizeRecoveryCode(" 7K2Q M9XD\t4TFA-OHCZ ")).toBe("7k2qm9xd4tfa0hcz");
    expect(normalizeRecoveryCode("IL1o0O")).toBe("111000");
  });

  it("hashes the normalized code with SHA-256", async () => {
    const hash = await hashRecoveryCode("7K2Q-M9XD-4TFA-OHCZ");
    expect(hash).toBe(await sha256Hex("7k2qm9xd4tfa0hcz"));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashRecoveryCode("7k2q m9xd 4tfa 0hcz")).toBe(hash);
    expect(await hashRecoveryCode("7k2q-m9xd-4tfa-0hcy")).not.toBe(hash);
    const [code = ""] = generateRecoveryCodes(1);
    expect(await hashRecoveryCode(code.toUpperCase().replace(/-/g, " "))).toBe(await hashRecoveryCode(code));
  });
});
