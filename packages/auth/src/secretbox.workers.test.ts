import { describe, expect, it } from "vitest";
import { base64UrlDecode, base64UrlEncode, generateMasterKey, open, openBytes, SecretBoxError, seal } from "./index";

const k1 = generateMasterKey();
const k2 = generateMasterKey();
const aad = "totp:0193a5b2-7c1e-7d4a-9f3b-2c8e1a0b4d6f";

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    return (error as SecretBoxError).code;
  }
  throw new Error("expected a SecretBoxError");
}

describe("secretbox (AES-256-GCM)", () => {
  it("generates 32-byte base64url master keys", () => {
    expect(k1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(base64UrlDecode(k1)).toHaveLength(32);
    expect(k2).not.toBe(k1);
  });

  it("round-trips text in the v1.<keyId>.<nonce>.<ciphertext> form", async () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const sealed = await seal(secret, { key: k1, keyId: "k1", aad });
    const [version, keyId, nonce, ciphertext, ...rest] = sealed.split(".");
    expect([version, keyId, rest.length]).toEqual(["v1", "k1", 0]);
    expect(base64UrlDecode(nonce ?? "")).toHaveLength(12);
    // 32 bytes of plaintext plus the 16-byte tag.
    expect(base64UrlDecode(ciphertext ?? "")).toHaveLength(48);
    expect(sealed).not.toContain(secret);
    expect(await open(sealed, { keys: { k1 }, aad })).toBe(secret);
  });

  it("round-trips bytes and non-ASCII text, with a fresh nonce each time", async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const sealed = await seal(bytes, { key: k1, keyId: "k1", aad: "signing-key:x" });
    expect([...(await openBytes(sealed, { keys: { k1 }, aad: "signing-key:x" }))]).toEqual([...bytes]);
    const text = '{"kty":"EC","d":"ünïcødé ✓"}';
    const a = await seal(text, { key: k1, keyId: "k1", aad });
    const b = await seal(text, { key: k1, keyId: "k1", aad });
    expect(a).not.toBe(b);
    expect(await open(a, { keys: { k1 }, aad })).toBe(text);
    expect(await open(b, { keys: { k1 }, aad })).toBe(text);
    expect(await open(await seal("", { key: k1, keyId: "k1", aad }), { keys: { k1 }, aad })).toBe("");
  });

  it("detects a tampered ciphertext, nonce or tag", async () => {
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad });
    const [version, keyId, nonce = "", ciphertext = ""] = sealed.split(".");
    const flip = (text: string, index: number) => {
      const bytes = base64UrlDecode(text);
      bytes[index] = (bytes[index] ?? 0) ^ 1;
      return base64UrlEncode(bytes);
    };
    const ct = base64UrlDecode(ciphertext);
    for (const forged of [
      `${version}.${keyId}.${nonce}.${flip(ciphertext, 0)}`,
      `${version}.${keyId}.${nonce}.${flip(ciphertext, ct.length - 1)}`,
      `${version}.${keyId}.${flip(nonce, 5)}.${ciphertext}`,
      `${version}.${keyId}.${nonce}.${base64UrlEncode(ct.subarray(0, ct.length - 1))}`,
    ]) {
      expect(await failure(open(forged, { keys: { k1 }, aad }))).toBe("decryption_failed");
    }
  });

  it("refuses the wrong context (AAD)", async () => {
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad: "totp:user-a" });
    expect(await failure(open(sealed, { keys: { k1 }, aad: "totp:user-b" }))).toBe("decryption_failed");
    expect(await failure(open(sealed, { keys: { k1 }, aad: "" }))).toBe("decryption_failed");
    expect(await open(sealed, { keys: { k1 }, aad: "totp:user-a" })).toBe("secret");
  });

  it("refuses the wrong key, and a ciphertext relabelled with another key id", async () => {
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad });
    expect(await failure(open(sealed, { keys: { k1: k2 }, aad }))).toBe("decryption_failed");
    // Same key under another name: the key id is authenticated too.
    const relabelled = sealed.replace(/^v1\.k1\./, "v1.k9.");
    expect(await failure(open(relabelled, { keys: { k1, k9: k1 }, aad }))).toBe("decryption_failed");
  });

  it("refuses an unknown key id", async () => {
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad });
    expect(await failure(open(sealed, { keys: { k2 }, aad }))).toBe("unknown_key");
    expect(await failure(open(sealed.replace(/^v1\.k1\./, "v1.constructor."), { keys: {}, aad }))).toBe("unknown_key");
  });

  it("opens data sealed with an old key after rotation when both keys are configured", async () => {
    const old = await seal("sealed before rotation", { key: k1, keyId: "k1", aad });
    const fresh = await seal("sealed after rotation", { key: k2, keyId: "k2", aad });
    expect(fresh.startsWith("v1.k2.")).toBe(true);
    const keys = { k1, k2 };
    expect(await open(old, { keys, aad })).toBe("sealed before rotation");
    expect(await open(fresh, { keys, aad })).toBe("sealed after rotation");
    // Re-sealing under the new key (the migration step of a rotation) keeps the content.
    const migrated = await seal(await open(old, { keys, aad }), { key: k2, keyId: "k2", aad });
    expect(await open(migrated, { keys: { k2 }, aad })).toBe("sealed before rotation");
  });

  it("refuses malformed sealed strings", async () => {
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad });
    const [, , nonce = "", ciphertext = ""] = sealed.split(".");
    for (const bad of [
      "",
      "secret",
      `v2.k1.${nonce}.${ciphertext}`,
      `v1.k1.${nonce}`,
      `v1.k1.${nonce}.${ciphertext}.x`,
      `v1..${nonce}.${ciphertext}`,
      `v1.k1.${nonce}A.${ciphertext}`,
      `v1.k1.${nonce}.${ciphertext}=`,
      `v1.k1.${nonce}.AAAA`,
    ]) {
      expect(await failure(open(bad, { keys: { k1 }, aad })), bad).toBe("malformed");
    }
  });

  it("refuses master keys that are not 32 base64url bytes, and bad key ids", async () => {
    const short = base64UrlEncode(new Uint8Array(16));
    expect(await failure(seal("x", { key: short, keyId: "k1", aad }))).toBe("invalid_key");
    expect(await failure(seal("x", { key: "not a key", keyId: "k1", aad }))).toBe("invalid_key");
    expect(await failure(seal("x", { key: k1, keyId: "k.1", aad }))).toBe("invalid_key");
    expect(await failure(seal("x", { key: k1, keyId: "", aad }))).toBe("invalid_key");
    const sealed = await seal("secret", { key: k1, keyId: "k1", aad });
    expect(await failure(open(sealed, { keys: { k1: short }, aad }))).toBe("invalid_key");
  });
});
