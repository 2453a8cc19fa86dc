/**
 * The values a JSON parser of this package produces (./json-stream.ts streaming, ../fhir/json.ts whole):
 * numbers kept as their source text, objects whose `__proto__` member is plain data, and syntax
 * errors that say where (line and column).
 */

/** A JSON number as written in the source (`1.0`, `1E-22`, `-0`). */
export class JsonNumber {
  constructor(readonly source: string) {}
  /** The nearest double (may be rounded, ±Infinity or 0 for out-of-range text). */
  toNumber(): number {
    return Number(this.source);
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** Why and where the text is not JSON. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** 0-based offset in the text. */
    readonly offset: number,
    /** 1-based. */
    readonly line: number,
    /** 1-based, in UTF-16 code units. */
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = "JsonSyntaxError";
  }
}

/** A member name given twice in one object. */
export interface DuplicateKey {
  key: string;
  line: number;
}

export interface ParsedJson {
  value: JsonValue;
  duplicateKeys: DuplicateKey[];
}

/** Deeper nesting is refused rather than risking the call stack (FHIR resources nest a few dozen levels). */
export const MAX_JSON_DEPTH = 512;
