/**
 * Byte-stream helpers every mapper shares. Sources are `AsyncIterable<Uint8Array>` (a Workers or Node
 * `ReadableStream`, an R2 object body, a file read in chunks), so no mapper needs a whole file in memory:
 * JSON documents stream through ./json-stream.ts, and the units a format holds whole are capped
 * (./limits.ts).
 */
import { InputTooLargeError, MAX_LINE_CHARS } from "./limits";

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

/**
 * Passes text on, refusing with an InputTooLargeError a run of more than `maxChars` characters without
 * `delimiter`. For XML, `<`: a text node, a start tag with its attributes (attribute values cannot hold
 * `<`, XML 1.0 §3.1) is such a run, and a streaming parser (saxes) holds each one whole.
 */
export async function* boundedRuns(
  source: AsyncIterable<string>,
  delimiter: string,
  maxChars: number,
  what: string,
): AsyncIterable<string> {
  let run = 0;
  for await (const text of source) {
    let from = 0;
    for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, at + 1)) {
      if (run + at - from > maxChars) break;
      run = 0;
      from = at + 1;
    }
    run += text.length - from;
    if (run > maxChars) throw new InputTooLargeError(what, maxChars);
    yield text;
  }
}

/** One line of a text source; `number` is 1-based. */
export interface Line {
  text: string;
  number: number;
}

/**
 * Splits a text source into lines on `\n`, `\r\n` or a lone `\r` (HL7 v2 uses `\r`). Linear in the
 * input however long a line is: only new text is searched, and a partial line is kept as pieces. A line
 * longer than `maxChars` stops the reading with an InputTooLargeError (memory stays bounded).
 */
export function lines(source: AsyncIterable<Uint8Array>, maxChars = MAX_LINE_CHARS): AsyncIterable<Line> {
  return textLines(decodeText(source), maxChars);
}

/** `lines` of a text source (already decoded, as `decodeText` gives). */
export async function* textLines(source: AsyncIterable<string>, maxChars = MAX_LINE_CHARS): AsyncIterable<Line> {
  let partial: string[] = [];
  let partialChars = 0;
  let number = 0;
  let pendingCr = false;
  const keep = (piece: string) => {
    partialChars += piece.length;
    if (partialChars > maxChars) throw new InputTooLargeError(`Line ${number + 1}`, maxChars, `line ${number + 1}`);
    partial.push(piece);
  };
  for await (const part of source) {
    let start = 0;
    // A `\r\n` split across two chunks is one line break.
    if (pendingCr && part.startsWith("\n")) start = 1;
    pendingCr = false;
    const breaks = /\r\n|\r|\n/g;
    breaks.lastIndex = start;
    for (let m = breaks.exec(part); m !== null; m = breaks.exec(part)) {
      keep(part.slice(start, m.index));
      yield { text: partial.join(""), number: ++number };
      partial = [];
      partialChars = 0;
      start = m.index + m[0].length;
      if (m[0] === "\r" && start === part.length) pendingCr = true;
    }
    if (start < part.length) keep(part.slice(start));
  }
  if (partial.length > 0) yield { text: partial.join(""), number: ++number };
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
