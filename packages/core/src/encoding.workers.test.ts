import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  base64Decode,
  base64Encode,
  base64UrlDecode,
  base64UrlEncode,
  EncodingError,
  timingSafeEqual,
  trimEndChar,
} from "./index";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

// RFC 4648 §10 test vectors.
const VECTORS: [string, string, string][] = [
  ["", "", ""],
  ["f", "Zg==", "MY======"],
  ["fo", "Zm8=", "MZXQ===="],
  ["foo", "Zm9v", "MZXW6==="],
  ["foob", "Zm9vYg==", "MZXW6YQ="],
  ["fooba", "Zm9vYmE=", "MZXW6YTB"],
  ["foobar", "Zm9vYmFy", "MZXW6YTBOI======"],
];

describe("base64 and base64url (RFC 4648 §4, §5)", () => {
  it.each(VECTORS)("%j encodes to %s", (plain, b64) => {
    const unpadded = b64.replace(/=+$/, "");
    expect(base64Encode(text(plain))).toBe(unpadded);
    expect(base64UrlEncode(text(plain))).toBe(unpadded);
    expect(str(base64Decode(b64))).toBe(plain);
    expect(str(base64Decode(unpadded))).toBe(plain);
    expect(str(base64UrlDecode(unpadded))).toBe(plain);
  });

  it("uses - and _ in base64url where base64 has + and /", () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(base64Encode(bytes)).toBe("+/+/");
    expect(base64UrlEncode(bytes)).toBe("-_-_");
    expect([...base64UrlDecode("-_-_")]).toEqual([0xfb, 0xff, 0xbf]);
    expect([...base64UrlDecode("-_8")]).toEqual([0xfb, 0xff]);
  });

  it("round-trips every byte value at every length mod 3", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const n of [254, 255, 256]) {
      const bytes = all.subarray(0, n);
      expect([...base64UrlDecode(base64UrlEncode(bytes))]).toEqual([...bytes]);
      expect([...base64Decode(base64Encode(bytes))]).toEqual([...bytes]);
    }
  });

  it("rejects padding, foreign characters, impossible lengths and non-canonical bits in base64url", () => {
    expect(() => base64UrlDecode("Zg==")).toThrow(EncodingError);
    expect(() => base64UrlDecode("Zm9v+")).toThrow(EncodingError);
    expect(() => base64UrlDecode("Zm9v/w")).toThrow(EncodingError);
    expect(() => base64UrlDecode("Zm9vY")).toThrow(/length/);
    expect(() => base64UrlDecode("Zh")).toThrow(/Non-canonical/);
    expect(() => base64UrlDecode("Zm9 v")).toThrow(EncodingError);
    expect(() => base64UrlDecode("Zm9é")).toThrow(EncodingError);
  });
});

describe("base32 (RFC 4648 §6)", () => {
  it.each(VECTORS)("%j encodes to %s (padded) and decodes back", (plain, _b64, b32) => {
    expect(base32Encode(text(plain), { padding: true })).toBe(b32);
    expect(base32Encode(text(plain))).toBe(b32.replace(/=+$/, ""));
    expect(str(base32Decode(b32))).toBe(plain);
    expect(str(base32Decode(b32.replace(/=+$/, "")))).toBe(plain);
  });

  it("decodes lowercase, spaces and missing padding", () => {
    expect(str(base32Decode("mzxw 6ytb oi"))).toBe("foobar");
    expect(str(base32Decode(" MZXW6YTBOI====== "))).toBe("foobar");
    expect(str(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"))).toBe("12345678901234567890");
  });

  it("rejects characters outside the alphabet and impossible lengths", () => {
    expect(() => base32Decode("MZXW1")).toThrow(EncodingError); // 1 is not base32
    expect(() => base32Decode("MZXW6Y0B")).toThrow(EncodingError);
    expect(() => base32Decode("MZX")).toThrow(/length/);
    expect(() => base32Decode("M")).toThrow(/length/);
  });
});

describe("timingSafeEqual", () => {
  it("compares strings and bytes by content", () => {
    expect(timingSafeEqual("csrf-token", "csrf-token")).toBe(true);
    expect(timingSafeEqual("csrf-token", "csrf-tokem")).toBe(false);
    expect(timingSafeEqual("csrf-token", "csrf-token2")).toBe(false);
    expect(timingSafeEqual("", "")).toBe(true);
    expect(timingSafeEqual("", "a")).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(timingSafeEqual("é", new Uint8Array([0xc3, 0xa9]))).toBe(true);
  });
});

describe("trimEndChar", () => {
  it("removes the run of the given characters at the end, and only there", () => {
    expect(trimEndChar("https://example.org//", "/")).toBe("https://example.org");
    expect(trimEndChar("//a", "/")).toBe("//a");
    expect(trimEndChar("===", "=")).toBe("");
    expect(trimEndChar("", "=")).toBe("");
    expect(trimEndChar("MSH|x\u000b\u001c\u000b", "\u000b\u001c")).toBe("MSH|x");
    // The input `/=+$/` took quadratic time on (a long run not at the end), in one pass.
    expect(trimEndChar(`${"=".repeat(100_000)}x==`, "=")).toBe(`${"=".repeat(100_000)}x`);
  });
});
