/**
 * Identifiers. Rows get UUIDv7 (RFC 9562 §5.7): random enough to be unguessable, yet ordered by
 * creation time, so B-tree inserts stay local and ids sort like their rows.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function format(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += "-";
    out += HEX[bytes[i] as number];
  }
  return out;
}

/**
 * A new UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits (RFC 9562 §5.7).
 *
 * @example
 * const id = uuidv7(); // "0193a5b2-7c1e-7d4a-9f3b-2c8e1a0b4d6f"
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  // 48-bit big-endian timestamp; split because bitwise operators are 32-bit in JavaScript.
  const high = Math.floor(now / 2 ** 16);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (now >>> 8) & 0xff;
  bytes[5] = now & 0xff;
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // variant 10 (RFC 9562 §4.1)
  return format(bytes);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID of an RFC 9562 version (1–8) and variant. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/**
 * The creation time a UUIDv7 carries, in Unix milliseconds (its first 48 bits, RFC 9562 §5.7), or
 * null for any other string. Access tokens' `jti`s are UUIDv7, so this dates them to the millisecond
 * where `iat` (RFC 7519 §4.1.6, whole seconds) cannot.
 */
export function uuidv7Time(id: string): number | null {
  if (!isUuid(id) || id[14] !== "7") return null;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
