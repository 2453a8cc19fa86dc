/**
 * The JSON Schema → fast-check generator, checked against zod itself: schemas shaped like the API's
 * request bodies are turned into JSON Schema by zod (`z.toJSONSchema`, the form the OpenAPI document
 * carries), and then every valid value must parse, and every strong mutant must fail with an issue at
 * (or above) the place the mutant says it broke.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  allowedTypes,
  deeplyNested,
  type Json,
  type JsonSchema,
  mutatedParam,
  mutatedValue,
  RawJson,
  resolve,
  toJsonText,
  toPointer,
  validValue,
} from "./schema-arbitrary";

const Observation = z
  .object({
    variable: z.union([z.uuid(), z.object({ system: z.string().min(1).max(256), code: z.string().min(1).max(128) })]),
    value: z.union([z.number(), z.string().max(100), z.boolean()]),
    unit: z.string().min(1).max(64).optional(),
    start_at: z.iso.datetime({ offset: true }),
    source: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
      .optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const samples: Array<[string, z.ZodType]> = [
  ["an ingest batch", z.object({ observations: z.array(Observation).min(1).max(5) }).strict()],
  [
    "retention settings",
    z
      .object({
        raw_files_days: z.number().int().min(1).max(36525).nullable(),
        access_log_days: z.number().int().min(1).max(36525).nullable(),
      })
      .strict(),
  ],
  [
    "a consent",
    z
      .object({
        grantee: z.object({ type: z.enum(["user", "client"]), id: z.string().min(1).max(200) }).strict(),
        actions: z
          .array(z.enum(["read", "write"]))
          .min(1)
          .max(2),
        purpose: z.string().min(1).max(500).optional(),
      })
      .strict(),
  ],
  ["an open object", z.object({ code: z.string().regex(/^\d{6}$/) })],
];

/** A smaller huge string and nesting than the fuzzer's, so these checks stay quick. */
const opts = { hugeStringLength: 4096, nestingDepth: 200 };

/** A value as the server sees it: parsed back from its JSON text. */
function roundTrip(value: Json): unknown {
  return JSON.parse(toJsonText(value));
}

function related(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

describe.each(samples)("JSON Schema of %s", (_name, schema) => {
  const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

  it("valid values are accepted by the schema", () => {
    fc.assert(
      fc.property(validValue(json, opts), (value) => {
        const result = schema.safeParse(roundTrip(value));
        expect(result.error?.issues ?? []).toEqual([]);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it("strong mutants are refused with an issue at the mutated place", () => {
    fc.assert(
      fc.property(mutatedValue(json, opts), (m) => {
        if (!m.strong) return;
        const result = schema.safeParse(roundTrip(m.value ?? null));
        expect(result.success).toBe(false);
        const pointers = (result.error?.issues ?? []).map((i) => toPointer(i.path.map((p) => String(p))));
        expect(pointers.some((p) => related(p, toPointer(m.path)))).toBe(true);
      }),
      { seed: 2, numRuns: 300 },
    );
  });

  it("mutants cover wrong types, missing members, bounds and hostile values", () => {
    const kinds = new Set(fc.sample(mutatedValue(json, opts), { seed: 3, numRuns: 400 }).map((m) => m.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(["wrong-type", "missing-required", "boundary", "hostile"]));
  });
});

describe("parameters", () => {
  it("a strong mutant of an integer parameter is refused by its coercing schema", () => {
    const schema = z.coerce.number().int().min(1).max(200);
    const json = z.toJSONSchema(z.number().int().min(1).max(200)) as JsonSchema;
    fc.assert(
      fc.property(mutatedParam(json, "query", opts), (m) => {
        if (m.strong) expect(schema.safeParse(m.value).success).toBe(false);
        expect(typeof m.value).toBe("string");
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  it("a header parameter's mutants stay printable ASCII (RFC 9110 §5.5)", () => {
    const json: JsonSchema = { type: "string", minLength: 1, maxLength: 255 };
    for (const m of fc.sample(mutatedParam(json, "header", opts), { seed: 5, numRuns: 300 })) {
      expect(String(m.value)).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe("building blocks", () => {
  it("deep nesting is spliced as text, never built as a value", () => {
    const text = toJsonText({ a: [deeplyNested(10_000)] });
    expect(text.length).toBe(20_000 + '{"a":[]}'.length);
    expect(text.startsWith('{"a":[[[')).toBe(true);
  });

  it("lone surrogates and NUL serialize as JSON escapes (ES2019 well-formed JSON.stringify)", () => {
    expect(toJsonText(["\ud800", "\u0000"])).toBe('["\\ud800","\\u0000"]');
  });

  it("resolves $ref into components and reports the types a union allows", () => {
    const components: Record<string, JsonSchema> = { Id: { type: "string", format: "uuid" } };
    const schema: JsonSchema = { anyOf: [{ $ref: "#/components/schemas/Id" }, { type: ["integer", "null"] }] };
    expect(resolve({ $ref: "#/components/schemas/Id" }, components)).toEqual(components.Id);
    expect([...(allowedTypes(schema, components) ?? [])].sort()).toEqual(["integer", "null", "string"]);
  });

  it("RFC 6901 pointers escape ~ and /", () => {
    expect(toPointer(["a/b", "c~d", 0])).toBe("/a~1b/c~0d/0");
    expect(new RawJson("[]").text).toBe("[]");
  });
});
