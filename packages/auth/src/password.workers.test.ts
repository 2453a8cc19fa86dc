import { scrypt } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base64Decode,
  base64Encode,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  PasswordTooLongError,
  verifyPassword,
} from "./index";

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** An independent scrypt call, to build hashes with other parameters and to check ours. */
function rawScrypt(password: Uint8Array, salt: Uint8Array, n: number, r: number, p: number, length: number) {
  return new Promise<Uint8Array>((resolve, reject) =>
    scrypt(password, salt, length, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key)),
    ),
  );
}

async function phcWith(password: string, ln: number, r: number, p: number, saltLength = 16, keyLength = 32) {
  const salt = crypto.getRandomValues(new Uint8Array(saltLength));
  const key = await rawScrypt(utf8(password.normalize("NFKC")), salt, 2 ** ln, r, p, keyLength);
  return `$scrypt$ln=${ln},r=${r},p=${p}$${base64Encode(salt)}$${base64Encode(key)}`;
}

const PHC = /^\$scrypt\$ln=14,r=8,p=5\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

// Each hash is ~160 ms of CPU and some tests make several; leave room on a busy machine.
describe("hashPassword / verifyPassword", { timeout: 30_000 }, () => {
  it("stores scrypt N=2^14 r=8 p=5 with a 16-byte salt and a 32-byte key as a PHC string", async () => {
    const phc = await hashPassword("correct horse battery staple");
    const match = PHC.exec(phc);
    expect(match).not.toBeNull();
    const salt = base64Decode(match?.[1] ?? "");
    const key = base64Decode(match?.[2] ?? "");
    expect(salt).toHaveLength(16);
    expect(key).toHaveLength(32);
    // The stored key is exactly scrypt(password, salt, N=16384, r=8, p=5, 32).
    expect([...key]).toEqual([...(await rawScrypt(utf8("correct horse battery staple"), salt, 16_384, 8, 5, 32))]);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const phc = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", phc)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword("correct horse battery stapler", phc)).toEqual({ valid: false, needsRehash: false });
    expect(await verifyPassword("Correct horse battery staple", phc)).toEqual({ valid: false, needsRehash: false });
    expect(await verifyPassword("", phc)).toEqual({ valid: false, needsRehash: false });
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
    expect((await verifyPassword("same password", b)).valid).toBe(true);
  });

  it("verifies the RFC 7914 §12 scrypt vector and asks to rehash its weaker parameters", async () => {
    // scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64)
    const key = hex(
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    );
    const phc = `$scrypt$ln=10,r=8,p=16$${base64Encode(utf8("NaCl"))}$${base64Encode(key)}`;
    expect(phc).toBe(`$scrypt$ln=10,r=8,p=16$TmFDbA$${base64Encode(key)}`);
    expect(await verifyPassword("password", phc)).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword("passwore", phc)).toEqual({ valid: false, needsRehash: false });
  });

  it("asks to rehash when any parameter is below the current ones, and only then", async () => {
    const pw = "a long enough password";
    expect(await verifyPassword(pw, await phcWith(pw, 13, 8, 5))).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(pw, await phcWith(pw, 14, 4, 5))).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(pw, await phcWith(pw, 14, 8, 1))).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(pw, await phcWith(pw, 14, 8, 5, 8))).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(pw, await phcWith(pw, 14, 8, 5, 16, 16))).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(pw, await phcWith(pw, 14, 8, 5))).toEqual({ valid: true, needsRehash: false });
    // Stronger than today (more lanes) is kept as it is.
    expect(await verifyPassword(pw, await phcWith(pw, 14, 8, 6))).toEqual({ valid: true, needsRehash: false });
    // A wrong password never asks for a rehash.
    expect(await verifyPassword("wrong", await phcWith(pw, 13, 8, 5))).toEqual({ valid: false, needsRehash: false });
  });

  it("returns invalid, without throwing, for malformed or unaffordable stored strings", async () => {
    const good = await hashPassword("pw");
    const [, , , params, salt, key] = good.split("$");
    const malformed = [
      "",
      "not a hash",
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      `$scrypt$${params}$${salt}`,
      `$scrypt$${params}$${salt}$`,
      `$scrypt$${params}$${salt}$${key}$extra`,
      `$scrypt$ln=14,r=8$${salt}$${key}`,
      `$scrypt$r=8,ln=14,p=5$${salt}$${key}`,
      `$scrypt$ln=0,r=8,p=5$${salt}$${key}`,
      `$scrypt$ln=014,r=8,p=5$${salt}$${key}`,
      `$scrypt$ln=14,r=8,p=5$${salt}$${key}=`,
      `$scrypt$ln=14,r=8,p=5$${salt}$${key?.slice(0, -2)}`,
      `$scrypt$ln=14,r=8,p=5$s@lt$${key}`,
      `$scrypt$ln=14,r=8,p=5$${salt}$${base64Encode(new Uint8Array(8))}`,
      // 1 GiB of memory: refused before scrypt is called.
      `$scrypt$ln=20,r=8,p=5$${salt}$${key}`,
      `$scrypt$ln=14,r=8,p=500$${salt}$${key}`,
      // N · r · p = 2^20 · 1.25: above workerd's cap.
      `$scrypt$ln=15,r=8,p=5$${salt}$${key}`,
      ` ${good}`,
    ];
    for (const phc of malformed) {
      expect(await verifyPassword("pw", phc), phc).toEqual({ valid: false, needsRehash: false });
    }
    expect(await verifyPassword("pw", good)).toEqual({ valid: true, needsRehash: false });
  });

  it("normalizes to NFKC: ligatures, decomposed accents, full-width letters and no-break spaces match", async () => {
    const phc = await hashPassword("ﬁsh ﬁllet"); // U+FB01 LATIN SMALL LIGATURE FI
    expect((await verifyPassword("fish fillet", phc)).valid).toBe(true);
    expect((await verifyPassword("ｆｉｓｈ\u00a0ﬁllet", phc)).valid).toBe(true);
    expect((await verifyPassword("fish filet", phc)).valid).toBe(false);
    const accented = await hashPassword("caf\u00e9 au lait"); // precomposed é
    expect((await verifyPassword("cafe\u0301 au lait", accented)).valid).toBe(true); // e + combining acute
    expect((await verifyPassword("cafe au lait", accented)).valid).toBe(false);
  });

  it(`accepts up to ${MAX_PASSWORD_LENGTH} characters; beyond, hashing throws and verifying is invalid`, async () => {
    const longest = "x".repeat(MAX_PASSWORD_LENGTH);
    const phc = await hashPassword(longest);
    expect(await verifyPassword(longest, phc)).toEqual({ valid: true, needsRehash: false });
    await expect(hashPassword(`${longest}x`)).rejects.toBeInstanceOf(PasswordTooLongError);
    expect(await verifyPassword(`${longest}x`, phc)).toEqual({ valid: false, needsRehash: false });
  });
});
