import { describe, expect, it } from "vitest";
import { base64UrlDecode, randomToken, sha256Base64Url, sha256Hex } from "./index";

describe("randomToken", () => {
  it("is 32 random bytes as 43 base64url characters by default", () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(base64UrlDecode(token)).toHaveLength(32);
  });

  it("honours the byte count and does not repeat", () => {
    expect(randomToken(12)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const many = new Set(Array.from({ length: 1000 }, () => randomToken(16)));
    expect(many.size).toBe(1000);
  });

  it("refuses nonsensical sizes", () => {
    expect(() => randomToken(0)).toThrow(RangeError);
    expect(() => randomToken(1.5)).toThrow(RangeError);
    expect(() => randomToken(65_537)).toThrow(RangeError);
  });
});

describe("sha256Hex / sha256Base64Url (FIPS 180-4 vectors)", () => {
  it("hashes the empty string and 'abc'", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(await sha256Base64Url("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });

  it("hashes text as UTF-8", async () => {
    expect(await sha256Hex("é")).toBe(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
});
