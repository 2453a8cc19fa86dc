/**
 * A FHIR JSON document read as a stream (index.ts StreamedDocument) against the same document read
 * whole (parseJson + mapFhirValue): identical events for every file of the corpus folder 01-fhir-r4,
 * whatever the chunking; and the look-ahead window's rule (README "Big Bundles") where a reference
 * reaches further than the window.
 */
import type { MapEvent } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { UnreadableFileError } from "../util/limits";
import { collect, fromBytes } from "../util/stream";
import { mapFhirValue } from "./document";
import { mapFhirStream, type StreamStats } from "./index";
import { JsonSyntaxError, parseJson } from "./json";
import { MappingRun } from "./run";

const lookup = seedCatalog();
const encoder = new TextEncoder();

/** The document read whole, as before streaming: duplicate keys first, then every resource. */
function buffered(text: string): MapEvent[] {
  const run = new MappingRun({ lookup });
  try {
    const parsed = parseJson(text.replace(/^\uFEFF/, ""));
    for (const d of parsed.duplicateKeys) {
      run.issue(
        `line ${d.line}`,
        "duplicate_property",
        "warning",
        `"${d.key}" appears twice in one object (not allowed in FHIR JSON); the last one is used`,
      );
    }
    for (const _ of mapFhirValue(parsed.value, "$", run)) {
      // mapped into run
    }
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    run.issue(
      `line ${error.line}`,
      "invalid_json",
      "error",
      `The file is not valid JSON: ${error.reason} at line ${error.line}, column ${error.column}; nothing in it is mapped`,
    );
  }
  return run.drain();
}

async function streamed(bytes: Uint8Array, chunk: number, lookaheadChars?: number): Promise<MapEvent[]> {
  return collect(
    mapFhirStream(fromBytes(bytes, chunk), { lookup }, lookaheadChars === undefined ? {} : { lookaheadChars }),
  );
}

describe("streamed and read whole: the same events", () => {
  const files = corpusFiles("01-fhir-r4").filter((f) => f.endsWith(".json"));
  it("covers the corpus folder", () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const file of files) {
    it(file, async () => {
      const bytes = corpusBytes(file);
      const whole = buffered(new TextDecoder().decode(bytes));
      expect(whole.length).toBeGreaterThan(0);
      for (const chunk of [1, 7, 64 * 1024]) expect(await streamed(bytes, chunk), `chunks of ${chunk}`).toEqual(whole);
    });
  }
});

describe("the look-ahead window (README: Big Bundles)", () => {
  const observation = (id: string, extra = "") =>
    `{"resourceType": "Observation", "id": "${id}", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]}, "valueQuantity": {"value": 5.5, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"}${extra}}`;
  const report = `{"resourceType": "DiagnosticReport", "id": "r1", "status": "final", "code": {"text": "Panel"}, "effectiveDateTime": "2026-01-02T08:00:00Z", "result": [{"reference": "Observation/o1"}]}`;
  const padding = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `{"resource": {"resourceType": "Patient", "id": "p${i}", "name": [{"text": "${"x".repeat(200)}"}]}}`,
    );
  const bundle = (entries: string[], head = `"resourceType": "Bundle", "type": "collection"`) =>
    encoder.encode(`{${head}, "entry": [\n${entries.join(",\n")}\n]}`);

  it("a report after its result, within the window, lends its time and id; beyond it, not", async () => {
    const near = bundle([`{"resource": ${observation("o1")}}`, ...padding(3), `{"resource": ${report}}`]);
    const [o] = (await streamed(near, 100, 4_000)).flatMap((e) => (e.kind === "observation" ? [e.observation] : []));
    expect([o?.start_at, o?.metadata?.diagnostic_report, o?.metadata?.time_source]).toEqual([
      "2026-01-02T08:00:00Z",
      "r1",
      "DiagnosticReport.effectiveDateTime",
    ]);
    expect(await streamed(near, 100, 4_000)).toEqual(buffered(new TextDecoder().decode(near)));

    const far = bundle([`{"resource": ${observation("o1")}}`, ...padding(40), `{"resource": ${report}}`]);
    const events = await streamed(far, 100, 4_000);
    expect(events.filter((e) => e.kind === "observation")).toEqual([]);
    expect(events.flatMap((e) => (e.kind === "issue" ? [e.issue.code] : []))).toEqual([
      "missing_time",
      "unsupported_resource",
    ]);
    // Read whole, the report's time applies.
    expect(buffered(new TextDecoder().decode(far)).filter((e) => e.kind === "observation")).toHaveLength(1);
  });

  it("a report before its results links them however far they are; `type` after the entries still counts", async () => {
    const history = bundle(
      [
        `{"resource": ${report}}`,
        ...padding(40),
        `{"resource": ${observation("o1")}}`,
        `{"resource": ${observation("o1", `, "status": "preliminary"`)}}`,
      ],
      `"resourceType": "Bundle"`,
    );
    // `type` after the entries: only within the window can it decide; here the whole Bundle fits.
    const text = new TextDecoder().decode(history).replace(/\]\}$/, '], "type": "history"}');
    const events = await streamed(encoder.encode(text), 100);
    expect(events).toEqual(buffered(text));
    const observations = events.flatMap((e) => (e.kind === "observation" ? [e.observation] : []));
    expect(observations.map((o) => [o.metadata?.diagnostic_report, o.start_at])).toEqual([
      ["r1", "2026-01-02T08:00:00Z"],
    ]);
    expect(events.flatMap((e) => (e.kind === "issue" ? [e.issue.code] : []))).toContain("superseded_version");
  });

  it("a report mapped before its far results keeps only its id and effective[x] for them (reportStub)", async () => {
    const big = report
      .replace(
        `"effectiveDateTime": "2026-01-02T08:00:00Z"`,
        `"effectivePeriod": {"start": "2026-01-03T08:00:00Z", "extension": []}`,
      )
      .replace(`"code": {"text": "Panel"}`, `"code": {"text": "Panel"}, "conclusion": "${"c".repeat(20_000)}"`);
    const far = bundle([`{"resource": ${big}}`, ...padding(40), `{"resource": ${observation("o1")}}`]);
    const observations = (await streamed(far, 100, 4_000)).flatMap((e) =>
      e.kind === "observation" ? [e.observation] : [],
    );
    expect(observations.map((o) => [o.start_at, o.metadata?.diagnostic_report, o.metadata?.time_source])).toEqual([
      ["2026-01-03T08:00:00Z", "r1", "DiagnosticReport.effectivePeriod"],
    ]);
  });

  it("reports its statistics: one entry held, the window bounded", async () => {
    let stats: StreamStats | undefined;
    const text = bundle(padding(200));
    await collect(
      mapFhirStream(fromBytes(text, 1_000), { lookup }, { lookaheadChars: 5_000, onStats: (s) => (stats = s) }),
    );
    expect(stats?.resources).toBe(200);
    expect(stats?.maxWindowChars).toBeLessThanOrEqual(5_000 + 300);
    expect(stats?.maxHeldChars).toBeLessThanOrEqual(1_000 + 300);
  });

  it("a syntax error after resources were mapped refuses the whole file (UnreadableFileError invalid_json)", async () => {
    const broken = encoder.encode(new TextDecoder().decode(bundle(padding(100))).replace(/\]\}$/, "]"));
    await expect(streamed(broken, 1_000, 2_000)).rejects.toThrow(UnreadableFileError);
    await expect(streamed(broken, 1_000, 2_000)).rejects.toMatchObject({ code: "invalid_json", location: "line 102" });
    // Within the window nothing was mapped yet: the issue of a document read whole.
    expect(await streamed(broken, 1_000)).toEqual(buffered(new TextDecoder().decode(broken)));
  });
});
