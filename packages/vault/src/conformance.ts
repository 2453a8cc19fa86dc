/**
 * The vault's test suite, run unchanged in Node (`vault.test.ts`) and inside workerd
 * (`vault.workers.test.ts`), so both runtimes' WebCrypto and streams are held to the same results.
 */
import { base64UrlDecode, base64UrlEncode, generateMasterKey } from "@dfda/auth";
import { describe, expect, it } from "vitest";
import {
  ciphertextLength,
  DEFAULT_CHUNK_SIZE,
  decryptStream,
  encryptStream,
  generateDataKey,
  generateUserKey,
  HEADER_LENGTH,
  MAX_CHUNK_SIZE,
  type MasterKeyring,
  MIN_CHUNK_SIZE,
  masterKeyIdOf,
  parseHeader,
  parseMasterKeyring,
  partitionStream,
  partSizeFor,
  plaintextLength,
  R2_MIN_PART_SIZE,
  rewrapUserKey,
  TAG_LENGTH,
  unwrapDataKey,
  unwrapUserKey,
  uploadParts,
  userKeyVersionOf,
  VaultError,
  wrapDataKey,
  wrapUserKey,
} from "./index";
import {
  concatBytes,
  decrypt,
  encrypt,
  firstDifference,
  flip,
  fromHex,
  hex,
  pseudoRandomBytes,
  streamOf,
  vaultError,
} from "./testing";

const tenantId = "0193a5b2-7c1e-7d4a-9f3b-2c8e1a0b4d6f";
const alice = { tenantId, userId: "0193a5b2-7c1e-7d4a-9f3b-000000000a11" };
const bob = { tenantId, userId: "0193a5b2-7c1e-7d4a-9f3b-000000000b0b" };
const fileId = "0193a5b2-7c1e-7d4a-9f3b-00000000f11e";

/** Independent of the module's constants on purpose: this is the documented format. */
const SPEC = { headerLength: 96, info: "dfda-vault/stream/v1", magic: "DFVS" };

function keyringOf(keys: Record<string, string>, currentKeyId: string): MasterKeyring {
  return parseMasterKeyring(JSON.stringify(keys), currentKeyId);
}

/** Offset of chunk `i` in an object of chunk size `chunkSize`. */
function chunkAt(i: number, chunkSize: number): number {
  return HEADER_LENGTH + i * (chunkSize + TAG_LENGTH);
}

/** Sets up a tenant user with a wrapped user key, and one encrypted file with its wrapped DEK. */
async function fileOf(keyring: MasterKeyring, owner: { tenantId: string; userId: string }, plaintext: Uint8Array) {
  const userKey = generateUserKey();
  const wrappedUserKey = await wrapUserKey(keyring, userKey, owner);
  const dek = generateDataKey();
  const context = { ...owner, fileId, userKeyVersion: 1 };
  const wrappedDek = await wrapDataKey(userKey, dek, context);
  const object = await encrypt(dek, fileId, plaintext);
  return { userKey, wrappedUserKey, dek, context, wrappedDek, object };
}

export function vaultConformance(): void {
  describe("master keyring", () => {
    it("parses the AUTH_MASTER_KEYS secret format", () => {
      const k1 = generateMasterKey();
      const keyring = parseMasterKeyring(JSON.stringify({ k1, k2: generateMasterKey() }), "k1");
      expect(keyring.currentKeyId).toBe("k1");
      expect(keyring.keys.k1).toBe(k1);
    });

    it("rejects a keyring that is not JSON, has a short key or a bad id, or lacks the current key", () => {
      const cases: [string, string][] = [
        ["not json", "k1"],
        ["[]", "k1"],
        [JSON.stringify({ k1: base64UrlEncode(new Uint8Array(16)) }), "k1"],
        [JSON.stringify({ k1: "not base64url!" }), "k1"],
        [JSON.stringify({ k1: 42 }), "k1"],
        [JSON.stringify({ "k 1": generateMasterKey() }), "k 1"],
        [JSON.stringify({ k1: generateMasterKey() }), "k2"],
      ];
      for (const [json, current] of cases) {
        expect(() => parseMasterKeyring(json, current)).toThrow(VaultError);
      }
    });
  });

  describe("user keys (KEK) wrapped by a master key", () => {
    const keyring = keyringOf({ k1: generateMasterKey() }, "k1");

    it("round-trips in the uk1.<masterKeyId>.<nonce>.<ciphertext‖tag> form, with a fresh nonce each time", async () => {
      const userKey = generateUserKey();
      const a = await wrapUserKey(keyring, userKey, alice);
      const b = await wrapUserKey(keyring, userKey, alice);
      expect(a.masterKeyId).toBe("k1");
      const [format, keyId, nonce, sealed, ...rest] = a.wrapped.split(".");
      expect([format, keyId, rest.length]).toEqual(["uk1", "k1", 0]);
      expect(base64UrlDecode(nonce ?? "")).toHaveLength(12);
      expect(base64UrlDecode(sealed ?? "")).toHaveLength(48);
      expect(a.wrapped).not.toBe(b.wrapped);
      expect(masterKeyIdOf(a.wrapped)).toBe("k1");
      expect(hex(await unwrapUserKey(keyring, a.wrapped, alice))).toBe(hex(userKey));
      expect(hex(await unwrapUserKey(keyring, b.wrapped, alice))).toBe(hex(userKey));
    });

    it("fails for another user, another tenant, a relabelled master key id or a changed byte", async () => {
      const { wrapped } = await wrapUserKey(keyring, generateUserKey(), alice);
      await vaultError(unwrapUserKey(keyring, wrapped, bob), "unwrap_failed");
      await vaultError(unwrapUserKey(keyring, wrapped, { ...alice, tenantId: "another-tenant" }), "unwrap_failed");
      const twoKeys = keyringOf({ k1: keyring.keys.k1 ?? "", k2: keyring.keys.k1 ?? "" }, "k1");
      await vaultError(unwrapUserKey(twoKeys, wrapped.replace("uk1.k1.", "uk1.k2."), alice), "unwrap_failed");
      const [format, keyId, nonce = "", sealed = ""] = wrapped.split(".");
      const changed = `${format}.${keyId}.${nonce}.${base64UrlEncode(flip(base64UrlDecode(sealed), 5))}`;
      await vaultError(unwrapUserKey(keyring, changed, alice), "unwrap_failed");
    });

    it("rejects malformed wrapped keys, unknown master keys and keys that are not 32 bytes", async () => {
      for (const bad of ["", "uk1.k1", "uk2.k1.AAAA.BBBB", "uk1.k1.!!!.BBBB", "dk1.1.AAAAAAAAAAAAAAAA.AAAA"]) {
        await vaultError(unwrapUserKey(keyring, bad, alice), "malformed");
      }
      const other = keyringOf({ k9: generateMasterKey() }, "k9");
      const { wrapped } = await wrapUserKey(keyring, generateUserKey(), alice);
      await vaultError(unwrapUserKey(other, wrapped, alice), "unknown_key");
      await vaultError(wrapUserKey(keyring, new Uint8Array(16), alice), "invalid_key");
      await vaultError(wrapUserKey(keyring, generateUserKey(), { tenantId, userId: "" }), "invalid_argument");
    });
  });

  describe("data keys (DEK) wrapped by the user key", () => {
    it("round-trip in the dk1.<userKeyVersion>.<nonce>.<ciphertext‖tag> form", async () => {
      const userKey = generateUserKey();
      const dek = generateDataKey();
      const context = { ...alice, fileId, userKeyVersion: 3 };
      const wrapped = await wrapDataKey(userKey, dek, context);
      expect(wrapped).toMatch(/^dk1\.3\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{64}$/);
      expect(userKeyVersionOf(wrapped)).toBe(3);
      expect(hex(await unwrapDataKey(userKey, wrapped, context))).toBe(hex(dek));
    });

    it("is bound to tenant, user, file and user-key version", async () => {
      const userKey = generateUserKey();
      const context = { ...alice, fileId, userKeyVersion: 1 };
      const wrapped = await wrapDataKey(userKey, generateDataKey(), context);
      await vaultError(unwrapDataKey(userKey, wrapped, { ...context, fileId: "another-file" }), "unwrap_failed");
      await vaultError(unwrapDataKey(userKey, wrapped, { ...context, userId: bob.userId }), "unwrap_failed");
      await vaultError(unwrapDataKey(userKey, wrapped, { ...context, tenantId: "another" }), "unwrap_failed");
      await vaultError(unwrapDataKey(userKey, wrapped, { ...context, userKeyVersion: 2 }), "wrong_key");
      // Relabelling the version in the wrapped form does not help: the version is in the AAD.
      const relabelled = wrapped.replace(/^dk1\.1\./, "dk1.2.");
      await vaultError(unwrapDataKey(userKey, relabelled, { ...context, userKeyVersion: 2 }), "unwrap_failed");
    });

    it("a wrapped DEK cannot be opened with another user's key", async () => {
      const keyring = keyringOf({ k1: generateMasterKey() }, "k1");
      const a = await fileOf(keyring, alice, pseudoRandomBytes(1000, 1));
      const bobKey = await unwrapUserKey(keyring, (await wrapUserKey(keyring, generateUserKey(), bob)).wrapped, bob);
      await vaultError(unwrapDataKey(bobKey, a.wrappedDek, a.context), "unwrap_failed");
      // Nor by Bob claiming Alice's file as his own.
      await vaultError(unwrapDataKey(bobKey, a.wrappedDek, { ...a.context, userId: bob.userId }), "unwrap_failed");
    });
  });

  describe("master key rotation", () => {
    it("wraps under k1, rewraps under k2 with both in the keyring, then opens with k2 alone", async () => {
      const k1 = generateMasterKey();
      const k2 = generateMasterKey();
      const plaintext = pseudoRandomBytes(70_000, 2);
      const file = await fileOf(keyringOf({ k1 }, "k1"), alice, plaintext);
      expect(file.wrappedUserKey.masterKeyId).toBe("k1");

      const both = keyringOf({ k1, k2 }, "k2");
      // Until rewrapped, the k1 wrapping still opens while k1 is in the keyring.
      expect(hex(await unwrapUserKey(both, file.wrappedUserKey.wrapped, alice))).toBe(hex(file.userKey));
      const rotated = await rewrapUserKey(both, file.wrappedUserKey.wrapped, alice);
      expect(rotated.masterKeyId).toBe("k2");
      expect(masterKeyIdOf(rotated.wrapped)).toBe("k2");

      const k2Only = keyringOf({ k2 }, "k2");
      await vaultError(unwrapUserKey(k2Only, file.wrappedUserKey.wrapped, alice), "unknown_key");
      const userKey = await unwrapUserKey(k2Only, rotated.wrapped, alice);
      const dek = await unwrapDataKey(userKey, file.wrappedDek, file.context);
      expect(hex(await decrypt(dek, fileId, file.object))).toBe(hex(plaintext));
    });
  });

  describe("crypto-shredding", () => {
    it("without the wrapped user key, no remaining key opens the data key or the file", async () => {
      const k1 = generateMasterKey();
      const keyring = keyringOf({ k1 }, "k1");
      const file = await fileOf(keyring, alice, pseudoRandomBytes(5000, 3));
      const bobsFile = await fileOf(keyring, bob, pseudoRandomBytes(10, 4));
      expect(hex(await decrypt(file.dek, fileId, file.object))).toBe(hex(pseudoRandomBytes(5000, 3)));

      // Shred: the database drops Alice's wrapped user key; this process forgets the keys it held.
      file.userKey.fill(0);
      file.dek.fill(0);
      const remaining = {
        wrappedDek: file.wrappedDek,
        object: file.object,
        keyring,
        bobsWrappedUserKey: bobsFile.wrappedUserKey.wrapped,
      };

      // Every key the system still has, or can make, as a user key for Alice's data key…
      const candidates: Uint8Array[] = [
        base64UrlDecode(k1),
        await unwrapUserKey(keyring, remaining.bobsWrappedUserKey, bob),
        bobsFile.dek,
        generateUserKey(),
        file.userKey, // the zeroed memory
      ];
      // …a new user key for Alice does not help either.
      const fresh = generateUserKey();
      await wrapUserKey(keyring, fresh, alice);
      candidates.push(fresh);
      for (const candidate of candidates) {
        await vaultError(unwrapDataKey(candidate, remaining.wrappedDek, file.context), "unwrap_failed");
        // …nor does any of them open the object directly as its data key.
        await vaultError(decrypt(candidate, fileId, remaining.object), "wrong_key");
      }
      // The master keyring never encrypted the data key: it has nothing to open.
      await vaultError(unwrapUserKey(keyring, remaining.wrappedDek, alice), "malformed");
    });
  });

  describe("streaming encryption round trips", () => {
    const sizes = [0, 1, DEFAULT_CHUNK_SIZE - 1, DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE + 1, 3 * DEFAULT_CHUNK_SIZE];
    for (const [i, size] of sizes.entries()) {
      it(`${size} bytes, default chunk size, random input splits`, async () => {
        const plaintext = pseudoRandomBytes(size, 100 + i);
        const dek = generateDataKey();
        const object = await encrypt(dek, fileId, plaintext, {}, 200 + i);
        expect(object.length).toBe(ciphertextLength(size));
        expect(plaintextLength(object.length)).toBe(size);
        expect(parseHeader(object)).toEqual({ version: 1, chunkSize: DEFAULT_CHUNK_SIZE });
        expect(firstDifference(await decrypt(dek, fileId, object, {}, 300 + i), plaintext)).toBe(-1);
        expect(firstDifference(await decrypt(dek, fileId, object, { expectedPlaintextLength: size }), plaintext)).toBe(
          -1,
        );
      });
    }

    it("several MB (5 MiB + 3 bytes), split at random places both ways", async () => {
      const size = 5 * 1024 * 1024 + 3;
      const plaintext = pseudoRandomBytes(size, 7);
      const dek = generateDataKey();
      const object = await encrypt(dek, new TextEncoder().encode(fileId), plaintext, {}, 8);
      expect(object.length).toBe(ciphertextLength(size));
      // The AAD as a string and as its UTF-8 bytes are the same AAD.
      const back = await decrypt(dek, fileId, object, { expectedPlaintextLength: size }, 9);
      expect(back.length).toBe(size);
      expect(firstDifference(back, plaintext)).toBe(-1);
    });

    it("every length from 0 to 100 at the smallest chunk size, with random splits", async () => {
      const dek = generateDataKey();
      for (let size = 0; size <= 100; size++) {
        const plaintext = pseudoRandomBytes(size, size);
        const object = await encrypt(dek, fileId, plaintext, { chunkSize: MIN_CHUNK_SIZE }, size * 3 + 1);
        expect(object.length).toBe(ciphertextLength(size, MIN_CHUNK_SIZE));
        expect(plaintextLength(object.length, MIN_CHUNK_SIZE)).toBe(size);
        expect(hex(await decrypt(dek, fileId, object, {}, size * 5 + 2))).toBe(hex(plaintext));
      }
    });

    it("gives a new salt and nonce prefix to every encryption, even of the same file under the same key", async () => {
      const dek = generateDataKey();
      const plaintext = pseudoRandomBytes(100, 1);
      const a = await encrypt(dek, fileId, plaintext);
      const b = await encrypt(dek, fileId, plaintext);
      expect(hex(a.subarray(9, 48))).not.toBe(hex(b.subarray(9, 48)));
      expect(hex(a.subarray(HEADER_LENGTH))).not.toBe(hex(b.subarray(HEADER_LENGTH)));
      expect(hex(await decrypt(dek, fileId, b))).toBe(hex(plaintext));
    });

    it("streams: ciphertext and plaintext come out chunk by chunk before the input ends", async () => {
      const dek = generateDataKey();
      const chunkSize = 64;
      const enc = encryptStream(dek, fileId, { chunkSize });
      const encWriter = enc.writable.getWriter();
      const encReader = enc.readable.getReader();
      void encWriter.write(pseudoRandomBytes(3 * chunkSize + 1, 5));
      const out: Uint8Array[] = [];
      for (let i = 0; i < 4; i++) {
        const { value } = await encReader.read();
        out.push(value ?? new Uint8Array(0));
      }
      expect(out.map((piece) => piece.length)).toEqual([HEADER_LENGTH, 80, 80, 80]);

      const dec = decryptStream(dek, fileId);
      const decWriter = dec.writable.getWriter();
      const decReader = dec.readable.getReader();
      void decWriter.write(concatBytes(...out));
      const first = await decReader.read();
      const second = await decReader.read();
      // The third full chunk is held until a further byte shows it is not the last.
      expect([first.value?.length, second.value?.length]).toEqual([chunkSize, chunkSize]);
      await encWriter.close();
      const tail: Uint8Array[] = [];
      for (let next = await encReader.read(); !next.done; next = await encReader.read()) tail.push(next.value);
      expect(tail.map((piece) => piece.length)).toEqual([1 + TAG_LENGTH]);
      void decWriter.write(concatBytes(...tail));
      void decWriter.close();
      const third = await decReader.read();
      const fourth = await decReader.read();
      expect([third.value?.length, fourth.value?.length]).toEqual([chunkSize, 1]);
      expect((await decReader.read()).done).toBe(true);
    });
  });

  describe("format (pinned)", () => {
    it("lays out the header as documented, verified by an independent reimplementation", async () => {
      const dek = pseudoRandomBytes(32, 42);
      const aad = new TextEncoder().encode("file:layout");
      const plaintext = new TextEncoder().encode("0123456789abcdef0123456789abcdefXYZ");
      const object = await encrypt(dek, aad, plaintext, { chunkSize: 16 });
      expect(object.length).toBe(SPEC.headerLength + 35 + 3 * 16);
      const header = object.subarray(0, SPEC.headerLength);
      expect(new TextDecoder().decode(header.subarray(0, 4))).toBe(SPEC.magic);
      expect(header[4]).toBe(1);
      expect(hex(header.subarray(5, 9))).toBe("00000010");
      const salt = header.slice(9, 41);
      const prefix = header.slice(41, 48);

      const ikm = await crypto.subtle.importKey("raw", dek, "HKDF", false, ["deriveBits"]);
      const okm = new Uint8Array(
        await crypto.subtle.deriveBits(
          { name: "HKDF", hash: "SHA-256", salt, info: new TextEncoder().encode(SPEC.info) },
          ikm,
          768,
        ),
      );
      expect(hex(header.subarray(48, 80))).toBe(hex(okm.subarray(32, 64)));
      const hmacKey = await crypto.subtle.importKey(
        "raw",
        okm.slice(64, 96),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, concatBytes(header.subarray(0, 80), aad)));
      expect(hex(header.subarray(80, 96))).toBe(hex(mac.subarray(0, 16)));

      const aesKey = await crypto.subtle.importKey("raw", okm.slice(0, 32), "AES-GCM", false, ["decrypt"]);
      const opened: string[] = [];
      for (const [i, [start, end]] of [
        [96, 128],
        [128, 160],
        [160, 179],
      ].entries()) {
        const nonce = concatBytes(prefix, new Uint8Array([0, 0, 0, i, i === 2 ? 1 : 0]));
        const chunk = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: nonce, additionalData: concatBytes(header, aad), tagLength: 128 },
          aesKey,
          object.subarray(start, end),
        );
        opened.push(new TextDecoder().decode(chunk));
      }
      expect(opened).toEqual(["0123456789abcdef", "0123456789abcdef", "XYZ"]);
    });

    it("still decrypts a version 1 test vector", async () => {
      const dek = Uint8Array.from({ length: 32 }, (_, i) => i);
      const object = fromHex(
        "444656530100000010f5aa482c0d66289c2d3da588418c823dc8523a8bb1dbaf51473e40e88c8010c416834509c43755d45bd907e5" +
          "ff59353582c1a7f15a584418ba442b205ce699d17eed3cdc75947967e568e246b1a8aa399223d6dc4ccbafd79b609759304d76ecc6" +
          "330181f1863cf8129696c6e207a8ffdfdbd26ae68aba35b3cf0d6d930479c5c06abcf1fa2b1843c46bb0c6341db468e6a6b32e04" +
          "100bc4d15ad18e5256d4c72604dfc401638ea5728815817de7c56c10ec",
      );
      const plaintext = await decrypt(dek, "file:kat", object);
      expect(new TextDecoder().decode(plaintext)).toBe("The quick brown fox jumps over the lazy dog");
      await vaultError(decrypt(dek, "file:kat", flip(object, 150)), "tampered", 1);
    });
  });

  describe("streaming decryption rejects", () => {
    const chunkSize = 64;
    // Five chunks: four full ones and a last one of 44 bytes.
    const plaintext = pseudoRandomBytes(4 * chunkSize + 44, 11);
    const dek = generateDataKey();
    const objectPromise = encrypt(dek, fileId, plaintext, { chunkSize });
    const chunk = (object: Uint8Array, i: number) => object.subarray(chunkAt(i, chunkSize), chunkAt(i + 1, chunkSize));

    it("a flipped bit in chunk 2, or in any tag", async () => {
      const object = await objectPromise;
      await vaultError(decrypt(dek, fileId, flip(object, chunkAt(2, chunkSize) + 10, 3)), "tampered", 2);
      for (let i = 0; i < 5; i++) {
        const tagByte = Math.min(chunkAt(i + 1, chunkSize), object.length) - 1;
        await vaultError(decrypt(dek, fileId, flip(object, tagByte, 7)), "tampered", i);
      }
    });

    it("a changed header field, with the most specific diagnosis", async () => {
      const object = await objectPromise;
      await vaultError(decrypt(dek, fileId, flip(object, 0)), "bad_header"); // magic
      await vaultError(decrypt(dek, fileId, flip(object, 4)), "bad_header"); // version
      await vaultError(decrypt(dek, fileId, flip(object, 5, 7)), "bad_header"); // chunk size > 16 MiB
      await vaultError(decrypt(dek, fileId, flip(object, 8)), "wrong_aad"); // chunk size 65
      await vaultError(decrypt(dek, fileId, flip(object, 20)), "wrong_key"); // salt
      await vaultError(decrypt(dek, fileId, flip(object, 45)), "wrong_aad"); // nonce prefix
      await vaultError(decrypt(dek, fileId, flip(object, 60)), "wrong_key"); // key commitment
      await vaultError(decrypt(dek, fileId, flip(object, 90)), "wrong_aad"); // header tag
    });

    it("an object truncated at a chunk boundary, mid-chunk, inside a tag or inside the header", async () => {
      const object = await objectPromise;
      // Missing last chunk: chunk 3 is full but sealed as "not last".
      await vaultError(decrypt(dek, fileId, object.subarray(0, chunkAt(4, chunkSize))), "truncated", 4);
      await vaultError(decrypt(dek, fileId, object.subarray(0, chunkAt(1, chunkSize))), "truncated", 1);
      // Cut mid-chunk: the bytes cannot tell a cut last chunk from a changed one…
      const midChunk = object.subarray(0, chunkAt(2, chunkSize) + 40);
      await vaultError(decrypt(dek, fileId, midChunk), "tampered", 2);
      // …the recorded plaintext length can.
      await vaultError(decrypt(dek, fileId, midChunk, { expectedPlaintextLength: plaintext.length }), "truncated");
      await vaultError(decrypt(dek, fileId, object.subarray(0, chunkAt(2, chunkSize) + 7)), "truncated", 2);
      await vaultError(decrypt(dek, fileId, object.subarray(0, object.length - 1)), "tampered", 4);
      await vaultError(decrypt(dek, fileId, object.subarray(0, HEADER_LENGTH)), "truncated", 0);
      await vaultError(decrypt(dek, fileId, object.subarray(0, 50)), "truncated");
      await vaultError(decrypt(dek, fileId, new Uint8Array(0)), "truncated");
    });

    it("reordered, duplicated or removed chunks", async () => {
      const object = await objectPromise;
      const header = object.subarray(0, HEADER_LENGTH);
      const c = [0, 1, 2, 3, 4].map((i) => chunk(object, i));
      const [c0, c1, c2, c3, c4] = c as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      await vaultError(decrypt(dek, fileId, concatBytes(header, c0, c2, c1, c3, c4)), "tampered", 1);
      await vaultError(decrypt(dek, fileId, concatBytes(header, c0, c1, c1, c2, c3, c4)), "tampered", 2);
      await vaultError(decrypt(dek, fileId, concatBytes(header, c0, c2, c3, c4)), "tampered", 1);
      await vaultError(decrypt(dek, fileId, concatBytes(header, c1, c2, c3, c4)), "tampered", 0);
      // A chunk of another encryption of the same file under the same key does not fit either.
      const other = await encrypt(dek, fileId, plaintext, { chunkSize });
      await vaultError(decrypt(dek, fileId, concatBytes(header, c0, chunk(other, 1), c2, c3, c4)), "tampered", 1);
    });

    it("data after the last chunk", async () => {
      const object = await objectPromise;
      // After a short last chunk, appended bytes look like a changed last chunk…
      await vaultError(decrypt(dek, fileId, concatBytes(object, new Uint8Array([0]))), "tampered", 4);
      // …unless the recorded length is given.
      await vaultError(
        decrypt(dek, fileId, concatBytes(object, new Uint8Array(1)), { expectedPlaintextLength: plaintext.length }),
        "trailing_data",
      );
      // After a full last chunk, they are recognised as such.
      const full = await encrypt(dek, fileId, pseudoRandomBytes(2 * chunkSize, 12), { chunkSize });
      await vaultError(decrypt(dek, fileId, concatBytes(full, new Uint8Array(100))), "trailing_data", 1);
      await vaultError(decrypt(dek, fileId, concatBytes(full, chunk(full, 0))), "trailing_data", 1);
    });

    it("a wrong data key, or the wrong AAD (another file id)", async () => {
      const object = await objectPromise;
      await vaultError(decrypt(generateDataKey(), fileId, object), "wrong_key");
      await vaultError(decrypt(dek, "another-file-id", object), "wrong_aad");
      await vaultError(decrypt(dek, "", object), "wrong_aad");
    });

    it("bad arguments at once", () => {
      expect(() => encryptStream(new Uint8Array(16), fileId)).toThrow(VaultError);
      expect(() => decryptStream(new Uint8Array(33), fileId)).toThrow(VaultError);
      expect(() => encryptStream(dek, fileId, { chunkSize: MIN_CHUNK_SIZE - 1 })).toThrow(VaultError);
      expect(() => encryptStream(dek, fileId, { chunkSize: MAX_CHUNK_SIZE + 1 })).toThrow(VaultError);
      expect(() => encryptStream(dek, fileId, { chunkSize: 100.5 })).toThrow(VaultError);
      expect(() => decryptStream(dek, fileId, { expectedPlaintextLength: -1 })).toThrow(VaultError);
    });
  });

  describe("lengths", () => {
    it("computes ciphertext and plaintext lengths, and rejects lengths no encryption produces", () => {
      expect(ciphertextLength(0)).toBe(112);
      expect(ciphertextLength(1)).toBe(113);
      expect(ciphertextLength(65_536)).toBe(96 + 65_536 + 16);
      expect(ciphertextLength(65_537)).toBe(65_665);
      expect(ciphertextLength(10 * 2 ** 30)).toBe(96 + 10 * 2 ** 30 + 163_840 * 16);
      for (const size of [0, 1, 15, 16, 17, 31, 32, 33, 1000]) {
        expect(plaintextLength(ciphertextLength(size, 16), 16)).toBe(size);
      }
      for (const impossible of [0, 95, 96, 111, 96 + 32 + 5, 96 + 32 + 16]) {
        expect(() => plaintextLength(impossible, 16)).toThrow(VaultError);
      }
      expect(() => ciphertextLength(-1)).toThrow(VaultError);
      expect(() => ciphertextLength(1.5)).toThrow(VaultError);
      expect(() => plaintextLength(200, 3)).toThrow(VaultError);
    });

    it("reads the chunk size from a header without the key", () => {
      expect(() => parseHeader(new Uint8Array(10))).toThrow(VaultError);
      expect(() => parseHeader(new Uint8Array(96))).toThrow(VaultError);
    });
  });

  describe("multipart upload parts", () => {
    it("regroups a stream into equal parts with a shorter last one", async () => {
      const bytes = pseudoRandomBytes(1000, 13);
      const parts = await collectParts(streamOf(bytes, 14, 90).pipeThrough(partitionStream(300)));
      expect(parts.map((part) => part.length)).toEqual([300, 300, 300, 100]);
      expect(hex(concatBytes(...parts))).toBe(hex(bytes));
      expect(await collectParts(streamOf(new Uint8Array(0)).pipeThrough(partitionStream(300)))).toEqual([]);
      const exact = await collectParts(streamOf(bytes.subarray(0, 600), 15, 50).pipeThrough(partitionStream(300)));
      expect(exact.map((part) => part.length)).toEqual([300, 300]);
      expect(() => partitionStream(0)).toThrow(VaultError);
    });

    it("uploads an encrypted stream part by part, and the parts concatenated decrypt", async () => {
      const dek = generateDataKey();
      const plaintext = pseudoRandomBytes(10_000, 16);
      const uploaded: { partNumber: number; bytes: Uint8Array }[] = [];
      const upload = {
        async uploadPart(partNumber: number, value: Uint8Array) {
          uploaded.push({ partNumber, bytes: value });
          return { partNumber, etag: `etag-${partNumber}` };
        },
      };
      const encrypted = streamOf(plaintext, 17, 700).pipeThrough(encryptStream(dek, fileId, { chunkSize: 256 }));
      const parts = await uploadParts(encrypted.pipeThrough(partitionStream(1024)), upload);
      const total = ciphertextLength(plaintext.length, 256);
      expect(parts.map((part) => part.partNumber)).toEqual(
        Array.from({ length: Math.ceil(total / 1024) }, (_, i) => i + 1),
      );
      expect(uploaded.slice(0, -1).every((part) => part.bytes.length === 1024)).toBe(true);
      const object = concatBytes(...uploaded.map((part) => part.bytes));
      expect(object.length).toBe(total);
      expect(hex(await decrypt(dek, fileId, object))).toBe(hex(plaintext));
    });

    it("stops and cancels the stream when a part fails to upload", async () => {
      let cancelled: unknown;
      const parts = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(10));
        },
        cancel(reason) {
          cancelled = reason;
        },
      });
      const failure = new Error("R2 unavailable");
      const upload = {
        async uploadPart(partNumber: number) {
          if (partNumber === 3) throw failure;
          return partNumber;
        },
      };
      await expect(uploadParts(parts, upload)).rejects.toBe(failure);
      expect(cancelled).toBe(failure);
    });

    it("chooses R2 part sizes: at least 5 MiB, whole MiB, at most 10,000 parts", () => {
      expect(partSizeFor(0)).toBe(R2_MIN_PART_SIZE);
      expect(partSizeFor(ciphertextLength(2 ** 30))).toBe(R2_MIN_PART_SIZE);
      expect(partSizeFor(100 * 2 ** 30)).toBe(11 * 2 ** 20);
      expect(Math.ceil((100 * 2 ** 30) / partSizeFor(100 * 2 ** 30))).toBeLessThanOrEqual(10_000);
      expect(() => partSizeFor(60 * 2 ** 40)).toThrow(VaultError);
    });
  });
}

async function collectParts(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}
