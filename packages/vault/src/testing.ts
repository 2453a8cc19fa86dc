/**
 * Test helpers shared by the Node and the Workers test files (not exported from the package):
 * deterministic pseudo-random data, streams that split input at random places, and collectors.
 */
import { expect } from "vitest";
import { VaultError, type VaultErrorCode } from "./errors";
import { type DecryptOptions, decryptStream, type EncryptOptions, encryptStream } from "./stream";

/** mulberry32: a tiny seeded PRNG, so a failing random split can be replayed from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` pseudo-random bytes (getRandomValues takes at most 64 KiB a call; test data can be MBs). */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = Math.floor(next() * 4294967296);
    out[i] = word & 0xff;
    if (i + 1 < length) out[i + 1] = (word >>> 8) & 0xff;
    if (i + 2 < length) out[i + 2] = (word >>> 16) & 0xff;
    if (i + 3 < length) out[i + 3] = (word >>> 24) & 0xff;
  }
  return out;
}

/**
 * A stream of `bytes` cut at random places (pieces of 0 to `maxPiece` bytes, empty ones included),
 * or in one piece without a seed.
 */
export function streamOf(bytes: Uint8Array, seed?: number, maxPiece = 100_000): ReadableStream<Uint8Array> {
  const next = seed === undefined ? undefined : prng(seed);
  let offset = 0;
  let sentEmpty = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length && sentEmpty) {
        controller.close();
        return;
      }
      if (next === undefined) {
        controller.enqueue(bytes.slice());
        offset = bytes.length;
        sentEmpty = true;
        return;
      }
      const roll = next();
      // About one piece in ten is empty, and the stream always carries at least one empty piece.
      const size = roll < 0.1 || offset >= bytes.length ? 0 : 1 + Math.floor(next() * maxPiece);
      if (size === 0) sentEmpty = true;
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Reads a whole stream into one array. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

export function encrypt(
  dek: Uint8Array,
  aad: string | Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
  seed?: number,
): Promise<Uint8Array> {
  return collect(streamOf(plaintext, seed).pipeThrough(encryptStream(dek, aad, options)));
}

export function decrypt(
  dek: Uint8Array,
  aad: string | Uint8Array,
  ciphertext: Uint8Array,
  options: DecryptOptions = {},
  seed?: number,
): Promise<Uint8Array> {
  return collect(streamOf(ciphertext, seed).pipeThrough(decryptStream(dek, aad, options)));
}

/** The `VaultError` a promise rejects with, after checking its code (and chunk, when given). */
export async function vaultError(promise: Promise<unknown>, code: VaultErrorCode, chunk?: number): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    const vault = error as VaultError;
    expect({ code: vault.code, message: vault.message }).toMatchObject({ code });
    if (chunk !== undefined) expect(vault.chunk).toBe(chunk);
    return vault;
  }
  throw new Error(`expected a VaultError ${code}`);
}

/** The same bytes with bit `bit` of byte `index` flipped. */
export function flip(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] ?? 0) ^ (1 << bit);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Index of the first byte where `a` and `b` differ (-1 if equal): a cheap comparison of MBs. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
