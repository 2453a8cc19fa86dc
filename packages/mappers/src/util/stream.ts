/**
 * Byte-stream helpers every mapper shares. Sources are `AsyncIterable<Uint8Array>` (a Workers or Node
 * `ReadableStream`, an R2 object body, a file read in chunks), so mappers never need a whole file in
 * memory unless its format does (a FHIR JSON document).
 */

/** Decodes UTF-8 chunks to text chunks, dropping a leading byte-order mark (RFC 3629 §6). */
export async function* decodeText(source: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** The whole source as text (for formats that must be parsed whole, such as a JSON document). */
export async function readText(source: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  for await (const part of decodeText(source)) text += part;
  return text;
}

/** One line of a text source; `number` is 1-based. */
export interface Line {
  text: string;
  number: number;
}

/** Splits a text source into lines on `\n`, `\r\n` or a lone `\r` (HL7 v2 uses `\r`). */
export async function* lines(source: AsyncIterable<Uint8Array>): AsyncIterable<Line> {
  let buffer = "";
  let number = 0;
  let pendingCr = false;
  for await (const part of decodeText(source)) {
    let text = part;
    // A `\r\n` split across two chunks is one line break.
    if (pendingCr && text.startsWith("\n")) text = text.slice(1);
    pendingCr = false;
    buffer += text;
    const pieces = buffer.split(/\r\n|\r|\n/);
    buffer = pieces.pop() ?? "";
    if (buffer === "" && text.endsWith("\r")) pendingCr = true;
    for (const piece of pieces) yield { text: piece, number: ++number };
  }
  if (buffer.length > 0) yield { text: buffer, number: ++number };
}

/** A byte array as a chunked source (tests, and `dfda map` on an in-memory file). */
export async function* fromBytes(bytes: Uint8Array, chunkSize = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    yield bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize));
  }
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
