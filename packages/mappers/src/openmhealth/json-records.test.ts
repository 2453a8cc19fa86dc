import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_CHARS, UnreadableFileError } from "../util/limits";
import { collect, fromBytes } from "../util/stream";
import { openmhealthMapper } from "./index";
import { type JsonRecordsStats, jsonRecords } from "./json-records";

const encode = (text: string) => new TextEncoder().encode(text);

function point(i: number, pad = 0): Record<string, unknown> {
  return {
    header: {
      id: `p${i}`,
      creation_date_time: "2026-01-01T00:00:00Z",
      schema_id: { namespace: "omh", name: "heart-rate", version: "2.0" },
      ...(pad > 0 ? { notes: "x".repeat(pad) } : {}),
    },
    body: {
      heart_rate: { value: 60 + (i % 40), unit: "beats/min" },
      effective_time_frame: { date_time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() },
    },
  };
}

/** Records, or the error that stopped them, with -0 told from 0. */
async function records(bytes: Uint8Array, chunkSize?: number): Promise<string> {
  try {
    const out = await collect(jsonRecords(fromBytes(bytes, chunkSize)));
    return JSON.stringify(out, (_k, v) => (Object.is(v, -0) ? "-0" : v));
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe("jsonRecords: an array document streamed item by item", () => {
  it("gives the same records whatever the chunk boundaries, as JSON.parse gives", async () => {
    const text = `\uFEFF \r\n[\n${[
      JSON.stringify(point(0), null, 2),
      '{"a": "\\u00e9\\uD83D\\uDE00\\"\\\\\\n", "n": [0, -0, 1.5e3, -12.25E-2, 123456789012345678901234567890], "t": [true, false, null]}',
      '{"__proto__": {"x": 1}, "k": 1, "k": 2, "2": "two", "1": "one"}',
      JSON.stringify(point(1)),
      "[]",
      "7",
      '"é😀"',
    ].join(",\r\n")}\n]\n`;
    const whole = await records(encode(text));
    const parsed = JSON.parse(text.slice(1)) as unknown[];
    expect(whole).toBe(
      JSON.stringify(
        parsed.map((value, i) => ({ kind: "record", value, location: `$[${i}]`, ndjson: false })),
        (_k, v) => (Object.is(v, -0) ? "-0" : v),
      ),
    );
    const proto = (JSON.parse(whole) as Array<{ value: Record<string, unknown> }>)[2]?.value;
    expect(Object.keys(proto ?? {})).toEqual(["1", "2", "__proto__", "k"]);
    expect(await records(encode(text), 1)).toBe(whole);
    expect(await records(encode(text), 7)).toBe(whole);
  });

  it("maps an array larger than MAX_DOCUMENT_CHARS fully, holding one data point and one chunk at most", async () => {
    const chunkSize = 64 * 1024;
    const items: string[] = [];
    let largest = 0;
    let total = 0;
    for (let i = 0; total <= MAX_DOCUMENT_CHARS + 1024 * 1024; i++) {
      const item = JSON.stringify(point(i, i % 1000 === 0 ? 200_000 : 0));
      largest = Math.max(largest, item.length);
      total += item.length + 2;
      items.push(item);
    }
    const count = items.length;
    const text = `[\n${items.join(",\n")}\n]\n`;
    items.length = 0;
    expect(text.length).toBeGreaterThan(MAX_DOCUMENT_CHARS);
    let stats: JsonRecordsStats | undefined;
    let seen = 0;
    let last = "";
    for await (const record of jsonRecords(fromBytes(encode(text), chunkSize), { onStats: (s) => (stats = s) })) {
      expect(record.kind).toBe("record");
      if (record.kind === "record") last = record.location;
      seen++;
    }
    expect(seen).toBe(count);
    expect(last).toBe(`$[${count - 1}]`);
    expect(stats?.items).toBe(count);
    expect(stats?.maxHeldChars).toBeGreaterThanOrEqual(largest);
    expect(stats?.maxHeldChars).toBeLessThan(largest + chunkSize);
  }, 60_000);

  it("refuses a truncated array whole once data points were passed on", async () => {
    const text = `[\n${[0, 1, 2].map((i) => JSON.stringify(point(i))).join(",\n")},\n{"header": {"id": "p3"`;
    const error = await collect(openmhealthMapper.map(fromBytes(encode(text), 64), { lookup: seedCatalog() })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).code).toBe("invalid_json");
    expect((error as UnreadableFileError).location).toBe("line 5");
    // A syntax error in the chunk that holds the first data points: nothing was passed on yet, so one
    // invalid_json issue, as for a document read whole.
    const broken = `[\n${JSON.stringify(point(0))},\n${JSON.stringify(point(1))} x\n]\n`;
    const events = await collect(openmhealthMapper.map(fromBytes(encode(broken)), { lookup: seedCatalog() }));
    expect(events.map((e) => (e.kind === "issue" ? [e.issue.code, e.issue.location] : e.kind))).toEqual([
      ["invalid_json", null],
    ]);
  });
});
