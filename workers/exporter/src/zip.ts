/**
 * A streaming ZIP writer (PKWARE APPNOTE.TXT 6.3.10), for exports that carry the person's original
 * files. Entries are STORED (method 0): the originals are mostly compressed already, and storing keeps
 * the writer a pure pass-through that holds one chunk at a time, whatever the archive's size.
 *
 * Why our own: an archive of multi-gigabyte Apple Health exports needs ZIP64, which fflate cannot write.
 * client-zip (2.5) is pure JS and writes ZIP64, but not in the form a streaming reader can follow: for
 * an entry whose size is not known in advance it writes a local header without the ZIP64 extra field,
 * then an 8-byte-size data descriptor once the entry passes 4 GiB. APPNOTE §4.3.9.2 ties 8-byte
 * descriptor sizes to that extra field, and readers that walk local headers (libarchive, behind bsdtar
 * and many unzip tools) size the descriptor by it, so they misread exactly the large entries this writer
 * is for. client-zip also takes a declared size as a hint (an original shorter or longer than its
 * record must fail the export, not ship), and cannot force ZIP64 on a small archive for the tests.
 * What is needed is small:
 *
 * - Each entry: a local file header with general purpose bit 3 (sizes and CRC-32 follow the data in a
 *   data descriptor, §4.3.9) and bit 11 (UTF-8 names, Appendix D), the bytes, the data descriptor.
 * - An entry whose size is not known in advance (the observations file) is ZIP64 from the start
 *   (§4.3.9.2, §4.5.3): a ZIP64 extra field in its local header and 8-byte sizes in its descriptor.
 * - The central directory (§4.3.12) lists every entry, with a ZIP64 extra field where a size or offset
 *   reaches 0xFFFFFFFF; past 65,535 entries or 4 GiB of offsets, a ZIP64 end of central directory
 *   record and locator (§4.3.14, §4.3.15) precede the classic end record (§4.3.16).
 *
 * Memory: one chunk plus the central directory (about 100 bytes per entry).
 */

export interface ZipEntry {
  /** The path inside the archive, `/`-separated (§4.4.17.1). */
  name: string;
  modified: Date;
  /** The bytes; pulled only when the entry's turn comes. */
  body: () => Promise<ReadableStream<Uint8Array>> | ReadableStream<Uint8Array>;
  /** The exact size when known (the bytes must then match it); unknown sizes are written as ZIP64. */
  size?: number;
}

export interface ZipOptions {
  /** Write every entry and the end records as ZIP64, as an archive over 4 GiB would be (for tests). */
  forceZip64?: boolean;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const FLAGS = 0x0008 | 0x0800; // data descriptor follows; UTF-8 names
const VERSION_ZIP64 = 45; // 4.5: ZIP64 (§4.4.3.2)
const VERSION_DEFAULT = 20; // 2.0: folders, bit 3
const MADE_BY_UNIX = 3 << 8; // upper byte 3: UNIX (§4.4.2.2), so external attributes carry a mode
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

/** CRC-32 (ISO-HDLC, polynomial 0xEDB88320 reflected), the checksum ZIP uses (§4.4.7). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * Continues a CRC-32 over more bytes; start with 0.
 *
 * @example
 * crc32(new TextEncoder().encode("123456789")) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** MS-DOS date and time (§4.4.6), in UTC; DOS cannot say anything before 1980. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

class Bytes {
  readonly array: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(length: number) {
    this.array = new Uint8Array(length);
    this.view = new DataView(this.array.buffer);
  }
  u16(v: number): this {
    this.view.setUint16(this.at, v, true);
    this.at += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.at, v >>> 0, true);
    this.at += 4;
    return this;
  }
  u64(v: number): this {
    this.view.setBigUint64(this.at, BigInt(v), true);
    this.at += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.array.set(b, this.at);
    this.at += b.length;
    return this;
  }
}

interface Written {
  name: Uint8Array;
  dos: { time: number; date: number };
  crc: number;
  size: number;
  offset: number;
  /** Sizes were written as ZIP64 in the local header and descriptor. */
  zip64: boolean;
}

/** Why an archive could not be written. */
export class ZipError extends Error {
  override readonly name = "ZipError";
}

function localHeader(name: Uint8Array, dos: Written["dos"], zip64: boolean): Uint8Array {
  const extra = zip64 ? 20 : 0;
  const out = new Bytes(30 + name.length + extra)
    .u32(0x04034b50)
    .u16(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT)
    .u16(FLAGS)
    .u16(0) // stored
    .u16(dos.time)
    .u16(dos.date)
    .u32(0) // CRC-32: in the data descriptor
    .u32(zip64 ? MAX32 : 0)
    .u32(zip64 ? MAX32 : 0)
    .u16(name.length)
    .u16(extra)
    .bytes(name);
  // §4.5.3: the ZIP64 extended information field; in a local header both sizes, here zero (bit 3).
  if (zip64) out.u16(0x0001).u16(16).u64(0).u64(0);
  return out.array;
}

function dataDescriptor(entry: Written): Uint8Array {
  return entry.zip64
    ? new Bytes(24).u32(0x08074b50).u32(entry.crc).u64(entry.size).u64(entry.size).array
    : new Bytes(16).u32(0x08074b50).u32(entry.crc).u32(entry.size).u32(entry.size).array;
}

function centralHeader(entry: Written): Uint8Array {
  const bigSize = entry.zip64 || entry.size >= MAX32;
  const bigOffset = entry.zip64 || entry.offset >= MAX32;
  // §4.5.3: only the fields whose header value is 0xFFFFFFFF, in this order.
  const fields = [...(bigSize ? [entry.size, entry.size] : []), ...(bigOffset ? [entry.offset] : [])];
  const extra = fields.length === 0 ? 0 : 4 + 8 * fields.length;
  const out = new Bytes(46 + entry.name.length + extra)
    .u32(0x02014b50)
    .u16(MADE_BY_UNIX | VERSION_ZIP64)
    .u16(bigSize || bigOffset ? VERSION_ZIP64 : VERSION_DEFAULT)
    .u16(FLAGS)
    .u16(0)
    .u16(entry.dos.time)
    .u16(entry.dos.date)
    .u32(entry.crc)
    .u32(bigSize ? MAX32 : entry.size)
    .u32(bigSize ? MAX32 : entry.size)
    .u16(entry.name.length)
    .u16(extra)
    .u16(0) // comment
    .u16(0) // disk
    .u16(0) // internal attributes
    .u32(REGULAR_FILE_0644)
    .u32(bigOffset ? MAX32 : entry.offset)
    .bytes(entry.name);
  if (fields.length > 0) {
    out.u16(0x0001).u16(8 * fields.length);
    for (const f of fields) out.u64(f);
  }
  return out.array;
}

function endRecords(count: number, cdOffset: number, cdSize: number, force: boolean): Uint8Array {
  const zip64 = force || count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const classic = (out: Bytes) =>
    out
      .u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(zip64 ? MAX16 : count)
      .u16(zip64 ? MAX16 : count)
      .u32(zip64 ? MAX32 : cdSize)
      .u32(zip64 ? MAX32 : cdOffset)
      .u16(0);
  if (!zip64) return classic(new Bytes(22)).array;
  const out = new Bytes(56 + 20 + 22)
    // §4.3.14 ZIP64 end of central directory record (size field excludes its first 12 bytes).
    .u32(0x06064b50)
    .u64(44)
    .u16(MADE_BY_UNIX | VERSION_ZIP64)
    .u16(VERSION_ZIP64)
    .u32(0)
    .u32(0)
    .u64(count)
    .u64(count)
    .u64(cdSize)
    .u64(cdOffset)
    // §4.3.15 locator: where that record starts.
    .u32(0x07064b50)
    .u32(0)
    .u64(cdOffset + cdSize)
    .u32(1);
  return classic(out).array;
}

/**
 * The bytes of a ZIP archive of `entries`, produced as they are read: each entry's body is opened
 * only when the previous one is done, and nothing is produced before the reader asks for it.
 *
 * @example
 * const zip = zipStream((async function* () {
 *   yield { name: "observations.csv", modified: new Date(), body: () => csvStream };
 * })());
 */
export function zipStream(entries: AsyncIterable<ZipEntry>, options: ZipOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  async function* generate(): AsyncGenerator<Uint8Array> {
    const written: Written[] = [];
    const names = new Set<string>();
    let offset = 0;
    for await (const entry of entries) {
      if (entry.name === "" || entry.name.startsWith("/") || entry.name.split("/").includes("..")) {
        throw new ZipError(`Not a relative path: ${JSON.stringify(entry.name)}`);
      }
      if (names.has(entry.name)) throw new ZipError(`Two entries named ${JSON.stringify(entry.name)}`);
      names.add(entry.name);
      const name = encoder.encode(entry.name);
      if (name.length > MAX16) throw new ZipError("An entry name is longer than 65,535 bytes");
      const zip64 = options.forceZip64 === true || entry.size === undefined || entry.size >= MAX32;
      const record: Written = { name, dos: dosDateTime(entry.modified), crc: 0, size: 0, offset, zip64 };
      const header = localHeader(name, record.dos, zip64);
      yield header;
      offset += header.length;
      const reader = (await entry.body()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value.length === 0) continue;
          record.crc = crc32(value, record.crc);
          record.size += value.length;
          offset += value.length;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
      if (entry.size !== undefined && entry.size !== record.size) {
        throw new ZipError(`${entry.name}: expected ${entry.size} bytes, read ${record.size}`);
      }
      const descriptor = dataDescriptor(record);
      yield descriptor;
      offset += descriptor.length;
      written.push(record);
    }
    const cdOffset = offset;
    let cdSize = 0;
    for (const record of written) {
      const header = centralHeader(record);
      cdSize += header.length;
      yield header;
    }
    yield endRecords(written.length, cdOffset, cdSize, options.forceZip64 === true);
  }
  return iterableStream(generate());
}

/**
 * A ReadableStream that pulls from an async iterator only when its reader asks (high-water mark 0), so
 * the producer runs exactly as fast as the consumer writes, and no further.
 */
export function iterableStream(iterator: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
