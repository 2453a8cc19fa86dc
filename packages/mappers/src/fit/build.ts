/**
 * Builds FIT files byte by byte from the protocol (FIT Protocol rev. 2.3: header, definition and data
 * messages, compressed-timestamp headers, developer fields, CRC), for tests of the decoder and of the
 * mapper Worker. Not used by the mapper itself.
 *
 * @example
 * const fit = new FitBuilder().define(0, 20, [[253, 4, 0x86], [3, 1, 0x02]]).data(0, u32(1e9), u8(72)).build();
 */
import { fitCrc } from "./decoder";

export const u8 = (v: number): number[] => [v & 0xff];
export const u16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
export const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const s16 = (v: number): number[] => u16(v < 0 ? 0x10000 + v : v);

/** FIT seconds for a UTC ISO time. */
export const fitSeconds = (iso: string): number => Date.parse(iso) / 1000 - 631_065_600;

export class FitBuilder {
  private readonly bytes: number[] = [];

  /** A definition message: fields as [field number, size, base type byte]. */
  define(
    local: number,
    global: number,
    fields: readonly (readonly [number, number, number])[],
    options: { bigEndian?: boolean; developer?: readonly (readonly [number, number, number])[] } = {},
  ): this {
    const developer = options.developer ?? [];
    this.bytes.push(0x40 | (developer.length > 0 ? 0x20 : 0) | (local & 0x0f), 0, options.bigEndian ? 1 : 0);
    this.bytes.push(...(options.bigEndian ? [(global >> 8) & 0xff, global & 0xff] : u16(global)), fields.length);
    for (const f of fields) this.bytes.push(...f);
    if (developer.length > 0) {
      this.bytes.push(developer.length);
      for (const f of developer) this.bytes.push(...f);
    }
    return this;
  }

  /** A data message with a normal header; `values` are the field bytes in definition order. */
  data(local: number, ...values: number[][]): this {
    this.bytes.push(local & 0x0f, ...values.flat());
    return this;
  }

  /** A data message with a compressed-timestamp header (local type 0-3, time offset 0-31). */
  compressed(local: number, timeOffset: number, ...values: number[][]): this {
    this.bytes.push(0x80 | ((local & 0x03) << 5) | (timeOffset & 0x1f), ...values.flat());
    return this;
  }

  /** The file: a 14-byte header (with its CRC unless `headerCrc: false`), the records, the file CRC. */
  build(options: { headerCrc?: boolean; corruptCrc?: boolean; headerSize?: 12 | 14 } = {}): Uint8Array {
    const size = options.headerSize ?? 14;
    const header = [size, 0x20, ...u16(2132), ...u32(this.bytes.length), 0x2e, 0x46, 0x49, 0x54];
    if (size === 14) header.push(...(options.headerCrc === false ? [0, 0] : u16(fitCrc(new Uint8Array(header)))));
    const body = new Uint8Array([...header, ...this.bytes]);
    const crc = fitCrc(body) ^ (options.corruptCrc ? 0x0001 : 0);
    return new Uint8Array([...body, ...u16(crc)]);
  }
}
