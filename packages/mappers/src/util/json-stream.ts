/**
 * A streaming JSON parser (RFC 8259) that reads text chunk by chunk and hands over the items of chosen
 * arrays as soon as each is complete, so a document far larger than memory (a 100 MB FHIR Bundle) is
 * read holding one item at a time. Our own rather than an npm tokenizer because it must produce exactly
 * what the whole-document parser (../fhir/json.ts) produces: numbers kept as their text (`JsonNumber`:
 * FHIR decimals are arbitrary precision, R4 §2.24.0.1), `__proto__` kept as data, duplicate member
 * names reported with their line, the same syntax errors at the same line and column, the same nesting
 * limit. Chunk boundaries may fall anywhere: inside a string, an escape (`\u00e9` split after `\u0`), a
 * surrogate pair written as two escapes, a number, a literal (RFC 8259 §7: `\uD83D\uDE00` is two
 * escapes, each kept as its UTF-16 code unit, exactly as the whole-document parser does).
 *
 * No Node built-ins: it runs in workerd. The byte-order mark is dropped before (util/stream
 * `decodeText`, RFC 8259 §8.1).
 *
 * Memory: what is held is the value being built minus the items already handed over. `heldChars` is
 * that amount in characters of source text (checked at the end of every chunk and of every handed-over
 * item, and kept as the high-water mark `maxHeldChars`); past `maxHeldChars` of the options, the parse
 * stops with the error `tooLarge` makes.
 */
import {
  type DuplicateKey,
  JsonNumber,
  type JsonObject,
  JsonSyntaxError,
  type JsonValue,
  MAX_JSON_DEPTH,
} from "./json-value";

/** Object member names and array indices from the top-level value down to a value. */
export type JsonPath = ReadonlyArray<string | number>;

/** A container being built (an object or array whose closing bracket has not been read yet). */
export type JsonContainer = JsonObject | JsonValue[];

export interface JsonStreamHandler {
  /**
   * Whether the array that starts at `path` hands over its items (`item`) instead of keeping them: it
   * is then left empty in the value. `containers` are the enclosing containers as built so far, outermost
   * first (the members of an object read before this array are in it).
   */
  streamArray(path: JsonPath, containers: readonly JsonContainer[]): boolean;
  /** One complete item of a streamed array, at `path` (ending with its index); `chars` is its length in the source. */
  item(value: JsonValue, path: JsonPath, containers: readonly JsonContainer[], chars: number): void;
  /**
   * Whether the object that starts at `path` hands over its members (`member`) instead of keeping them
   * (it is then left empty in the value), e.g. an openEHR FLAT composition, one object of many
   * `path: value` members. Absent: no object streams. A streamed object's repeated member names are
   * not reported (`takeDuplicateKeys`): each member is handed over as it comes.
   */
  streamObject?(path: JsonPath, containers: readonly JsonContainer[]): boolean;
  /** One complete member of a streamed object, at `path` (ending with its name); `chars` is its value's length in the source. */
  member?(name: string, value: JsonValue, path: JsonPath, containers: readonly JsonContainer[], chars: number): void;
}

export interface JsonStreamOptions {
  /** The most characters of source the value being built may hold (items handed over do not count). */
  maxHeldChars?: number;
  /** The error thrown past `maxHeldChars`; `path` is where the innermost item being built starts. */
  tooLarge?: (path: JsonPath, heldChars: number) => Error;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

// Parser states.
const VALUE = 0; // a value is expected (after ':' or ',' in an array, or at the top)
const OBJECT_FIRST = 1; // after '{': a member name or '}'
const OBJECT_KEY = 2; // after ',' in an object: a member name
const COLON = 3;
const OBJECT_NEXT = 4; // after a member's value: ',' or '}'
const ARRAY_FIRST = 5; // after '[': a value or ']'
const ARRAY_NEXT = 6; // after an item: ',' or ']'
const STRING = 7;
const ESCAPE = 8; // after '\'
const UNICODE = 9; // inside \uXXXX
const NUMBER_TEXT = 10;
const LITERAL = 11;
const DONE = 12; // after the top-level value: only whitespace

interface Frame {
  container: JsonContainer;
  isArray: boolean;
  /** Object: the member name being read. Array: the index of the next item. */
  key: string;
  index: number;
  /** Object: line of the member name when it repeats one already there. */
  duplicateLine: number;
  /** Array: hands its items over; object: hands its members over. */
  streamed: boolean;
  /** Offset of the opening bracket. */
  start: number;
  /** Characters of items handed over from inside this container (when it is itself a streamed item). */
  inner: number;
  /** Streamed array: where the last item handed over ended (separators count with the item after them). */
  lastEnd: number;
}

const LITERALS: Record<number, { word: string; value: JsonValue }> = {
  116: { word: "true", value: true },
  102: { word: "false", value: false },
  110: { word: "null", value: null },
};

function isWhitespace(c: number): boolean {
  // RFC 8259 §2: space, horizontal tab, line feed, carriage return.
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function describeChar(text: string, at: number): string {
  if (at >= text.length) return "end of input";
  const c = text.codePointAt(at) ?? 0;
  if (c < 0x20) return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCodePoint(c)}'`;
}

/**
 * Push parser: `write` each text chunk, then `end`.
 *
 * @example
 * const parser = new JsonStreamParser({
 *   streamArray: (path) => path.length === 1 && path[0] === "entry",
 *   item: (entry) => console.log(entry),
 * });
 * for await (const text of decodeText(source)) parser.write(text);
 * const root = parser.end(); // the Bundle with `entry: []`
 */
export class JsonStreamParser {
  /** The largest `heldChars` seen. */
  maxHeldChars = 0;
  private state = VALUE;
  private readonly stack: Frame[] = [];
  private root: JsonValue | undefined;
  private started = false;
  /** Offset (in the whole text) of the current chunk's first character, and characters read so far. */
  private base = 0;
  private consumed = 0;
  /** Lines before the current chunk, and the offset where the current line starts. */
  private lineBase = 0;
  private lineStart = 0;
  private chunk = "";
  /** The string, number or literal being read, with its start offset. */
  private parts: string[] = [];
  private tokenStart = 0;
  private isKey = false;
  private hex = "";
  /** Offset of the backslash of the escape being read. */
  private escapeAt = 0;
  private literal: { word: string; value: JsonValue; matched: number } | null = null;
  /** Characters handed over (not held), and where the top-level value started. */
  private handedOver = 0;
  private rootStart = 0;
  private readonly duplicates: DuplicateKey[] = [];
  private readonly maxChars: number;

  constructor(
    private readonly handler: JsonStreamHandler,
    private readonly options: JsonStreamOptions = {},
  ) {
    this.maxChars = options.maxHeldChars ?? Number.POSITIVE_INFINITY;
  }

  /** Characters of source the value being built holds now. */
  get heldChars(): number {
    if (!this.started || this.state === DONE) return 0;
    return this.consumed - this.rootStart - this.handedOver;
  }

  /** Duplicate member names found since the last call (the last one wins, as in `JSON.parse`). */
  takeDuplicateKeys(): DuplicateKey[] {
    return this.duplicates.splice(0, this.duplicates.length);
  }

  /** Reads the next chunk of text. Throws JsonSyntaxError, or the `tooLarge` error. */
  write(text: string): void {
    this.chunk = text;
    const length = text.length;
    let pos = 0;
    while (pos < length) pos = this.step(text, pos);
    this.consumed = this.base + length;
    this.checkHeld();
    // Line bookkeeping for the next chunk (only newlines between tokens and in whitespace exist).
    let last = -1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      this.lineBase++;
      last = i;
    }
    if (last !== -1) this.lineStart = this.base + last + 1;
    this.base += length;
  }

  /** The end of the text: the top-level value (streamed arrays empty in it), or undefined for only whitespace. */
  end(): JsonValue | undefined {
    this.chunk = "";
    if (this.state === NUMBER_TEXT) this.finishNumber();
    if (this.state === DONE) return this.root;
    if (!this.started) return undefined;
    // As the whole-document parser: an escape cut short is a bad escape, a string cut short unterminated.
    if (this.state === ESCAPE) this.fail("Invalid escape sequence", this.escapeAt);
    if (this.state === UNICODE) this.fail("Invalid \\u escape", this.escapeAt);
    if (this.state === STRING) this.fail("Unterminated string", this.tokenStart);
    if (this.state === LITERAL) this.failLiteral();
    return this.unexpected(this.base, this.expectation());
  }

  // ---- positions and errors -------------------------------------------------------------------

  private lineOf(offset: number): { line: number; column: number } {
    // Offsets before the current chunk are only asked for on the current line (a string cannot hold a
    // raw line break), so the chunk's own newlines are enough.
    let line = this.lineBase + 1;
    let lineStart = this.lineStart;
    const upto = Math.min(offset - this.base, this.chunk.length);
    for (let i = this.chunk.indexOf("\n"); i !== -1 && i < upto; i = this.chunk.indexOf("\n", i + 1)) {
      line++;
      lineStart = this.base + i + 1;
    }
    return { line, column: offset - lineStart + 1 };
  }

  private fail(reason: string, offset: number): never {
    const { line, column } = this.lineOf(offset);
    throw new JsonSyntaxError(reason, offset, line, column);
  }

  private unexpected(offset: number, expected: string): never {
    const what = describeChar(this.chunk, offset - this.base);
    return this.fail(
      expected === "after" ? `Unexpected ${what} after the JSON value` : `Unexpected ${what}, expected ${expected}`,
      offset,
    );
  }

  private expectation(): string {
    switch (this.state) {
      case OBJECT_FIRST:
      case OBJECT_KEY:
        return "a property name";
      case COLON:
        return "':'";
      case OBJECT_NEXT:
        return "',' or '}'";
      case ARRAY_NEXT:
        return "',' or ']'";
      case DONE:
        return "after";
      default:
        return "a value";
    }
  }

  private checkHeld(): void {
    const held = this.heldChars;
    if (held > this.maxHeldChars) this.maxHeldChars = held;
    if (held > this.maxChars) {
      const tooLarge = this.options.tooLarge;
      throw tooLarge ? tooLarge(this.path(), held) : new RangeError(`A JSON value holds more than ${this.maxChars}`);
    }
  }

  /**
   * The containers being built, outermost first, each with the member name or index where its open
   * child (the next container) is being read, and whether it hands over its items or members. A look
   * at a document before its end (the header of a vendor response read so far): a container is only
   * attached to its parent once it closes.
   */
  openContainers(): Array<{ container: JsonContainer; at: string | number; streamed: boolean }> {
    return this.stack.map((f) => ({ container: f.container, at: f.isArray ? f.index : f.key, streamed: f.streamed }));
  }

  /** The path of the value being read (the innermost container's current member or item). */
  path(): JsonPath {
    const out: Array<string | number> = [];
    for (const frame of this.stack) out.push(frame.isArray ? frame.index : frame.key);
    return out;
  }

  // ---- the state machine ----------------------------------------------------------------------

  /** Reads from `pos`; returns where to go on. */
  private step(text: string, pos: number): number {
    switch (this.state) {
      case STRING:
        return this.readString(text, pos);
      case ESCAPE:
        return this.readEscape(text, pos);
      case UNICODE:
        return this.readUnicode(text, pos);
      case NUMBER_TEXT:
        return this.readNumber(text, pos);
      case LITERAL:
        return this.readLiteral(text, pos);
      default:
        break;
    }
    const length = text.length;
    let c = text.charCodeAt(pos);
    while (isWhitespace(c)) {
      pos++;
      if (pos >= length) return pos;
      c = text.charCodeAt(pos);
    }
    const offset = this.base + pos;
    switch (this.state) {
      case VALUE:
        return this.startValue(text, pos, c);
      case ARRAY_FIRST:
        if (c === 93) return this.closeContainer(pos);
        return this.startValue(text, pos, c);
      case OBJECT_FIRST:
        if (c === 125) return this.closeContainer(pos);
        if (c !== 34) return this.unexpected(offset, "a property name");
        return this.startString(pos, true);
      case OBJECT_KEY:
        if (c !== 34) return this.unexpected(offset, "a property name");
        return this.startString(pos, true);
      case COLON:
        if (c !== 58) return this.unexpected(offset, "':'");
        this.state = VALUE;
        return pos + 1;
      case OBJECT_NEXT:
        if (c === 44) {
          this.state = OBJECT_KEY;
          return pos + 1;
        }
        if (c === 125) return this.closeContainer(pos);
        return this.unexpected(offset, "',' or '}'");
      case ARRAY_NEXT:
        if (c === 44) {
          this.state = VALUE;
          return pos + 1;
        }
        if (c === 93) return this.closeContainer(pos);
        return this.unexpected(offset, "',' or ']'");
      default:
        // DONE: only whitespace may follow the value.
        return this.unexpected(offset, "after");
    }
  }

  private startValue(text: string, pos: number, c: number): number {
    const offset = this.base + pos;
    if (!this.started) {
      this.started = true;
      this.rootStart = offset;
    }
    if (c === 123 || c === 91) {
      if (this.stack.length >= MAX_JSON_DEPTH) this.fail(`Nesting deeper than ${MAX_JSON_DEPTH} levels`, offset);
      const isArray = c === 91;
      const frame: Frame = {
        container: isArray ? [] : {},
        isArray,
        key: "",
        index: 0,
        duplicateLine: 0,
        streamed: false,
        start: offset,
        inner: 0,
        lastEnd: offset + 1,
      };
      if (isArray) {
        const containers = this.stack.map((f) => f.container);
        frame.streamed = this.handler.streamArray(this.path(), containers);
      } else if (this.handler.streamObject !== undefined) {
        const containers = this.stack.map((f) => f.container);
        frame.streamed = this.handler.streamObject(this.path(), containers);
      }
      this.stack.push(frame);
      this.state = isArray ? ARRAY_FIRST : OBJECT_FIRST;
      return pos + 1;
    }
    if (c === 34) return this.startString(pos, false);
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.tokenStart = offset;
      this.parts = [];
      this.state = NUMBER_TEXT;
      return this.readNumber(text, pos);
    }
    const literal = LITERALS[c];
    if (literal !== undefined) {
      this.tokenStart = offset;
      this.literal = { ...literal, matched: 0 };
      this.state = LITERAL;
      return this.readLiteral(text, pos);
    }
    return this.unexpected(offset, "a value");
  }

  private startString(pos: number, isKey: boolean): number {
    const offset = this.base + pos;
    if (!this.started) {
      this.started = true;
      this.rootStart = offset;
    }
    this.tokenStart = offset;
    this.isKey = isKey;
    this.parts = [];
    this.state = STRING;
    return pos + 1;
  }

  private readString(text: string, pos: number): number {
    const length = text.length;
    let i = pos;
    for (;;) {
      if (i >= length) {
        if (i > pos) this.parts.push(text.slice(pos, i));
        return i;
      }
      const c = text.charCodeAt(i);
      if (c === 34) {
        if (i > pos) this.parts.push(text.slice(pos, i));
        const value = this.parts.length === 1 ? (this.parts[0] ?? "") : this.parts.join("");
        this.parts = [];
        if (this.isKey) this.gotKey(value, i);
        else this.gotValue(value, this.base + i + 1);
        return i + 1;
      }
      if (c === 92) {
        if (i > pos) this.parts.push(text.slice(pos, i));
        this.escapeAt = this.base + i;
        this.state = ESCAPE;
        return i + 1;
      }
      // RFC 8259 §7: control characters must be escaped inside strings.
      if (c < 0x20) this.fail(`Unescaped ${describeChar(text, i)} in string`, this.base + i);
      i++;
    }
  }

  private readEscape(text: string, pos: number): number {
    const e = text.charCodeAt(pos);
    let out: string;
    switch (e) {
      case 34:
        out = '"';
        break;
      case 92:
        out = "\\";
        break;
      case 47:
        out = "/";
        break;
      case 98:
        out = "\b";
        break;
      case 102:
        out = "\f";
        break;
      case 110:
        out = "\n";
        break;
      case 114:
        out = "\r";
        break;
      case 116:
        out = "\t";
        break;
      case 117:
        this.hex = "";
        this.state = UNICODE;
        return pos + 1;
      default:
        return this.fail("Invalid escape sequence", this.escapeAt);
    }
    this.parts.push(out);
    this.state = STRING;
    return pos + 1;
  }

  private readUnicode(text: string, pos: number): number {
    let i = pos;
    while (this.hex.length < 4 && i < text.length) {
      const c = text.charCodeAt(i);
      const isHex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
      // The escape starts 2 + the digits read before this one characters back.
      if (!isHex) this.fail("Invalid \\u escape", this.escapeAt);
      this.hex += text[i];
      i++;
    }
    if (this.hex.length === 4) {
      // One UTF-16 code unit per escape: a surrogate pair written as two escapes becomes the pair.
      this.parts.push(String.fromCharCode(Number.parseInt(this.hex, 16)));
      this.state = STRING;
    }
    return i;
  }

  private readNumber(text: string, pos: number): number {
    let i = pos;
    const length = text.length;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      // Characters a number may hold; the grammar is checked once it ends.
      if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 69 || c === 101)) break;
    }
    if (i > pos) this.parts.push(text.slice(pos, i));
    if (i < length) this.finishNumber();
    return i;
  }

  /** The number read so far has ended: its longest prefix that is a JSON number is the value. */
  private finishNumber(): void {
    const written = this.parts.join("");
    this.parts = [];
    NUMBER.lastIndex = 0;
    const m = NUMBER.exec(written);
    if (!m || m[0] === "" || m[0] === "-") this.fail("Invalid number", this.tokenStart);
    const source = m[0];
    this.gotValue(new JsonNumber(source), this.tokenStart + source.length);
    if (source.length < written.length) {
      // What follows the number is not allowed there, as the whole-document parser says.
      const at = this.tokenStart + source.length;
      const what = describeChar(written, source.length);
      const expected = this.expectation();
      this.fail(
        expected === "after" ? `Unexpected ${what} after the JSON value` : `Unexpected ${what}, expected ${expected}`,
        at,
      );
    }
  }

  private readLiteral(text: string, pos: number): number {
    const literal = this.literal;
    if (literal === null) return pos;
    let i = pos;
    while (literal.matched < literal.word.length && i < text.length) {
      if (text.charCodeAt(i) !== literal.word.charCodeAt(literal.matched)) {
        return this.failLiteral();
      }
      literal.matched++;
      i++;
    }
    if (literal.matched === literal.word.length) {
      this.literal = null;
      this.gotValue(literal.value, this.base + i);
    }
    return i;
  }

  private failLiteral(): never {
    const first = this.literal?.word ?? "";
    return this.fail(`Unexpected '${first.charAt(0)}', expected a value`, this.tokenStart);
  }

  private gotKey(key: string, quoteAt: number): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) return;
    frame.key = key;
    frame.duplicateLine = Object.hasOwn(frame.container, key) ? this.lineOf(this.base + quoteAt).line : 0;
    this.state = COLON;
  }

  /** A complete value ending before `end` (offset just past it). */
  private gotValue(value: JsonValue, end: number): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) {
      this.root = value;
      this.state = DONE;
      return;
    }
    if (frame.isArray) {
      if (frame.streamed) {
        const start =
          value !== null && typeof value === "object" && !(value instanceof JsonNumber) ? -1 : this.tokenStart;
        this.handOver(value, frame, start, end);
      } else (frame.container as JsonValue[]).push(value);
      frame.index++;
      this.state = ARRAY_NEXT;
      return;
    }
    if (frame.streamed) {
      const start =
        value !== null && typeof value === "object" && !(value instanceof JsonNumber) ? -1 : this.tokenStart;
      this.handOver(value, frame, start, end);
      this.state = OBJECT_NEXT;
      return;
    }
    const object = frame.container as JsonObject;
    if (frame.duplicateLine > 0) this.duplicates.push({ key: frame.key, line: frame.duplicateLine });
    // A `__proto__` member stays data instead of replacing the prototype.
    if (frame.key === "__proto__") {
      Object.defineProperty(object, frame.key, { value, enumerable: true, writable: true, configurable: true });
    } else object[frame.key] = value;
    this.state = OBJECT_NEXT;
  }

  /**
   * Hands a streamed array's item (or a streamed object's member) over. Its characters stop counting as
   * held: all of them for a container (`start` -1: it was the innermost frame, popped with its own start
   * and inner count), or the scalar's; a member's name counts with it.
   */
  private handOver(value: JsonValue, frame: Frame, start: number, end: number): void {
    const span = end - (start === -1 ? this.closedStart : start);
    const inner = start === -1 ? this.closedInner : 0;
    this.consumed = end;
    this.checkHeld();
    const path = [...this.path()];
    const containers = this.stack.map((f) => f.container);
    if (frame.isArray) this.handler.item(value, path, containers, span);
    else this.handler.member?.(frame.key, value, path, containers, span);
    // The item and the separators before it are no longer held; what was handed over inside it already counted.
    const released = end - frame.lastEnd;
    frame.lastEnd = end;
    this.handedOver += released - inner;
    const outer = this.enclosingItem(frame);
    if (outer !== null) outer.inner += released;
  }

  /** The innermost container at or above `frame` that is itself an item of a streamed array. */
  private enclosingItem(frame: Frame): Frame | null {
    for (let i = this.stack.indexOf(frame); i > 0; i--) {
      const parent = this.stack[i - 1];
      const f = this.stack[i];
      if (parent?.streamed && f !== undefined) return f;
    }
    return null;
  }

  private closedStart = 0;
  private closedInner = 0;

  private closeContainer(pos: number): number {
    const frame = this.stack.pop();
    if (frame === undefined) return pos + 1;
    this.closedStart = frame.start;
    this.closedInner = frame.inner;
    this.gotValue(frame.container, this.base + pos + 1);
    return pos + 1;
  }
}
