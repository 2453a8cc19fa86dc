/**
 * The vault inside workerd, where it runs in production: the shared conformance suite, then the real
 * round trip through R2 (a single put of known length, and a multipart upload of 5 MiB parts) with
 * the master keyring from the Worker's AUTH_MASTER_KEYS secret.
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { vaultConformance } from "./conformance";
import {
  ciphertextLength,
  decryptStream,
  encryptStream,
  generateDataKey,
  generateUserKey,
  HEADER_LENGTH,
  parseHeader,
  parseMasterKeyring,
  partitionStream,
  partSizeFor,
  plaintextLength,
  R2_MIN_PART_SIZE,
  unwrapDataKey,
  unwrapUserKey,
  uploadParts,
  wrapDataKey,
  wrapUserKey,
} from "./index";
import { collect, firstDifference, pseudoRandomBytes, streamOf, vaultError } from "./testing";

describe("@dfda/vault in workerd", () => {
  vaultConformance();
});

describe("@dfda/vault with R2", () => {
  const bucket = env.INGEST_STAGING;
  const prefix = `vault-test/${crypto.randomUUID()}`;
  const owner = { tenantId: crypto.randomUUID(), userId: crypto.randomUUID() };

  afterAll(async () => {
    const listed = await bucket.list({ prefix });
    if (listed.objects.length > 0) await bucket.delete(listed.objects.map((object) => object.key));
  });

  it("opens the keyring of the AUTH_MASTER_KEYS secret and wraps a user key with it", async () => {
    const keyring = parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID);
    const userKey = generateUserKey();
    const { wrapped, masterKeyId } = await wrapUserKey(keyring, userKey, owner);
    expect(masterKeyId).toBe(env.AUTH_MASTER_KEY_ID);
    expect(await unwrapUserKey(keyring, wrapped, owner)).toEqual(userKey);
  });

  it("puts an encrypted stream of known length and reads it back through decryption", async () => {
    const keyring = parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID);
    const fileId = crypto.randomUUID();
    const userKey = generateUserKey();
    const wrappedUserKey = await wrapUserKey(keyring, userKey, owner);
    const dek = generateDataKey();
    const context = { ...owner, fileId, userKeyVersion: 1 };
    const wrappedDek = await wrapDataKey(userKey, dek, context);
    const plaintext = pseudoRandomBytes(300_001, 21);
    const length = ciphertextLength(plaintext.length);
    const key = `${prefix}/${fileId}`;

    await bucket.put(
      key,
      streamOf(plaintext, 22, 50_000)
        .pipeThrough(encryptStream(dek, fileId))
        .pipeThrough(new FixedLengthStream(length)),
    );

    const stored = await bucket.get(key);
    expect(stored?.size).toBe(length);
    const head = await bucket.get(key, { range: { offset: 0, length: HEADER_LENGTH } });
    const { chunkSize } = parseHeader(new Uint8Array((await head?.arrayBuffer()) ?? new ArrayBuffer(0)));
    expect(plaintextLength(stored?.size ?? 0, chunkSize)).toBe(plaintext.length);
    // Nothing of the plaintext reached R2.
    const raw = new Uint8Array((await (await bucket.get(key))?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect(firstDifference(raw.subarray(HEADER_LENGTH, HEADER_LENGTH + 64), plaintext.subarray(0, 64))).not.toBe(-1);

    // Reading back: from the stored wrapped keys alone.
    const openedUserKey = await unwrapUserKey(keyring, wrappedUserKey.wrapped, owner);
    const openedDek = await unwrapDataKey(openedUserKey, wrappedDek, context);
    const body = stored?.body ?? new ReadableStream<Uint8Array>();
    const back = await collect(
      body.pipeThrough(decryptStream(openedDek, fileId, { expectedPlaintextLength: plaintext.length })),
    );
    expect(firstDifference(back, plaintext)).toBe(-1);

    // A range of the object, put back as a whole object, does not open.
    const cut = await bucket.get(key, { range: { offset: 0, length: length - 1 } });
    await vaultError(
      collect((cut?.body ?? new ReadableStream()).pipeThrough(decryptStream(openedDek, fileId))),
      "tampered",
    );
  });

  it("uploads a multi-MB file as R2 multipart parts of 5 MiB and decrypts the completed object", async () => {
    const fileId = crypto.randomUUID();
    const dek = generateDataKey();
    const plaintext = pseudoRandomBytes(11 * 1024 * 1024 + 12_345, 23);
    const total = ciphertextLength(plaintext.length);
    const partSize = partSizeFor(total);
    expect(partSize).toBe(R2_MIN_PART_SIZE);
    const key = `${prefix}/${fileId}`;

    const upload = await bucket.createMultipartUpload(key);
    try {
      const parts = await uploadParts(
        streamOf(plaintext, 24, 1_000_000)
          .pipeThrough(encryptStream(dek, fileId))
          .pipeThrough(partitionStream(partSize)),
        upload,
      );
      expect(parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
      await upload.complete(parts);
    } catch (error) {
      await upload.abort();
      throw error;
    }

    const stored = await bucket.get(key);
    expect(stored?.size).toBe(total);
    const body = stored?.body ?? new ReadableStream<Uint8Array>();
    const back = await collect(
      body.pipeThrough(decryptStream(dek, fileId, { expectedPlaintextLength: plaintext.length })),
    );
    expect(back.length).toBe(plaintext.length);
    expect(firstDifference(back, plaintext)).toBe(-1);
  });
});
