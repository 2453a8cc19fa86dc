/**
 * A strict JSON parser (RFC 8259) that keeps what `JSON.parse` throws away and FHIR needs:
 *
 * - Numbers stay as their source text (`JsonNumber`). FHIR R4 `decimal` values are arbitrary-precision
 *   decimals whose written precision is significant (R4 §2.24.0.1 "decimal": `1.0` and `1.00` differ),
 *   and `JSON.parse` would silently turn `1.000000000000000000E-24` or `12345678901234567890` into a
 *   rounded double. Each consumer decides what a number means (see ./decimal.ts).
 * - Syntax errors carry a line and column, so a broken file yields an issue that says where.
 * - Duplicate member names, which RFC 8259 §4 leaves undefined and FHIR JSON forbids
 *   (R4 json.html: "properties ... SHALL NOT appear more than once"), are reported; the last one wins,
 *   as with `JSON.parse`.
 *
 * A `"__proto__"` member is kept as plain data (it never replaces an object's prototype).
 */

export {
  type DuplicateKey,
  JsonNumber,
  type JsonObject,
  JsonSyntaxError,
  type JsonValue,
  MAX_JSON_DEPTH,
  type ParsedJson,
} from "../util/json-value";

import {
  type DuplicateKey,
  JsonNumber,
  type JsonObject,
  JsonSyntaxError,
  type JsonValue,
  MAX_JSON_DEPTH,
  type ParsedJson,
} from "../util/json-value";

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function describe(text: string, offset: number): string {
  if (offset >= text.length) return "end of input";
  const c = text.codePointAt(offset) ?? 0;
  if (c < 0x20) return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCodePoint(c)}'`;
}

class Parser {
  private pos = 0;
  readonly duplicateKeys: DuplicateKey[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`Unexpected ${describe(this.text, this.pos)} after the JSON value`);
    return value;
  }

  private fail(reason: string, offset = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(reason, offset, line, offset - lineStart + 1);
  }

  private lineAt(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) if (this.text.charCodeAt(i) === 10) line++;
    return line;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      // RFC 8259 §2: ws = space, horizontal tab, line feed, carriage return.
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
    this.pos = pos;
  }

  private parseValue(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 123: // {
        return this.parseObject(depth + 1);
      case 91: // [
        return this.parseArray(depth + 1);
      case 34: // "
        return this.parseString();
      case 116: // t
        return this.parseLiteral("true", true);
      case 102: // f
        return this.parseLiteral("false", false);
      case 110: // n
        return this.parseLiteral("null", null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.parseNumber();
        return this.fail(`Unexpected ${describe(this.text, this.pos)}, expected a value`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos))
      this.fail(`Unexpected ${describe(this.text, this.pos)}, expected a value`);
    this.pos += word.length;
    return value;
  }

  private parseNumber(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === "" || m[0] === "-") this.fail(`Invalid number`);
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private parseString(): string {
    const text = this.text;
    const length = text.length;
    const open = this.pos;
    let pos = open + 1;
    let start = pos;
    let out = "";
    for (;;) {
      if (pos >= length) this.fail("Unterminated string", open);
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(start, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c === 92) {
        out += text.slice(start, pos);
        const e = text.charCodeAt(pos + 1);
        switch (e) {
          case 34:
            out += '"';
            break;
          case 92:
            out += "\\";
            break;
          case 47:
            out += "/";
            break;
          case 98:
            out += "\b";
            break;
          case 102:
            out += "\f";
            break;
          case 110:
            out += "\n";
            break;
          case 114:
            out += "\r";
            break;
          case 116:
            out += "\t";
            break;
          case 117: {
            const hex = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\u escape", pos);
            out += String.fromCharCode(Number.parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            this.fail("Invalid escape sequence", pos);
        }
        pos += 2;
        start = pos;
        continue;
      }
      // RFC 8259 §7: control characters must be escaped inside strings.
      if (c < 0x20) this.fail(`Unescaped ${describe(text, pos)} in string`, pos);
      pos++;
    }
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`Nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      this.fail(`Unexpected ${describe(this.text, this.pos)}, expected ',' or ']'`);
    }
  }

  private parseObject(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail(`Nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++;
    const out: JsonObject = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 34) {
        this.fail(`Unexpected ${describe(this.text, this.pos)}, expected a property name`);
      }
      const keyOffset = this.pos;
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 58) this.fail(`Unexpected ${describe(this.text, this.pos)}, expected ':'`);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      if (Object.hasOwn(out, key)) this.duplicateKeys.push({ key, line: this.lineAt(keyOffset) });
      // A `__proto__` member stays data instead of replacing the prototype.
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        return out;
      }
      this.fail(`Unexpected ${describe(this.text, this.pos)}, expected ',' or '}'`);
    }
  }
}

/**
 * Parses one JSON text. Throws `JsonSyntaxError` (only) when the text is not JSON.
 *
 * @example
 * const { value } = parseJson('{"value": 1.50}');
 * // (value as JsonObject).value is a JsonNumber with source "1.50"
 */
export function parseJson(text: string): ParsedJson {
  const parser = new Parser(text);
  const value = parser.parseDocument();
  return { value, duplicateKeys: parser.duplicateKeys };
}

// ---- Typed access to parsed values -------------------------------------------------------------

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** A string member, or undefined when absent or not a string. */
export function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === "string" ? v : undefined;
}

/** An object member, or undefined. */
export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}

/** The object elements of an array member with their indices (other elements are skipped). */
export function objs(o: JsonObject | undefined, key: string): Array<[number, JsonObject]> {
  const v = o?.[key];
  if (!Array.isArray(v)) return [];
  const out: Array<[number, JsonObject]> = [];
  v.forEach((item, i) => {
    if (isObject(item)) out.push([i, item]);
  });
  return out;
}

/** A member as plain JavaScript data for observation metadata (numbers as doubles, or as text when they overflow). */
export function toPlain(value: JsonValue | undefined): unknown {
  if (value === undefined || value === null || typeof value !== "object") return value;
  if (value instanceof JsonNumber) {
    const n = value.toNumber();
    return Number.isFinite(n) ? n : value.source;
  }
  if (Array.isArray(value)) return value.map((v) => toPlain(v));
  const out: Record<string, unknown> = {};
  // defineProperty: a `__proto__` member stays data instead of replacing the prototype.
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
