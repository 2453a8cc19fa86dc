/**
 * Uploading an encrypted stream to R2 in parts. R2 multipart uploads take parts of 5 MiB to 5 GiB,
 * all of one size except the last (which may be smaller), at most 10,000 of them
 * (developers.cloudflare.com/r2/objects/multipart-objects). Parts are plain byte ranges of the
 * encrypted object: they need not align with chunks, and the completed object is read back as one
 * stream through `decryptStream`.
 *
 *     const upload = await env.FILES.createMultipartUpload(key);
 *     try {
 *       const parts = await uploadParts(
 *         request.body
 *           .pipeThrough(encryptStream(dek, fileId))
 *           .pipeThrough(partitionStream(partSizeFor(ciphertextLength(size)))),
 *         upload,
 *       );
 *       await upload.complete(parts);
 *     } catch (error) {
 *       await upload.abort();
 *       throw error;
 *     }
 *
 * Memory: one part (plus one chunk), so the part size, not the file size, bounds what a Worker holds.
 */
import { VaultError } from "./errors";

/** R2's smallest part (every part but the last): 5 MiB. */
export const R2_MIN_PART_SIZE = 5 * 1024 * 1024;
/** R2's largest part: 5 GiB. */
export const R2_MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
/** R2's most parts in one multipart upload. */
export const R2_MAX_PARTS = 10_000;
const MIB = 1024 * 1024;

/** What `uploadParts` needs of a multipart upload; `R2MultipartUpload` has it. */
export interface PartUploader<Part> {
  uploadPart(partNumber: number, value: Uint8Array): Promise<Part>;
}

/**
 * The part size for an object of `totalLength` bytes: the smallest whole number of MiB that is at
 * least `R2_MIN_PART_SIZE` and needs at most `R2_MAX_PARTS` parts. For an upload of unknown length,
 * pass the largest length it may reach. Throws `VaultError("too_large")` past 10,000 parts of 5 GiB.
 *
 * @example
 * partSizeFor(ciphertextLength(2 ** 30)); // 5 MiB: 205 parts
 * partSizeFor(100 * 2 ** 30); // 11 MiB: 9,310 parts
 */
export function partSizeFor(totalLength: number): number {
  if (!Number.isSafeInteger(totalLength) || totalLength < 0) {
    throw new VaultError("invalid_argument", "The total length is a non-negative integer");
  }
  const size = Math.max(R2_MIN_PART_SIZE, Math.ceil(totalLength / R2_MAX_PARTS / MIB) * MIB);
  if (size > R2_MAX_PART_SIZE) {
    throw new VaultError("too_large", `${totalLength} bytes need more than ${R2_MAX_PARTS} parts of 5 GiB`);
  }
  return size;
}

/**
 * Regroups a byte stream into parts of exactly `partSize` bytes, the last one shorter (and none for an
 * empty stream): what R2 multipart uploads require. `partSize` is not checked against R2's 5 MiB
 * minimum (tests use small parts); use `partSizeFor` in production. Throws
 * `VaultError("invalid_argument")` for a size that is not a positive integer.
 *
 * @example
 * const parts = encrypted.pipeThrough(partitionStream(R2_MIN_PART_SIZE));
 */
export function partitionStream(partSize: number): TransformStream<Uint8Array, Uint8Array> {
  if (!Number.isSafeInteger(partSize) || partSize < 1) {
    throw new VaultError("invalid_argument", "The part size is a positive integer");
  }
  let part: Uint8Array | undefined;
  let filled = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(input, controller) {
      let offset = 0;
      while (offset < input.length) {
        part ??= new Uint8Array(partSize);
        const n = Math.min(partSize - filled, input.length - offset);
        part.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === partSize) {
          controller.enqueue(part);
          part = undefined;
          filled = 0;
        }
      }
    },
    flush(controller) {
      if (part !== undefined && filled > 0) controller.enqueue(part.slice(0, filled));
    },
  });
}

/**
 * Uploads each part of `parts` in order, one at a time (parts numbered from 1), and returns what each
 * `uploadPart` returned, ready for `R2MultipartUpload.complete`. On an error the parts stream is
 * cancelled and the error rethrown; aborting the upload is the caller's, who created it.
 *
 * @example
 * const uploaded = await uploadParts(encrypted.pipeThrough(partitionStream(partSize)), upload);
 * await upload.complete(uploaded);
 */
export async function uploadParts<Part>(
  parts: ReadableStream<Uint8Array>,
  upload: PartUploader<Part>,
): Promise<Part[]> {
  const uploaded: Part[] = [];
  const reader = parts.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return uploaded;
      if (uploaded.length === R2_MAX_PARTS) {
        throw new VaultError("too_large", `A multipart upload holds at most ${R2_MAX_PARTS} parts`);
      }
      uploaded.push(await upload.uploadPart(uploaded.length + 1, value));
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}
