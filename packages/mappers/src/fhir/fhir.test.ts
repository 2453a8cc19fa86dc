/**
 * The FHIR R4 mapper against every file of the shared corpus folder 01-fhir-r4: exact values, codes,
 * units, times and locations per valid file; issues and no observations for invalid ones; oracle
 * OperationOutcomes mapped without a crash (and used to check the decimal decisions).
 */
import type { MapContext, MapEvent, MappedObservation, MappingIssue } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { fhirMapper } from "./index";

const LOINC = CODE_SYSTEMS.loinc;
const SNOMED = CODE_SYSTEMS.snomed;
const lookup = seedCatalog();

interface Result {
  events: MapEvent[];
  observations: MappedObservation[];
  issues: MappingIssue[];
}

async function mapBytes(bytes: Uint8Array, context: Partial<MapContext> = {}, chunk?: number): Promise<Result> {
  const events = await collect(fhirMapper.map(fromBytes(bytes, chunk), { lookup, ...context }));
  return {
    events,
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

const mapFile = (file: string, context: Partial<MapContext> = {}) =>
  mapBytes(corpusBytes(`01-fhir-r4/${file}`), context);

const codes = (o: MappedObservation) => o.codings.map((c) => `${c.system}|${c.code}`);
const issueCodes = (r: Result) => r.issues.map((i) => i.code).sort();
/** The seeded variable the pipeline would pick: the first coding the seed knows. */
const seeded = (o: MappedObservation) =>
  o.codings.map((c) => lookup.byCoding(c.system, c.code)).find((m) => m !== null)?.name ?? null;

const FOLDER = "01-fhir-r4";

/** Per file: how many observations and which issue codes (sorted). */
const EXPECTED: Record<string, { observations: number; issues: string[] }> = {
  "fhir-test-cases/bad-json-close-2.json": { observations: 0, issues: ["invalid_json"] },
  "fhir-test-cases/expected-outcomes/R4.bad-json-close-2-base.json": {
    observations: 0,
    issues: ["unsupported_resource"],
  },
  "fhir-test-cases/expected-outcomes/R4.obs-temp-base.json": { observations: 0, issues: ["unsupported_resource"] },
  "fhir-test-cases/expected-outcomes/R4.obs-vital-signs-mdc-base.json": {
    observations: 0,
    issues: ["unsupported_resource"],
  },
  "fhir-test-cases/expected-outcomes/R4.obs-vs-1-base.json": { observations: 0, issues: ["unsupported_resource"] },
  "fhir-test-cases/expected-outcomes/R5.obs-decimal-base.json": { observations: 0, issues: ["unsupported_resource"] },
  "fhir-test-cases/obs-decimal.json": {
    observations: 0,
    issues: [...Array(3).fill("decimal_out_of_range"), ...Array(7).fill("unknown_code")],
  },
  "fhir-test-cases/obs-temp.json": { observations: 1, issues: [] },
  "fhir-test-cases/obs-vital-signs-mdc.json": { observations: 2, issues: [] },
  "fhir-test-cases/obs-vs-1.json": { observations: 2, issues: ["vital_signs_profile"] },
  "hl7-r4-examples/Bundle-bundle-response-medsallergies.json": { observations: 0, issues: ["unsupported_resource"] },
  "hl7-r4-examples/Bundle-bundle-search-warning.json": { observations: 0, issues: ["unsupported_resource"] },
  "hl7-r4-examples/Bundle-bundle-transaction.json": {
    observations: 0,
    issues: ["unsupported_resource", "unsupported_resource"],
  },
  "hl7-r4-examples/Bundle-father.json": {
    observations: 0,
    issues: ["fallback_time", "missing_dose", "missing_time", "missing_time", ...Array(5).fill("unsupported_resource")],
  },
  "hl7-r4-examples/Bundle-lri-example.json": {
    observations: 20,
    issues: ["assumed_timezone", ...Array(6).fill("value_comparator")],
  },
  "hl7-r4-examples/Bundle-report.json": { observations: 11, issues: ["unknown_code", "unknown_code"] },
  "hl7-r4-examples/Condition-example.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/DiagnosticReport-102.json": { observations: 0, issues: ["unresolved_reference"] },
  "hl7-r4-examples/Immunization-example.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/MedicationRequest-medrx0302.json": {
    observations: 1,
    issues: ["additional_dosage", "assumed_timezone", "non_ucum_unit"],
  },
  "hl7-r4-examples/MedicationStatement-example001.json": {
    observations: 0,
    issues: ["assumed_timezone", "missing_dose"],
  },
  "hl7-r4-examples/Observation-10minute-apgar-score.json": { observations: 6, issues: [] },
  "hl7-r4-examples/Observation-abdo-tender.json": { observations: 1, issues: [] },
  "hl7-r4-examples/Observation-bgpanel.json": { observations: 0, issues: ["panel_without_value"] },
  "hl7-r4-examples/Observation-blood-pressure-cancel.json": { observations: 0, issues: ["excluded_status"] },
  "hl7-r4-examples/Observation-body-height.json": { observations: 1, issues: ["assumed_timezone", "decimal_rounded"] },
  "hl7-r4-examples/Observation-body-temperature.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/Observation-date-lastmp.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/Observation-decimal.json": {
    observations: 0,
    issues: [...Array(3).fill("decimal_out_of_range"), ...Array(7).fill("unknown_code")],
  },
  "hl7-r4-examples/Observation-f001.json": { observations: 1, issues: [] },
  "hl7-r4-examples/Observation-f003.json": { observations: 1, issues: [] },
  "hl7-r4-examples/Observation-f005.json": { observations: 1, issues: [] },
  "hl7-r4-examples/Observation-f204.json": { observations: 1, issues: ["fallback_time", "non_ucum_unit"] },
  "hl7-r4-examples/Observation-heart-rate.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/Observation-mbp.json": { observations: 1, issues: ["assumed_timezone"] },
  "hl7-r4-examples/Observation-satO2.json": { observations: 1, issues: [] },
  "hl7-r4-examples/Observation-vitals-panel.json": { observations: 0, issues: ["panel_without_value"] },
  "hl7-r4-examples/Patient-example.json": { observations: 0, issues: ["unsupported_resource"] },
  "us-core/Observation-10-minute-apgar-score.json": { observations: 1, issues: [] },
  "us-core/Observation-average-blood-pressure.json": { observations: 3, issues: [] },
  "us-core/condition-encounter-diagnosis-example1.json": { observations: 1, issues: ["assumed_timezone"] },
  "us-core/diagnosticreport-cbc.json": { observations: 0, issues: ["unresolved_reference"] },
  "us-core/medicationrequest-coded-oral-axid.json": { observations: 1, issues: ["assumed_timezone"] },
  "us-core/observation-cbc-hemoglobin.json": { observations: 1, issues: ["assumed_timezone"] },
  "us-core/observation-pregnancy-status.json": { observations: 1, issues: [] },
  "us-core/observation-satO2-fiO2.json": { observations: 2, issues: [] },
  "us-core/observation-serum-glucose.json": { observations: 1, issues: ["assumed_timezone"] },
};

describe("every file of 01-fhir-r4", () => {
  const files = corpusFiles(FOLDER);

  it("has an expectation for each corpus file (and no stale ones)", () => {
    expect(files.map((f) => f.slice(FOLDER.length + 1)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const name = file.slice(FOLDER.length + 1);
    it(`${name}: maps without throwing, with the expected observations and issues`, async () => {
      const result = await mapFile(name);
      const expected = EXPECTED[name];
      expect(expected).toBeDefined();
      expect(result.observations).toHaveLength(expected?.observations ?? -1);
      expect(issueCodes(result)).toEqual([...(expected?.issues ?? [])].sort());
      for (const o of result.observations) {
        expect(o.start_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
        expect(o.location).toMatch(/^\$/);
        expect(o.codings.length > 0 || o.variable_id !== undefined).toBe(true);
      }
      for (const i of result.issues) expect(i.code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
    });

    it(`${name}: gives the same events when streamed in 7-byte chunks`, async () => {
      const bytes = corpusBytes(file);
      expect((await mapBytes(bytes, {}, 7)).events).toEqual((await mapBytes(bytes)).events);
    });
  }
});

describe("fhir-test-cases (HL7 validator suite)", () => {
  it("bad-json-close-2: invalid_json at the stray '#' (line 15, as the validator's oracle says), nothing mapped", async () => {
    const r = await mapFile("fhir-test-cases/bad-json-close-2.json");
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([
      {
        location: "line 15",
        code: "invalid_json",
        severity: "error",
        message: expect.stringContaining("Unexpected '#'") as unknown as string,
      },
    ]);
    expect(r.issues[0]?.message).toContain("line 15, column 11");
    const oracle = JSON.parse(
      new TextDecoder().decode(
        corpusBytes(`${FOLDER}/fhir-test-cases/expected-outcomes/R4.bad-json-close-2-base.json`),
      ),
    ) as { issue: Array<{ details: { text: string } }> };
    expect(oracle.issue[0]?.details.text).toContain("Line 15");
  });

  it("obs-decimal: exactly the decimals the validator rejects are out of range, none is mapped", async () => {
    const r = await mapFile("fhir-test-cases/obs-decimal.json");
    const rejected = r.issues.filter((i) => i.code === "decimal_out_of_range");
    expect(rejected.map((i) => i.location)).toEqual([
      "$.component[4].valueQuantity.value",
      "$.component[5].valueQuantity.value",
      "$.component[6].valueQuantity.value",
    ]);
    expect(rejected.every((i) => i.severity === "error")).toBe(true);
    expect(rejected.map((i) => i.message)).toEqual([
      expect.stringContaining("1000000000000000000"),
      expect.stringContaining("1.000000000000000000E-24"),
      expect.stringContaining("-1.000000000000000000E+245"),
    ]);
    // The oracle (HL7 Java validator, R5 rules) flags the same three components, by FHIRPath.
    const oracle = JSON.parse(
      new TextDecoder().decode(corpusBytes(`${FOLDER}/fhir-test-cases/expected-outcomes/R5.obs-decimal-base.json`)),
    ) as { issue: Array<{ severity: string; expression: string[] }> };
    const oracleErrors = oracle.issue.filter((i) => i.severity === "error").map((i) => i.expression[0]);
    expect(oracleErrors.map((e) => /component\[(\d)\]/.exec(e ?? "")?.[1])).toEqual(["4", "5", "6"]);
    // Text-only codes ("Component") name no variable: each component says so.
    expect(r.issues.filter((i) => i.code === "unknown_code").map((i) => i.location)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => `$.component[${n}].code`),
    );
    expect(r.observations).toEqual([]);
  });

  it("obs-temp: 36.0 Cel at 2020-06-30T09:50:55.300Z, LOINC before SNOMED, precision kept", async () => {
    const r = await mapFile("fhir-test-cases/obs-temp.json");
    expect(r.observations).toEqual([
      {
        codings: [
          { system: LOINC, code: "8310-5" },
          { system: SNOMED, code: "276885007" },
        ],
        value: 36,
        unit: "Cel",
        start_at: "2020-06-30T09:50:55.300Z",
        location: "$.valueQuantity",
        metadata: {
          resource_type: "Observation",
          fhir_id: "body-temperature-observation",
          status: "final",
          category: ["vital-signs"],
          value_decimal: "36.0",
        },
      },
    ]);
    expect(seeded(r.observations[0] as MappedObservation)).toBe("Body temperature");
  });

  it("obs-vital-signs-mdc: LOINC first although MDC is listed first; the MDC component as a coded value", async () => {
    const r = await mapFile("fhir-test-cases/obs-vital-signs-mdc.json");
    const [rate, modality] = r.observations;
    expect(rate).toMatchObject({
      codings: [
        { system: LOINC, code: "8867-4" },
        { system: CODE_SYSTEMS.mdc, code: "149530" },
      ],
      value: 48,
      unit: "/min", // the UCUM code, not the (broken) display text "{beat}/min}"
      start_at: "2018-11-13T17:59:02-05:00",
      location: "$.valueQuantity",
    });
    expect(seeded(rate as MappedObservation)).toBe("Heart rate");
    expect(modality).toMatchObject({
      codings: [{ system: CODE_SYSTEMS.mdc, code: "68193" }],
      value: "150588",
      start_at: "2018-11-13T17:59:02-05:00",
      location: "$.component[0].valueCodeableConcept",
      metadata: { value_coding: [{ system: CODE_SYSTEMS.mdc, code: "150588" }], value_text: "MDC_MODALITY_SPOT" },
    });
  });

  it("obs-vs-1 (INVALID: no 85354-9): the profile violation is reported; the valid components are mapped", async () => {
    const r = await mapFile("fhir-test-cases/obs-vs-1.json");
    expect(r.issues).toEqual([expect.objectContaining({ code: "vital_signs_profile", location: "$.code" })]);
    expect(r.observations.map((o) => [codes(o), o.value, o.unit, o.start_at, o.location])).toEqual([
      [[`${LOINC}|8480-6`], 136, "mm[Hg]", "2023-03-01T06:00:00-06:00", "$.component[0].valueQuantity"],
      [[`${LOINC}|8462-4`], 86, "mm[Hg]", "2023-03-01T06:00:00-06:00", "$.component[1].valueQuantity"],
    ]);
    expect(r.observations.map((o) => seeded(o))).toEqual(["Systolic blood pressure", "Diastolic blood pressure"]);
  });
});

describe("hl7-r4-examples: Observations", () => {
  it("f001: glucose 6.3 mmol/L from effectivePeriod.start, with interpretation and reference range", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-f001.json");
    expect(r.observations).toEqual([
      {
        codings: [{ system: LOINC, code: "15074-8", display: "Glucose [Moles/volume] in Blood" }],
        value: 6.3,
        unit: "mmol/L",
        start_at: "2013-04-02T09:30:10+01:00",
        location: "$.valueQuantity",
        metadata: {
          resource_type: "Observation",
          fhir_id: "f001",
          status: "final",
          interpretation: [
            {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                  code: "H",
                  display: "High",
                },
              ],
            },
          ],
          reference_range: [
            {
              low: { value: 3.1, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" },
              high: { value: 6.2, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" },
            },
          ],
        },
      },
    ]);
    expect(seeded(r.observations[0] as MappedObservation)).toBe("Blood glucose");
  });

  it("f003 and f005: effectivePeriod start and end", async () => {
    const f003 = (await mapFile("hl7-r4-examples/Observation-f003.json")).observations[0];
    expect(f003).toMatchObject({
      codings: [{ system: LOINC, code: "11557-6" }],
      value: 6.2,
      unit: "kPa",
      start_at: "2013-04-02T10:30:10+01:00",
      end_at: "2013-04-05T10:30:10+01:00",
    });
    const f005 = (await mapFile("hl7-r4-examples/Observation-f005.json")).observations[0];
    expect(f005).toMatchObject({
      codings: [{ system: LOINC, code: "718-7" }],
      value: 7.2,
      unit: "g/dL",
      start_at: "2013-04-05T10:30:10+01:00",
      end_at: "2013-04-05T10:30:10+01:00",
      metadata: { interpretation: [{ coding: [expect.objectContaining({ code: "L" })] }] },
    });
    expect(seeded(f005 as MappedObservation)).toBe("Hemoglobin");
  });

  it("f204: a SNOMED-coded unit is kept as written with a warning; issued stands in for effective[x]", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-f204.json");
    expect(r.observations).toEqual([
      expect.objectContaining({
        codings: [{ system: "https://intranet.aumc.nl/labtestcodes", code: "20005", display: "Creatinine(Serum)" }],
        value: 122,
        unit: "umol/L",
        start_at: "2013-04-04T14:34:00+01:00",
        location: "$.valueQuantity",
        metadata: expect.objectContaining({
          unit_coding: { system: SNOMED, code: "258814008" },
          time_source: "issued",
        }) as unknown,
      }),
    ]);
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "non_ucum_unit", severity: "warning", location: "$.valueQuantity" }),
      expect.objectContaining({ code: "fallback_time", severity: "warning", location: "$" }),
    ]);
  });

  it("body-height: 66.899999999999991 [in_i] maps as 66.9, the source text kept", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-body-height.json");
    expect(r.observations).toEqual([
      {
        codings: [{ system: LOINC, code: "8302-2", display: "Body height" }],
        value: 66.9,
        unit: "[in_i]",
        start_at: "1999-07-02T00:00:00Z",
        location: "$.valueQuantity",
        metadata: {
          resource_type: "Observation",
          fhir_id: "body-height",
          status: "final",
          category: ["vital-signs"],
          time_precision: "day",
          value_decimal: "66.899999999999991",
          code_text: "Body height",
        },
      },
    ]);
    expect(r.issues.map((i) => [i.code, i.severity, i.location])).toEqual([
      ["decimal_rounded", "info", "$.valueQuantity.value"],
      ["assumed_timezone", "warning", "$.effectiveDateTime"],
    ]);
    expect(seeded(r.observations[0] as MappedObservation)).toBe("Body height");
  });

  it("a date without offset takes context.timezone, and then no warning", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-body-height.json", { timezone: "America/New_York" });
    expect(r.observations[0]?.start_at).toBe("1999-07-02T00:00:00-04:00");
    expect(issueCodes(r)).toEqual(["decimal_rounded"]);
  });

  it.each([
    ["Observation-body-temperature.json", "8310-5", 36.5, "Cel", "Body temperature"],
    ["Observation-heart-rate.json", "8867-4", 44, "/min", "Heart rate"],
    ["Observation-mbp.json", "8478-0", 80, "mm[Hg]", "Mean blood pressure"],
  ])("%s: %s = %s %s on 1999-07-02", async (file, code, value, unit, variable) => {
    const r = await mapFile(`hl7-r4-examples/${file}`);
    expect(r.observations).toHaveLength(1);
    const o = r.observations[0] as MappedObservation;
    expect(codes(o)).toEqual([`${LOINC}|${code}`]);
    expect([o.value, o.unit, o.start_at, o.location]).toEqual([value, unit, "1999-07-02T00:00:00Z", "$.valueQuantity"]);
    expect(o.metadata?.time_precision).toBe("day");
    expect(seeded(o)).toBe(variable);
  });

  it("satO2: three codings in source order (two LOINC, then MDC), 95 %, reference range 90–99", async () => {
    const o = (await mapFile("hl7-r4-examples/Observation-satO2.json")).observations[0] as MappedObservation;
    expect(codes(o)).toEqual([`${LOINC}|2708-6`, `${LOINC}|59408-5`, `${CODE_SYSTEMS.mdc}|150456`]);
    expect([o.value, o.unit, o.start_at]).toEqual([95, "%", "2014-12-05T09:30:10+01:00"]);
    expect(o.metadata?.reference_range).toEqual([
      {
        low: { value: 90, unit: "%", system: "http://unitsofmeasure.org", code: "%" },
        high: { value: 99, unit: "%", system: "http://unitsofmeasure.org", code: "%" },
      },
    ]);
    expect(seeded(o)).toBe("Oxygen saturation (SpO2)");
  });

  it("abdo-tender: valueBoolean true from an effectivePeriod with only a start", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-abdo-tender.json");
    expect(r.observations).toEqual([
      expect.objectContaining({
        codings: [{ system: SNOMED, code: "43478001", display: "Abdominal tenderness (finding)" }],
        value: true,
        start_at: "2018-04-02T10:30:10+01:00",
        location: "$.valueBoolean",
      }),
    ]);
    expect(r.observations[0]?.end_at).toBeUndefined();
  });

  it("date-lastmp: valueDateTime kept as written, at the effective date", async () => {
    const o = (await mapFile("hl7-r4-examples/Observation-date-lastmp.json")).observations[0] as MappedObservation;
    expect([codes(o), o.value, o.unit, o.start_at, o.location]).toEqual([
      [`${LOINC}|8665-2`],
      "2016-12-30",
      undefined,
      "2016-01-24T00:00:00Z",
      "$.valueDateTime",
    ]);
    expect(o.metadata?.value_type).toBe("dateTime");
    expect(seeded(o)).toBe("Date of last menstrual period");
  });

  it("10minute-apgar-score: the total (10 {score}) and five coded components, each under its own code", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-10minute-apgar-score.json");
    expect(r.observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.location])).toEqual([
      ["9271-8", 10, "{score}", "$.valueQuantity"],
      ["32401-2", "LA6724-4", undefined, "$.component[0].valueCodeableConcept"],
      ["32402-0", "LA6718-6", undefined, "$.component[1].valueCodeableConcept"],
      ["32404-6", "LA6721-0", undefined, "$.component[2].valueCodeableConcept"],
      ["32403-8", "LA6715-2", undefined, "$.component[3].valueCodeableConcept"],
      ["32405-3", "LA6727-7", undefined, "$.component[4].valueCodeableConcept"],
    ]);
    expect(new Set(r.observations.map((o) => o.start_at))).toEqual(new Set(["2016-05-18T22:33:22Z"]));
    const color = r.observations[1] as MappedObservation;
    expect(codes(color)).toEqual([`${LOINC}|32401-2`, `${SNOMED}|249227004`]);
    expect(color.metadata?.value_coding).toEqual([
      { system: LOINC, code: "LA6724-4", display: "Good color all over" },
      { system: "http://acme.ped/apgarcolor", code: "2" },
    ]);
    expect(color.metadata?.panel_codings).toEqual([
      { system: LOINC, code: "9271-8", display: "10 minute Apgar Score" },
      { system: SNOMED, code: "169922007", display: "Apgar at 10 minutes" },
    ]);
    expect(seeded(r.observations[0] as MappedObservation)).toBe("Apgar score at 10 minutes");
  });

  it("blood-pressure-cancel: status cancelled yields nothing, with an info issue", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-blood-pressure-cancel.json");
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ code: "excluded_status", severity: "info", location: "$" })]);
  });

  it.each([["Observation-bgpanel.json"], ["Observation-vitals-panel.json"]])(
    "%s: a panel with only hasMember yields nothing (info)",
    async (file) => {
      const r = await mapFile(`hl7-r4-examples/${file}`);
      expect(r.observations).toEqual([]);
      expect(r.issues).toEqual([
        expect.objectContaining({ code: "panel_without_value", severity: "info", location: "$" }),
      ]);
    },
  );

  it("Observation-decimal (valid R4, beyond the supported decimal range): the same three values are rejected", async () => {
    const r = await mapFile("hl7-r4-examples/Observation-decimal.json");
    expect(r.issues.filter((i) => i.code === "decimal_out_of_range").map((i) => i.message)).toEqual([
      expect.stringContaining("1000000000000000000"),
      expect.stringContaining("1.000000000000000000E-245"),
      expect.stringContaining("-1.000000000000000000E+245"),
    ]);
    expect(r.observations).toEqual([]);
  });
});

describe("hl7-r4-examples: Bundles", () => {
  it("Bundle-report: each of the 13 results once, at its entry, timed by the report's effectiveDateTime", async () => {
    const r = await mapFile("hl7-r4-examples/Bundle-report.json");
    expect(r.observations.map((o) => [o.location, o.codings[0]?.code, o.value, o.unit])).toEqual([
      ["$.entry[1].resource.valueQuantity", "26464-8", 31.9, "K/ul"],
      ["$.entry[2].resource.valueQuantity", "20570-8", 27, "%"],
      ["$.entry[3].resource.valueQuantity", "26515-7", 84, "K/ul"],
      ["$.entry[4].resource.valueCodeableConcept", "75034-9", "10828004", undefined],
      ["$.entry[5].resource.valueCodeableConcept", "54447-8", "260385009", undefined],
      ["$.entry[6].resource.valueCodeableConcept", "55201-8", "260385009", undefined],
      ["$.entry[7].resource.valueCodeableConcept", "30444-4", "10828004", undefined],
      ["$.entry[8].resource.valueCodeableConcept", "47016-1", "10828004", undefined],
      ["$.entry[9].resource.valueCodeableConcept", "49464-1", "10828004", undefined],
      ["$.entry[10].resource.valueCodeableConcept", "49466-6", "260385009", undefined],
      ["$.entry[11].resource.valueCodeableConcept", "33893-9", "46,XX[20]", undefined],
    ]);
    for (const o of r.observations) {
      expect(o.start_at).toBe("2015-01-02T13:20:10+01:00");
      expect(o.metadata).toMatchObject({
        diagnostic_report: "report",
        time_source: "DiagnosticReport.effectiveDateTime",
      });
    }
    // o12 and o13 are named only by text that matches no variable.
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["unknown_code", "$.entry[12].resource.code"],
      ["unknown_code", "$.entry[13].resource.code"],
    ]);
    expect(r.observations.slice(0, 3).map((o) => seeded(o))).toEqual([
      "White blood cell count",
      "Hematocrit",
      "Platelet count",
    ]);
  });

  it("Bundle-lri-example: 16 Observations (7 report results, their members) each mapped once", async () => {
    const r = await mapFile("hl7-r4-examples/Bundle-lri-example.json");
    const ids = r.observations.map((o) => o.metadata?.fhir_id);
    expect([...new Set(ids)]).toEqual([
      "gramstain1",
      "gramstain2",
      "gramstain3",
      "gramstain4",
      "growth1",
      "growth2",
      "growth3",
      "org2-amp",
      "org2-cip",
      "org2-gent",
      "org3-amp",
      "org3-cip",
      "org3-gent",
      "organism1",
      "organism2",
      "organism3",
    ]);
    // Gram stains have two components each; every other Observation one value: 4 × 2 + 12.
    expect(r.observations).toHaveLength(20);
    const gram = r.observations.filter((o) => o.metadata?.fhir_id === "gramstain2");
    expect(gram.map((o) => [o.location, codes(o), o.value])).toEqual([
      ["$.entry[2].resource.component[0].valueCodeableConcept", [`${LOINC}|664-3`], "MOD"],
      ["$.entry[2].resource.component[1].valueCodeableConcept", [`${LOINC}|664-3`], "GPR"],
    ]);
    const amp = r.observations.find((o) => o.metadata?.fhir_id === "org2-amp") as MappedObservation;
    expect(amp).toMatchObject({
      codings: [
        { system: LOINC, code: "28-1" },
        { system: "https://acme.org/codes", code: "AMPMIC" },
      ],
      value: 0.06,
      unit: "ug/mL",
      start_at: "2016-08-18T00:00:00Z",
      comparator: "<",
    });
    expect(amp.metadata?.comparator).toBeUndefined();
    // Results listed by the report (relative ids that do not match the fullUrls) know their report.
    const reported = r.observations.filter((o) => o.metadata?.diagnostic_report === "lri-example");
    expect([...new Set(reported.map((o) => o.metadata?.fhir_id))]).toEqual([
      "gramstain1",
      "gramstain2",
      "gramstain3",
      "gramstain4",
      "organism1",
      "organism2",
      "organism3",
    ]);
  });

  it("Bundle-father (document): nothing mappable, and each reason said", async () => {
    // entry[6]'s drug is named by text only ("Ventolin Inhaler"): a code local to the sender (issue 15),
    // no longer unknown_code; the statement still has no dose.
    const r = await mapFile("hl7-r4-examples/Bundle-father.json");
    expect(r.observations).toEqual([]);
    expect(r.issues.filter((i) => i.severity !== "info").map((i) => [i.code, i.location])).toEqual([
      ["missing_time", "$.entry[4].resource"], // Observation valueString without effective/issued
      ["missing_time", "$.entry[5].resource"], // MedicationRequest without authoredOn
      ["missing_dose", "$.entry[6].resource"],
      ["fallback_time", "$.entry[6].resource"],
    ]);
    expect(r.issues.filter((i) => i.code === "unsupported_resource").map((i) => i.message.split(" ")[0])).toEqual([
      "Composition",
      "Practitioner",
      "Patient",
      "Encounter",
      "AllergyIntolerance",
    ]);
  });

  it("batch-response with nested searchset Bundles, searchset with an OperationOutcome, transaction: no observations", async () => {
    const response = await mapFile("hl7-r4-examples/Bundle-bundle-response-medsallergies.json");
    expect(response.issues.map((i) => [i.code, i.location])).toEqual([["unsupported_resource", "$.entry[0].resource"]]);
    const search = await mapFile("hl7-r4-examples/Bundle-bundle-search-warning.json");
    expect(search.issues.map((i) => i.message.split(" ")[0])).toEqual(["OperationOutcome"]);
    const transaction = await mapFile("hl7-r4-examples/Bundle-bundle-transaction.json");
    expect(transaction.issues.map((i) => [i.message.split(" ")[0], i.location])).toEqual([
      ["Patient", "$.entry[0].resource"],
      ["Parameters", "$.entry[7].resource"],
    ]);
  });
});

describe("hl7-r4-examples and US Core: other resources", () => {
  it("Condition-example: burn of ear present (active, confirmed) from onset", async () => {
    const r = await mapFile("hl7-r4-examples/Condition-example.json");
    expect(r.observations).toEqual([
      {
        codings: [{ system: SNOMED, code: "39065001", display: "Burn of ear" }],
        value: true,
        start_at: "2012-05-24T00:00:00Z",
        location: "$",
        metadata: {
          resource_type: "Condition",
          fhir_id: "example",
          clinical_status: "active",
          verification_status: "confirmed",
          category: ["encounter-diagnosis", "439401001"],
          severity: [{ system: SNOMED, code: "24484000", display: "Severe" }],
          time_precision: "day",
          code_text: "Burnt Ear",
        },
      },
    ]);
    expect(seeded(r.observations[0] as MappedObservation)).toBe("Burn of ear");
  });

  it("US Core encounter diagnosis: no status or onset, so true at recordedDate; SNOMED and ICD-10-CM as given", async () => {
    const o = (await mapFile("us-core/condition-encounter-diagnosis-example1.json"))
      .observations[0] as MappedObservation;
    expect([codes(o), o.value, o.start_at]).toEqual([
      [`${SNOMED}|39065001`, `${CODE_SYSTEMS.icd10cm}|T20.21`],
      true,
      "2015-11-01T00:00:00Z",
    ]);
    expect(o.metadata).toMatchObject({ time_source: "recordedDate", onset_unknown: true });
    expect(seeded(o)).toBe("Burn of ear");
  });

  it("Immunization-example: true on 2013-01-10, the AIR vaccine code, lot and dose in metadata", async () => {
    const r = await mapFile("hl7-r4-examples/Immunization-example.json");
    expect(r.observations).toEqual([
      expect.objectContaining({
        codings: [{ system: "urn:oid:1.2.36.1.2001.1005.17", code: "FLUVAX" }],
        value: true,
        start_at: "2013-01-10T00:00:00Z",
        location: "$",
      }),
    ]);
    expect(r.observations[0]?.unit).toBeUndefined();
    expect(r.observations[0]?.metadata).toMatchObject({
      resource_type: "Immunization",
      status: "completed",
      lot_number: "AAJN11K",
      dose_quantity: { value: 5, system: "http://unitsofmeasure.org", code: "mg" },
      is_subpotent: true,
      primary_source: true,
    });
  });

  it("MedicationRequest-medrx0302: the contained Medication names the drug; the first dosage line gives 2 TAB", async () => {
    const r = await mapFile("hl7-r4-examples/MedicationRequest-medrx0302.json");
    expect(r.observations).toEqual([
      expect.objectContaining({
        codings: [{ system: SNOMED, code: "324252006", display: "Azithromycin 250mg capsule (product)" }],
        value: 2,
        unit: "TAB",
        start_at: "2015-01-15T00:00:00Z",
        location: "$",
      }),
    ]);
    expect(r.observations[0]?.metadata).toMatchObject({
      resource_type: "MedicationRequest",
      intent: "order",
      dosage_text: "Two tablets at once",
      time_source: "authoredOn",
      unit_coding: { system: "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm", code: "TAB" },
    });
    expect(r.issues.find((i) => i.code === "non_ucum_unit")?.location).toBe(
      "$.dosageInstruction[0].doseAndRate[0].doseQuantity",
    );
  });

  it("MedicationStatement-example001: a doseRange (1–2 tablets) is not a dose: missing_dose, nothing mapped", async () => {
    const r = await mapFile("hl7-r4-examples/MedicationStatement-example001.json");
    expect(r.observations).toEqual([]);
    const issue = r.issues.find((i) => i.code === "missing_dose");
    expect(issue).toMatchObject({ severity: "error", location: "$" });
    expect(issue?.message).toContain("doseRange");
  });

  it("US Core medicationrequest-coded-oral-axid: RxNorm 476872, 10 mL at authoredOn", async () => {
    const o = (await mapFile("us-core/medicationrequest-coded-oral-axid.json")).observations[0] as MappedObservation;
    expect([codes(o), o.value, o.unit, o.start_at]).toEqual([
      [`${CODE_SYSTEMS.rxnorm}|476872`],
      10,
      "mL",
      "2008-04-05T00:00:00Z",
    ]);
    expect(o.metadata).toMatchObject({ dosage_text: "10 mL bid", code_text: "Nizatidine 15 MG/ML Oral Solution" });
  });

  it.each([
    ["hl7-r4-examples/DiagnosticReport-102.json", "Observation/bmd"],
    ["us-core/diagnosticreport-cbc.json", "Observation/cbc-leukocytes"],
  ])("%s: results outside the file are listed in one info issue", async (file, first) => {
    const r = await mapFile(file);
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "unresolved_reference", severity: "info", location: "$" }),
    ]);
    expect(r.issues[0]?.message).toContain(first);
  });

  it("Patient-example: unsupported_resource once", async () => {
    const r = await mapFile("hl7-r4-examples/Patient-example.json");
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "unsupported_resource", severity: "info", location: "$" }),
    ]);
  });
});

describe("US Core Observations", () => {
  it("average blood pressure: three components over the effectivePeriod", async () => {
    const r = await mapFile("us-core/Observation-average-blood-pressure.json");
    expect(r.observations.map((o) => [codes(o), o.value, o.unit, o.location])).toEqual([
      [[`${LOINC}|96608-5`], 109, "mm[Hg]", "$.component[0].valueQuantity"],
      [[`${LOINC}|96609-3`], 72, "mm[Hg]", "$.component[1].valueQuantity"],
      [[`${SNOMED}|246432004`], 3, "#", "$.component[2].valueQuantity"],
    ]);
    for (const o of r.observations) {
      expect([o.start_at, o.end_at]).toEqual(["2023-08-03T01:06:52.480Z", "2023-08-06T13:07:01.166Z"]);
      expect(o.metadata?.panel_codings).toEqual([
        { system: LOINC, code: "96607-7", display: "Blood pressure panel mean systolic and mean diastolic" },
      ]);
    }
    expect(r.observations.slice(0, 2).map((o) => seeded(o))).toEqual([
      "Systolic blood pressure",
      "Diastolic blood pressure",
    ]);
  });

  it("satO2-fiO2: the SpO2 value and the oxygen flow-rate component", async () => {
    const r = await mapFile("us-core/observation-satO2-fiO2.json");
    expect(r.observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.start_at, o.location])).toEqual([
      ["2708-6", 95, "%", "2014-12-05T09:30:10+01:00", "$.valueQuantity"],
      ["3151-8", 6, "L/min", "2014-12-05T09:30:10+01:00", "$.component[0].valueQuantity"],
    ]);
    expect(r.observations.map((o) => seeded(o))).toEqual(["Oxygen saturation (SpO2)", "Inhaled oxygen flow rate"]);
  });

  it.each([
    ["observation-cbc-hemoglobin.json", "718-7", 17, "g/dL", "2005-07-05T00:00:00Z", "Hemoglobin"],
    ["observation-serum-glucose.json", "2345-7", 76, "mg/dL", "2005-07-05T00:00:00Z", "Glucose (serum/plasma)"],
    ["Observation-10-minute-apgar-score.json", "9271-8", 10, "1", "2016-05-18T22:33:22Z", "Apgar score at 10 minutes"],
  ])("%s: %s = %s %s", async (file, code, value, unit, start, variable) => {
    const o = (await mapFile(`us-core/${file}`)).observations[0] as MappedObservation;
    expect([codes(o), o.value, o.unit, o.start_at, o.location]).toEqual([
      [`${LOINC}|${code}`],
      value,
      unit,
      start,
      "$.valueQuantity",
    ]);
    expect(seeded(o)).toBe(variable);
  });

  it("pregnancy status: the SNOMED answer code as value, the coding in metadata", async () => {
    const o = (await mapFile("us-core/observation-pregnancy-status.json")).observations[0] as MappedObservation;
    expect([codes(o), o.value, o.start_at]).toEqual([[`${LOINC}|82810-3`], "77386006", "2022-08-24T10:39:52Z"]);
    expect(o.metadata).toMatchObject({
      value_coding: [{ system: SNOMED, code: "77386006", display: "Pregnant" }],
      value_text: "Pregnant",
    });
    expect(seeded(o)).toBe("Pregnancy status");
  });
});

describe("detect", () => {
  const head = (bytes: Uint8Array) => {
    const slice = bytes.subarray(0, 64 * 1024);
    return { head: slice, headText: new TextDecoder().decode(slice).replace(/^\uFEFF/, "") };
  };

  it("is certain for every FHIR JSON file of 01-fhir-r4 (and the FHIR ValueSets of 07)", () => {
    for (const file of [...corpusFiles(FOLDER), ...corpusFiles("07-loinc-terminology")]) {
      expect(
        fhirMapper.detect({ ...head(corpusBytes(file)), name: null, contentType: null }),
        file,
      ).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("scores the other formats of the corpus low (HL7 v2, C-CDA, wearables, CSV, UCUM)", () => {
    const others = ["02-hl7v2", "03-ccda", "04-wearables", "05-csv-exports", "06-ucum"].flatMap((f) => corpusFiles(f));
    expect(others.length).toBeGreaterThan(300);
    for (const file of others) {
      const score = fhirMapper.detect({ ...head(corpusBytes(file)), name: file, contentType: null });
      expect(score, file).toBeLessThan(0.5);
    }
  });

  it("takes media type and name as hints only", () => {
    const none = { head: new Uint8Array(), headText: "", name: null, contentType: null };
    expect(fhirMapper.detect({ ...none, headText: "{}", contentType: "application/fhir+json" })).toBe(0.3);
    expect(fhirMapper.detect({ ...none, headText: '{"a":1}', name: "Observation.ndjson" })).toBe(0.3);
    expect(fhirMapper.detect({ ...none, headText: "MSH|^~\\&|", contentType: "application/fhir+json" })).toBe(0);
    expect(fhirMapper.detect({ ...none, headText: '{"resourceType":"Nonsense"}' })).toBe(0.4);
    expect(fhirMapper.detect({ ...none, headText: '\n  {"resourceType":"Observation"}' })).toBe(0.95);
  });

  it("the 07 ValueSets map to nothing but an unsupported_resource note", async () => {
    for (const file of corpusFiles("07-loinc-terminology")) {
      const r = await mapBytes(corpusBytes(file));
      expect(r.observations, file).toEqual([]);
      expect(issueCodes(r), file).toEqual(["unsupported_resource"]);
    }
  });
});
