/**
 * JSON records from a byte stream that holds one JSON document (an object, or an array of records) or
 * newline-delimited JSON (NDJSON, one record per line). NDJSON streams line by line. An array document
 * (the first non-blank character is `[`) streams item by item through the streaming parser (util/
 * json-stream.ts): only the item being read is held (at most MAX_DOCUMENT_CHARS, else an
 * InputTooLargeError naming it), so the document may be of any size. Any other document (an object) is
 * read whole, as JSON can only be parsed whole, up to MAX_DOCUMENT_CHARS (an InputTooLargeError past it,
 * util/limits.ts). Which one it is shows on the first non-blank line: a line that is a complete JSON
 * object starts NDJSON; anything else starts a document.
 *
 * An array's items have the values `JSON.parse` gives (numbers as doubles, `__proto__` as data). A
 * syntax error before any item was handed over is one `invalid` record, as for a document read whole;
 * after, it refuses the file whole (UnreadableFileError `invalid_json`: the mapper Worker drops the rows
 * it staged), as the FHIR mapper does.
 *
 * Generic (nothing Open mHealth-specific): other JSON-record mappers may use it.
 */
import { JsonStreamParser } from "../util/json-stream";
import { JsonNumber, JsonSyntaxError, type JsonValue } from "../util/json-value";
import { InputTooLargeError, MAX_DOCUMENT_CHARS, MAX_LINE_CHARS, UnreadableFileError } from "../util/limits";
import { decodeText, textLines } from "../util/stream";

/** One record, or a part of the input that is not JSON. */
export type JsonRecord =
  | { kind: "record"; value: unknown; location: string; ndjson: boolean }
  | { kind: "invalid"; location: string | null; message: string };

/** Statistics of a streamed array document, for tests (no timing). */
export interface JsonRecordsStats {
  /** The most source characters the parser held (the item being read and what is around it). */
  maxHeldChars: number;
  /** Items handed over. */
  items: number;
}

export interface JsonRecordsOptions {
  /** Called once an array document has been read to its end. */
  onStats?: (stats: JsonRecordsStats) => void;
}

export async function* jsonRecords(
  source: AsyncIterable<Uint8Array>,
  options: JsonRecordsOptions = {},
): AsyncIterable<JsonRecord> {
  // The text up to the first non-blank character tells an array document from the rest.
  const text = decodeText(source)[Symbol.asyncIterator]();
  const head: string[] = [];
  let headChars = 0;
  let first = "";
  while (first === "" && headChars <= MAX_LINE_CHARS) {
    const next = await text.next();
    if (next.done === true) break;
    head.push(next.value);
    headChars += next.value.length;
    first = next.value.trimStart().charAt(0);
  }
  async function* replay(): AsyncIterable<string> {
    yield* head.splice(0, head.length);
    for (;;) {
      const next = await text.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  if (first === "[") yield* arrayRecords(replay(), options);
  else yield* lineRecords(replay());
}

/** A top-level array read item by item. */
async function* arrayRecords(source: AsyncIterable<string>, options: JsonRecordsOptions): AsyncIterable<JsonRecord> {
  const ready: JsonRecord[] = [];
  let items = 0;
  const parser = new JsonStreamParser(
    {
      streamArray: (path) => path.length === 0,
      item: (value, path) => {
        items++;
        ready.push({ kind: "record", value: plain(value), location: `$[${path[0]}]`, ndjson: false });
      },
    },
    {
      maxHeldChars: MAX_DOCUMENT_CHARS,
      tooLarge: (path) =>
        typeof path[0] === "number"
          ? new InputTooLargeError(
              `The data point at $[${path[0]}]`,
              MAX_DOCUMENT_CHARS,
              `$[${path[0]}]`,
              "each data point of a JSON array is read whole",
            )
          : new InputTooLargeError("The JSON document", MAX_DOCUMENT_CHARS),
    },
  );
  let emitted = false;
  /**
   * A syntax error: an `invalid` record while no record was passed on (those waiting are dropped: the
   * same as a document read whole), else the file is refused.
   */
  const refuse = (error: unknown): JsonRecord => {
    if (!(error instanceof JsonSyntaxError)) throw error;
    ready.length = 0;
    const message = `the file is not JSON: ${error.message}`;
    if (emitted) throw new UnreadableFileError("invalid_json", message, `line ${error.line}`);
    return { kind: "invalid", location: null, message };
  };
  for await (const chunk of source) {
    try {
      parser.write(chunk);
    } catch (error) {
      yield refuse(error);
      return;
    }
    if (ready.length > 0) emitted = true;
    yield* ready.splice(0, ready.length);
  }
  try {
    parser.end();
  } catch (error) {
    yield refuse(error);
    return;
  }
  yield* ready.splice(0, ready.length);
  options.onStats?.({ maxHeldChars: parser.maxHeldChars, items });
}

/** A parsed value as `JSON.parse` gives it: numbers as doubles, a `__proto__` member as data. */
function plain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: plain(member), enumerable: true, writable: true, configurable: true });
    } else out[key] = plain(member);
  }
  return out;
}

/** NDJSON, or a document that is not an array (read whole). */
async function* lineRecords(source: AsyncIterable<string>): AsyncIterable<JsonRecord> {
  let mode: "unknown" | "ndjson" | "document" = "unknown";
  const document: string[] = [];
  let documentChars = 0;
  const keep = (text: string) => {
    documentChars += text.length + 1;
    if (documentChars > MAX_DOCUMENT_CHARS) {
      throw new InputTooLargeError(
        "The JSON document",
        MAX_DOCUMENT_CHARS,
        null,
        "send NDJSON (one data point per line), which is read line by line",
      );
    }
    document.push(text);
  };
  for await (const line of textLines(source)) {
    if (mode === "document") {
      keep(line.text);
      continue;
    }
    const text = line.text.trim();
    if (text === "") continue;
    if (mode === "unknown") {
      if (!text.startsWith("{")) {
        mode = "document";
        keep(line.text);
        continue;
      }
      let first: unknown;
      try {
        first = JSON.parse(text);
      } catch {
        mode = "document";
        keep(line.text);
        continue;
      }
      mode = "ndjson";
      yield { kind: "record", value: first, location: `line ${line.number}`, ndjson: true };
      continue;
    }
    try {
      yield { kind: "record", value: JSON.parse(text), location: `line ${line.number}`, ndjson: true };
    } catch (error) {
      yield {
        kind: "invalid",
        location: `line ${line.number}`,
        message: `line ${line.number} is not JSON: ${messageOf(error)}`,
      };
    }
  }
  if (mode !== "document") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document.join("\n"));
  } catch (error) {
    yield { kind: "invalid", location: null, message: `the file is not JSON: ${messageOf(error)}` };
    return;
  }
  if (Array.isArray(parsed)) {
    for (const [index, value] of parsed.entries())
      yield { kind: "record", value, location: `$[${index}]`, ndjson: false };
  } else {
    yield { kind: "record", value: parsed, location: "$", ndjson: false };
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
