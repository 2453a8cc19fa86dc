/**
 * SHA-256 (FIPS 180-4 §6.2) whose running state can be saved and restored, for a digest computed over
 * several requests (a resumable upload's plaintext, hashed part by part for de-duplication). WebCrypto
 * only digests whole messages and `DigestStream` cannot be saved, hence this small implementation; it
 * is checked against WebCrypto in sha256.test.ts.
 *
 * The saved state (`Sha256State`) holds the eight working words, the byte count and the bytes of an
 * unfinished 64-byte block: derived from the plaintext, so store it sealed (as the upload's checkpoint is).
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
/** FIPS 180-4 §5.3.3: the initial hash value. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** A saved SHA-256 computation. */
export interface Sha256State {
  /** The eight 32-bit words of the intermediate hash. */
  h: number[];
  /** Bytes hashed so far. */
  bytes: number;
  /** The bytes of the unfinished block (`bytes % 64` of them). */
  block: Uint8Array;
}

/**
 * @example
 * const hash = new Sha256();
 * hash.update(part1);
 * const saved = hash.save(); // … later, in another request:
 * const again = Sha256.restore(saved);
 * again.update(part2);
 * again.hex(); // the digest of part1 ‖ part2
 */
export class Sha256 {
  private readonly h = new Uint32Array(H0);
  private readonly w = new Uint32Array(64);
  private readonly block = new Uint8Array(64);
  private filled = 0;
  private bytes = 0;

  static restore(state: Sha256State): Sha256 {
    if (
      state.h.length !== 8 ||
      !Number.isSafeInteger(state.bytes) ||
      state.bytes < 0 ||
      state.block.length !== state.bytes % 64
    ) {
      throw new RangeError("Not a saved SHA-256 state");
    }
    const hash = new Sha256();
    hash.h.set(state.h);
    hash.block.set(state.block);
    hash.filled = state.block.length;
    hash.bytes = state.bytes;
    return hash;
  }

  save(): Sha256State {
    return { h: Array.from(this.h), bytes: this.bytes, block: this.block.slice(0, this.filled) };
  }

  update(data: Uint8Array): this {
    let offset = 0;
    this.bytes += data.length;
    if (this.filled > 0) {
      const n = Math.min(64 - this.filled, data.length);
      this.block.set(data.subarray(0, n), this.filled);
      this.filled += n;
      offset = n;
      if (this.filled < 64) return this;
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.compress(data, offset);
    if (offset < data.length) {
      this.block.set(data.subarray(offset), 0);
      this.filled = data.length - offset;
    }
    return this;
  }

  /** The digest as lowercase hex (FIPS 180-4 §5.1.1 padding). The object is spent afterwards. */
  hex(): string {
    const bits = this.bytes * 8;
    const pad = new Uint8Array((this.filled < 56 ? 56 : 120) - this.filled + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, Math.floor(bits / 2 ** 32), false);
    view.setUint32(pad.length - 4, bits >>> 0, false);
    const bytes = this.bytes;
    this.update(pad);
    this.bytes = bytes;
    return Array.from(this.h, (word) => word.toString(16).padStart(8, "0")).join("");
  }

  private compress(data: Uint8Array, offset: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      w[i] = ((data[j] ?? 0) << 24) | ((data[j + 1] ?? 0) << 16) | ((data[j + 2] ?? 0) << 8) | (data[j + 3] ?? 0);
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15] ?? 0;
      const b = w[i - 2] ?? 0;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1;
    }
    const h = this.h;
    let a = h[0] ?? 0;
    let b = h[1] ?? 0;
    let c = h[2] ?? 0;
    let d = h[3] ?? 0;
    let e = h[4] ?? 0;
    let f = h[5] ?? 0;
    let g = h[6] ?? 0;
    let hh = h[7] ?? 0;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + (K[i] ?? 0) + (w[i] ?? 0)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] ?? 0) + a;
    h[1] = (h[1] ?? 0) + b;
    h[2] = (h[2] ?? 0) + c;
    h[3] = (h[3] ?? 0) + d;
    h[4] = (h[4] ?? 0) + e;
    h[5] = (h[5] ?? 0) + f;
    h[6] = (h[6] ?? 0) + g;
    h[7] = (h[7] ?? 0) + hh;
  }
}
