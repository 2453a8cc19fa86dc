/**
 * JSON records from a byte stream that holds one JSON document (an object, or an array of records) or
 * newline-delimited JSON (NDJSON, one record per line). NDJSON streams line by line; a document is read
 * whole, as JSON can only be parsed whole, up to MAX_DOCUMENT_CHARS (an InputTooLargeError past it, util/
 * limits.ts). Which one it is shows on the first non-blank line: a line that is a complete JSON object
 * starts NDJSON; anything else starts a document.
 *
 * Generic (nothing Open mHealth-specific): other JSON-record mappers may use it.
 */
import { InputTooLargeError, MAX_DOCUMENT_CHARS } from "../util/limits";
import { lines } from "../util/stream";

/** One record, or a part of the input that is not JSON. */
export type JsonRecord =
  | { kind: "record"; value: unknown; location: string; ndjson: boolean }
  | { kind: "invalid"; location: string | null; message: string };

export async function* jsonRecords(source: AsyncIterable<Uint8Array>): AsyncIterable<JsonRecord> {
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
  for await (const line of lines(source)) {
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
