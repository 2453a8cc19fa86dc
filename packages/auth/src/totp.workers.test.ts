import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  type OtpAlgorithm,
  otpauthUri,
  totp,
  totpStep,
  verifyTotp,
} from "./index";

const ascii = (s: string) => new TextEncoder().encode(s);

// RFC 4226 Appendix D: secret "12345678901234567890", counters 0 to 9.
const HOTP_SECRET = ascii("12345678901234567890");
const HOTP_VALUES = [
  "755224",
  "287082",
  "359152",
  "969429",
  "338314",
  "254676",
  "287922",
  "162583",
  "399871",
  "520489",
];

// RFC 6238 Appendix B, with the seeds of the errata (EID 2866): 20, 32 and 64 bytes for SHA-1/256/512.
const SEEDS: Record<OtpAlgorithm, Uint8Array> = {
  SHA1: ascii("12345678901234567890"),
  SHA256: ascii("12345678901234567890123456789012"),
  SHA512: ascii("1234567890123456789012345678901234567890123456789012345678901234"),
};
const TOTP_VECTORS: [number, string, string, OtpAlgorithm][] = [
  [59, "0000000000000001", "94287082", "SHA1"],
  [59, "0000000000000001", "46119246", "SHA256"],
  [59, "0000000000000001", "90693936", "SHA512"],
  [1111111109, "00000000023523EC", "07081804", "SHA1"],
  [1111111109, "00000000023523EC", "68084774", "SHA256"],
  [1111111109, "00000000023523EC", "25091201", "SHA512"],
  [1111111111, "00000000023523ED", "14050471", "SHA1"],
  [1111111111, "00000000023523ED", "67062674", "SHA256"],
  [1111111111, "00000000023523ED", "99943326", "SHA512"],
  [1234567890, "000000000273EF07", "89005924", "SHA1"],
  [1234567890, "000000000273EF07", "91819424", "SHA256"],
  [1234567890, "000000000273EF07", "93441116", "SHA512"],
  [2000000000, "0000000003F940AA", "69279037", "SHA1"],
  [2000000000, "0000000003F940AA", "90698825", "SHA256"],
  [2000000000, "0000000003F940AA", "38618901", "SHA512"],
  [20000000000, "0000000027BC86AA", "65353130", "SHA1"],
  [20000000000, "0000000027BC86AA", "77737706", "SHA256"],
  [20000000000, "0000000027BC86AA", "47863826", "SHA512"],
];

describe("HOTP (RFC 4226 Appendix D)", () => {
  it.each(HOTP_VALUES.map((value, counter) => [counter, value] as const))(
    "counter %i gives %s",
    async (counter, value) => {
      expect(await hotp(HOTP_SECRET, counter)).toBe(value);
      // The same secret as base32, the form it is stored and shown in.
      expect(await hotp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", counter)).toBe(value);
    },
  );
});

describe("TOTP (RFC 6238 Appendix B)", () => {
  it.each(TOTP_VECTORS)("at %i s (T=%s) gives %s with %s", async (seconds, stepHex, code, algorithm) => {
    expect(totpStep(seconds * 1000)).toBe(Number.parseInt(stepHex, 16));
    expect(await totp(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8 })).toBe(code);
    expect(await totp(SEEDS[algorithm], new Date(seconds * 1000), { algorithm, digits: 8 })).toBe(code);
    expect(await totp(base32Encode(SEEDS[algorithm]), seconds * 1000, { algorithm, digits: 8 })).toBe(code);
    // Six digits are the last six of the eight (both are the same 31-bit value modulo 10^n).
    expect(await totp(SEEDS[algorithm], seconds * 1000, { algorithm })).toBe(code.slice(2));
    expect(await verifyTotp(SEEDS[algorithm], code, { now: seconds * 1000, algorithm, digits: 8, window: 0 })).toEqual({
      valid: true,
      step: Number.parseInt(stepHex, 16),
    });
  });

  it("generates 20-byte base32 secrets", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("defaults to the current time", async () => {
    const secret = generateTotpSecret();
    const before = Date.now();
    const code = await totp(secret);
    // Unless the 30-second boundary passed between the two calls, the codes agree.
    if (totpStep(before) === totpStep(Date.now())) expect(code).toBe(await totp(secret, before));
    expect(code).toMatch(/^\d{6}$/);
  });
});

describe("verifyTotp", () => {
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  const now = 1_111_111_111_000; // step 37037037
  const step = 37_037_037;

  it("accepts the current step and one step either side by default, not two", async () => {
    expect(await verifyTotp(secret, await totp(secret, now), { now })).toEqual({ valid: true, step });
    expect(await verifyTotp(secret, await totp(secret, now - 30_000), { now })).toEqual({
      valid: true,
      step: step - 1,
    });
    expect(await verifyTotp(secret, await totp(secret, now + 30_000), { now })).toEqual({
      valid: true,
      step: step + 1,
    });
    expect(await verifyTotp(secret, await totp(secret, now - 60_000), { now })).toEqual({ valid: false, step: null });
    expect(await verifyTotp(secret, await totp(secret, now + 60_000), { now })).toEqual({ valid: false, step: null });
  });

  it("honours the window option", async () => {
    const previous = await totp(secret, now - 30_000);
    expect(await verifyTotp(secret, previous, { now, window: 0 })).toEqual({ valid: false, step: null });
    expect(await verifyTotp(secret, await totp(secret, now - 60_000), { now, window: 2 })).toEqual({
      valid: true,
      step: step - 2,
    });
  });

  it("refuses a replay: the step must be later than lastUsedStep", async () => {
    const code = await totp(secret, now);
    const first = await verifyTotp(secret, code, { now });
    expect(first).toEqual({ valid: true, step });
    expect(await verifyTotp(secret, code, { now, lastUsedStep: step })).toEqual({ valid: false, step: null });
    expect(await verifyTotp(secret, code, { now: now + 20_000, lastUsedStep: step })).toEqual({
      valid: false,
      step: null,
    });
    // An older code after a newer one was used is refused as well.
    expect(await verifyTotp(secret, await totp(secret, now - 30_000), { now, lastUsedStep: step })).toEqual({
      valid: false,
      step: null,
    });
    // The next step's code is fine.
    expect(await verifyTotp(secret, await totp(secret, now + 30_000), { now, lastUsedStep: step })).toEqual({
      valid: true,
      step: step + 1,
    });
    expect(await verifyTotp(secret, code, { now, lastUsedStep: step - 1 })).toEqual({ valid: true, step });
    expect(await verifyTotp(secret, code, { now, lastUsedStep: null })).toEqual({ valid: true, step });
    expect(await verifyTotp(secret, code, { now, lastUsedStep: undefined })).toEqual({ valid: true, step });
  });

  it("refuses malformed and wrong codes without throwing", async () => {
    const code = await totp(secret, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (const bad of [
      wrong,
      "",
      "12345",
      "1234567",
      `${code} `,
      ` ${code}`,
      code.replace(/\d$/, "x"),
      "１２３４５６",
    ]) {
      expect(await verifyTotp(secret, bad, { now }), bad).toEqual({ valid: false, step: null });
    }
  });
});

describe("otpauthUri (Google Authenticator Key Uri Format)", () => {
  it("builds the label, issuer and parameters", () => {
    expect(otpauthUri({ secret: "JBSWY3DPEHPK3PXP", issuer: "DFDA", account: "ada@example.org" })).toBe(
      "otpauth://totp/DFDA:ada%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=DFDA&algorithm=SHA1&digits=6&period=30",
    );
  });

  it("percent-encodes issuer and account (space as %20, colon as %3A)", () => {
    const uri = otpauthUri({ secret: "jbsw y3dp ehpk 3pxp", issuer: "Health & Co", account: "ada lovelace:1" });
    expect(uri).toBe(
      "otpauth://totp/Health%20%26%20Co:ada%20lovelace%3A1?secret=JBSWY3DPEHPK3PXP&issuer=Health%20%26%20Co&algorithm=SHA1&digits=6&period=30",
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe("otpauth:");
    expect(parsed.searchParams.get("issuer")).toBe("Health & Co");
    expect(parsed.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("states non-default algorithm, digits and period", () => {
    expect(
      otpauthUri({ secret: "JBSWY3DPEHPK3PXP", issuer: "X", account: "y", algorithm: "SHA256", digits: 8, period: 60 }),
    ).toBe("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X&algorithm=SHA256&digits=8&period=60");
  });

  it("rejects a secret that is not base32", () => {
    expect(() => otpauthUri({ secret: "not base32!", issuer: "X", account: "y" })).toThrow();
  });
});
