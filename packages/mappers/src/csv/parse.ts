/**
 * Streaming CSV/TSV records (RFC 4180 quoting: fields in double quotes may hold delimiters, line
 * breaks and doubled quotes) with papaparse's core `Papa.Parser`, fed chunk by chunk.
 *
 * Why not `Papa.parse`: given a string it parses the whole string at once, and its streaming inputs
 * are a browser `File` or a Node stream (`Papa.NODE_STREAM_INPUT` needs `node:stream`, which a Worker
 * has only under nodejs_compat). So this drives the parser core the way papaparse's own
 * `ChunkStreamer` does: each call parses the unparsed rest of the previous chunk plus the new chunk
 * with `ignoreLastRow`, so a row (or a quoted field) cut by a chunk boundary is parsed again, whole,
 * with the next chunk. Memory is one chunk plus one unfinished row (capped by `MAX_PENDING_CHARS`);
 * plain Web APIs only, so it runs the same in Node and in Workers.
 */
import * as PapaModule from "papaparse";
import { decodeText } from "../util/stream";

type PapaApi = typeof PapaModule;
/**
 * papaparse is a UMD module: bundlers (esbuild, Vite) expose its exports as named exports, Node's own
 * ESM loader only as `default`.
 */
export const Papa: PapaApi = (PapaModule as PapaApi & { default?: PapaApi }).default ?? PapaModule;

export type Delimiter = "," | "\t" | ";";
export type Newline = "\r\n" | "\n" | "\r";

/** One record of the file: its fields as written (unquoted) and the line it starts on (1-based). */
export interface CsvRecord {
  kind: "record";
  fields: string[];
  line: number;
}

/** A problem of the file's syntax. */
export interface CsvProblem {
  kind: "problem";
  code: "malformed_quotes" | "row_too_long";
  /** `true`: the rest of the file was not read. */
  fatal: boolean;
  line: number;
  message: string;
}

export type CsvEvent = CsvRecord | CsvProblem;

/** A row longer than this (e.g. after an unterminated quote) stops the file rather than filling memory. */
export const MAX_PENDING_CHARS = 4 * 1024 * 1024;

const DELIMITERS: readonly Delimiter[] = [",", "\t", ";"];

/** Counts each candidate delimiter outside double quotes in `line`; the most frequent wins, comma on a tie. */
export function detectDelimiter(line: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && DELIMITERS.includes(ch as Delimiter)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** The line break of `text` (the first one), or null when `text` may not show it yet. */
export function detectNewline(text: string, final: boolean): Newline | null {
  const at = text.search(/[\r\n]/);
  if (at === -1) return final ? "\n" : null;
  if (text[at] === "\n") return "\n";
  if (at + 1 < text.length) return text[at + 1] === "\n" ? "\r\n" : "\r";
  return final ? "\r" : null;
}

/** The first line of `text` (up to its first line break). */
export function firstLine(text: string): string {
  const at = text.search(/[\r\n]/);
  return at === -1 ? text : text.slice(0, at);
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Whether a parse step's `data` is the one row it carries (`Papa.Parser` hands `[row]`). */
function rowOf(data: unknown): string[] | null {
  if (!Array.isArray(data)) return null;
  const row: unknown = data[0];
  return Array.isArray(row) && row.every((f) => typeof f === "string") ? (row as string[]) : null;
}

/** What the file's first line says about its format. */
export interface CsvFormat {
  delimiter: Delimiter;
  newline: Newline;
}

/**
 * Streams the records of a CSV/TSV source (UTF-8, a BOM dropped by `decodeText`), detecting the
 * delimiter (comma, tab, semicolon) and line break (CRLF, LF, CR) from the first line. `onFormat`
 * learns them before the first record.
 *
 * @example
 * for await (const event of csvRecords(fromBytes(bytes))) if (event.kind === "record") console.log(event.line, event.fields);
 */
export async function* csvRecords(
  source: AsyncIterable<Uint8Array>,
  onFormat?: (format: CsvFormat) => void,
): AsyncGenerator<CsvEvent> {
  let head = "";
  let parser: PapaModule.Parser | null = null;
  let newline: Newline = "\n";
  let pending = "";
  let input = "";
  let consumed = 0;
  let line = 1;
  const out: CsvEvent[] = [];

  const start = (format: CsvFormat) => {
    newline = format.newline;
    onFormat?.(format);
    parser = new Papa.Parser({
      delimiter: format.delimiter,
      newline: format.newline,
      quoteChar: '"',
      step: (results: PapaModule.ParseStepResult<unknown>) => {
        // `meta.cursor` is where the row ends in `input` (its line break included).
        const end = results.meta.cursor;
        const raw = input.slice(consumed, end);
        consumed = end;
        const row = rowOf(results.data);
        const rowLine = line;
        line += countOf(raw, newline);
        for (const error of results.errors) {
          out.push({ kind: "problem", code: "malformed_quotes", fatal: false, line: rowLine, message: error.message });
        }
        if (row !== null) out.push({ kind: "record", fields: row, line: rowLine });
      },
    });
  };

  /** Parses `pending + text`; keeps the unfinished last row unless `final`. Returns false when stopped. */
  const feed = (text: string, final: boolean): boolean => {
    if (parser === null) return false;
    input = pending + text;
    consumed = 0;
    if (input.length > 0) parser.parse(input, 0, !final);
    pending = final ? "" : input.slice(consumed);
    input = "";
    if (pending.length > MAX_PENDING_CHARS) {
      out.push({
        kind: "problem",
        code: "row_too_long",
        fatal: true,
        line,
        message: `The row starting on line ${line} is longer than ${MAX_PENDING_CHARS} characters (an unterminated quote?); the rest of the file was not read.`,
      });
      return false;
    }
    return true;
  };

  for await (const text of decodeText(source)) {
    let chunk = text;
    if (parser === null) {
      head += text;
      const nl = detectNewline(head, false);
      if (nl === null && head.length <= MAX_PENDING_CHARS) continue;
      start({ delimiter: detectDelimiter(firstLine(head)), newline: nl ?? "\n" });
      chunk = head;
      head = "";
    }
    const going = feed(chunk, false);
    yield* out.splice(0);
    if (!going) return;
  }
  if (parser === null) {
    if (head === "") return;
    start({ delimiter: detectDelimiter(firstLine(head)), newline: detectNewline(head, true) ?? "\n" });
    feed(head, true);
  } else {
    feed("", true);
  }
  yield* out.splice(0);
}
