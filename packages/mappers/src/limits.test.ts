/**
 * Large inputs, generated as they are read (issue 12, "Unbounded memory"): formats that stream map a
 * file of any length, and a unit that must be held whole (a JSON document, an NDJSON line, an HL7 v2
 * message, a text line) is refused with the exact problem after reading no more than its limit.
 */
import type { MapEvent } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { appleHealthMapper, CORRELATION_WINDOW, CorrelationDedup, mapAppleHealth } from "./apple-health";
import { ccdaMapper } from "./ccda";
import { MAX_SECTION_TEMPLATE_IDS, MAX_SECTION_TITLE } from "./ccda/reader";
import { fhirMapper, LOOKAHEAD_CHARS, mapFhirStream, type StreamStats } from "./fhir";
import { hl7v2Mapper } from "./hl7v2";
import { openehrMapper } from "./openehr";
import { openmhealthMapper } from "./openmhealth";
import {
  InputTooLargeError,
  MAX_DISTINCT_NAMES,
  MAX_DOCUMENT_CHARS,
  MAX_XML_CHILD_ENTRIES,
  MAX_XML_DEPTH,
  MAX_XML_RUN_CHARS,
} from "./util/limits";
import { boundedRuns, collect, lines } from "./util/stream";
import { vendorJsonMapper } from "./vendors";

const lookup = seedCatalog();
const encoder = new TextEncoder();

/** Bytes produced so far by a generated source (what a mapper pulled). */
interface Meter {
  bytes: number;
  /** `piece` calls so far. */
  pieces?: number;
}

/** A source of `head`, then `piece(i)` for i = 0, 1 … until `total` bytes, then `tail`; pulled lazily. */
function generated(
  meter: Meter,
  total: number,
  head: string,
  piece: (i: number) => string,
  tail: string,
): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const first = encoder.encode(head);
      meter.bytes += first.byteLength;
      yield first;
      let batch: string[] = [];
      let batchChars = 0;
      for (let i = 0; meter.bytes + batchChars < total; i++) {
        const p = piece(i);
        meter.pieces = i + 1;
        batch.push(p);
        batchChars += p.length;
        if (batchChars >= 256 * 1024) {
          const bytes = encoder.encode(batch.join(""));
          meter.bytes += bytes.byteLength;
          batch = [];
          batchChars = 0;
          yield bytes;
        }
      }
      const last = encoder.encode(batch.join("") + tail);
      meter.bytes += last.byteLength;
      yield last;
    },
  };
}

/** An Observation with a narrative of `pad` characters (large lines, few rows). */
function observation(i: number, pad: number): string {
  return JSON.stringify({
    resourceType: "Observation",
    id: `o${i}`,
    status: "final",
    text: { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${"x".repeat(pad)}</div>` },
    code: { coding: [{ system: "http://loinc.org", code: "8867-4" }] },
    effectiveDateTime: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    valueQuantity: { value: 60 + (i % 40), unit: "/min", system: "http://unitsofmeasure.org", code: "/min" },
  });
}

async function refusal(events: AsyncIterable<MapEvent>): Promise<InputTooLargeError> {
  try {
    for await (const _ of events) {
      // mapped events are dropped: what matters is where the mapping stops
    }
  } catch (error) {
    if (error instanceof InputTooLargeError) return error;
    throw error;
  }
  throw new Error("the mapping was not refused");
}

const MB = 1024 * 1024;

describe("FHIR", () => {
  it("streams 80 MB of NDJSON, every line mapped", async () => {
    const meter: Meter = { bytes: 0 };
    const source = generated(meter, 80 * MB, "", (i) => `${observation(i, 100_000)}\n`, "");
    let observations = 0;
    for await (const event of fhirMapper.map(source, { lookup })) if (event.kind === "observation") observations += 1;
    expect(observations).toBe(meter.pieces);
    expect(meter.bytes).toBeGreaterThanOrEqual(80 * MB);
  }, 60_000);

  it("streams a 50 MB Bundle (entries before type, a nested Bundle) holding one entry and the window, never the file", async () => {
    const meter: Meter = { bytes: 0 };
    // Entries of different sizes: the largest one bounds what the parser holds.
    const entry = (i: number) =>
      `${i === 0 ? "" : ","}{"fullUrl": "urn:uuid:o${i}", "resource": ${observation(i, i % 97 === 0 ? 60_000 : 1_000)}}\n`;
    const source = generated(
      meter,
      50 * MB,
      `{"resourceType": "Bundle",\n "entry": [\n{"resource": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": ${observation(-1, 10)}}]}}\n`,
      (i) => entry(i).replace(/^,?/, ","),
      `], "type": "collection", "meta": {"lastUpdated": "2026-01-01T00:00:00Z"}}\n`,
    );
    let observations = 0;
    let stats: StreamStats | undefined;
    for await (const event of mapFhirStream(source, { lookup }, { onStats: (s) => (stats = s) })) {
      if (event.kind === "observation") observations += 1;
      else if (event.issue.severity !== "info") throw new Error(event.issue.message);
    }
    expect(meter.bytes).toBeGreaterThanOrEqual(50 * MB);
    expect(observations).toBe((meter.pieces ?? 0) + 1);
    const largestEntry = entry(0).length;
    // The parser held the entry being read and at most one chunk (256 KiB) of text around it.
    expect(stats?.maxHeldChars).toBeGreaterThanOrEqual(largestEntry - 2);
    expect(stats?.maxHeldChars).toBeLessThanOrEqual(largestEntry + 256 * 1024 + 1_000);
    // The window: its size and one entry.
    expect(stats?.maxWindowChars).toBeLessThanOrEqual(LOOKAHEAD_CHARS + largestEntry);
    expect(stats?.resources).toBe(observations);
  }, 120_000);

  it("refuses one Bundle entry larger than the limit after reading no more than it", async () => {
    const meter = { bytes: 0 };
    const source = generated(
      meter,
      200 * MB,
      `{"resourceType": "Bundle", "type": "collection",\n "entry": [\n{"resource": ${observation(0, 10)}},\n{"resource": {"resourceType": "Observation", "text": {"div": "`,
      () => "x".repeat(1_000),
      `"}}}]}\n`,
    );
    const error = await refusal(fhirMapper.map(source, { lookup }));
    expect([error.what, error.location]).toEqual(["The Bundle entry at $.entry[1]", "$.entry[1]"]);
    expect(error.message).toBe(
      `The Bundle entry at $.entry[1] is longer than ${MAX_DOCUMENT_CHARS.toLocaleString("en")} characters, the most this format is read in one piece; each entry of a Bundle is read whole.`,
    );
    expect(meter.bytes).toBeLessThan(MAX_DOCUMENT_CHARS + MB);
  });

  it("streams a minified Bundle on one line; refuses a single resource, and an NDJSON line, longer than the limit", async () => {
    const minified: Meter = { bytes: 0 };
    const oneLine = generated(
      minified,
      24 * MB,
      `{"resourceType":"Bundle","type":"collection","entry":[`,
      (i) => `${i === 0 ? "" : ","}{"resource":${observation(i, 1_000)}}`,
      "]}",
    );
    let observations = 0;
    for await (const event of fhirMapper.map(oneLine, { lookup })) if (event.kind === "observation") observations += 1;
    expect(observations).toBe(minified.pieces);

    const single = { bytes: 0 };
    const resource = generated(
      single,
      64 * MB,
      `{"resourceType": "Observation", "note": [`,
      () => `{"text": "${"y".repeat(1_000)}"},`,
      `{}]}`,
    );
    expect((await refusal(fhirMapper.map(resource, { lookup }))).what).toBe("The JSON document");
    expect(single.bytes).toBeLessThan(MAX_DOCUMENT_CHARS + MB);

    const meter = { bytes: 0 };
    const longLine = generated(
      meter,
      64 * MB,
      `${observation(0, 10)}\n${observation(1, 10)}\n{"x": "`,
      () => "y".repeat(1_000),
      `"}\n`,
    );
    const error = await refusal(fhirMapper.map(longLine, { lookup }));
    expect([error.what, error.location]).toEqual(["Line 3", "line 3"]);
  }, 60_000);
});

describe("vendor JSON and Open mHealth", () => {
  it("refuses a vendor response larger than the limit after reading no more than it", async () => {
    const meter = { bytes: 0 };
    const source = generated(
      meter,
      100 * MB,
      `{"activities-steps": [`,
      (i) => `${i === 0 ? "" : ","}{"dateTime": "2026-01-01", "value": "${i}"}`,
      "]}",
    );
    const error = await refusal(vendorJsonMapper.map(source, { lookup }));
    expect(error.message).toContain("The vendor API response is longer than");
    expect(meter.bytes).toBeLessThan(MAX_DOCUMENT_CHARS + MB);
  });

  it("streams an Open mHealth JSON array larger than the limit and NDJSON, and refuses a data point larger than it", async () => {
    const point = (i: number) =>
      JSON.stringify({
        header: {
          id: `p${i}`,
          creation_date_time: "2026-01-01T00:00:00Z",
          schema_id: { namespace: "omh", name: "heart-rate", version: "2.0" },
        },
        body: {
          heart_rate: { value: 60 + (i % 40), unit: "beats/min" },
          effective_time_frame: { date_time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() },
        },
      });
    const meter: Meter = { bytes: 0 };
    const array = generated(
      meter,
      MAX_DOCUMENT_CHARS + 2 * MB,
      "[\n",
      (i) => `${i === 0 ? "" : ","}${point(i)}\n`,
      "]\n",
    );
    let mapped = 0;
    for await (const event of openmhealthMapper.map(array, { lookup })) if (event.kind === "observation") mapped += 1;
    expect(mapped).toBe(meter.pieces);
    expect(meter.bytes).toBeGreaterThan(MAX_DOCUMENT_CHARS + 2 * MB);

    const big = { bytes: 0 };
    const huge = generated(big, 64 * MB, `[${point(0)},\n{"header": {"x": "`, () => "y".repeat(1_000), `"}}]`);
    const error = await refusal(openmhealthMapper.map(huge, { lookup }));
    expect([error.what, error.location]).toEqual(["The data point at $[1]", "$[1]"]);
    expect(big.bytes).toBeLessThan(MAX_DOCUMENT_CHARS + MB);

    const lines: Meter = { bytes: 0 };
    const ndjson = generated(lines, 24 * MB, "", (i) => `${point(i)}\n`, "");
    let observations = 0;
    for await (const event of openmhealthMapper.map(ndjson, { lookup }))
      if (event.kind === "observation") observations += 1;
    expect(observations).toBe(lines.pieces);
    expect(lines.bytes).toBeGreaterThanOrEqual(24 * MB);
  }, 60_000);
});

describe("openEHR", () => {
  it("refuses a composition whose header (one value here) is larger than the limit after reading no more than it", async () => {
    const meter = { bytes: 0 };
    const source = generated(
      meter,
      MAX_DOCUMENT_CHARS + 4 * MB,
      `{"_type": "COMPOSITION", "archetype_node_id": "openEHR-EHR-COMPOSITION.encounter.v1", "name": {"value": "`,
      () => "x".repeat(1_000),
      `"}}`,
    );
    const error = await refusal(openehrMapper.map(source, { lookup }));
    expect([error.what, error.limit]).toEqual(["The openEHR composition", MAX_DOCUMENT_CHARS]);
    expect(meter.bytes).toBeLessThan(MAX_DOCUMENT_CHARS + MB);
  });
});

describe("HL7 v2 and text lines", () => {
  it("skips a message longer than the limit with an issue, and maps the next", async () => {
    const msh = (id: string) => `MSH|^~\\&|LAB|FAC|EHR|FAC|20260101120000||ORU^R01|${id}|P|2.5.1\r`;
    const obx = "OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F|||20260101120000\r";
    const meter = { bytes: 0 };
    const big = `${msh("1")}PID|1||123\r`;
    const source = generated(
      meter,
      MAX_DOCUMENT_CHARS + 4 * MB,
      big,
      () => "NTE|1||padding padding\r",
      `${msh("2")}PID|1||123\rOBR|1\r${obx}`,
    );
    const events = await collect(hl7v2Mapper.map(source, { lookup }));
    const tooLarge = events.filter((e) => e.kind === "issue" && e.issue.code === "message_too_large");
    expect(tooLarge.map((e) => (e.kind === "issue" ? e.issue.location : null))).toEqual(["MSH[1]"]);
    expect(events.filter((e) => e.kind === "observation")).toHaveLength(1);
  }, 60_000);

  it("refuses a line longer than its limit", async () => {
    const source = generated({ bytes: 0 }, 2 * MB, "a\nb", () => "x".repeat(1_000), "\n");
    const error = await refusal(
      (async function* () {
        for await (const _ of lines(source, MB)) yield* [];
      })(),
    );
    expect([error.what, error.limit]).toEqual(["Line 2", MB]);
  });
});

describe("XML", () => {
  it("refuses a text node longer than the limit in Apple Health and C-CDA, after reading no more than it", async () => {
    const health = { bytes: 0 };
    const export_ = generated(
      health,
      MAX_XML_RUN_CHARS + 4 * MB,
      `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n<ExportDate value="2026-01-01 00:00:00 +0000"/>\n<Me>`,
      () => "x".repeat(1_000),
      "</Me></HealthData>\n",
    );
    const error = await refusal(appleHealthMapper.map(export_, { lookup }));
    expect([error.what, error.limit]).toEqual(["A text node or tag", MAX_XML_RUN_CHARS]);
    expect(health.bytes).toBeLessThan(MAX_XML_RUN_CHARS + MB);

    const cda = { bytes: 0 };
    const document = generated(
      cda,
      MAX_XML_RUN_CHARS + 4 * MB,
      `<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="2.16.840.1.113883.10.20.22.1.2"/><component><nonXMLBody><text mediaType="application/pdf" representation="B64">`,
      () => "QUJD".repeat(250),
      "</text></nonXMLBody></component></ClinicalDocument>",
    );
    expect((await refusal(ccdaMapper.map(document, { lookup }))).what).toBe("A text node or tag");
    expect(cda.bytes).toBeLessThan(MAX_XML_RUN_CHARS + MB);
  });

  it("counts a run across chunks and inside one chunk", async () => {
    async function* chunks(...texts: string[]) {
      yield* texts;
    }
    const pass = await collect(boundedRuns(chunks("<a>", "12345", "<b>12345</b>"), "<", 8, "run"));
    expect(pass.join("")).toBe("<a>12345<b>12345</b>");
    await expect(collect(boundedRuns(chunks("<a>1234", "56789"), "<", 8, "A run"))).rejects.toThrow(InputTooLargeError);
    await expect(collect(boundedRuns(chunks("<a>123456789<b>"), "<", 8, "A run"))).rejects.toThrow(InputTooLargeError);
  });
});

describe("Apple Health correlations", () => {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n<ExportDate value="2026-01-01 00:00:00 +0000"/>\n`;
  const when = (i: number) => {
    const d = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString();
    return `${d.slice(0, 10)} ${d.slice(11, 19)} +0000`;
  };
  const dietary = (i: number) =>
    `<Record type="HKQuantityTypeIdentifierDietaryEnergyConsumed" sourceName="App" unit="kcal" startDate="${when(i)}" endDate="${when(i)}" value="${100 + i}"/>\n`;
  const meal = (i: number) =>
    `<Correlation type="HKCorrelationTypeIdentifierFood" sourceName="App" startDate="${when(i)}" endDate="${when(i)}">${dietary(i)}</Correlation>\n`;

  it("keeps at most CORRELATION_WINDOW keys: lone dietary samples are forgotten oldest first", async () => {
    const window = 2_000;
    const count = window + 1;
    const dedup = new CorrelationDedup();
    const meter: Meter = { bytes: 0 };
    // All lone samples first, then the meals of the first (forgotten) and the last (remembered) ones.
    const records = {
      async *[Symbol.asyncIterator]() {
        yield encoder.encode(head);
        for (let i = 0; i < count; i += 500) {
          const batch: string[] = [];
          for (let j = i; j < Math.min(count, i + 500); j++) batch.push(dietary(j));
          const bytes = encoder.encode(batch.join(""));
          meter.bytes += bytes.byteLength;
          yield bytes;
        }
        yield encoder.encode(`${meal(0)}${meal(count - 1)}</HealthData>\n`);
      },
    };
    const locations: string[] = [];
    let mapped = 0;
    for await (const event of mapAppleHealth(records, { lookup }, { correlationWindow: window })) {
      if (event.kind !== "observation") continue;
      mapped += 1;
      if (event.observation.metadata?.correlation !== undefined)
        locations.push(String(event.observation.metadata.correlation));
    }
    // Sample 0's key was forgotten: its meal copy is mapped again (the documented duplicate);
    // the last sample's key was still held: its meal copy is skipped.
    expect(locations).toEqual(["/HealthData/Correlation[1]"]);
    expect(mapped).toBe(count + 1);
    // The default window, over more lone samples than it holds.
    for (let i = 0; i < CORRELATION_WINDOW + 50_000; i++)
      dedup.topLevelRecord({ type: "HKQuantityTypeIdentifierDietaryFiber", value: `${i}` });
    expect(dedup.size).toBe(CORRELATION_WINDOW);
  }, 20_000);
});

describe("XML nesting", () => {
  it("refuses Apple Health and C-CDA documents nested deeper than MAX_XML_DEPTH, and reads MAX_XML_DEPTH levels", async () => {
    const health = (levels: number) =>
      generated(
        { bytes: 0 },
        0,
        `<?xml version="1.0"?>\n<HealthData locale="en_US">\n${"<x>".repeat(levels - 1)}`,
        () => "",
        `${"</x>".repeat(levels - 1)}</HealthData>\n`,
      );
    const error = await refusal(appleHealthMapper.map(health(MAX_XML_DEPTH + 1), { lookup }));
    expect([error.what, error.limit, error.unit, error.location]).toEqual([
      "The XML element at line 3",
      MAX_XML_DEPTH,
      "levels",
      "line 3",
    ]);
    expect(error.message).toBe(
      `The XML element at line 3 is nested deeper than ${MAX_XML_DEPTH} levels, the most this format is read.`,
    );
    const events = await collect(appleHealthMapper.map(health(MAX_XML_DEPTH), { lookup }));
    expect(events.filter((e) => e.kind === "issue" && e.issue.severity === "error")).toEqual([]);

    const cda = (levels: number) =>
      generated(
        { bytes: 0 },
        0,
        `<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n${"<component>".repeat(levels - 1)}`,
        () => "",
        `${"</component>".repeat(levels - 1)}</ClinicalDocument>`,
      );
    const deep = await refusal(ccdaMapper.map(cda(MAX_XML_DEPTH + 1), { lookup }));
    expect([deep.limit, deep.unit]).toEqual([MAX_XML_DEPTH, "levels"]);
    const read = await collect(ccdaMapper.map(cda(MAX_XML_DEPTH), { lookup }));
    expect(read.filter((e) => e.kind === "issue" && e.issue.severity === "error")).toEqual([]);
  });
});

describe("Apple Health children", () => {
  it("keeps MAX_XML_CHILD_ENTRIES MetadataEntry children of a Record, ignoring the rest with one issue", async () => {
    const total = MAX_XML_CHILD_ENTRIES + 500;
    const entries: string[] = [];
    const source = {
      async *[Symbol.asyncIterator]() {
        yield encoder.encode(
          `<?xml version="1.0"?>\n<HealthData locale="en_US">\n<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2026-01-01 08:00:00 +0000" endDate="2026-01-01 08:00:00 +0000" value="61">\n`,
        );
        for (let i = 0; i < total; i += 100) {
          const batch: string[] = [];
          for (let j = i; j < i + 100; j++) batch.push(`<MetadataEntry key="k${j}" value="v"/>\n`);
          yield encoder.encode(batch.join(""));
        }
        yield encoder.encode("</Record>\n</HealthData>\n");
      },
    };
    const events = await collect(appleHealthMapper.map(source, { lookup }));
    for (const e of events)
      if (e.kind === "observation") entries.push(...Object.keys(e.observation.metadata?.hk_metadata ?? {}));
    expect(entries).toHaveLength(MAX_XML_CHILD_ENTRIES);
    const issues = events.filter((e) => e.kind === "issue" && e.issue.code === "too_many_children");
    expect(issues.map((e) => (e.kind === "issue" ? [e.issue.location, e.issue.severity] : null))).toEqual([
      ["/HealthData/Record[1]", "warning"],
    ]);
  });
});

describe("C-CDA entries and sections", () => {
  const vitals = `<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody><component><section><templateId root="2.16.840.1.113883.10.20.22.2.4.1"/><code code="8716-3" codeSystem="2.16.840.1.113883.6.1"/><title>Vital Signs</title>`;
  const end = "</section></component></structuredBody></component></ClinicalDocument>";

  it("counts attribute characters toward an entry's limit", async () => {
    // 1,200 elements (far under 20,000) whose attributes hold 1,000 characters each: 1.2 M characters.
    const source = generated(
      { bytes: 0 },
      vitals.length + 1_200 * 1_020,
      `${vitals}<entry><organizer classCode="CLUSTER" moodCode="EVN">`,
      () => `<id root="${"1".repeat(1_000)}"/>`,
      `</organizer></entry>${end}`,
    );
    const events = await collect(ccdaMapper.map(source, { lookup }));
    const codes = events.flatMap((e) => (e.kind === "issue" ? [e.issue.code] : []));
    expect(codes).toContain("entry_too_large");
  });

  it("keeps MAX_SECTION_TEMPLATE_IDS template ids and MAX_SECTION_TITLE characters of a section's title", async () => {
    const source = generated(
      { bytes: 0 },
      2 * MB,
      `<?xml version="1.0"?>\n<section xmlns="urn:hl7-org:v3">${'<templateId root="1.2.3"/>'.repeat(MAX_SECTION_TEMPLATE_IDS)}<templateId root="2.16.840.1.113883.10.20.22.2.4.1"/><title>`,
      () => "T".repeat(1_000),
      `</title><entry><act classCode="ACT" moodCode="EVN"/></entry></section>`,
    );
    const events = await collect(ccdaMapper.map(source, { lookup }));
    const issues = events.flatMap((e) => (e.kind === "issue" ? [e.issue] : []));
    // The Vital Signs template id came after the kept ones: the section is not recognised.
    const unsupported = issues.find((i) => i.code === "unsupported_section");
    expect(unsupported?.message).toBe(
      `The section "${"T".repeat(MAX_SECTION_TITLE)}" is not mapped (Vital Signs, Results, Medications and Problem sections are); its 1 entry was ignored.`,
    );
  });
});

describe("distinct names", () => {
  const names = MAX_DISTINCT_NAMES + 100;
  const issuesOf = (events: MapEvent[], code: string) =>
    events.flatMap((e) => (e.kind === "issue" && e.issue.code === code ? [e.issue] : []));

  it("Apple Health records at most MAX_DISTINCT_NAMES element names, child names and settings types", async () => {
    const when = `startDate="2026-01-01 08:00:00 +0000" endDate="2026-01-01 08:00:00 +0000"`;
    const source = generated(
      { bytes: 0 },
      0,
      `<?xml version="1.0"?>\n<HealthData locale="en_US">\n`,
      () => "",
      [
        ...Array.from({ length: names }, (_, i) => `<Element${i}/>\n`),
        ...Array.from({ length: names }, (_, i) => `<Record type="HKDataTypeGoal${i}" ${when} value="1"/>\n`),
        `<Record type="HKQuantityTypeIdentifierHeartRate" unit="count/min" ${when} value="61"/>\n</HealthData>\n`,
      ].join(""),
    );
    const events = await collect(appleHealthMapper.map(source, { lookup }));
    const unsupported = issuesOf(events, "unsupported_element");
    expect(unsupported).toHaveLength(MAX_DISTINCT_NAMES + 1);
    expect(unsupported.at(-1)?.message).toContain("and 100 more elements");
    const settings = issuesOf(events, "not_a_measurement");
    expect(settings).toHaveLength(MAX_DISTINCT_NAMES + 1);
    expect(settings.at(-1)?.message).toContain("and 100 more settings Records");
    // Record is a child name past the limit: located by its position among all children.
    const heart = events.find((e) => e.kind === "observation");
    expect(heart?.kind === "observation" ? heart.observation.location : null).toBe(`/HealthData/*[${2 * names + 1}]`);
  });

  it("C-CDA records at most MAX_DISTINCT_NAMES undeclared prefixes and child names", async () => {
    const source = generated(
      { bytes: 0 },
      0,
      `<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">`,
      () => "",
      `${Array.from({ length: names }, (_, i) => `<p${i}:x/>`).join("")}<component><nonXMLBody/></component></ClinicalDocument>`,
    );
    const events = await collect(ccdaMapper.map(source, { lookup }));
    const prefixes = issuesOf(events, "unbound_namespace_prefix");
    expect(prefixes).toHaveLength(MAX_DISTINCT_NAMES + 1);
    expect(prefixes.at(-1)?.message).toContain("and 100 more uses");
    expect(issuesOf(events, "non_xml_body")[0]?.location).toBe(`/ClinicalDocument/*[${names + 1}]/nonXMLBody`);
  });
});
