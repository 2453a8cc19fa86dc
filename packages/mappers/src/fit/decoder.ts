/**
 * A streaming decoder of the FIT protocol (Garmin "Flexible and Interoperable Data Transfer", FIT
 * Protocol rev. 2.3, https://developer.garmin.com/fit/protocol/): file header, definition and data
 * messages, compressed-timestamp headers, developer fields, and the CRC-16 of the header and the file.
 * Chained FIT files (several files back to back) are read one after another.
 *
 * It reads the source chunk by chunk and yields each data message as soon as it is complete, so memory
 * holds one record (at most 1 + 255 × 255 + 255 × 255 bytes) and the 16 local definitions, whatever the
 * file size. No npm FIT decoder was taken: the official `@garmin/fitsdk` decodes a whole byte array at
 * once (memory grows with the file), and the popular ones need Node's Buffer.
 *
 * Integrity is checked as the protocol defines it: a header CRC (when not 0) over the first 12 bytes,
 * and a file CRC over every byte before it. A file that fails them, ends early, or breaks the record
 * structure throws a FitFormatError, which the mapper turns into a refusal of the whole file (a corrupt
 * file's numbers cannot be trusted, and half a file is not stored).
 */
import { UnreadableFileError } from "../util/limits";

/** Seconds between the Unix epoch and the FIT epoch, 1989-12-31T00:00:00Z (FIT Protocol §"Timestamps"). */
export const FIT_EPOCH_S = 631_065_600;
/** FIT `date_time` values below this are seconds since the device powered up, not since the FIT epoch. */
export const FIT_MIN_DATE_TIME = 0x10000000;

/** A FIT integrity or structure problem; the whole file is refused. */
export class FitFormatError extends UnreadableFileError {}

/** A decoded field value: a number, a string, an array (of a multi-value field), or null when invalid. */
export type FitValue = number | bigint | string | (number | bigint | null)[] | null;

export interface FitMessage {
  /** The global message number (FIT profile `mesg_num`: 20 record, 55 monitoring, …). */
  global: number;
  /** Field values by field definition number; invalid values (all bits of the base type's invalid value) are null. */
  fields: Map<number, FitValue>;
  /** Developer fields by `developer data index:field number`, raw bytes decoded by their declared base type. */
  developer: Map<string, FitValue>;
  /**
   * The message's time in FIT seconds: its own `timestamp` (field 253), else the time a compressed
   * header gives it; null when it has neither.
   */
  timestamp: number | null;
  /** The last full timestamp seen before this message (for `timestamp_16` fields). */
  reference: number | null;
  /** Byte offset of the record header in the source. */
  offset: number;
}

export interface FitHeader {
  headerSize: number;
  protocolVersion: number;
  profileVersion: number;
  dataSize: number;
}

/** What the decoder yields: each file's header, then its data messages. */
export type FitEvent = { kind: "header"; header: FitHeader } | { kind: "message"; message: FitMessage };

/** FIT base types (Protocol §"Base Types"): size in bytes and the invalid value's bit pattern. */
interface BaseType {
  size: number;
  kind: "enum" | "sint" | "uint" | "uintz" | "string" | "float" | "byte";
}
const BASE_TYPES: Record<number, BaseType> = {
  0: { size: 1, kind: "enum" },
  1: { size: 1, kind: "sint" },
  2: { size: 1, kind: "uint" },
  3: { size: 2, kind: "sint" },
  4: { size: 2, kind: "uint" },
  5: { size: 4, kind: "sint" },
  6: { size: 4, kind: "uint" },
  7: { size: 1, kind: "string" },
  8: { size: 4, kind: "float" },
  9: { size: 8, kind: "float" },
  10: { size: 1, kind: "uintz" },
  11: { size: 2, kind: "uintz" },
  12: { size: 4, kind: "uintz" },
  13: { size: 1, kind: "byte" },
  14: { size: 8, kind: "sint" },
  15: { size: 8, kind: "uint" },
  16: { size: 8, kind: "uintz" },
};
const BYTE_TYPE: BaseType = { size: 1, kind: "byte" };

/** The FIT CRC-16 nibble table (Protocol §"CRC"). */
const CRC_TABLE = [
  0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401, 0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01,
  0x8801, 0x4400,
];

/** The FIT CRC-16 of `bytes`, continuing from `crc`. */
export function fitCrc(bytes: Uint8Array, crc = 0): number {
  let c = crc;
  for (const byte of bytes) {
    let tmp = CRC_TABLE[c & 0xf] ?? 0;
    c = (c >> 4) & 0x0fff;
    c = c ^ tmp ^ (CRC_TABLE[byte & 0xf] ?? 0);
    tmp = CRC_TABLE[c & 0xf] ?? 0;
    c = (c >> 4) & 0x0fff;
    c = c ^ tmp ^ (CRC_TABLE[(byte >> 4) & 0xf] ?? 0);
  }
  return c;
}

interface FieldDef {
  num: number;
  size: number;
  type: BaseType;
}
interface Definition {
  global: number;
  littleEndian: boolean;
  fields: FieldDef[];
  developer: { num: number; size: number; index: number }[];
  /** Bytes of one data message of this definition (its fields and developer fields). */
  size: number;
}

/** Pulls exact byte counts out of a chunked source, keeping only the unread part of the last chunk. */
class ByteReader {
  private buffer = new Uint8Array(0);
  private position = 0;
  /** Bytes handed out so far (the offset of the next byte). */
  consumed = 0;
  crc = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** True when `n` more bytes are available (reading more of the source if needed). */
  async has(n: number): Promise<boolean> {
    while (this.buffer.length - this.position < n) {
      const next = await this.source.next();
      if (next.done) return false;
      const rest = this.buffer.subarray(this.position);
      const merged = new Uint8Array(rest.length + next.value.length);
      merged.set(rest, 0);
      merged.set(next.value, rest.length);
      this.buffer = merged;
      this.position = 0;
    }
    return true;
  }

  /** The next `n` bytes (call `has(n)` first); they count towards the running CRC. */
  take(n: number): Uint8Array {
    const out = this.buffer.subarray(this.position, this.position + n);
    this.position += n;
    this.consumed += n;
    this.crc = fitCrc(out, this.crc);
    return out;
  }

  async need(n: number, what: string): Promise<Uint8Array> {
    if (this.buffer.length - this.position < n && !(await this.has(n))) {
      throw new FitFormatError(
        "fit_truncated",
        `the FIT file ends in the middle of ${what} (byte ${this.consumed}); it was cut short`,
        `byte ${this.consumed}`,
      );
    }
    return this.take(n);
  }
}

function readValue(view: DataView, at: number, type: BaseType, little: boolean): number | bigint | null {
  const { size, kind } = type;
  switch (kind) {
    case "enum":
    case "byte": {
      const v = view.getUint8(at);
      return v === 0xff ? null : v;
    }
    case "uintz": {
      const v =
        size === 1
          ? view.getUint8(at)
          : size === 2
            ? view.getUint16(at, little)
            : size === 4
              ? view.getUint32(at, little)
              : view.getBigUint64(at, little);
      return v === 0 || v === 0n ? null : v;
    }
    case "uint": {
      if (size === 8) {
        const v = view.getBigUint64(at, little);
        return v === 0xffffffffffffffffn ? null : v;
      }
      const v = size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at, little) : view.getUint32(at, little);
      return v === 2 ** (8 * size) - 1 ? null : v;
    }
    case "sint": {
      if (size === 8) {
        const v = view.getBigInt64(at, little);
        return v === 0x7fffffffffffffffn ? null : v;
      }
      const v = size === 1 ? view.getInt8(at) : size === 2 ? view.getInt16(at, little) : view.getInt32(at, little);
      return v === 2 ** (8 * size - 1) - 1 ? null : v;
    }
    case "float": {
      // The invalid value is all bits set, a NaN.
      const v = size === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little);
      return Number.isNaN(v) ? null : v;
    }
    default:
      return null;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Decodes one field's bytes: a string, a single value, or an array when the field holds several. */
export function decodeField(bytes: Uint8Array, declared: BaseType, little: boolean): FitValue {
  if (declared.kind === "string") {
    const end = bytes.indexOf(0);
    const text = utf8.decode(end === -1 ? bytes : bytes.subarray(0, end));
    return text === "" ? null : text;
  }
  // A size that is not a multiple of the base type's is read as bytes (Protocol §"Field Definition").
  const type = bytes.length % declared.size === 0 ? declared : BYTE_TYPE;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.length / type.size;
  if (count === 1) return readValue(view, 0, type, little);
  const values: (number | bigint | null)[] = [];
  for (let i = 0; i < count; i++) values.push(readValue(view, i * type.size, type, little));
  return values.every((v) => v === null) ? null : values;
}

/** Base type of a base-type byte (its low 5 bits are the type number; Protocol §"Base Type"). */
export function baseTypeOf(byte: number): BaseType {
  return BASE_TYPES[byte & 0x1f] ?? BYTE_TYPE;
}

const fail = (code: string, message: string, offset: number): never => {
  throw new FitFormatError(code, message, `byte ${offset}`);
};

/**
 * Decodes FIT data from a byte source. Yields each file's header and its data messages in order;
 * definition messages and `developer_data_id`/`field_description` bookkeeping stay inside.
 */
export async function* decodeFit(source: AsyncIterable<Uint8Array>): AsyncGenerator<FitEvent> {
  const iterator = source[Symbol.asyncIterator]();
  const reader = new ByteReader(iterator);
  try {
    let files = 0;
    while (files === 0 || (await reader.has(1))) {
      files += 1;
      yield* decodeOneFile(reader);
    }
  } finally {
    await iterator.return?.();
  }
}

async function* decodeOneFile(reader: ByteReader): AsyncGenerator<FitEvent> {
  reader.crc = 0;
  const start = reader.consumed;
  const first = await reader.need(1, "the file header");
  const headerSize = first[0] ?? 0;
  if (headerSize < 12) fail("fit_bad_header", `a FIT header is at least 12 bytes; this one says ${headerSize}`, start);
  const rest = await reader.need(11, "the file header");
  const header = new Uint8Array(12);
  header[0] = headerSize;
  header.set(rest, 1);
  const view = new DataView(header.buffer);
  if (String.fromCharCode(...header.subarray(8, 12)) !== ".FIT") {
    fail("fit_bad_header", "not a FIT file: the header has no `.FIT` signature at bytes 8-11", start);
  }
  const info: FitHeader = {
    headerSize,
    protocolVersion: view.getUint8(1),
    profileVersion: view.getUint16(2, true),
    dataSize: view.getUint32(4, true),
  };
  // Protocol versions 1.x and 2.x share this layout; a later major version may not.
  if (info.protocolVersion >> 4 > 2) {
    fail("fit_bad_header", `FIT protocol version ${info.protocolVersion >> 4}.x is not supported`, start + 1);
  }
  if (headerSize >= 14) {
    const headerCrc = fitCrc(header);
    const stored = await reader.need(2, "the file header");
    const expected = (stored[0] ?? 0) | ((stored[1] ?? 0) << 8);
    if (expected !== 0 && expected !== headerCrc) {
      fail("fit_crc_mismatch", "the FIT header's CRC does not match its bytes: the file is corrupt", start + 12);
    }
    if (headerSize > 14) await reader.need(headerSize - 14, "the file header");
  }
  yield { kind: "header", header: info };

  const definitions = new Map<number, Definition>();
  /** Developer field base types by `index:field`, from `field_description` messages (global 206). */
  const developerTypes = new Map<string, BaseType>();
  let lastTimestamp: number | null = null;
  const end = reader.consumed + info.dataSize;

  while (reader.consumed < end) {
    const offset = reader.consumed;
    const recordHeader = (await reader.need(1, "a record header"))[0] ?? 0;
    let local: number;
    let timestamp: number | null = null;
    if (recordHeader & 0x80) {
      // Compressed timestamp header: bits 5-6 local message type, bits 0-4 seconds (mod 32) past the last timestamp.
      local = (recordHeader >> 5) & 0x03;
      const low = recordHeader & 0x1f;
      if (lastTimestamp === null) {
        fail("fit_invalid_record", "a compressed-timestamp record comes before any full timestamp", offset);
      }
      const last: number = lastTimestamp ?? 0;
      timestamp = (last & ~0x1f) + low + (low < (last & 0x1f) ? 0x20 : 0);
      lastTimestamp = timestamp;
    } else if (recordHeader & 0x40) {
      local = recordHeader & 0x0f;
      definitions.set(local, await readDefinition(reader, (recordHeader & 0x20) !== 0));
      continue;
    } else {
      local = recordHeader & 0x0f;
    }
    const definition = definitions.get(local);
    if (!definition) {
      fail("fit_invalid_record", `a data message uses local message type ${local}, which nothing defined`, offset);
      return;
    }
    // One read per message (its size is known from the definition), then the fields are sliced out of it.
    const bytes = await reader.need(definition.size, "a data message");
    let at = 0;
    const fields = new Map<number, FitValue>();
    for (const field of definition.fields) {
      fields.set(field.num, decodeField(bytes.subarray(at, at + field.size), field.type, definition.littleEndian));
      at += field.size;
    }
    const developer = new Map<string, FitValue>();
    for (const field of definition.developer) {
      const key = `${field.index}:${field.num}`;
      const value = bytes.subarray(at, at + field.size);
      developer.set(key, decodeField(value, developerTypes.get(key) ?? BYTE_TYPE, definition.littleEndian));
      at += field.size;
    }
    if (definition.global === 206) {
      // field_description: developer_data_index (0), field_definition_number (1), fit_base_type_id (2).
      const index = fields.get(0);
      const num = fields.get(1);
      const type = fields.get(2);
      if (typeof index === "number" && typeof num === "number" && typeof type === "number") {
        developerTypes.set(`${index}:${num}`, baseTypeOf(type));
      }
    }
    const own = fields.get(253);
    const reference = lastTimestamp;
    if (typeof own === "number") {
      timestamp = own;
      lastTimestamp = own;
    }
    yield { kind: "message", message: { global: definition.global, fields, developer, timestamp, reference, offset } };
  }
  if (reader.consumed !== end) {
    fail("fit_invalid_record", "the last record runs past the data size the header gives", reader.consumed);
  }
  const computed = reader.crc;
  const stored = await reader.need(2, "the file CRC");
  const expected = (stored[0] ?? 0) | ((stored[1] ?? 0) << 8);
  if (expected !== computed) {
    fail("fit_crc_mismatch", "the FIT file's CRC does not match its contents: the file is corrupt", end);
  }
}

async function readDefinition(reader: ByteReader, hasDeveloperFields: boolean): Promise<Definition> {
  const fixed = await reader.need(5, "a definition message");
  const littleEndian = fixed[1] === 0;
  const view = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const global = view.getUint16(2, littleEndian);
  const count = fixed[4] ?? 0;
  const raw = await reader.need(count * 3, "a definition message");
  const fields: FieldDef[] = [];
  for (let i = 0; i < count; i++) {
    fields.push({ num: raw[i * 3] ?? 0, size: raw[i * 3 + 1] ?? 0, type: baseTypeOf(raw[i * 3 + 2] ?? 0x0d) });
  }
  const developer: Definition["developer"] = [];
  if (hasDeveloperFields) {
    const devCount = (await reader.need(1, "a definition message"))[0] ?? 0;
    const devRaw = await reader.need(devCount * 3, "a definition message");
    for (let i = 0; i < devCount; i++) {
      developer.push({ num: devRaw[i * 3] ?? 0, size: devRaw[i * 3 + 1] ?? 0, index: devRaw[i * 3 + 2] ?? 0 });
    }
  }
  const size = [...fields, ...developer].reduce((sum, f) => sum + f.size, 0);
  return { global, littleEndian, fields, developer, size };
}
