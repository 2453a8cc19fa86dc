/**
 * The streaming JSON parser against the whole-document parser (../fhir/json.ts): the same values, the
 * same duplicate-key reports, the same syntax errors at the same line and column, wherever the chunk
 * boundaries fall (every byte of a document with escapes, surrogate pairs, multi-byte UTF-8, numbers,
 * a byte-order mark), and streamed items handed over with only one item held.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson } from "../fhir/json";
import { type JsonPath, JsonStreamParser } from "./json-stream";
import { JsonSyntaxError, type JsonValue } from "./json-value";
import { decodeText } from "./stream";

const encoder = new TextEncoder();

/** Parses byte chunks as the FHIR mapper does (UTF-8 decoding, BOM dropped); arrays at `stream` paths are handed over. */
async function parseChunks(
  chunks: Uint8Array[],
  stream: (path: JsonPath) => boolean = () => false,
): Promise<{
  value: JsonValue | undefined;
  duplicates: unknown[];
  items: Array<[JsonPath, JsonValue]>;
  parser: JsonStreamParser;
}> {
  const items: Array<[JsonPath, JsonValue]> = [];
  const parser = new JsonStreamParser({
    streamArray: (path) => stream(path),
    item: (value, path) => items.push([path, value]),
  });
  async function* source() {
    yield* chunks;
  }
  for await (const text of decodeText(source())) parser.write(text);
  const value = parser.end();
  return { value, duplicates: parser.takeDuplicateKeys(), items, parser };
}

/** The whole-document parser's answer: the value and duplicates, or the syntax error's reason, line and column. */
function whole(text: string): unknown {
  try {
    const parsed = parseJson(text.startsWith("\uFEFF") ? text.slice(1) : text);
    return { value: parsed.value, duplicates: parsed.duplicateKeys };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return [error.reason, error.line, error.column, error.offset];
    throw error;
  }
}

async function streamed(chunks: Uint8Array[]): Promise<unknown> {
  try {
    const { value, duplicates } = await parseChunks(chunks);
    return value === undefined ? "empty" : { value, duplicates };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return [error.reason, error.line, error.column, error.offset];
    throw error;
  }
}

function split(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...at].sort((a, b) => a - b)) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

const DOCUMENT = `\uFEFF{
  "resourceType": "Observation",
  "text": {"div": "caf\\u00e9 \\uD83D\\uDE00 ☕ 😀 tab\\t quote\\" slash\\/ back\\\\ \\b\\f\\n\\r"},
  "valueQuantity": {"value": 1.000000000000000000E-24, "big": 12345678901234567890.50, "neg": -0.0e+0},
  "list": [true, false, null, 0, -1, [], {}, [[]], ""],
  "dup": 1, "dup": "two",
  "__proto__": {"x": 1}
}
`;

describe("JsonStreamParser", () => {
  it("gives the whole-document parser's value with a chunk boundary at every byte", async () => {
    const bytes = encoder.encode(DOCUMENT);
    const expected = whole(DOCUMENT);
    expect(expected).toMatchObject({ duplicates: [{ key: "dup", line: 6 }] });
    for (let at = 0; at <= bytes.length; at++) {
      expect(await streamed(split(bytes, [at])), `split at byte ${at}`).toEqual(expected);
    }
    // Byte by byte: every state crosses a boundary.
    const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(await streamed(single)).toEqual(expected);
  });

  it("keeps `__proto__` as data and numbers as written", async () => {
    const { value } = await parseChunks([encoder.encode('{"__proto__": {"polluted": true}, "n": [1.50, -0]}')]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"n":[{"source":"1.50"},{"source":"-0"}]}');
  });

  it("reports the same syntax errors at the same place, however the text is cut", async () => {
    const broken = [
      "",
      "   ",
      '{"a": 1',
      '{"a" 1}',
      '{"a": 1,}',
      "[1, 2",
      "[01]",
      "01",
      "1.",
      "-",
      "-a",
      "[1.e5]",
      "+1",
      "tru",
      "[truex]",
      "nul",
      '"abc',
      '"ab\\',
      '"ab\\u12',
      '"ab\\u12x4"',
      '"ab\\q"',
      '"line\nbreak"',
      '{"a": 1} trailing',
      '{"a": 1}\n{"b": 2}',
      "\u0000\u0001binary",
      "[".repeat(600),
      `${"[".repeat(512)}${"]".repeat(512)}`,
      '{\n  "a": [1,\n    2,\n    #\n  ]\n}',
      "{1: 2}",
      "[,]",
      "{,}",
      '{"a":}',
    ];
    for (const text of broken) {
      const bytes = encoder.encode(text);
      const expected = text.trim() === "" ? "empty" : whole(text);
      for (const at of [0, 1, Math.floor(bytes.length / 2), bytes.length - 1, bytes.length]) {
        if (at < 0 || at > bytes.length) continue;
        expect(await streamed(split(bytes, [at])), `${JSON.stringify(text.slice(0, 40))} cut at ${at}`).toEqual(
          expected,
        );
      }
    }
  });

  it("property: any JSON text, with any whitespace and any chunking, parses as the whole-document parser parses it", async () => {
    const spaced = fc
      .tuple(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, "\t", " \r\n "))
      .map(([v, space]) => JSON.stringify(v, null, space as string | number | undefined) ?? "null");
    await fc.assert(
      fc.asyncProperty(spaced, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
        const bytes = encoder.encode(text);
        const at = cuts.map((c) => c % (bytes.length + 1));
        expect(await streamed(split(bytes, at))).toEqual(whole(text));
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it("property: a JSON text with one character changed fails (or parses) exactly as the whole-document parser", async () => {
    const mutated = fc
      .tuple(
        fc.jsonValue().map((v) => JSON.stringify(v, null, 1) ?? "null"),
        fc.nat(),
        fc.constantFrom(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          '"',
          "\\",
          "u",
          "1",
          "-",
          ".",
          "e",
          "t",
          "\n",
          "\u0001",
          "x",
          "é",
        ),
      )
      .map(([text, at, c]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + c + text.slice(i + 1);
      });
    await fc.assert(
      fc.asyncProperty(mutated, fc.array(fc.nat(), { maxLength: 4 }), async (text, cuts) => {
        const bytes = encoder.encode(text);
        const expected = text.trim() === "" ? "empty" : whole(text);
        expect(
          await streamed(
            split(
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
          ),
        ).toEqual(expected);
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  it("hands over streamed items in order, leaves their array empty, and holds one item at a time", async () => {
    const entry = (i: number) => ({
      fullUrl: `urn:uuid:${i}`,
      resource: { resourceType: "Observation", id: `o${i}`, pad: "x".repeat(1000) },
    });
    const entries = Array.from({ length: 200 }, (_, i) => entry(i));
    const text = JSON.stringify({ resourceType: "Bundle", entry: entries, type: "collection" });
    const bytes = encoder.encode(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) =>
      bytes.subarray(i * 4096, (i + 1) * 4096),
    );
    const { value, items, parser } = await parseChunks(chunks, (path) => path.length === 1 && path[0] === "entry");
    expect(value).toEqual(parseJson(JSON.stringify({ resourceType: "Bundle", entry: [], type: "collection" })).value);
    expect(items.map(([path]) => path)).toEqual(entries.map((_, i) => ["entry", i]));
    expect(items.map(([, v]) => v)).toEqual(entries.map((e) => parseJson(JSON.stringify(e)).value));
    const largest = JSON.stringify(entry(199)).length;
    // The Bundle's own members, one entry and at most one chunk of what follows it.
    expect(parser.maxHeldChars).toBeLessThanOrEqual(largest + 4096 + 64);
    expect(parser.maxHeldChars).toBeGreaterThanOrEqual(largest);
  });

  it("streams nested arrays (a Bundle inside an entry), counting each character once", async () => {
    const inner = { resourceType: "Bundle", entry: [{ resource: { id: "a" } }, { resource: { id: "b" } }] };
    const text = JSON.stringify({ entry: [{ resource: inner }, { resource: { id: "c" } }] });
    const isEntry = (path: JsonPath) =>
      path.length % 3 === 1 &&
      path.every((p, i) => (i % 3 === 0 ? p === "entry" : i % 3 === 1 ? typeof p === "number" : p === "resource"));
    const { items, parser } = await parseChunks([encoder.encode(text)], isEntry);
    expect(items.map(([path]) => path.join("/"))).toEqual([
      "entry/0/resource/entry/0",
      "entry/0/resource/entry/1",
      "entry/0",
      "entry/1",
    ]);
    expect(items[2]?.[1]).toEqual({ resource: { resourceType: "Bundle", entry: [] } });
    expect(parser.heldChars).toBe(0);
  });

  it("stops with the caller's error once the value being built holds more than the limit", async () => {
    const parser = new JsonStreamParser(
      { streamArray: (path) => path[0] === "entry" && path.length === 1, item: () => {} },
      { maxHeldChars: 100, tooLarge: (path, held) => new RangeError(`${path.join("/")} ${held}`) },
    );
    parser.write(`{"entry": [${'"x",'.repeat(1000)}`);
    expect(() => parser.write(`{"big": "${"y".repeat(200)}"}]}`)).toThrow(/^entry\/1000 2\d\d$/);
  });
});

describe("JsonStreamParser: streamed objects and open containers", () => {
  it("hands over a streamed object's members one by one, holding one member at a time", async () => {
    const members = Array.from({ length: 300 }, (_, i) => [`t/obs:${i}/v|magnitude`, i] as const);
    const text = JSON.stringify({ a: { b: Object.fromEntries(members) }, z: [1, { y: 2 }] });
    const got: Array<[string, JsonValue, JsonPath]> = [];
    const parser = new JsonStreamParser({
      streamArray: () => false,
      streamObject: (path) => path.join("/") === "a/b",
      item: () => {},
      member: (name, value, path) => got.push([name, value, path]),
    });
    const bytes = encoder.encode(text);
    for (let i = 0; i < bytes.length; i += 64) parser.write(new TextDecoder().decode(bytes.subarray(i, i + 64)));
    const value = parser.end();
    expect(value).toEqual(parseJson(JSON.stringify({ a: { b: {} }, z: [1, { y: 2 }] })).value);
    expect(got.map(([name]) => name)).toEqual(members.map(([name]) => name));
    expect(got.map(([, v]) => v)).toEqual(members.map(([, v]) => parseJson(String(v)).value));
    expect(got[5]?.[2]).toEqual(["a", "b", members[5]?.[0]]);
    expect(parser.maxHeldChars).toBeLessThanOrEqual(64 + 40);
  });

  it("lists the containers being built with where their open child is read", () => {
    const parser = new JsonStreamParser({ streamArray: (path) => path.join("/") === "body/list", item: () => {} });
    parser.write('{"status": 0, "body": {"tz": "UTC", "list": [{"a": 1}, {"b": [1, {"c": ');
    const open = parser.openContainers();
    expect(open.map((o) => [o.at, o.streamed])).toEqual([
      ["body", false],
      ["list", false],
      [1, true],
      ["b", false],
      [1, false],
      ["c", false],
    ]);
    expect(open[0]?.container).toEqual({ status: parseJson("0").value });
  });
});
