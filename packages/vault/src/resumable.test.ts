/**
 * Encryption and hashing carried over several calls (a resumable upload's PATCH requests): the object
 * is the one `encryptStream` writes, readable by `decryptStream`, and the saved SHA-256 equals WebCrypto's.
 */
import { describe, expect, it } from "vitest";
import { generateDataKey } from "./keys";
import { Sha256 } from "./sha256";
import { beginEncryption, decryptStream, type EncryptionPosition, resumeEncryption } from "./stream";

async function hexDigest(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function random(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65_536)));
  return bytes;
}

async function decrypt(ciphertext: Uint8Array, dek: Uint8Array, aad: string, length: number): Promise<Uint8Array> {
  const stream = new Blob([ciphertext])
    .stream()
    .pipeThrough(decryptStream(dek, aad, { expectedPlaintextLength: length }));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("Sha256", () => {
  // Lengths around the block (64) and padding (56) boundaries, and a multi-block message.
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 100_003])("matches WebCrypto for %i bytes", async (n) => {
    const data = random(n);
    expect(new Sha256().update(data).hex()).toBe(await hexDigest(data));
  });

  it("saves and restores mid-block, any number of times", async () => {
    const data = random(10_007);
    let hash = new Sha256();
    for (const cut of [0, 3, 64, 65, 200, 4096, 9999, 10_007]) {
      const from = hash.save().bytes;
      hash.update(data.subarray(from, cut));
      // A copy through JSON, as the state travels between requests.
      const saved = hash.save();
      hash = Sha256.restore({ ...saved, h: JSON.parse(JSON.stringify(saved.h)) as number[] });
    }
    expect(hash.hex()).toBe(await hexDigest(data));
  });

  it("refuses a state whose block does not match its byte count", () => {
    expect(() => Sha256.restore({ h: [0, 0, 0, 0, 0, 0, 0, 0], bytes: 5, block: new Uint8Array(4) })).toThrow(
      RangeError,
    );
  });
});

describe("beginEncryption / resumeEncryption", () => {
  it.each([
    [0, 16],
    [15, 16],
    [16, 16],
    [17, 16],
    [1000, 64],
    [70_000, 65_536],
  ])(
    "writes an object decryptStream reads (%i bytes, chunks of %i), resumed after every chunk",
    async (n, chunkSize) => {
      const dek = generateDataKey();
      const plaintext = random(n);
      const first = await beginEncryption(dek, "file-1", { chunkSize });
      const out: Uint8Array[] = [first.header];
      let position: EncryptionPosition = first.position();
      const chunks = Math.max(1, Math.ceil(n / chunkSize));
      for (let i = 0; i < chunks; i++) {
        const sealer = await resumeEncryption(dek, "file-1", position);
        expect(sealer.header).toEqual(first.header);
        const last = i === chunks - 1;
        out.push(await sealer.seal(plaintext.subarray(i * chunkSize, Math.min(n, (i + 1) * chunkSize)), last));
        position = sealer.position();
      }
      const ciphertext = new Uint8Array(await new Blob(out).arrayBuffer());
      expect(await decrypt(ciphertext, dek, "file-1", n)).toEqual(plaintext);
      await expect(decrypt(ciphertext, dek, "file-2", n)).rejects.toMatchObject({ code: "wrong_aad" });
    },
  );

  it("refuses chunks that would not be canonical", async () => {
    const sealer = await beginEncryption(generateDataKey(), "f", { chunkSize: 16 });
    await expect(sealer.seal(new Uint8Array(15), false)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(sealer.seal(new Uint8Array(17), true)).rejects.toMatchObject({ code: "invalid_argument" });
    await sealer.seal(new Uint8Array(16), false);
    await expect(sealer.seal(new Uint8Array(0), true)).rejects.toMatchObject({ code: "invalid_argument" });
    await sealer.seal(new Uint8Array(1), true);
    await expect(sealer.seal(new Uint8Array(1), true)).rejects.toMatchObject({ code: "invalid_argument" });
  });
});
