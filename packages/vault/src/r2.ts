/**
 * Encrypted objects in R2: a plaintext stream is encrypted (stream.ts) on its way in, and decrypted on
 * its way out, so R2 only ever holds ciphertext. Objects up to one part are written with a single put;
 * longer ones with a multipart upload of equal parts (R2 requires every part but the last to have the
 * same size, at least 5 MiB), so memory stays at one part whatever the file's size.
 */
import { VaultError } from "./errors";
import { partitionStream } from "./multipart";
import { decryptStream, encryptStream } from "./stream";

/** The parts of an R2 bucket binding used here (structural, so Node tests can pass a fake). */
export interface R2Like {
  put(key: string, value: Uint8Array): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  delete(key: string): Promise<void>;
  createMultipartUpload(key: string): Promise<{
    uploadPart(partNumber: number, value: Uint8Array): Promise<{ partNumber: number; etag: string }>;
    complete(parts: { partNumber: number; etag: string }[]): Promise<unknown>;
    abort(): Promise<void>;
  }>;
}

/** Upload part size: 8 MiB (R2's minimum is 5 MiB; a larger part means fewer requests). */
export const UPLOAD_PART_SIZE = 8 * 1024 * 1024;

/**
 * Encrypts `plaintext` under `dataKey` (the file id as associated data) into `key`. Returns the number
 * of ciphertext bytes written. On any failure nothing is left behind (the multipart upload is aborted).
 */
export async function putEncrypted(
  bucket: R2Like,
  key: string,
  plaintext: ReadableStream<Uint8Array>,
  dataKey: Uint8Array,
  aad: string,
  partSize = UPLOAD_PART_SIZE,
): Promise<number> {
  const reader = plaintext.pipeThrough(encryptStream(dataKey, aad)).pipeThrough(partitionStream(partSize)).getReader();
  const first = await reader.read();
  const firstPart = first.done ? new Uint8Array(0) : first.value;
  const second = first.done ? first : await reader.read();
  if (second.done) {
    await bucket.put(key, firstPart);
    return firstPart.byteLength;
  }
  const upload = await bucket.createMultipartUpload(key);
  try {
    const parts = [await upload.uploadPart(1, firstPart), await upload.uploadPart(2, second.value)];
    let total = firstPart.byteLength + second.value.byteLength;
    for (let n = 3; ; n++) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(await upload.uploadPart(n, next.value));
      total += next.value.byteLength;
    }
    await upload.complete(parts);
    return total;
  } catch (error) {
    await upload.abort().catch(() => {});
    await reader.cancel().catch(() => {});
    throw error;
  }
}

/** The decrypted content of `key`; the stream errors (VaultError) on any tampering or truncation. */
export async function getDecrypted(
  bucket: R2Like,
  key: string,
  dataKey: Uint8Array,
  aad: string,
  expectedPlaintextLength?: number,
): Promise<ReadableStream<Uint8Array>> {
  const object = await bucket.get(key);
  if (object === null) throw new VaultError("truncated", `The object ${key} is missing`);
  return object.body.pipeThrough(
    decryptStream(dataKey, aad, expectedPlaintextLength === undefined ? {} : { expectedPlaintextLength }),
  );
}
