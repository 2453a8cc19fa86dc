/**
 * A small HL7 v2 (ER7, "pipe and hat") reader: segments, fields, repetitions, components and
 * subcomponents (HL7 v2.5.1 Chapter 2, §2.5 "Message construction rules" and §2.6 "Message
 * construction"), messages split at each MSH, and batch files (§2.10.3: FHS/BHS … BTS/FTS wrappers).
 *
 * Streaming: `messageUnits` reads a line source and holds one message at a time, so a batch file of any
 * size is read with the memory of its largest message.
 */
import { trimEndChar } from "@dfda/core";
import { MAX_HL7_MESSAGE_CHARS } from "../util/limits";
import type { Line } from "../util/stream";
import { type Delimiters, decodeEscapes, readDelimiters, splitOn } from "./encoding";

/** One segment; field values stay escaped until a caller reads a leaf. */
export class Segment {
  /**
   * `fields[n]` is field n as written (`fields[0]` is the segment id). For MSH/FHS/BHS, `fields[1]` is
   * the field separator itself and `fields[2]` the encoding characters, so numbers match the standard
   * (MSH-9 is `fields[9]`).
   */
  readonly fields: readonly string[];

  constructor(
    readonly id: string,
    fields: readonly string[],
    readonly delimiters: Delimiters,
    /** 1-based line of the source the segment came from. */
    readonly line: number,
  ) {
    this.fields = fields;
  }

  /** Field n as written (escaped), `""` when absent. */
  raw(n: number): string {
    return this.fields[n] ?? "";
  }

  /** The repetitions of field n as written; `[]` for an empty field. MSH-1/MSH-2 never split. */
  repetitions(n: number): string[] {
    const value = this.raw(n);
    if (value === "") return [];
    if (isHeader(this.id) && n <= 2) return [value];
    return splitOn(value, this.delimiters.repetition);
  }

  /** The decoded components of one repetition (default the first) of field n. */
  components(n: number, repetition = 0): string[] {
    const value = this.repetitions(n)[repetition];
    return value === undefined ? [] : components(value, this.delimiters);
  }

  /** Component `c` (1-based) of the first repetition of field n, decoded; `""` when absent. */
  get(n: number, c = 1): string {
    return this.components(n)[c - 1] ?? "";
  }

  /** The whole first repetition of field n as text (for ST/TX/FT, where delimiters are not structure). */
  text(n: number): string {
    const value = this.repetitions(n)[0];
    return value === undefined ? "" : decodeEscapes(value, this.delimiters);
  }
}

/**
 * The components of one repetition, decoded. A component that has subcomponents keeps them joined by
 * the subcomponent character (callers that need them use `subcomponents`).
 */
export function components(repetition: string, d: Delimiters): string[] {
  return splitOn(repetition, d.component).map((component) =>
    splitOn(component, d.subcomponent)
      .map((sub) => decodeEscapes(sub, d))
      .join(d.subcomponent),
  );
}

/** The subcomponents of one component as written in a repetition, decoded. */
export function subcomponents(repetition: string, component: number, d: Delimiters): string[] {
  const value = splitOn(repetition, d.component)[component - 1];
  return value === undefined ? [] : splitOn(value, d.subcomponent).map((sub) => decodeEscapes(sub, d));
}

/** One message: its MSH and the segments after it. */
export interface Hl7Message {
  /** 1-based position of the message in its file (each MSH counts). */
  index: number;
  delimiters: Delimiters;
  msh: Segment;
  /** Every segment in order, MSH first. */
  segments: Segment[];
}

/** A segment line the reader could not read (kept out of the message, reported by the caller). */
export interface SegmentProblem {
  line: number;
  reason: string;
}

export type MessageResult =
  | { ok: true; message: Hl7Message; problems: SegmentProblem[] }
  | { ok: false; line: number; reason: string };

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

function isHeader(id: string): boolean {
  return id === "MSH" || id === "FHS" || id === "BHS";
}

/** Splits a segment line into fields numbered as the standard numbers them. */
function fieldsOf(id: string, text: string, d: Delimiters): string[] {
  const parts = text.split(d.field);
  // MSH-1 is the separator itself (§2.14.9.1), so field numbers after it shift by one.
  return isHeader(id) ? [id, d.field, ...parts.slice(1)] : parts;
}

/**
 * Reads one message from its lines (the first one the MSH). Fails only when the MSH itself cannot be
 * read (bad delimiters, no message type); a later line that is not a segment is left out and reported.
 */
export function readMessage(index: number, lines: readonly Line[]): MessageResult {
  const first = lines[0];
  if (first === undefined) return { ok: false, line: 0, reason: "the message has no segments" };
  if (!first.text.startsWith("MSH")) {
    return { ok: false, line: first.number, reason: "a message must begin with an MSH segment (HL7 v2.5.1 §2.6)" };
  }
  const delimiters = readDelimiters(first.text);
  if (!delimiters.ok) return { ok: false, line: first.number, reason: delimiters.reason };
  const d = delimiters.delimiters;
  const msh = new Segment("MSH", fieldsOf("MSH", first.text, d), d, first.number);
  // MSH-9 (message type) is required (§2.14.9.9); without it the MSH is truncated or not HL7.
  if (msh.get(9, 1) === "") {
    const count = msh.fields.length - 1;
    return {
      ok: false,
      line: first.number,
      reason: `MSH-9 (message type) is missing: the MSH has ${count} field${count === 1 ? "" : "s"}, so it is truncated or malformed`,
    };
  }
  const segments = [msh];
  const problems: SegmentProblem[] = [];
  for (const line of lines.slice(1)) {
    const id = line.text.slice(0, 3);
    const next = line.text.charAt(3);
    if (!SEGMENT_ID.test(id) || (next !== "" && next !== d.field)) {
      problems.push({
        line: line.number,
        reason: `"${preview(line.text)}" is not a segment (a 3-character id and "${d.field}")`,
      });
      continue;
    }
    segments.push(new Segment(id, fieldsOf(id, line.text, d), d, line.number));
  }
  return { ok: true, message: { index, delimiters: d, msh, segments }, problems };
}

/** A short, printable preview of a line for an issue message. */
export function preview(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** What the splitter hands on: a message's lines, or lines that belong to no message. */
export type MessageUnit =
  | { kind: "message"; index: number; lines: Line[] }
  | { kind: "outside"; first: Line; count: number }
  /** A message longer than the limit: its lines were dropped as they came (memory stays bounded). */
  | { kind: "oversized"; index: number; first: Line; count: number; limit: number };

const MSH_START = /^MSH(?:[^A-Za-z0-9]|$)/;
/** Batch envelope segments (§2.10.3): FHS/BHS open, BTS/FTS close; they carry no clinical data. */
const ENVELOPE = /^(?:FHS|BHS|BTS|FTS)(?:[^A-Za-z0-9]|$)/;

/** A line as a segment: MLLP framing (VT start block, FS end block) and leading spaces removed. */
function clean(text: string): string {
  // The end block is cut by a scan: `[\u000b\u001c]+$` retries from every byte of a run (quadratic, CWE-1333).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: MLLP framing bytes (0x0B, 0x1C) are control characters.
  return trimEndChar(text.replace(/^[\u000b\u001c\s]+/, ""), "\u000b\u001c");
}

/**
 * Groups a line source into messages, one at a time: a message runs from an MSH to the next MSH, a
 * batch envelope segment or the end. Blank lines are skipped; lines outside any message are reported
 * as runs. A message whose segments pass `maxChars` together is not kept: its lines are counted and
 * dropped until the next message, and it is handed on as `oversized` (issue 12, unbounded memory).
 */
export async function* messageUnits(
  source: AsyncIterable<Line>,
  maxChars = MAX_HL7_MESSAGE_CHARS,
): AsyncIterable<MessageUnit> {
  let current: Line[] | null = null;
  let currentChars = 0;
  let oversized: { index: number; first: Line; count: number; limit: number } | null = null;
  let index = 0;
  let outside: { first: Line; count: number } | null = null;
  for await (const raw of source) {
    const text = clean(raw.text);
    if (text === "") continue;
    const line = { text, number: raw.number };
    const isMsh = MSH_START.test(text);
    const isEnvelope = ENVELOPE.test(text);
    if (isMsh || isEnvelope) {
      if (current) yield { kind: "message", index, lines: current };
      current = null;
      if (oversized) yield { kind: "oversized", ...oversized };
      oversized = null;
      if (outside) yield { kind: "outside", ...outside };
      outside = null;
      if (isMsh) {
        index += 1;
        current = [line];
        currentChars = text.length;
      }
      continue;
    }
    if (oversized) oversized.count += 1;
    else if (current) {
      currentChars += text.length;
      if (currentChars > maxChars) {
        oversized = { index, first: current[0] ?? line, count: current.length + 1, limit: maxChars };
        current = null;
      } else current.push(line);
    } else if (outside) outside.count += 1;
    else outside = { first: line, count: 1 };
  }
  if (current) yield { kind: "message", index, lines: current };
  if (oversized) yield { kind: "oversized", ...oversized };
  if (outside) yield { kind: "outside", ...outside };
}

/** Thrown by `parseMessage` for text that is not one readable HL7 v2 message. */
export class Hl7ParseError extends Error {
  constructor(
    message: string,
    /** 1-based line of the problem. */
    readonly line: number,
  ) {
    super(message);
    this.name = "Hl7ParseError";
  }
}

/**
 * Parses one HL7 v2 message held in memory (segments separated by `\r`, `\n` or `\r\n`), for callers
 * that already have it whole. Lines that are not segments are left out.
 *
 * @example
 * const message = parseMessage("MSH|^~\\&|LAB||EHR||20240101||ORU^R01|1|P|2.5.1\rPID|1||123||Doe^Jane");
 * readPatient(message); // { family: "Doe", given: ["Jane"], … }
 * @throws Hl7ParseError when the text has no MSH or its MSH cannot be read.
 */
export function parseMessage(text: string): Hl7Message {
  const all = text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: clean(t), number: i + 1 }))
    .filter((line) => line.text !== "");
  const start = all.findIndex((line) => MSH_START.test(line.text));
  if (start === -1) throw new Hl7ParseError("no MSH segment: this is not an HL7 v2 message", 1);
  const end = all.findIndex((line, i) => i > start && (MSH_START.test(line.text) || ENVELOPE.test(line.text)));
  const result = readMessage(1, all.slice(start, end === -1 ? undefined : end));
  if (!result.ok) throw new Hl7ParseError(result.reason, result.line);
  return result.message;
}
