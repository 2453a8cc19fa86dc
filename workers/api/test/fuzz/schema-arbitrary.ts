/**
 * fast-check arbitraries derived from JSON Schema, for fuzzing the API from its own OpenAPI 3.1
 * document (issue 12, "Tests that keep it closed"). It covers the subset of JSON Schema 2020-12 that
 * the document uses (what @hono/zod-openapi emits): `type` (one or a list, `"null"` included),
 * `nullable` (OpenAPI 3.0), `enum`, `format` (uuid, date-time, email, uri, binary), `minLength`,
 * `maxLength`, `pattern`, `minimum`, `maximum`, `items`, `minItems`, `maxItems`, `properties`,
 * `required`, `additionalProperties`, `anyOf`/`oneOf`, and `$ref` into `components.schemas`.
 *
 * Two kinds of value come out of a schema:
 * - `validValue`: a value the schema accepts (small, so a request reaches the handler);
 * - `mutatedValue`: a value with one defect at a known place (`Mutant.path`), either one the schema
 *   must refuse (`strong`: wrong type, missing required member, unknown member of a closed object,
 *   length/number/size one past a bound, a value outside the enum, a broken format or pattern) or a
 *   hostile one it may accept (NUL, lone surrogates, huge strings and numbers, NaN-ish text, 10,000
 *   levels of nested arrays, prototype-polluting keys).
 *
 * Values are built as `Json`; deeply nested ones as `RawJson` text, spliced in by `toJsonText`, so
 * the generator never recurses 10,000 frames deep (JSON.stringify would).
 *
 * @example
 * fc.assert(fc.property(validValue(schema), (v) => zodSchema.safeParse(v).success));
 */
import fc from "fast-check";

/** The JSON Schema keywords the platform's OpenAPI document uses. */
export interface JsonSchema {
  $ref?: string;
  type?: SchemaType | SchemaType[];
  nullable?: boolean;
  enum?: ReadonlyArray<string | number | boolean | null>;
  const?: string | number | boolean | null;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

export type SchemaType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null";

/** JSON text spliced verbatim into a document (for nesting deeper than a recursive serializer can go). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | number | string | RawJson | Json[] | { [key: string]: Json };

/** Where in a request a value goes, as the API's problems name it (`FieldError.location`). */
export type Location = "body" | "query" | "path" | "header";

/** A value with one defect, and where it is. */
export interface Mutant {
  /** The value; `undefined` when the defect is that a required value is missing. */
  value: Json | undefined;
  /** The defect's place: property names and array indexes from the schema's root. */
  path: Array<string | number>;
  /** What was done, for the counterexample report (`wrong-type`, `missing-required`, ...). */
  kind: string;
  /** Whether the schema must refuse the value; otherwise it is hostile but may be valid. */
  strong: boolean;
}

export interface GenOptions {
  /** Resolves `#/components/schemas/Name` references. */
  components?: Record<string, JsonSchema>;
  /** Longest string a valid value gets beyond `minLength` (bounds still apply). */
  maxStringLength?: number;
  /** Most items a valid array gets beyond `minItems`. */
  maxArrayLength?: number;
  /** Characters of the huge-string mutation (1 MiB by default). */
  hugeStringLength?: number;
  /** Levels of the deep-nesting mutation (10,000 by default). */
  nestingDepth?: number;
}

const DEFAULTS = {
  maxStringLength: 24,
  maxArrayLength: 3,
  hugeStringLength: 1 << 20,
  nestingDepth: 10_000,
} as const;

type Options = Required<Omit<GenOptions, "components">> & { components: Record<string, JsonSchema> };

function options(opts: GenOptions): Options {
  return { ...DEFAULTS, components: {}, ...opts };
}

/** Follows `$ref` (only into `#/components/schemas/`, as the document uses). */
export function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name === undefined ? undefined : components[name];
    if (target === undefined || hops > 32) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** The types a schema allows; null when it allows any (no `type`, no `enum`, no union). */
export function allowedTypes(schema: JsonSchema, components: Record<string, JsonSchema>): Set<SchemaType> | null {
  const s = resolve(schema, components);
  const union = s.anyOf ?? s.oneOf;
  if (union !== undefined) {
    const all = new Set<SchemaType>();
    for (const branch of union) {
      const types = allowedTypes(branch, components);
      if (types === null) return null;
      for (const t of types) all.add(t);
    }
    return all;
  }
  if (s.enum !== undefined || s.const !== undefined) {
    const values = s.enum ?? [s.const ?? null];
    return new Set(values.map(typeOfJson));
  }
  if (s.type === undefined) return null;
  const types = new Set<SchemaType>(Array.isArray(s.type) ? s.type : [s.type]);
  if (s.nullable === true) types.add("null");
  // JSON Schema: an integer is a number; a schema of `number` accepts integers too.
  if (types.has("number")) types.add("integer");
  return types;
}

function typeOfJson(value: string | number | boolean | null): SchemaType {
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value === "string" ? "string" : "boolean";
}

// ---- valid values -------------------------------------------------------------------------------

/** An arbitrary of values the schema accepts. */
export function validValue(schema: JsonSchema, opts: GenOptions = {}): fc.Arbitrary<Json> {
  return valid(schema, options(opts));
}

function valid(schema: JsonSchema, o: Options): fc.Arbitrary<Json> {
  const s = resolve(schema, o.components);
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union !== undefined) return fc.oneof(...union.map((branch) => valid(branch, o)));
  if (s.allOf !== undefined) throw new Error("allOf is not in the subset this generator covers");
  const types = s.type === undefined ? null : Array.isArray(s.type) ? s.type : [s.type];
  if (types === null) return anyJson();
  const arbs = types.map((t) => validOfType(t, s, o));
  if (s.nullable === true) arbs.push(fc.constant(null));
  return arbs.length === 1 && arbs[0] !== undefined ? arbs[0] : fc.oneof(...arbs);
}

function anyJson(): fc.Arbitrary<Json> {
  return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
}

function validOfType(type: SchemaType, s: JsonSchema, o: Options): fc.Arbitrary<Json> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: Math.ceil(Math.max(s.minimum ?? -(2 ** 31), (s.exclusiveMinimum ?? -Infinity) + 1)),
        max: Math.floor(Math.min(s.maximum ?? 2 ** 31 - 1, (s.exclusiveMaximum ?? Infinity) - 1)),
      });
    case "number":
      return fc.double({
        min: s.minimum ?? s.exclusiveMinimum ?? -1e9,
        max: s.maximum ?? s.exclusiveMaximum ?? 1e9,
        minExcluded: s.minimum === undefined && s.exclusiveMinimum !== undefined,
        maxExcluded: s.maximum === undefined && s.exclusiveMaximum !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      return validString(s, o);
    case "array": {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? Number.MAX_SAFE_INTEGER, min + o.maxArrayLength);
      return fc.array(s.items === undefined ? anyJson() : valid(s.items, o), { minLength: min, maxLength: max });
    }
    case "object":
      return validObject(s, o);
  }
}

/** RFC 3339 date-times with an offset (`Z`), as zod's `datetime({ offset: true })` takes them. */
const dateTime = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

function validString(s: JsonSchema, o: Options): fc.Arbitrary<Json> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Number.MAX_SAFE_INTEGER;
  switch (s.format) {
    case "uuid":
      return fc.uuid({ version: 4 });
    case "date-time":
      return dateTime;
    case "email":
      return fc.emailAddress().filter((e) => e.length >= min && e.length <= max);
    case "uri":
      return fc.webUrl().filter((u) => u.length >= min && u.length <= max);
    default:
      break;
  }
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern, "u");
    return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= max);
  }
  const small = fc.string({ minLength: min, maxLength: Math.min(max, min + o.maxStringLength), unit: "grapheme" });
  // Code units, as zod counts them (JSON Schema counts code points; ASCII makes both agree).
  const small16 = small.filter((v) => v.length >= min && v.length <= max);
  if (s.maxLength === undefined) return small16;
  // The longest value the bound allows, where off-by-one errors live.
  const longest = fc.string({ minLength: max, maxLength: max, unit: fc.constantFrom("a", "Z", "0", "-", " ") });
  return fc.oneof({ arbitrary: small16, weight: 4 }, { arbitrary: longest, weight: 1 });
}

function validObject(s: JsonSchema, o: Options): fc.Arbitrary<Json> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const shape: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, child] of Object.entries(props)) shape[key] = valid(child, o);
  const known = fc.record(shape, { requiredKeys: [...required].filter((k) => k in props) });
  const extra = s.additionalProperties;
  if (extra === undefined || extra === false || Object.keys(props).length > 0) return known as fc.Arbitrary<Json>;
  // A map (`additionalProperties` with a schema, or `{}` for any value): a few entries.
  const valueArb = extra === true ? anyJson() : valid(extra, o);
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 16 }), valueArb, { maxKeys: 3 }) as fc.Arbitrary<Json>;
}

// ---- mutated values -----------------------------------------------------------------------------

/**
 * Strings that break naive code: NUL and other controls, lone and reversed surrogates, bidi
 * overrides, combining marks, NaN-ish and overflowing number text, prototype keys, SQL and path
 * traversal, percent-escapes.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0000".repeat(64),
  "\ud800",
  "\udc00\ud800",
  "a\udfffb",
  "\u202e\u2066rtl",
  "e\u0301\u0301\u0301\u0301",
  "\ufeff",
  "\uffff\ufffe",
  "😀".repeat(40),
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e309",
  "0x10",
  "9".repeat(400),
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "'; select pg_sleep(10); --",
  "../../../../etc/passwd",
  "%00",
  "%ZZ",
  "\r\nX-Injected: 1",
  "<script>alert(1)</script>",
];

/** Numbers at and past the edges of IEEE 754 doubles and of 32/64-bit integers. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -(2 ** 63),
  2 ** 64,
  0.1,
  1e-7,
];

/** `[[[ ... ]]]` nested `depth` levels, as raw JSON text. */
export function deeplyNested(depth: number): RawJson {
  return new RawJson(`${"[".repeat(depth)}${"]".repeat(depth)}`);
}

/** A value of a type the schema does not allow; null when it allows every type. */
function wrongType(schema: JsonSchema, o: Options): fc.Arbitrary<Json> | null {
  const allowed = allowedTypes(schema, o.components);
  if (allowed === null) return null;
  const candidates: Array<[SchemaType, Json]> = [
    ["string", "not-the-right-type"],
    ["integer", 42],
    ["number", 4.5],
    ["boolean", true],
    ["null", null],
    ["array", ["x"]],
    ["object", { x: 1 }],
  ];
  const wrong = candidates.filter(([t]) => !allowed.has(t) && !(t === "integer" && allowed.has("number")));
  return wrong.length === 0 ? null : fc.constantFrom(...wrong.map(([, v]) => v));
}

/** Values one past a bound of the schema (length, range, size), enum misses and broken formats. */
function boundaryMisses(s: JsonSchema, o: Options): Array<fc.Arbitrary<Json>> {
  const out: Array<fc.Arbitrary<Json>> = [];
  const types = allowedTypes(s, o.components);
  if (s.enum !== undefined) {
    const members = new Set<unknown>(s.enum);
    out.push(fc.constantFrom("not-a-member", "", "ACTIVE", " active").filter((v) => !members.has(v)));
  }
  const isString = types?.has("string") === true && s.enum === undefined;
  if (isString && s.maxLength !== undefined) out.push(fc.constant("x".repeat(s.maxLength + 1)));
  if (isString && s.minLength !== undefined && s.minLength > 0) out.push(fc.constant("x".repeat(s.minLength - 1)));
  if (isString && s.format === "uuid") {
    out.push(
      fc.constantFrom(
        "not-a-uuid",
        "4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4",
        "4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4eX",
        "{4a1f3c52-2b7e-4c1a-9f6d-0e8b7a6c5d4e}",
        "4a1f3c522b7e4c1a9f6d0e8b7a6c5d4e",
        "gggggggg-gggg-4ggg-8ggg-gggggggggggg",
      ),
    );
  }
  if (isString && s.format === "date-time") {
    out.push(
      fc.constantFrom("not-a-date", "2026-13-45T25:61:61Z", "2026-02-30T00:00:00Z", "yesterday", "1e10", "T00:00:00Z"),
    );
  }
  if (isString && s.format === "email") out.push(fc.constantFrom("no-at-sign", "@example.org", "a@", "a b@c.d"));
  if (isString && s.format === "uri") out.push(fc.constantFrom("not a uri", "://x", "http//x"));
  if (isString && s.pattern !== undefined && s.format === undefined) {
    const re = new RegExp(s.pattern, "u");
    const misses = ["", "UPPER CASE!", "-leading", "a/b", "ü", "x".repeat(300)].filter((v) => !re.test(v));
    if (misses.length > 0) out.push(fc.constantFrom(...misses));
  }
  const isInteger = types?.has("integer") === true && !types.has("number") && s.enum === undefined;
  const isNumber = (isInteger || types?.has("number") === true) && s.enum === undefined;
  if (isNumber && s.maximum !== undefined) out.push(fc.constant(s.maximum + 1));
  if (isNumber && s.minimum !== undefined) out.push(fc.constant(s.minimum - 1));
  if (isInteger) out.push(fc.constantFrom(1.5, 2 ** 53 + 2, 1e308, -1e308));
  if (types?.has("array") === true && s.maxItems !== undefined) {
    const item: Json = s.items === undefined ? 1 : firstValid(s.items, o);
    out.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => item)));
  }
  if (types?.has("array") === true && s.minItems !== undefined && s.minItems > 0) out.push(fc.constant([]));
  return out;
}

/** A fixed valid value of a schema (its first enum member, example-like), for filling arrays. */
function firstValid(schema: JsonSchema, o: Options): Json {
  const [value] = fc.sample(valid(schema, o), { numRuns: 1, seed: 1 });
  return value ?? null;
}

/** Huge values are made once and shared by every node's arbitrary (one per schema node would be megabytes each). */
const HUGE = new Map<string, Json>();
function huge(key: string, make: () => Json): Json {
  let value = HUGE.get(key);
  if (value === undefined) {
    value = make();
    HUGE.set(key, value);
  }
  return value;
}

/** Hostile values for a node: they may be valid, but must never make the server fail. */
function hostile(o: Options): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constant(huge(`s${o.hugeStringLength}`, () => "x".repeat(o.hugeStringLength))),
    fc.constant(huge(`n${o.nestingDepth}`, () => deeplyNested(o.nestingDepth))),
    fc.constant(huge("a100000", () => Array.from({ length: 100_000 }, (): Json => 0))),
    fc.constant({ ["__proto__"]: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    fc.string({ unit: "binary", maxLength: 64 }),
  );
}

/**
 * An arbitrary of values of the schema with one defect, at the root or at any member or item below it.
 *
 * @example
 * fc.sample(mutatedValue({ type: "object", properties: { n: { type: "integer", maximum: 3 } } }), 3)
 * // e.g. { value: { n: 4 }, path: ["n"], kind: "boundary", strong: true }
 */
export function mutatedValue(schema: JsonSchema, opts: GenOptions = {}): fc.Arbitrary<Mutant> {
  return mutated(schema, options(opts), 0);
}

/** How deep into nested schemas mutations descend (the document nests four levels at most). */
const MAX_MUTATION_DEPTH = 6;

function mutated(schema: JsonSchema, o: Options, depth: number): fc.Arbitrary<Mutant> {
  const s = resolve(schema, o.components);
  const here: Array<fc.Arbitrary<Mutant>> = [];
  const wrong = wrongType(s, o);
  if (wrong !== null) here.push(wrong.map((value) => ({ value, path: [], kind: "wrong-type", strong: true })));
  for (const miss of boundaryMisses(s, o)) {
    here.push(miss.map((value) => ({ value, path: [], kind: "boundary", strong: true })));
  }
  here.push(hostile(o).map((value) => ({ value, path: [], kind: "hostile", strong: false })));
  const below = depth < MAX_MUTATION_DEPTH ? childMutations(s, o, depth) : [];
  const arbs = [...here, ...below];
  const [first, ...rest] = arbs;
  if (first === undefined) throw new Error("no mutation for schema");
  return rest.length === 0 ? first : fc.oneof(first, ...rest);
}

/** Mutations inside an object's members, an array's items, or a union's branches. */
function childMutations(s: JsonSchema, o: Options, depth: number): Array<fc.Arbitrary<Mutant>> {
  const out: Array<fc.Arbitrary<Mutant>> = [];
  const union = s.anyOf ?? s.oneOf;
  if (union !== undefined) {
    // A defect inside one branch may still match another branch: hostile only, never strong.
    for (const branch of union) {
      out.push(mutated(branch, o, depth + 1).map((m) => ({ ...m, strong: false })));
    }
    return out;
  }
  const types = allowedTypes(s, o.components);
  if (types?.has("object") === true && s.properties !== undefined) {
    const base = validObject(s, o) as fc.Arbitrary<{ [key: string]: Json }>;
    const required = s.required ?? [];
    for (const [key, child] of Object.entries(s.properties)) {
      out.push(
        fc.tuple(base, mutated(child, o, depth + 1)).map(([object, m]) => ({
          ...m,
          value: withMember(object, key, m.value),
          path: [key, ...m.path],
          // A missing optional member is fine.
          strong: m.strong && (m.value !== undefined || required.includes(key)),
        })),
      );
      if (required.includes(key)) {
        out.push(
          base.map((object) => ({
            value: withMember(object, key, undefined),
            path: [key],
            kind: "missing-required",
            strong: true,
          })),
        );
      }
    }
    // An unknown member: refused by a closed object, ignored (or kept, for a map) by an open one.
    out.push(
      fc
        .tuple(base, fc.constantFrom("unexpected", "__proto__", "constructor", "x".repeat(300)))
        .map(([object, key]) => ({
          value: { ...object, [key]: "extra" },
          path: [key],
          kind: "extra-member",
          strong: s.additionalProperties === false && key !== "__proto__",
        })),
    );
  }
  if (types?.has("array") === true && s.items !== undefined) {
    const item = s.items;
    const minItems = Math.max(1, s.minItems ?? 0);
    const base = fc.array(valid(item, o), { minLength: minItems - 1, maxLength: minItems - 1 });
    out.push(
      fc.tuple(base, mutated(item, o, depth + 1)).map(([items, m]) => ({
        ...m,
        value: m.value === undefined ? items : [...items, m.value],
        path: [items.length, ...m.path],
      })),
    );
  }
  return out;
}

/** A copy of the object with `key` set, or removed when `value` is undefined. */
function withMember(object: { [key: string]: Json }, key: string, value: Json | undefined): { [key: string]: Json } {
  // defineProperty, not assignment: a member named `__proto__` stays an own member (as JSON.parse makes it).
  const copy: { [key: string]: Json } = {};
  const define = (k: string, v: Json) =>
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(object)) if (k !== key) define(k, v);
  if (value !== undefined) define(key, value);
  return copy;
}

// ---- parameters -----------------------------------------------------------------------------------

/** Printable ASCII only: what a header value can carry (RFC 9110 §5.5, and fetch's `Headers` refuses the rest). */
const HEADER_SAFE = /^[\x20-\x7e]*$/;

/**
 * An arbitrary of defective values for a path, query or header parameter, as text (every parameter
 * arrives as text, so a wrong JSON type is no defect there): bounds one past, enum misses, broken
 * formats, non-numbers for numbers (strong); hostile and huge text (weak). Header values stay
 * printable ASCII.
 */
export function mutatedParam(schema: JsonSchema, location: Location, opts: GenOptions = {}): fc.Arbitrary<Mutant> {
  const o = options(opts);
  const s = resolve(schema, o.components);
  const types = allowedTypes(s, o.components);
  const arbs: Array<fc.Arbitrary<Mutant>> = boundaryMisses(s, o).map((miss) =>
    miss
      .filter((v): v is string | number => typeof v === "string" || typeof v === "number")
      .map((v) => ({ value: String(v), path: [], kind: "boundary", strong: true })),
  );
  if (types !== null && !types.has("string") && (types.has("integer") || types.has("number"))) {
    arbs.push(
      fc.constantFrom("not-a-number", "1.5x", "0x", "true").map((value) => ({
        value,
        path: [],
        kind: "not-a-number",
        strong: true,
      })),
    );
    arbs.push(
      fc.constantFrom("", " 1 ", "1e3", "-0", "NaN", "Infinity", "1e309", "9".repeat(400)).map((value) => ({
        value,
        path: [],
        kind: "number-text",
        strong: false,
      })),
    );
  }
  const weak = fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constant("x".repeat(Math.min(o.hugeStringLength, 1 << 16))),
    fc.string({ unit: "binary", maxLength: 32 }),
  );
  arbs.push(weak.map((value) => ({ value, path: [], kind: "hostile", strong: false })));
  const all = location === "header" ? arbs.map((a) => a.filter((m) => HEADER_SAFE.test(String(m.value)))) : arbs;
  const [first, ...rest] = all;
  if (first === undefined) throw new Error("no mutation for parameter");
  return fc.oneof(first, ...rest);
}

// ---- serialization ------------------------------------------------------------------------------

/**
 * JSON text of a value, with `RawJson` spliced in verbatim. Well-formed (ES2019 JSON.stringify):
 * lone surrogates become `\uD800` escapes; `-0` becomes `0`.
 */
export function toJsonText(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A value as a query, path or form parameter: strings as they are, everything else as JSON text. */
export function toParamText(value: Json): string {
  return typeof value === "string" ? value : toJsonText(value);
}

/** RFC 6901 JSON Pointer of a path (`~` as `~0`, `/` as `~1`), as problem.ts writes it. */
export function toPointer(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
