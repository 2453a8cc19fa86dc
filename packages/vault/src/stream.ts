/**
 * Chunked streaming authenticated encryption of one file under its data key: the STREAM construction
 * (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its Nonce-Reuse
 * Misuse-Resistance", CRYPTO 2015, §7) over AES-256-GCM (NIST SP 800-38D), laid out as Tink's
 * AES-GCM-HKDF streaming AEAD and age's payload are: a header, then fixed-size plaintext chunks each
 * sealed under nonce = prefix ‖ counter ‖ last-flag. Files of any size pass through in constant memory
 * (one chunk), both ways.
 *
 * Format version 1 (all integers big-endian; README.md has the full table):
 *
 *     header (96 bytes) = "DFVS" ‖ version 0x01 ‖ chunkSize u32 ‖ salt[32] ‖ noncePrefix[7]
 *                         ‖ keyCommitment[32] ‖ headerTag[16]
 *     chunk i           = AES-256-GCM(chunkKey, nonce_i, plaintext_i, AAD = header ‖ aad) (ciphertext ‖ 16-byte tag)
 *     nonce_i           = noncePrefix[7] ‖ u32(i) ‖ (0x01 if the last chunk else 0x00)
 *     chunkKey ‖ keyCommitment ‖ headerKey = HKDF-SHA-256(IKM = DEK, salt, info = "dfda-vault/stream/v1", L = 96)
 *     headerTag         = HMAC-SHA-256(headerKey, header[0..80] ‖ aad)[0..16]
 *
 * Every chunk but the last holds exactly `chunkSize` plaintext bytes; the last holds 1..chunkSize, or 0
 * only when the whole file is empty (as age requires), so one plaintext has one encoding.
 *
 * Why each part:
 * - The counter in the nonce fixes each chunk's position: a removed, reordered or duplicated chunk
 *   fails. The last-flag marks the end: an object cut at a chunk boundary, whose new last chunk was
 *   sealed as "not last", fails (STREAM's defence against truncation).
 * - The per-file subkey (HKDF, RFC 5869, from a fresh random 256-bit salt) means that even a data key
 *   reused for two encryptions never repeats a (key, nonce) pair. Counter nonces are unique by
 *   construction (SP 800-38D §8.2.1), and one subkey seals at most 2^32 chunks (§8.3). The random nonce
 *   prefix is kept as Tink keeps it.
 * - GCM is not key-committing: a wrong key and a changed byte both just fail the tag, and a ciphertext
 *   can be crafted that opens under two keys (Albertini et al., USENIX Security 2022; Len, Grubbs,
 *   Ristenpart, USENIX Security 2021). The key commitment (an HKDF output of the DEK, compared in
 *   constant time) rejects a wrong key before any chunk is opened, so `wrong_key` really means the key,
 *   and the header tag, keyed by the DEK, checks the caller's AAD (e.g. the file id) up front.
 * - The header and the caller's AAD are also additional data of every chunk, so no chunk opens under
 *   another header or another file id.
 *
 * Decryption releases each chunk's plaintext as soon as that chunk authenticates; only the end of the
 * stream proves that nothing was cut off. A consumer must treat the data as untrusted until the stream
 * has closed without error (for example, parse it inside a database transaction it commits only then).
 */
import { timingSafeEqual } from "@dfda/auth";
import { VaultError } from "./errors";
import { KEY_LENGTH } from "./keys";

/** The format version this module writes (header byte 4). */
export const FORMAT_VERSION = 1;
/** Bytes of the stream header. */
export const HEADER_LENGTH = 96;
/** Bytes of the AES-GCM tag that each chunk adds. */
export const TAG_LENGTH = 16;
/** Plaintext bytes per chunk unless `chunkSize` says otherwise: 64 KiB, as age and Tink use. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Smallest chunk size accepted (tests use small chunks; production keeps the default). */
export const MIN_CHUNK_SIZE = 16;
/** Largest chunk size accepted, which bounds what a decryptor buffers for a hostile header. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** At most 2^32 chunks per object: the 32-bit chunk counter of the nonce. */
export const MAX_CHUNKS = 2 ** 32;

const MAGIC = new Uint8Array([0x44, 0x46, 0x56, 0x53]); // "DFVS": dfda vault stream
const SALT_LENGTH = 32;
const NONCE_PREFIX_LENGTH = 7;
const NONCE_LENGTH = 12;
const COMMITMENT_LENGTH = 32;
const HEADER_TAG_LENGTH = 16;
const VERSION_OFFSET = 4;
const CHUNK_SIZE_OFFSET = 5;
const SALT_OFFSET = 9;
const NONCE_PREFIX_OFFSET = SALT_OFFSET + SALT_LENGTH; // 41
const COMMITMENT_OFFSET = NONCE_PREFIX_OFFSET + NONCE_PREFIX_LENGTH; // 48
const HEADER_TAG_OFFSET = COMMITMENT_OFFSET + COMMITMENT_LENGTH; // 80
const encoder = new TextEncoder();
/** HKDF `info` (RFC 5869 §3.2): ties the derived keys to this format and version. */
const HKDF_INFO = encoder.encode("dfda-vault/stream/v1");

/** The public fields of a stream header. */
export interface StreamHeader {
  readonly version: number;
  /** Plaintext bytes per chunk. */
  readonly chunkSize: number;
}

export interface EncryptOptions {
  /** Plaintext bytes per chunk, `MIN_CHUNK_SIZE`..`MAX_CHUNK_SIZE`; default `DEFAULT_CHUNK_SIZE`. */
  readonly chunkSize?: number;
}

export interface DecryptOptions {
  /**
   * The plaintext length recorded at upload (e.g. `files.size_bytes`). When given, an object of any
   * other ciphertext length fails as `truncated` or `trailing_data`, which the bytes alone cannot always
   * tell apart from a changed last chunk.
   */
  readonly expectedPlaintextLength?: number;
}

interface StreamKeys {
  chunkKey: CryptoKey;
  commitment: Uint8Array;
  headerKey: CryptoKey;
}

function checkDataKey(dek: Uint8Array): void {
  if (!(dek instanceof Uint8Array) || dek.length !== KEY_LENGTH) {
    throw new VaultError("invalid_key", `A data key is ${KEY_LENGTH} bytes`);
  }
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new VaultError(
      "invalid_argument",
      `The chunk size is an integer from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`,
    );
  }
}

function checkLength(length: number, what: string): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new VaultError("invalid_argument", `${what} is a non-negative integer`);
  }
}

function aadBytes(aad: string | Uint8Array): Uint8Array {
  return typeof aad === "string" ? encoder.encode(aad) : aad.slice();
}

/** A chunk written to a stream as bytes, whatever view or buffer it arrived as. */
function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new VaultError("invalid_argument", "Stream chunks must be bytes (Uint8Array)");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** chunkKey ‖ keyCommitment ‖ headerKey = HKDF-SHA-256(DEK, salt, "dfda-vault/stream/v1", 96). */
async function deriveStreamKeys(dek: Uint8Array, salt: Uint8Array): Promise<StreamKeys> {
  const ikm = await crypto.subtle.importKey("raw", dek, "HKDF", false, ["deriveBits"]);
  const okm = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: HKDF_INFO }, ikm, 96 * 8),
  );
  const chunkKeyBytes = okm.slice(0, 32);
  const headerKeyBytes = okm.slice(64, 96);
  try {
    const chunkKey = await crypto.subtle.importKey("raw", chunkKeyBytes, { name: "AES-GCM" }, false, [
      "encrypt",
      "decrypt",
    ]);
    const headerKey = await crypto.subtle.importKey("raw", headerKeyBytes, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    return { chunkKey, commitment: okm.slice(32, 64), headerKey };
  } finally {
    okm.fill(0);
    chunkKeyBytes.fill(0);
    headerKeyBytes.fill(0);
  }
}

/** HMAC-SHA-256(headerKey, header[0..80] ‖ aad), truncated to 16 bytes. */
async function computeHeaderTag(headerKey: CryptoKey, header: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign("HMAC", headerKey, concat(header.subarray(0, HEADER_TAG_OFFSET), aad));
  return new Uint8Array(mac, 0, HEADER_TAG_LENGTH);
}

/** noncePrefix[7] ‖ u32be(index) ‖ lastFlag. */
function chunkNonce(prefix: Uint8Array, index: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(NONCE_LENGTH);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_LENGTH, index, false);
  nonce[NONCE_LENGTH - 1] = last ? 1 : 0;
  return nonce;
}

function checkChunkIndex(index: number): void {
  if (index >= MAX_CHUNKS) throw new VaultError("too_large", `An object holds at most ${MAX_CHUNKS} chunks`);
}

function readHeaderFields(header: Uint8Array): StreamHeader {
  for (let i = 0; i < MAGIC.length; i++) {
    if (header[i] !== MAGIC[i]) throw new VaultError("bad_header", "Not a vault stream (bad magic)");
  }
  const version = header[VERSION_OFFSET] ?? 0;
  if (version !== FORMAT_VERSION) throw new VaultError("bad_header", `Unsupported vault stream version ${version}`);
  const chunkSize = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(
    CHUNK_SIZE_OFFSET,
    false,
  );
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new VaultError("bad_header", `Impossible chunk size ${chunkSize}`);
  }
  return { version, chunkSize };
}

/**
 * Reads the version and chunk size from the first `HEADER_LENGTH` bytes of an encrypted object (e.g. an
 * R2 range read), without a key. Nothing here is authenticated until decryption. Throws `VaultError`:
 * `truncated` (fewer bytes than a header) or `bad_header`.
 *
 * @example
 * const head = await bucket.get(key, { range: { offset: 0, length: HEADER_LENGTH } });
 * const { chunkSize } = parseHeader(new Uint8Array(await head.arrayBuffer()));
 * const size = plaintextLength(object.size, chunkSize);
 */
export function parseHeader(bytes: Uint8Array): StreamHeader {
  if (bytes.length < HEADER_LENGTH) throw new VaultError("truncated", "Shorter than a vault stream header");
  return readHeaderFields(bytes.subarray(0, HEADER_LENGTH));
}

/**
 * Bytes of the encrypted object for `plaintextLength` bytes of plaintext: header + plaintext + one tag
 * per chunk (at least one chunk). For a `Content-Length`, a `FixedLengthStream` or planning multipart
 * parts. Throws `VaultError`: `invalid_argument`, or `too_large` past 2^32 chunks.
 *
 * @example
 * ciphertextLength(0); // 112: header and one empty final chunk
 * ciphertextLength(65_537); // 96 + 65_537 + 2 × 16 = 65_665
 */
export function ciphertextLength(plaintextLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  checkLength(plaintextLength, "The plaintext length");
  checkChunkSize(chunkSize);
  const chunks = Math.max(1, Math.ceil(plaintextLength / chunkSize));
  if (chunks > MAX_CHUNKS) throw new VaultError("too_large", `An object holds at most ${MAX_CHUNKS} chunks`);
  return HEADER_LENGTH + plaintextLength + chunks * TAG_LENGTH;
}

/**
 * The plaintext length of an encrypted object of `ciphertextLength` bytes (the inverse of
 * `ciphertextLength`). Unauthenticated arithmetic: decryption is what proves the object intact. Throws
 * `VaultError`: `invalid_argument`, or `malformed` for a length no encryption produces.
 *
 * @example
 * plaintextLength(65_665); // 65_537
 */
export function plaintextLength(ciphertextLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  checkLength(ciphertextLength, "The ciphertext length");
  checkChunkSize(chunkSize);
  const body = ciphertextLength - HEADER_LENGTH;
  const sealedChunk = chunkSize + TAG_LENGTH;
  const full = Math.floor(body / sealedChunk);
  const rest = body % sealedChunk;
  // A non-empty rest is the short last chunk; it must hold a tag, and may be empty only if it is alone.
  if (body < TAG_LENGTH || (rest > 0 && rest < TAG_LENGTH) || (rest === TAG_LENGTH && full > 0)) {
    throw new VaultError("malformed", `No vault stream with chunk size ${chunkSize} is ${ciphertextLength} bytes`);
  }
  const chunks = full + (rest > 0 ? 1 : 0);
  return body - chunks * TAG_LENGTH;
}

/**
 * Encrypts a byte stream under a file's data key: writes the header, then re-chunks whatever input
 * chunk sizes arrive into fixed `chunkSize` chunks, each sealed as it fills; the last one, marked as
 * last, is sealed when the input closes (an empty input gives one empty last chunk). Memory: one chunk.
 * `aad` (a string is taken as UTF-8) is authenticated, not stored: pass the same to `decryptStream`,
 * e.g. the file id. Throws `VaultError("invalid_key" | "invalid_argument")` at once for bad arguments.
 *
 * @example
 * const dek = generateDataKey();
 * const body = request.body.pipeThrough(encryptStream(dek, fileId));
 * await env.FILES.put(key, body.pipeThrough(new FixedLengthStream(ciphertextLength(size))));
 */
export function encryptStream(
  dek: Uint8Array,
  aad: string | Uint8Array,
  options: EncryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  checkDataKey(dek);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  checkChunkSize(chunkSize);
  const key = dek.slice();
  const ad = aadBytes(aad);
  const buffer = new Uint8Array(chunkSize);
  let filled = 0;
  let index = 0;
  let chunkKey: CryptoKey | undefined;
  let chunkAad: Uint8Array = new Uint8Array(0);
  let noncePrefix: Uint8Array = new Uint8Array(0);

  async function seal(controller: TransformStreamDefaultController<Uint8Array>, data: Uint8Array, last: boolean) {
    checkChunkIndex(index);
    if (chunkKey === undefined) throw new VaultError("invalid_argument", "The stream was not started");
    const sealed = await crypto.subtle.encrypt(
      {
        name: "AES-GCM",
        iv: chunkNonce(noncePrefix, index, last),
        additionalData: chunkAad,
        tagLength: TAG_LENGTH * 8,
      },
      chunkKey,
      data,
    );
    index++;
    controller.enqueue(new Uint8Array(sealed));
  }

  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
      noncePrefix = crypto.getRandomValues(new Uint8Array(NONCE_PREFIX_LENGTH));
      const keys = await deriveStreamKeys(key, salt);
      key.fill(0);
      const header = new Uint8Array(HEADER_LENGTH);
      header.set(MAGIC, 0);
      header[VERSION_OFFSET] = FORMAT_VERSION;
      new DataView(header.buffer).setUint32(CHUNK_SIZE_OFFSET, chunkSize, false);
      header.set(salt, SALT_OFFSET);
      header.set(noncePrefix, NONCE_PREFIX_OFFSET);
      header.set(keys.commitment, COMMITMENT_OFFSET);
      header.set(await computeHeaderTag(keys.headerKey, header, ad), HEADER_TAG_OFFSET);
      chunkKey = keys.chunkKey;
      chunkAad = concat(header, ad);
      controller.enqueue(header);
    },
    async transform(chunk, controller) {
      const input = asBytes(chunk);
      let offset = 0;
      while (offset < input.length) {
        // A full buffer is sealed as "not last" only once a further byte proves more follows.
        if (filled === chunkSize) {
          await seal(controller, buffer, false);
          filled = 0;
        }
        const n = Math.min(chunkSize - filled, input.length - offset);
        buffer.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
      }
    },
    async flush(controller) {
      await seal(controller, buffer.subarray(0, filled), true);
      buffer.fill(0);
    },
  });
}

/**
 * Decrypts and verifies a stream made by `encryptStream` with the same data key and `aad`, releasing
 * each chunk's plaintext once it authenticates. The stream errors with a `VaultError`:
 * - `bad_header`: not a vault stream, an unsupported version, an impossible chunk size;
 * - `wrong_key`: the header's key commitment does not match this data key;
 * - `wrong_aad`: the key matches but the header tag does not: `aad` differs from encryption (e.g.
 *   another file id), or a header field was changed;
 * - `tampered` (with `chunk`): a chunk failed authentication: a changed byte, or a removed, reordered
 *   or duplicated chunk; for the last chunk also "cut short or followed by extra bytes", which GCM
 *   cannot tell apart (pass `expectedPlaintextLength` to have those reported as below);
 * - `truncated`: the object ends inside the header, inside a tag, or at a chunk boundary before the
 *   chunk marked last (or is shorter than `expectedPlaintextLength` implies);
 * - `trailing_data`: bytes follow the chunk marked last (or it is longer than expected);
 * - `malformed`: an empty last chunk after full ones (never written by `encryptStream`).
 *
 * A failure on the header's fields is diagnosed assuming the rest of the header is intact; an
 * attacker who alters the header can change which code is reported, never make the object open.
 *
 * @example
 * const object = await env.FILES.get(key);
 * const plaintext = object.body.pipeThrough(decryptStream(dek, fileId, { expectedPlaintextLength: file.sizeBytes }));
 */
export function decryptStream(
  dek: Uint8Array,
  aad: string | Uint8Array,
  options: DecryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  checkDataKey(dek);
  const expectedPlaintext = options.expectedPlaintextLength;
  if (expectedPlaintext !== undefined) checkLength(expectedPlaintext, "The expected plaintext length");
  const key = dek.slice();
  const ad = aadBytes(aad);
  const header = new Uint8Array(HEADER_LENGTH);
  let headerFilled = 0;
  let opened: { chunkKey: CryptoKey; chunkAad: Uint8Array; noncePrefix: Uint8Array; buffer: Uint8Array } | undefined;
  let expectedLength: number | undefined;
  let received = 0;
  let filled = 0;
  let index = 0;

  async function openHeader(): Promise<void> {
    const { chunkSize } = readHeaderFields(header);
    const keys = await deriveStreamKeys(key, header.slice(SALT_OFFSET, SALT_OFFSET + SALT_LENGTH));
    key.fill(0);
    if (!timingSafeEqual(keys.commitment, header.subarray(COMMITMENT_OFFSET, HEADER_TAG_OFFSET))) {
      throw new VaultError("wrong_key", "The data key is not the one this object was encrypted with");
    }
    const tag = await computeHeaderTag(keys.headerKey, header, ad);
    if (!timingSafeEqual(tag, header.subarray(HEADER_TAG_OFFSET, HEADER_LENGTH))) {
      throw new VaultError(
        "wrong_aad",
        "The header tag does not match: the associated data differs from encryption, or the header was changed",
      );
    }
    if (expectedPlaintext !== undefined) {
      try {
        expectedLength = ciphertextLength(expectedPlaintext, chunkSize);
      } catch (cause) {
        throw new VaultError("invalid_argument", "The expected plaintext length is too large", { cause });
      }
    }
    opened = {
      chunkKey: keys.chunkKey,
      chunkAad: concat(header, ad),
      noncePrefix: header.slice(NONCE_PREFIX_OFFSET, COMMITMENT_OFFSET),
      buffer: new Uint8Array(chunkSize + TAG_LENGTH),
    };
  }

  /** The chunk's plaintext, or undefined if it does not authenticate as chunk `index` with this flag. */
  async function tryOpen(data: Uint8Array, last: boolean): Promise<Uint8Array | undefined> {
    if (opened === undefined) return undefined;
    checkChunkIndex(index);
    try {
      const plaintext = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: chunkNonce(opened.noncePrefix, index, last),
          additionalData: opened.chunkAad,
          tagLength: TAG_LENGTH * 8,
        },
        opened.chunkKey,
        data,
      );
      return new Uint8Array(plaintext);
    } catch {
      return undefined;
    }
  }

  /** A full chunk with more bytes after it: it must be a "not last" chunk. */
  async function openMiddle(controller: TransformStreamDefaultController<Uint8Array>, data: Uint8Array) {
    const plaintext = await tryOpen(data, false);
    if (plaintext === undefined) {
      if ((await tryOpen(data, true)) !== undefined) {
        throw new VaultError("trailing_data", `Bytes follow chunk ${index}, which is marked last`, { chunk: index });
      }
      throw new VaultError("tampered", `Chunk ${index} failed authentication`, { chunk: index });
    }
    index++;
    controller.enqueue(plaintext);
  }

  /** What is left when the input ends: it must be the chunk marked last. */
  async function openLast(controller: TransformStreamDefaultController<Uint8Array>, data: Uint8Array) {
    if (data.length < TAG_LENGTH) {
      throw new VaultError(
        "truncated",
        index === 0 && data.length === 0 ? "The object ends after its header" : `The object ends inside chunk ${index}`,
        { chunk: index },
      );
    }
    const plaintext = await tryOpen(data, true);
    if (plaintext === undefined) {
      if (data.length === opened?.buffer.length && (await tryOpen(data, false)) !== undefined) {
        throw new VaultError("truncated", `The object ends after chunk ${index}, which is not marked last`, {
          chunk: index + 1,
        });
      }
      throw new VaultError(
        "tampered",
        `The last chunk (${index}) failed authentication: changed, cut short, or followed by extra bytes`,
        { chunk: index },
      );
    }
    if (plaintext.length === 0 && index > 0) {
      throw new VaultError("malformed", "An empty last chunk after full ones is not canonical", { chunk: index });
    }
    controller.enqueue(plaintext);
  }

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      const input = asBytes(chunk);
      received += input.length;
      let offset = 0;
      if (opened === undefined) {
        offset = Math.min(HEADER_LENGTH - headerFilled, input.length);
        header.set(input.subarray(0, offset), headerFilled);
        headerFilled += offset;
        if (headerFilled < HEADER_LENGTH) return;
        await openHeader();
      }
      if (expectedLength !== undefined && received > expectedLength) {
        throw new VaultError("trailing_data", `The object is longer than the expected ${expectedLength} bytes`);
      }
      const state = opened;
      if (state === undefined) return;
      const { buffer } = state;
      while (offset < input.length) {
        // A full buffer is a "not last" chunk only once a further byte proves more follows.
        if (filled === buffer.length) {
          await openMiddle(controller, buffer);
          filled = 0;
        }
        const n = Math.min(buffer.length - filled, input.length - offset);
        buffer.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
      }
    },
    async flush(controller) {
      if (opened === undefined) {
        throw new VaultError(
          "truncated",
          headerFilled === 0 ? "The object is empty" : "The object ends inside its header",
        );
      }
      if (expectedLength !== undefined && received < expectedLength) {
        throw new VaultError("truncated", `The object is shorter than the expected ${expectedLength} bytes`);
      }
      await openLast(controller, opened.buffer.subarray(0, filled));
    },
  });
}

/**
 * Where an encryption stopped, so that another request can go on with it (resumable uploads, tus 1.0):
 * the header's public fields and the index of the next chunk to seal. Nothing here is secret (the salt
 * and the nonce prefix are in the object's header); the plaintext of a chunk not yet sealed is the
 * caller's to keep (sealed, e.g. under the same data key with another `aad`).
 */
export interface EncryptionPosition {
  readonly salt: Uint8Array;
  readonly noncePrefix: Uint8Array;
  readonly chunkSize: number;
  /** The next chunk's index. */
  readonly index: number;
}

/** Seals the chunks of one object, one call at a time (see `beginEncryption`). */
export interface ChunkSealer {
  /** The object's header (the first `HEADER_LENGTH` bytes of its ciphertext). */
  readonly header: Uint8Array;
  /**
   * Seals the next chunk: exactly `chunkSize` bytes unless `last`, and then 1..chunkSize bytes (0 only
   * for an empty object, as `encryptStream` writes it). Returns the sealed chunk (plaintext + tag).
   */
  seal(plaintext: Uint8Array, last: boolean): Promise<Uint8Array>;
  /** Where the next `seal` would continue. */
  position(): EncryptionPosition;
}

/**
 * Starts an encryption whose chunks are sealed over several calls (and requests): the same bytes as
 * `encryptStream` writes for the same plaintext, salt and nonce prefix, so `decryptStream` reads the
 * result like any other object. The caller writes `header` first, then each sealed chunk in order.
 *
 * @example
 * const sealer = await beginEncryption(dek, fileId);
 * parts.push(sealer.header, await sealer.seal(firstChunk, false));
 * const saved = sealer.position(); // stored; later: await resumeEncryption(dek, fileId, saved)
 */
export async function beginEncryption(
  dek: Uint8Array,
  aad: string | Uint8Array,
  options: EncryptOptions = {},
): Promise<ChunkSealer> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  return resumeEncryption(dek, aad, {
    salt: crypto.getRandomValues(new Uint8Array(SALT_LENGTH)),
    noncePrefix: crypto.getRandomValues(new Uint8Array(NONCE_PREFIX_LENGTH)),
    chunkSize,
    index: 0,
  });
}

/**
 * Goes on with an encryption `beginEncryption` started, from a saved `position`. The header is derived
 * again (it depends only on the data key, the salt, the nonce prefix, the chunk size and `aad`), so a
 * wrong key or `aad` gives a header and chunks that fail to decrypt, never a readable mix.
 */
export async function resumeEncryption(
  dek: Uint8Array,
  aad: string | Uint8Array,
  position: EncryptionPosition,
): Promise<ChunkSealer> {
  checkDataKey(dek);
  checkChunkSize(position.chunkSize);
  if (position.salt.length !== SALT_LENGTH || position.noncePrefix.length !== NONCE_PREFIX_LENGTH) {
    throw new VaultError("invalid_argument", "The salt is 32 bytes and the nonce prefix 7");
  }
  if (!Number.isSafeInteger(position.index) || position.index < 0) {
    throw new VaultError("invalid_argument", "The chunk index is a non-negative integer");
  }
  const { chunkSize } = position;
  const salt = position.salt.slice();
  const noncePrefix = position.noncePrefix.slice();
  const ad = aadBytes(aad);
  const keys = await deriveStreamKeys(dek.slice(), salt);
  const header = new Uint8Array(HEADER_LENGTH);
  header.set(MAGIC, 0);
  header[VERSION_OFFSET] = FORMAT_VERSION;
  new DataView(header.buffer).setUint32(CHUNK_SIZE_OFFSET, chunkSize, false);
  header.set(salt, SALT_OFFSET);
  header.set(noncePrefix, NONCE_PREFIX_OFFSET);
  header.set(keys.commitment, COMMITMENT_OFFSET);
  header.set(await computeHeaderTag(keys.headerKey, header, ad), HEADER_TAG_OFFSET);
  const chunkAad = concat(header, ad);
  let index = position.index;
  let finished = false;
  return {
    header,
    async seal(plaintext, last) {
      if (finished) throw new VaultError("invalid_argument", "The last chunk was sealed already");
      // The canonical encoding (see encryptStream): full chunks, then one last chunk of 1..chunkSize
      // bytes, empty only when it is the only one.
      const size = plaintext.length;
      if (last ? size > chunkSize || (size === 0 && index > 0) : size !== chunkSize) {
        throw new VaultError("invalid_argument", `Chunk ${index} has ${size} bytes`);
      }
      checkChunkIndex(index);
      const sealed = await crypto.subtle.encrypt(
        {
          name: "AES-GCM",
          iv: chunkNonce(noncePrefix, index, last),
          additionalData: chunkAad,
          tagLength: TAG_LENGTH * 8,
        },
        keys.chunkKey,
        plaintext,
      );
      index++;
      finished = last;
      return new Uint8Array(sealed);
    },
    position: () => ({ salt: salt.slice(), noncePrefix: noncePrefix.slice(), chunkSize, index }),
  };
}
