/**
 * The C-CDA mapper against the shared corpus (03-ccda, HL7 C-CDA-Examples): every file, value by value.
 */
import type { MapContext, MapEvent, MappedObservation, MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { ccdaMapper } from "./index";

const context: MapContext = { lookup: seedCatalog() };

async function mapBytes(bytes: Uint8Array, chunkSize?: number, ctx: MapContext = context) {
  const events = await collect(ccdaMapper.map(fromBytes(bytes, chunkSize), ctx));
  return split(events);
}

function split(events: MapEvent[]) {
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const event of events) {
    if (event.kind === "observation") observations.push(event.observation);
    else issues.push(event.issue);
  }
  return { events, observations, issues };
}

const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";

/** code, value, unit, location suffix (organizer component index) of a vitals panel. */
type Vital = [code: string, display: string, value: number, unit: string];

function expectVitals(observations: MappedObservation[], vitals: Vital[], startAt: string, entryPath: string) {
  expect(observations).toHaveLength(vitals.length);
  vitals.forEach(([code, display, value, unit], i) => {
    const o = observations[i];
    expect(o?.codings).toEqual([{ system: LOINC, code, display }]);
    expect(o?.value).toBe(value);
    expect(o?.unit).toBe(unit);
    expect(o?.start_at).toBe(startAt);
    expect(o?.end_at).toBeUndefined();
    expect(o?.location).toBe(`${entryPath}/organizer/component[${i + 1}]/observation`);
    expect(o?.metadata?.section).toBe("vital_signs");
    expect(o?.metadata?.status).toBe("completed");
  });
}

describe("ccda mapper: every corpus file", () => {
  const files = corpusFiles("03-ccda");

  it("covers the seven files of 03-ccda", () => {
    expect(files).toEqual([
      "03-ccda/ccd-2-full-document.xml",
      "03-ccda/results-greater-than.xml",
      "03-ccda/results-pending-component.xml",
      "03-ccda/results-string-value-urine-color.xml",
      "03-ccda/results-translation-unit.xml",
      "03-ccda/results-unit-non-ucum.xml",
      "03-ccda/vitals-panel-metric.xml",
    ]);
  });

  it.each(files)("%s maps without throwing, with a location on every event and no error", async (file) => {
    const { events, issues } = await mapBytes(corpusBytes(file));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const location = event.kind === "observation" ? event.observation.location : event.issue.location;
      expect(location).toMatch(/^\/(ClinicalDocument|section)\//);
    }
    // Every file of 03-ccda is valid: nothing in them is an error.
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it.each(files)("%s gives the same events when read 7 bytes at a time (streaming)", async (file) => {
    const bytes = corpusBytes(file);
    const whole = await mapBytes(bytes);
    const chunked = await mapBytes(bytes, 7);
    expect(chunked.events).toEqual(whole.events);
  });
});

describe("vitals-panel-metric.xml (Vital Signs section, metric panel)", () => {
  it("maps each vital sign with its LOINC code, value, UCUM unit and time", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/vitals-panel-metric.xml"));
    expect(issues).toEqual([]);
    expectVitals(
      observations,
      [
        ["8480-6", "Systolic blood pressure", 120, "mm[Hg]"],
        ["8462-4", "Diastolic blood pressure", 80, "mm[Hg]"],
        ["8867-4", "Heart rate", 80, "/min"],
        ["8310-5", "Body temperature", 37.2, "Cel"],
        ["9279-1", "Respiratory rate", 18, "/min"],
        ["8302-2", "Body height", 170.2, "cm"],
        ["29463-7", "Body weight", 108.863, "kg"],
        ["39156-5", "Body mass index (BMI) [Ratio]", 37.58, "kg/m2"],
        ["2710-2", "OXYGEN SATURATION", 98, "%"],
      ],
      "2014-05-20T19:36:05-05:00",
      "/section/entry[1]",
    );
    // The organizer's code (SNOMED CT with a LOINC translation) is the panel, not a measurement.
    expect(observations[0]?.metadata?.panel).toEqual([
      { system: SNOMED, code: "46680005", display: "Vital Signs" },
      {
        system: LOINC,
        code: "74728-7",
        display: "Vital signs, weight, height, head circumference, oximetry, BMI, and BSA panel",
      },
    ]);
    expect(observations[0]?.metadata?.source_id).toBe("fdbd831b-5919-4f06-9467-76b07022f8e8");
  });

  it("emits codings that resolve to the seeded vital-sign variables", async () => {
    const { observations } = await mapBytes(corpusBytes("03-ccda/vitals-panel-metric.xml"));
    const catalog = seedCatalog();
    const names = observations.map((o) => {
      const c = o.codings[0];
      return c ? catalog.byCoding(c.system, c.code)?.name : undefined;
    });
    expect(names.every((n) => typeof n === "string")).toBe(true);
    expect(names[2]).toBe("Heart rate");
    expect(names[8]).toBe("Oxygen saturation (SpO2)");
  });
});

describe("ccd-2-full-document.xml (CCD with null sections, a pending result and vital signs)", () => {
  const body = "/ClinicalDocument/component/structuredBody";

  it("reports each section that yields nothing, in document order", async () => {
    const { issues } = await mapBytes(corpusBytes("03-ccda/ccd-2-full-document.xml"));
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      [`${body}/component[1]/section`, "unsupported_section", "info"],
      [`${body}/component[2]/section`, "no_information", "info"],
      [`${body}/component[3]/section`, "no_information", "info"],
      [`${body}/component[4]/section`, "unsupported_section", "info"],
      [`${body}/component[5]/section/entry[1]/organizer/component[1]/observation`, "pending_result", "info"],
      [`${body}/component[6]/section`, "unsupported_section", "info"],
    ]);
    expect(issues[0]?.message).toContain("ALLERGIES AND ADVERSE REACTIONS");
    expect(issues[1]?.message).toBe('The Medications section "MEDICATIONS" has nullFlavor NI: no information.');
    expect(issues[2]?.message).toBe('The Problem section "PROBLEMS" has nullFlavor NI: no information.');
    expect(issues[3]?.message).toContain("its 3 entries were ignored");
    expect(issues[4]?.message).toBe("804-5 has statusCode active and no value yet (pending).");
    expect(issues[5]?.message).toContain("SOCIAL HISTORY");
  });

  it("maps the nine vital signs (no medications or problems: both sections are nullFlavor NI)", async () => {
    const { observations } = await mapBytes(corpusBytes("03-ccda/ccd-2-full-document.xml"));
    expectVitals(
      observations,
      [
        ["8480-6", "Systolic blood pressure", 120, "mm[Hg]"],
        ["8462-4", "Diastolic blood pressure", 80, "mm[Hg]"],
        ["8867-4", "Heart rate", 80, "/min"],
        ["8310-5", "Body temperature", 37.2, "Cel"],
        ["9279-1", "Respiratory rate", 18, "/min"],
        ["8302-2", "Body height", 170.2, "cm"],
        ["3141-9", "WEIGHT", 108.863, "kg"],
        ["39156-5", "Body mass index (BMI) [Ratio]", 37.58, "kg/m2"],
        ["2710-2", "OXYGEN SATURATION", 98, "%"],
      ],
      "2014-10-01T10:30:26-05:00",
      `${body}/component[7]/section/entry[1]`,
    );
    expect(observations[0]?.metadata?.panel).toEqual([{ system: LOINC, code: "74728-7", display: "VITAL SIGNS" }]);
    const catalog = seedCatalog();
    expect(catalog.byCoding(LOINC, "3141-9")?.name).toBe(catalog.byCoding(LOINC, "29463-7")?.name);
  });
});

describe("results corpus files", () => {
  it("results-greater-than.xml: '>500 mg/dL' as IVL_PQ low (inclusive=false) → 500 with comparator '>'", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/results-greater-than.xml"));
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: [{ system: LOINC, code: "32016-8", display: "Glucose [Mass/Volume] In Capillary Blood" }],
        value: 500,
        unit: "mg/dL",
        // The observation's own effectiveTime; the organizer's low ("2014030200908-0500") is not a valid TS
        // and is not needed.
        start_at: "2014-03-02T09:08:00-05:00",
        comparator: ">",
        metadata: {
          section: "results",
          status: "completed",
          panel: [{ system: LOINC, code: "32016-8", display: "Glucose [Mass/Volume] In Capillary Blood" }],
          interpretation: [">"],
          reference_range: [
            { low: { value: 80, unit: "mg/dL" }, high: { value: 140, unit: "mg/dL" } },
            { low: { value: 140, unit: "mg/dL" }, high: { value: 500, unit: "mg/dL" } },
          ],
          source_id: "cda1fc54-59fb-412d-86e0-acf6b78aa9a6",
        },
        location: "/section/entry[1]/organizer/component[1]/observation",
      },
    ]);
  });

  it("results-pending-component.xml: an active component with a nullFlavor value → no observation, one info", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/results-pending-component.xml"));
    expect(observations).toEqual([]);
    expect(issues).toEqual([
      {
        location: "/section/entry[1]/organizer/component[1]/observation",
        code: "pending_result",
        severity: "info",
        message: "804-5 has statusCode active and no value yet (pending).",
      },
    ]);
  });

  it("results-string-value-urine-color.xml: ST value 'Amber'", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/results-string-value-urine-color.xml"));
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: [{ system: LOINC, code: "5778-6", display: "Color of Urine" }],
        value: "Amber",
        start_at: "2013-10-23T09:08:23-05:00",
        metadata: {
          section: "results",
          status: "completed",
          panel: [{ system: LOINC, code: "24356-8", display: "Urinalysis complete pnl Ur" }],
          interpretation: ["N"],
          source_id: "f1aa44dd-6f39-4f5c-b267-897c3824b563",
        },
        location: "/section/entry[1]/organizer/component[1]/observation",
      },
    ]);
    expect(seedCatalog().byCoding(LOINC, "5778-6")).not.toBeNull();
  });

  it("results-translation-unit.xml: the UCUM PQ (152 10*3/uL) wins; the lab's unit text is kept in metadata", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/results-translation-unit.xml"));
    expect(issues).toEqual([]);
    expect(observations).toHaveLength(1);
    const o = observations[0];
    expect(o?.codings).toEqual([{ system: LOINC, code: "26515-7", display: "Platelets [#/volume] in Blood" }]);
    expect(o?.value).toBe(152);
    expect(o?.unit).toBe("10*3/uL");
    // effectiveTime low = high: one instant, no end_at.
    expect(o?.start_at).toBe("2013-10-20T09:08:00-05:00");
    expect(o?.end_at).toBeUndefined();
    expect(o?.metadata?.unit_original_text).toBe("THOUS/MCL");
    expect(o?.metadata?.reference_range).toEqual([
      { low: { value: 150, unit: "10*3/uL" }, high: { value: 400, unit: "10*3/uL" } },
    ]);
    expect(o?.location).toBe("/section/entry[1]/organizer/component[1]/observation");
    expect(seedCatalog().byCoding(LOINC, "26515-7")?.name).toBeDefined();
  });

  it("results-unit-non-ucum.xml: PQ nullFlavor=OTH with the value in a translation → 152 'THOUS/MCL' + warning", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("03-ccda/results-unit-non-ucum.xml"));
    const location = "/section/entry[1]/organizer/component[1]/observation";
    expect(issues).toEqual([
      {
        location,
        code: "non_ucum_unit",
        severity: "warning",
        message:
          '26515-7: The unit "THOUS/MCL" is not UCUM (value nullFlavor=OTH, unit in translation/originalText); it was kept as written.',
      },
    ]);
    expect(observations).toEqual([
      {
        codings: [{ system: LOINC, code: "26515-7", display: "Platelets [#/volume] in Blood" }],
        value: 152,
        unit: "THOUS/MCL",
        start_at: "2014-02-13T10:37:00-06:00",
        metadata: {
          section: "results",
          status: "completed",
          panel: [{ system: LOINC, code: "57021-8", display: "CBC W Auto Differential panel" }],
          interpretation: ["N"],
          source_id: "1.2.3.4.5^efgh",
        },
        location,
      },
    ]);
  });
});

describe("detect", () => {
  const detectFile = (path: string) => {
    const bytes = corpusBytes(path);
    const head = bytes.subarray(0, 64 * 1024);
    const headText = new TextDecoder().decode(head).replace(/^\uFEFF/, "");
    return ccdaMapper.detect({ head, headText, name: path.split("/").pop() ?? null, contentType: null });
  };

  it("scores a CDA ClinicalDocument and the C-CDA section fragments high", () => {
    expect(detectFile("03-ccda/ccd-2-full-document.xml")).toBeGreaterThanOrEqual(0.95);
    for (const file of corpusFiles("03-ccda")) expect(detectFile(file)).toBeGreaterThanOrEqual(0.9);
  });

  it("scores the Apple Health export.xml low", () => {
    expect(detectFile("04-wearables/apple-health/export6s3sample.xml")).toBe(0);
  });

  it("scores every file of the other corpus formats low", () => {
    const others = ["01-fhir-r4", "02-hl7v2", "04-wearables", "05-csv-exports", "06-ucum", "07-loinc-terminology"];
    for (const folder of others) {
      for (const file of corpusFiles(folder)) expect({ file, score: detectFile(file) }).toEqual({ file, score: 0 });
    }
  });

  it("gives name and media-type hints a low score only", () => {
    const empty = new Uint8Array();
    expect(ccdaMapper.detect({ head: empty, headText: "", name: "summary.ccda.xml", contentType: null })).toBe(0.3);
    expect(ccdaMapper.detect({ head: empty, headText: "", name: "x.bin", contentType: null })).toBe(0);
    const noNs = "<ClinicalDocument><title>x</title></ClinicalDocument>";
    expect(ccdaMapper.detect({ head: empty, headText: noNs, name: null, contentType: null })).toBe(0.7);
  });
});

describe("files that are not C-CDA", () => {
  it("the Apple Health export → one not_ccda error with line and column, no observations", async () => {
    const { observations, issues } = await mapBytes(corpusBytes("04-wearables/apple-health/export6s3sample.xml"));
    expect(observations).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe("not_ccda");
    expect(issues[0]?.severity).toBe("error");
    expect(issues[0]?.location).toMatch(/^line 80, column \d+$/);
    expect(issues[0]?.message).toContain("<HealthData>");
  });

  it("a FHIR JSON file → malformed_xml error with line and column", async () => {
    const { observations, issues } = await mapBytes(
      corpusBytes("01-fhir-r4/hl7-r4-examples/Observation-heart-rate.json"),
    );
    expect(observations).toEqual([]);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["malformed_xml", "error"]]);
    expect(issues[0]?.message).toMatch(/line \d+, column \d+/);
  });
});
