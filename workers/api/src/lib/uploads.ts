/**
 * Resumable uploads: the tus 1.0.0 core protocol with the creation, termination and expiration
 * extensions (https://tus.io/protocols/resumable-upload), over R2 multipart uploads. The stored object
 * is the one a single-request upload writes (packages/vault's chunked AES-256-GCM stream under a
 * per-file data key, the file id as associated data, the same R2 key layout), so the mapper and
 * GET /v1/files/{id}/content read it like any other file. docs/storage.md ("uploads") has the layout.
 *
 * Where the bytes of an unfinished upload live between requests:
 * - whole R2 parts (every part but the last has one size, at least 5 MiB: R2's rule) in the multipart
 *   upload, listed in `uploads.state.parts`;
 * - everything confirmed but not yet in a part, in one sealed *checkpoint* object
 *   (`uploads/{tenant}/{upload}/checkpoint-{offset}-{lease}`): the ciphertext not yet making a part
 *   (under one part), the plaintext of the chunk not yet sealed (under 64 KiB) and the SHA-256 state,
 *   all encrypted under the file's data key with the checkpoint's own associated data
 *   (`{fileId}#checkpoint@{offset}`), so a stale checkpoint cannot be passed off as the current one.
 * A PATCH whose connection drops keeps every byte it received: it seals what it holds into a new
 * checkpoint, records the offset and only then deletes the previous checkpoint, so a crash at any
 * point leaves the row and R2 agreeing on the last recorded offset.
 */
import { ApiError, base64Decode, base64UrlDecode, base64UrlEncode, fileObjectKey } from "@dfda/core";
import type { Database } from "@dfda/db";
import { openDataKey } from "@dfda/db/repositories/file-keys";
import { findFileBySha256, insertFile } from "@dfda/db/repositories/files";
import {
  claimUpload,
  completeUpload,
  findUpload,
  renewLease,
  saveProgress,
  setUploadJob,
  type UploadRecord,
  type UploadScope,
} from "@dfda/db/repositories/uploads";
import { detectFormat } from "@dfda/mappers";
import {
  type ChunkSealer,
  DEFAULT_CHUNK_SIZE,
  decryptStream,
  encryptStream,
  resumeEncryption,
  Sha256,
} from "@dfda/vault";
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { queueFileMapping } from "./files";
import { fieldError } from "./problem";
import { sourceForClient } from "./sources";
import type { AppEnv } from "./types";

/** The tus protocol version this server speaks (`Tus-Resumable`, `Tus-Version`). */
export const TUS_VERSION = "1.0.0";
/** tus extensions implemented (`Tus-Extension`). */
export const TUS_EXTENSIONS = "creation,termination,expiration";
/** An unfinished upload expires this long after its creation or its last PATCH (tus expiration). */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a PATCH holds the upload without renewing its lease (renewed before every part). */
export const LEASE_MS = 2 * 60 * 1000;
/** The media type of a PATCH body (tus 1.0.0 §PATCH). */
export const OFFSET_OCTET_STREAM = "application/offset+octet-stream";

type Bindings = AppEnv["Bindings"];

const Part = z.object({ partNumber: z.number().int().positive(), etag: z.string() });

/** `uploads.state`: everything needed to go on with an upload, none of it secret (keys are wrapped). */
export const UploadState = z.object({
  v: z.literal(1),
  /** The id the completed file gets; the data key's wrapping and the stream's associated data name it. */
  file_id: z.uuid(),
  key_version: z.number().int().positive(),
  wrapped_key: z.string(),
  /** R2 part size (partSizeFor the ciphertext length), fixed at creation. */
  part_size: z.number().int().positive(),
  /** The encryption stream's header fields and next chunk (packages/vault EncryptionPosition). */
  salt: z.string(),
  nonce_prefix: z.string(),
  chunk_index: z.number().int().nonnegative(),
  parts: z.array(Part),
  /** The R2 key of the current checkpoint, or null when nothing is held outside parts. */
  checkpoint: z.string().nullable(),
  /** Decided from the first 64 KiB (the first chunk), as a single upload decides it. */
  format: z.string().nullable(),
  ext: z.string().nullable(),
});
export type UploadState = z.infer<typeof UploadState>;

/** tus `Upload-Metadata` decoded, and the options the upload takes from it. */
export const UploadMetadata = z.object({
  file_name: z.string().nullable(),
  content_type: z.string().nullable(),
  /** Column mapping for a CSV/TSV file, as the single upload's `mapping` field. */
  mapping: z.record(z.string(), z.unknown()).nullable(),
  /** The header as the client sent it, echoed on HEAD (tus 1.0.0 §Upload-Metadata). */
  raw: z.string().nullable(),
});
export type UploadMetadata = z.infer<typeof UploadMetadata>;

/** The state of a row, parsed (a row this code did not write fails closed). */
export function uploadState(upload: UploadRecord): UploadState {
  const { lease_id: _lease, lease_until: _until, ...rest } = upload.state as Record<string, unknown>;
  return UploadState.parse(rest);
}

export function uploadMetadata(upload: UploadRecord): UploadMetadata {
  return UploadMetadata.parse(upload.metadata);
}

/** An RFC 9110 HTTP-date, as tus's `Upload-Expires` is. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/** Headers every answer about an upload carries (tus 1.0.0: HEAD and PATCH responses). */
export function uploadHeaders(upload: UploadRecord): Record<string, string> {
  const headers: Record<string, string> = {
    "Tus-Resumable": TUS_VERSION,
    "Upload-Offset": String(upload.offset),
    "Upload-Length": String(upload.length),
    "Cache-Control": "no-store",
  };
  if (upload.status === "open") headers["Upload-Expires"] = httpDate(upload.expiresAt);
  const raw = UploadMetadata.safeParse(upload.metadata);
  if (raw.success && raw.data.raw !== null && raw.data.raw !== "") headers["Upload-Metadata"] = raw.data.raw;
  return headers;
}

/**
 * Refuses a request whose `Tus-Resumable` is missing (where `required`) or another version: 412 with
 * `Tus-Version` (tus 1.0.0 §Tus-Resumable).
 */
export function checkTusVersion(header: string | undefined, required: boolean): void {
  if (header === undefined ? !required : header.trim() === TUS_VERSION) return;
  throw new ApiError("tus_version_unsupported", {
    detail:
      header === undefined
        ? `Send Tus-Resumable: ${TUS_VERSION}.`
        : `Tus-Resumable ${header.slice(0, 20)} is not supported; this server speaks ${TUS_VERSION}.`,
    headers: { "Tus-Version": TUS_VERSION },
  });
}

const METADATA_KEY = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * Parses tus `Upload-Metadata`: comma-separated pairs of a key (ASCII, no spaces or commas) and an
 * optional base64 value, keys unique (tus 1.0.0 §Upload-Metadata). Takes `filename` (or `name`),
 * `filetype` (or `type`, `content_type`): the names tus-js-client and Uppy send; and `mapping` (JSON).
 */
export function parseUploadMetadata(header: string | undefined): UploadMetadata {
  const values = new Map<string, string>();
  const bad = (message: string) =>
    new ApiError("validation_failed", {
      detail: `Upload-Metadata: ${message}`,
      errors: [fieldError("header", ["upload-metadata"], message)],
    });
  if (header !== undefined && header.trim() !== "") {
    if (header.length > 16 * 1024) throw bad("longer than 16 KiB");
    for (const pair of header.split(",")) {
      const [key = "", value, ...extra] = pair.trim().split(" ");
      if (extra.length > 0 || !METADATA_KEY.test(key)) throw bad(`not a key and a base64 value: ${pair.slice(0, 40)}`);
      if (values.has(key)) throw bad(`the key ${key} appears twice`);
      let text = "";
      if (value !== undefined && value !== "") {
        try {
          text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(base64Decode(value));
        } catch {
          throw bad(`the value of ${key} is not base64 of UTF-8 text`);
        }
      }
      values.set(key, text);
    }
  }
  const pick = (...keys: string[]) => {
    for (const key of keys) {
      const value = values.get(key)?.trim();
      if (value !== undefined && value !== "") return value.slice(0, 255);
    }
    return null;
  };
  let mapping: Record<string, unknown> | null = null;
  const mappingText = values.get("mapping");
  if (mappingText !== undefined && mappingText !== "") {
    try {
      const parsed: unknown = JSON.parse(mappingText);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      mapping = parsed as Record<string, unknown>;
    } catch {
      throw bad("`mapping` is not a JSON object of column header → {variable_id, unit}");
    }
  }
  return {
    file_name: pick("filename", "name"),
    content_type: pick("filetype", "type", "content_type"),
    mapping,
    raw: header?.trim() || null,
  };
}

// ---------------------------------------------------------------------------------------------------
// The checkpoint: what a PATCH confirmed that is not yet in an R2 part.

interface Checkpoint {
  sha: Sha256;
  /** Ciphertext not yet uploaded as a part. */
  pending: Uint8Array;
  /** Plaintext of the chunk not yet sealed. */
  tail: Uint8Array;
}

const checkpointAad = (fileId: string, offset: number) => `${fileId}#checkpoint@${offset}`;

/** Layout: u32 JSON length ‖ JSON {h, bytes, block, pending, tail} ‖ SHA block ‖ pending ‖ tail. */
function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const saved = c.sha.save();
  const meta = new TextEncoder().encode(
    JSON.stringify({
      h: saved.h,
      bytes: saved.bytes,
      block: saved.block.length,
      pending: c.pending.length,
      tail: c.tail.length,
    }),
  );
  const out = new Uint8Array(4 + meta.length + saved.block.length + c.pending.length + c.tail.length);
  new DataView(out.buffer).setUint32(0, meta.length, false);
  let at = 4;
  for (const part of [meta, saved.block, c.pending, c.tail]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const CheckpointMeta = z.object({
  h: z.array(z.number().int()).length(8),
  bytes: z.number().int().nonnegative(),
  block: z.number().int().min(0).max(63),
  pending: z.number().int().nonnegative(),
  tail: z.number().int().nonnegative(),
});

function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = view.getUint32(0, false);
  const meta = CheckpointMeta.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + metaLength))));
  let at = 4 + metaLength;
  const take = (n: number) => {
    const part = bytes.slice(at, at + n);
    at += n;
    return part;
  };
  const block = take(meta.block);
  const pending = take(meta.pending);
  const tail = take(meta.tail);
  if (at !== bytes.length) throw new Error("checkpoint length mismatch");
  return { sha: Sha256.restore({ h: meta.h, bytes: meta.bytes, block }), pending, tail };
}

async function readCheckpoint(bucket: R2Bucket, key: string, dataKey: Uint8Array, aad: string): Promise<Checkpoint> {
  const object = await bucket.get(key);
  if (object === null) throw new Error(`checkpoint ${key} is missing`);
  const plain = object.body.pipeThrough(decryptStream(dataKey, aad));
  return decodeCheckpoint(new Uint8Array(await new Response(plain).arrayBuffer()));
}

async function writeCheckpoint(
  bucket: R2Bucket,
  key: string,
  dataKey: Uint8Array,
  aad: string,
  checkpoint: Checkpoint,
): Promise<void> {
  const sealed = new Blob([encodeCheckpoint(checkpoint)]).stream().pipeThrough(encryptStream(dataKey, aad));
  await bucket.put(key, new Uint8Array(await new Response(sealed).arrayBuffer()));
}

/** First two hex digits of SHA-256(user id): the same key prefix a single upload uses (docs/storage.md). */
async function userHashPrefix(userId: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId)));
  return (hash[0] ?? 0).toString(16).padStart(2, "0");
}

/** Deletes what an unfinished upload holds in R2: its multipart upload and its checkpoint. */
export async function discardUploadObjects(bucket: R2Bucket, upload: UploadRecord): Promise<void> {
  const parsed = UploadState.partial().safeParse(upload.state);
  const checkpoint = parsed.success ? parsed.data.checkpoint : null;
  if (upload.r2UploadId !== null) {
    await bucket
      .resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
      .abort()
      .catch(() => {});
  }
  if (checkpoint) await bucket.delete(checkpoint);
}

// ---------------------------------------------------------------------------------------------------
// PATCH: appending bytes.

export interface AppendOutcome {
  upload: UploadRecord;
  /** Why the body was not read to its end (the bytes before it are kept), or null. */
  interrupted: unknown;
  /** Bytes past `Upload-Length` were sent (and refused). */
  overflow: boolean;
  /** Completed into a file uploaded before (the same bytes). */
  existing: boolean;
}

interface Principal {
  tenantId: string;
  userId: string;
  clientId: string;
}

/**
 * Appends a PATCH body at `offset` (which must be the upload's offset), keeping every byte received
 * even when the body ends early, and completes the upload when its last byte arrives.
 */
export async function appendToUpload(
  env: Bindings,
  db: Database,
  keyring: Parameters<typeof openDataKey>[1],
  principal: Principal,
  scope: UploadScope,
  offset: number,
  body: ReadableStream<Uint8Array> | null,
): Promise<AppendOutcome> {
  const leaseId = crypto.randomUUID();
  const now = () => new Date();
  const claim = await claimUpload(db, scope, {
    offset,
    leaseId,
    now: now(),
    until: new Date(Date.now() + LEASE_MS),
  });
  if (!claim.ok) {
    if (body) await body.cancel().catch(() => {});
    throw claimError(claim.reason, claim.upload, offset);
  }
  const upload = claim.upload;
  const state = uploadState(upload);
  const metadata = uploadMetadata(upload);
  const dataKey = await openDataKey(db, keyring, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    boundTo: state.file_id,
    wrappedKey: state.wrapped_key,
    keyVersion: state.key_version,
  });
  const bucket = env.FILES;
  const chunkSize = DEFAULT_CHUNK_SIZE;
  const checkpoint: Checkpoint =
    state.checkpoint === null
      ? { sha: new Sha256(), pending: new Uint8Array(0), tail: new Uint8Array(0) }
      : await readCheckpoint(bucket, state.checkpoint, dataKey, checkpointAad(state.file_id, upload.offset));
  const sha = checkpoint.sha;
  const sealer: ChunkSealer = await resumeEncryption(dataKey, state.file_id, {
    salt: base64UrlDecode(state.salt),
    noncePrefix: base64UrlDecode(state.nonce_prefix),
    chunkSize,
    index: state.chunk_index,
  });
  const tail = new Uint8Array(chunkSize);
  tail.set(checkpoint.tail, 0);
  let tailLength = checkpoint.tail.length;
  const pending: Uint8Array[] = checkpoint.pending.length > 0 ? [checkpoint.pending] : [];
  let pendingLength = checkpoint.pending.length;
  let received = upload.offset;
  let r2Key = upload.r2Key;
  let multipart: R2MultipartUpload | null =
    upload.r2UploadId === null ? null : bucket.resumeMultipartUpload(upload.r2Key, upload.r2UploadId);
  const parts = [...state.parts];
  let format = state.format;
  let ext = state.ext;

  /** The next `n` bytes of `pending`, as one part. */
  const takePending = (n: number): Uint8Array => {
    const part = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = pending[0];
      if (head === undefined) throw new Error("pending underflow");
      const k = Math.min(n - filled, head.length);
      part.set(head.subarray(0, k), filled);
      filled += k;
      if (k === head.length) pending.shift();
      else pending[0] = head.subarray(k);
    }
    pendingLength -= n;
    return part;
  };

  const uploadFullParts = async () => {
    while (pendingLength >= state.part_size) {
      // Never write a part without the lease: a PATCH that lost it (terminated, or taken over after
      // it stalled) must not overwrite another request's parts.
      if (!(await renewLease(db, scope, leaseId, new Date(Date.now() + LEASE_MS)))) throw new LeaseLost();
      multipart ??= await bucket.createMultipartUpload(r2Key);
      parts.push(await multipart.uploadPart(parts.length + 1, takePending(state.part_size)));
    }
  };

  const sealTail = async (last: boolean) => {
    const plaintext = tail.subarray(0, tailLength);
    if (sealer.position().index === 0) {
      // The first chunk is the head a single upload detects the format from (DETECT_HEAD_BYTES = 64 KiB).
      const detection = detectFormat(plaintext, metadata.file_name, metadata.content_type);
      format = detection.format;
      ext = detection.ext;
      r2Key = fileObjectKey({
        userHashPrefix: await userHashPrefix(principal.userId),
        userId: principal.userId,
        sourceType: detection.format,
        uploadedAt: upload.createdAt,
        fileId: state.file_id,
        ext: detection.ext,
      });
      pending.push(sealer.header);
      pendingLength += sealer.header.length;
    }
    const sealed = await sealer.seal(plaintext, last);
    pending.push(sealed);
    pendingLength += sealed.length;
    tailLength = 0;
    await uploadFullParts();
  };

  let interrupted: unknown = null;
  let overflow = false;
  const reader = body?.getReader() ?? null;
  try {
    while (reader !== null && received < upload.length) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        interrupted = error;
        break;
      }
      if (read.done) break;
      let input = read.value;
      if (input.length > upload.length - received) {
        overflow = true;
        input = input.subarray(0, upload.length - received);
      }
      let at = 0;
      while (at < input.length) {
        const n = Math.min(chunkSize - tailLength, input.length - at);
        const piece = input.subarray(at, at + n);
        sha.update(piece);
        tail.set(piece, tailLength);
        tailLength += n;
        received += n;
        at += n;
        // A full chunk is sealed "not last" only while the declared length says more follows.
        if (received === upload.length) await sealTail(true);
        else if (tailLength === chunkSize) await sealTail(false);
      }
      if (overflow) break;
    }
    if (reader !== null && received === upload.length && !overflow && interrupted === null) {
      // Past the declared length: any further byte is refused (and not stored).
      const extra = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (!extra.done && (extra.value?.length ?? 0) > 0) overflow = true;
    }
  } catch (error) {
    if (reader) await reader.cancel().catch(() => {});
    if (error instanceof LeaseLost) return lostLease(env, db, scope, multipart, r2Key);
    // A failure of ours (R2, the database): the offset stays where it was recorded; parts written
    // under new numbers are overwritten by the next attempt, and the lease expires.
    throw error;
  } finally {
    if (reader) reader.releaseLock();
  }
  if (overflow && reader) await reader.cancel().catch(() => {});

  const common = {
    file_id: state.file_id,
    key_version: state.key_version,
    wrapped_key: state.wrapped_key,
    part_size: state.part_size,
    salt: state.salt,
    nonce_prefix: state.nonce_prefix,
    chunk_index: sealer.position().index,
    format,
    ext,
  } as const;

  if (received === upload.length) {
    // The last chunk is sealed: the object is whole. One part or less is one put (as putEncrypted
    // writes a small file); otherwise the last part, shorter, completes the multipart upload.
    const rest = takePending(pendingLength);
    if (multipart === null) await bucket.put(r2Key, rest);
    else {
      if (rest.length > 0) parts.push(await multipart.uploadPart(parts.length + 1, rest));
      await multipart.complete(parts);
    }
    const finalState: UploadState = { v: 1, ...common, parts: [], checkpoint: null };
    const sha256 = sha.hex();
    const existing = await findFileBySha256(db, principal.tenantId, principal.userId, sha256);
    const fileId = existing?.id ?? state.file_id;
    const sourceId = await sourceForClient(db, principal.tenantId, principal.clientId);
    // The file row and the upload's completion commit together: never a completed upload without its
    // file, nor a file whose upload still looks open.
    const file = await db.transaction(async (tx) => {
      const done = await completeUpload(tx, scope, leaseId, {
        offset: received,
        state: finalState,
        r2Key: existing ? existing.r2Key : r2Key,
        fileId,
        now: now(),
      });
      if (done === null) return null;
      if (existing) return existing;
      return insertFile(tx, {
        id: state.file_id,
        tenantId: principal.tenantId,
        userId: principal.userId,
        sourceId,
        originalName: metadata.file_name,
        contentType: metadata.content_type,
        format: format ?? "unknown",
        sizeBytes: received,
        sha256,
        r2Key,
        keyVersion: state.key_version,
        wrappedKey: state.wrapped_key,
        status: "stored",
        mapping: metadata.mapping,
      });
    });
    if (file === null) {
      await bucket.delete(r2Key).catch(() => {});
      return lostLease(env, db, scope, null, r2Key);
    }
    if (state.checkpoint) await bucket.delete(state.checkpoint).catch(() => {});
    if (existing) {
      // The same bytes again: keep the first copy, as a single upload does.
      await bucket.delete(r2Key).catch(() => {});
      return { upload: (await findUpload(db, scope)) ?? upload, interrupted, overflow, existing: true };
    }
    // The file is kept whatever happens now; if its message cannot be queued (503), mapping it is one
    // POST /v1/files/{id}/reprocess away.
    const { jobId } = await queueFileMapping(env, db, principal, { ...file, sourceId });
    const withJob = await setUploadJob(db, scope, jobId);
    return { upload: withJob ?? upload, interrupted, overflow, existing: false };
  }

  // Not finished: seal what is held outside parts into a new checkpoint, record it, then drop the old one.
  let checkpointKey = state.checkpoint;
  if (received !== upload.offset || pendingLength !== checkpoint.pending.length) {
    checkpointKey = `uploads/${principal.tenantId}/${scope.id}/checkpoint-${received}-${leaseId}`;
    await writeCheckpoint(bucket, checkpointKey, dataKey, checkpointAad(state.file_id, received), {
      sha,
      pending: takePending(pendingLength),
      tail: tail.slice(0, tailLength),
    });
  }
  const expiresAt = new Date(Date.now() + UPLOAD_TTL_MS);
  const saved = await saveProgress(db, scope, leaseId, {
    offset: received,
    state: { v: 1, ...common, parts, checkpoint: checkpointKey },
    r2Key,
    r2UploadId: multipart?.uploadId ?? null,
    expiresAt,
    now: now(),
  });
  if (!saved) {
    if (checkpointKey !== state.checkpoint && checkpointKey !== null)
      await bucket.delete(checkpointKey).catch(() => {});
    return lostLease(env, db, scope, multipart, r2Key);
  }
  if (state.checkpoint !== null && checkpointKey !== state.checkpoint)
    await bucket.delete(state.checkpoint).catch(() => {});
  const updated = await findUpload(db, scope);
  return { upload: updated ?? { ...upload, offset: received, expiresAt }, interrupted, overflow, existing: false };
}

class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}

/**
 * The lease went while this request wrote: the upload was terminated (then what this request created
 * is deleted) or another request took it over after this one stalled (then that one's parts stay).
 */
async function lostLease(
  env: Bindings,
  db: Database,
  scope: UploadScope,
  multipart: R2MultipartUpload | null,
  r2Key: string,
): Promise<never> {
  const now = await findUpload(db, scope);
  if (now === null || now.status !== "open") {
    if (multipart) await multipart.abort().catch(() => {});
    if (now !== null) await discardUploadObjects(env.FILES, now).catch(() => {});
    if (now?.status !== "completed") await env.FILES.delete(r2Key).catch(() => {});
    throw new ApiError("gone", { detail: "The upload was terminated or expired while this request wrote it." });
  }
  throw new ApiError("upload_locked", {
    detail: "Another request took this upload over. Ask with HEAD and resume from its Upload-Offset.",
    headers: { "Retry-After": "1" },
  });
}

/** The problem for an upload a PATCH could not claim. */
export function claimError(
  reason: "not_found" | "not_open" | "expired" | "offset_mismatch" | "locked",
  upload: UploadRecord | null,
  offset: number,
): ApiError {
  switch (reason) {
    case "not_found":
      return new ApiError("not_found", { detail: "No such upload." });
    case "not_open":
      return upload?.status === "completed"
        ? new ApiError("upload_offset_mismatch", {
            detail: `The upload is complete (${upload.length} bytes).`,
            headers: uploadHeaders(upload),
          })
        : new ApiError("gone", { detail: `The upload was ${upload?.status ?? "removed"}.` });
    case "expired":
      return new ApiError("gone", { detail: "The upload expired." });
    case "offset_mismatch":
      return new ApiError("upload_offset_mismatch", {
        detail: `Upload-Offset is ${offset}, but the upload holds ${upload?.offset ?? 0} bytes: send from there.`,
        headers: upload ? uploadHeaders(upload) : {},
      });
    case "locked":
      return new ApiError("upload_locked", {
        detail: "Another request is writing this upload. Ask with HEAD in a moment and resume.",
        headers: { "Retry-After": "1" },
      });
  }
}

/** A fresh encryption position for a new upload (the salt and nonce prefix its object's header holds). */
export function newEncryptionFields(): { salt: string; nonce_prefix: string } {
  return {
    salt: base64UrlEncode(crypto.getRandomValues(new Uint8Array(32))),
    nonce_prefix: base64UrlEncode(crypto.getRandomValues(new Uint8Array(7))),
  };
}

// ---------------------------------------------------------------------------------------------------
// The API's view of an upload.

/** An open upload, a tenth of the way (the OpenAPI example of the schema and of each answer). */
export const UPLOAD_EXAMPLE = {
  id: "01939a4e-7c1a-7b3e-9f00-5a1d2c3b4e5f",
  status: "open",
  offset: 10485760,
  length: 104857600,
  file_name: "export.xml",
  content_type: "application/xml",
  created_at: "2026-12-06T15:00:00.000Z",
  expires_at: "2026-12-07T15:04:10.000Z",
  file_id: null,
  job_id: null,
  file_url: null,
  status_url: null,
};

export const UploadSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["open", "completed", "aborted", "expired"]).openapi({
      description: "`open` until its last byte arrives (then `completed`), or terminated (`aborted`) or `expired`.",
    }),
    offset: z.number().int().openapi({ description: "Bytes received and stored (tus Upload-Offset)." }),
    length: z.number().int().openapi({ description: "The declared size (tus Upload-Length)." }),
    file_name: z.string().nullable(),
    content_type: z.string().nullable(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().nullable().openapi({ description: "When an unfinished upload is deleted." }),
    file_id: z.uuid().nullable().openapi({ description: "The file it became (an earlier one for the same bytes)." }),
    job_id: z
      .uuid()
      .nullable()
      .openapi({ description: "The mapping job (null before completion, or for the same bytes again)." }),
    file_url: z.string().nullable(),
    status_url: z.string().nullable(),
  })
  .openapi("Upload", { example: UPLOAD_EXAMPLE });
export type UploadResponse = z.infer<typeof UploadSchema>;

export function uploadResponse(upload: UploadRecord, requestUrl: string): UploadResponse {
  const metadata = UploadMetadata.safeParse(upload.metadata);
  return {
    id: upload.id,
    status: upload.status,
    offset: upload.offset,
    length: upload.length,
    file_name: metadata.success ? metadata.data.file_name : null,
    content_type: metadata.success ? metadata.data.content_type : null,
    created_at: upload.createdAt.toISOString(),
    expires_at: upload.status === "open" ? upload.expiresAt.toISOString() : null,
    file_id: upload.fileId,
    job_id: upload.jobId,
    file_url: upload.fileId ? new URL(`/v1/files/${upload.fileId}`, requestUrl).toString() : null,
    status_url: upload.jobId ? new URL(`/v1/ingest/jobs/${upload.jobId}`, requestUrl).toString() : null,
  };
}

export const UploadIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0193a0c1-5d6e-7f80-9a1b-2c3d4e5f6a7b" }),
});

/** Headers of a tus request, documented (each route checks them itself, with tus's status codes). */
export const TusResumableHeader = z
  .string()
  .optional()
  .openapi({
    param: { name: "tus-resumable", in: "header" },
    description: "The tus version: 1.0.0.",
    example: "1.0.0",
  });

/**
 * Middleware for /v1/uploads: `Tus-Resumable` on every answer, and on OPTIONS (answered by the CORS
 * middleware, which it wraps) what the server supports (tus 1.0.0 §OPTIONS).
 */
export function tusHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.res.headers.set("Tus-Resumable", TUS_VERSION);
    if (c.req.method === "OPTIONS") {
      c.res.headers.set("Tus-Version", TUS_VERSION);
      c.res.headers.set("Tus-Extension", TUS_EXTENSIONS);
      c.res.headers.set("Tus-Max-Size", String(c.var.config.maxUploadBytes));
    }
  };
}

/** Request headers tus clients send, and response headers they read (for CORS). */
export const TUS_REQUEST_HEADERS = ["Tus-Resumable", "Upload-Length", "Upload-Metadata", "Upload-Offset"];
export const TUS_RESPONSE_HEADERS = [
  "Tus-Resumable",
  "Tus-Version",
  "Tus-Extension",
  "Tus-Max-Size",
  "Upload-Offset",
  "Upload-Length",
  "Upload-Expires",
  "Upload-Metadata",
];
