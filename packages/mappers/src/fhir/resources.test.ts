/**
 * Cases the corpus does not hold: every Observation value[x] type, effective[x] forms, every Bundle type,
 * DiagnosticReport results (contained and bundled), Condition statuses, medication use, NDJSON streaming.
 * Inputs are written here as JSON text (numbers as FHIR writes them).
 */
import type { MapContext, MapEvent, MappedObservation, MappingIssue } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { fhirMapper } from "./index";

const LOINC = CODE_SYSTEMS.loinc;
const lookup = seedCatalog();
const encoder = new TextEncoder();

interface Result {
  events: MapEvent[];
  observations: MappedObservation[];
  issues: MappingIssue[];
}

function split(events: MapEvent[]): Result {
  return {
    events,
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

async function mapText(text: string, context: Partial<MapContext> = {}, chunk = 5): Promise<Result> {
  return split(await collect(fhirMapper.map(fromBytes(encoder.encode(text), chunk), { lookup, ...context })));
}

const codesOf = (r: Result) => r.issues.map((i) => i.code);

/** An Observation with a LOINC code, a time and the given members (JSON text, e.g. `"valueInteger": 3`). */
function observation(
  members: string,
  code = "8867-4",
  time = '"effectiveDateTime": "2020-01-01T08:00:00+02:00"',
): string {
  return `{"resourceType": "Observation", "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "${code}"}]}${time === "" ? "" : `, ${time}`},
    ${members}}`;
}

describe("Observation value[x]", () => {
  it("valueInteger, valueString, valueBoolean, valueTime", async () => {
    const values = await Promise.all(
      ['"valueInteger": 3', '"valueString": "dark"', '"valueBoolean": false', '"valueTime": "08:30:00"'].map((m) =>
        mapText(observation(m)),
      ),
    );
    expect(values.map((r) => [r.observations[0]?.value, r.observations[0]?.location])).toEqual([
      [3, "$.valueInteger"],
      ["dark", "$.valueString"],
      [false, "$.valueBoolean"],
      ["08:30:00", "$.valueTime"],
    ]);
    expect(values.every((r) => r.issues.length === 0)).toBe(true);
  });

  it("rejects a value that is not of its declared type", async () => {
    const r = await mapText(observation('"valueInteger": 1.5'));
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "invalid_value", severity: "error", location: "$.valueInteger" }),
    ]);
    const t = await mapText(observation('"valueTime": "8:30"'));
    expect(codesOf(t)).toEqual(["invalid_value"]);
  });

  it("valuePeriod as an ISO 8601 interval string", async () => {
    const r = await mapText(observation('"valuePeriod": {"start": "2020-01-01", "end": "2020-01-05"}'));
    expect(r.observations[0]).toMatchObject({
      value: "2020-01-01/2020-01-05",
      metadata: { value_type: "Period", value_period: { start: "2020-01-01", end: "2020-01-05" } },
    });
  });

  it("valueRange: equal bounds are a value, one bound a comparator, two different bounds are not mapped", async () => {
    const q = (v: string) => `{"value": ${v}, "system": "http://unitsofmeasure.org", "code": "kg"}`;
    const equal = await mapText(observation(`"valueRange": {"low": ${q("70")}, "high": ${q("70.0")}}`));
    expect(equal.observations[0]).toMatchObject({ value: 70, unit: "kg", location: "$.valueRange" });
    const low = await mapText(observation(`"valueRange": {"low": ${q("70")}}`));
    // R4 Range: low and high are inclusive, so one bound is >= low or <= high.
    expect(low.observations[0]).toMatchObject({ value: 70, unit: "kg", comparator: ">=" });
    expect(codesOf(low)).toEqual(["value_comparator"]);
    const high = await mapText(observation(`"valueRange": {"high": ${q("90")}}`));
    expect(high.observations[0]?.comparator).toBe("<=");
    // rng-3: low and high are SimpleQuantity, which has no comparator.
    const bad = await mapText(observation(`"valueRange": {"low": {"value": 70, "comparator": ">", "code": "kg"}}`));
    expect(bad.observations).toEqual([]);
    expect(bad.issues.map((i) => [i.code, i.severity])).toContainEqual(["invalid_value", "error"]);
    const both = await mapText(observation(`"valueRange": {"low": ${q("70")}, "high": ${q("90")}}`));
    expect(both.observations).toEqual([]);
    expect(both.issues).toEqual([
      expect.objectContaining({ code: "unsupported_value_range", severity: "error", location: "$.valueRange" }),
    ]);
  });

  it("valueQuantity.comparator: each R4 QuantityComparator code is the stored comparator; another code is an error", async () => {
    for (const comparator of ["<", "<=", ">=", ">"]) {
      const r = await mapText(
        observation(
          `"valueQuantity": {"value": 0.05, "comparator": "${comparator}", "unit": "ng/mL", "system": "http://unitsofmeasure.org", "code": "ng/mL"}`,
        ),
      );
      expect(r.observations).toHaveLength(1);
      expect(r.observations[0]).toMatchObject({ value: 0.05, unit: "ng/mL", comparator });
      expect(r.observations[0]?.metadata?.comparator).toBeUndefined();
      expect(r.issues.map((i) => [i.code, i.severity])).toEqual([["value_comparator", "info"]]);
    }
    const exact = await mapText(
      observation(`"valueQuantity": {"value": 5, "code": "ng/mL", "system": "http://unitsofmeasure.org"}`),
    );
    expect(exact.observations[0]).not.toHaveProperty("comparator");
    // R5 adds `ad` ("sufficient to achieve this total quantity"), a dosing term; "=" and "~" are no codes at all.
    for (const written of ["ad", "=", "~", "<>"]) {
      const r = await mapText(
        observation(`"valueQuantity": {"value": 5, "comparator": "${written}", "code": "ng/mL"}`),
      );
      expect(r.observations).toEqual([]);
      expect(r.issues).toContainEqual(
        expect.objectContaining({
          code: "invalid_comparator",
          severity: "error",
          location: "$.valueQuantity.comparator",
        }),
      );
    }
  });

  it("valueRatio with a bounded numerator is a bounded ratio (<1:64); a bounded denominator is not mapped", async () => {
    const q = (v: number, comparator?: string) =>
      `{"value": ${v}${comparator === undefined ? "" : `, "comparator": "${comparator}"`}}`;
    const below = await mapText(observation(`"valueRatio": {"numerator": ${q(1, "<")}, "denominator": ${q(64)}}`));
    expect(below.observations[0]).toMatchObject({ value: 1 / 64, comparator: "<" });
    const turned = await mapText(observation(`"valueRatio": {"numerator": ${q(1, "<=")}, "denominator": ${q(-2)}}`));
    expect(turned.observations[0]).toMatchObject({ value: -0.5, comparator: ">=" });
    const denominator = await mapText(
      observation(`"valueRatio": {"numerator": ${q(1)}, "denominator": ${q(64, ">")}}`),
    );
    expect(denominator.observations).toEqual([]);
    expect(denominator.issues.map((i) => i.code)).toContain("invalid_value");
  });

  it("valueRatio: numerator ÷ denominator with a composed unit, the ratio kept", async () => {
    const titer = await mapText(
      observation('"valueRatio": {"numerator": {"value": 1}, "denominator": {"value": 128}}'),
    );
    expect(titer.observations[0]).toMatchObject({
      value: 1 / 128,
      metadata: { value_ratio: { numerator: { value: 1 }, denominator: { value: 128 } } },
    });
    expect(titer.observations[0]?.unit).toBeUndefined();
    const u = (v: number, c: string) => `{"value": ${v}, "system": "http://unitsofmeasure.org", "code": "${c}"}`;
    const conc = await mapText(observation(`"valueRatio": {"numerator": ${u(5, "mg")}, "denominator": ${u(2, "mL")}}`));
    expect(conc.observations[0]).toMatchObject({ value: 2.5, unit: "mg/mL" });
    const perHour = await mapText(
      observation(`"valueRatio": {"numerator": ${u(3, "mg")}, "denominator": ${u(1, "h.kg")}}`),
    );
    expect(perHour.observations[0]?.unit).toBe("mg/(h.kg)");
    const zero = await mapText(observation('"valueRatio": {"numerator": {"value": 1}, "denominator": {"value": 0}}'));
    expect(codesOf(zero)).toEqual(["invalid_value"]);
  });

  it("valueSampledData: one value per point at start + i × period, E/L/U skipped", async () => {
    const r = await mapText(
      observation(
        `"valueSampledData": {"origin": {"value": 0.5, "system": "http://unitsofmeasure.org", "code": "mV"},
          "period": 10, "factor": 2, "dimensions": 1, "data": "1 2 E 3"}`,
      ),
    );
    expect(r.observations.map((o) => [o.value, o.unit, o.start_at, o.location, o.metadata?.sample_index])).toEqual([
      [2.5, "mV", "2020-01-01T08:00:00+02:00", "$.valueSampledData.data[0]", 0],
      [4.5, "mV", "2020-01-01T08:00:00.01+02:00", "$.valueSampledData.data[1]", 1],
      [6.5, "mV", "2020-01-01T08:00:00.03+02:00", "$.valueSampledData.data[3]", 3],
    ]);
    expect(r.issues).toEqual([expect.objectContaining({ code: "sampled_data_gaps", severity: "info" })]);
  });

  it("valueSampledData with two dimensions interleaves, and needs origin, period and data", async () => {
    const r = await mapText(
      observation(`"valueSampledData": {"origin": {"value": 0}, "period": 1000, "dimensions": 2, "data": "1 2 3 4"}`),
    );
    expect(r.observations.map((o) => [o.value, o.start_at, o.metadata?.sample_dimension])).toEqual([
      [1, "2020-01-01T08:00:00+02:00", 0],
      [2, "2020-01-01T08:00:00+02:00", 1],
      [3, "2020-01-01T08:00:01+02:00", 0],
      [4, "2020-01-01T08:00:01+02:00", 1],
    ]);
    const missing = await mapText(observation('"valueSampledData": {"origin": {"value": 0}, "data": "1 2"}'));
    expect(missing.observations).toEqual([]);
    expect(missing.issues).toEqual([expect.objectContaining({ code: "invalid_sampled_data", severity: "error" })]);
  });

  it("a value[x] type R4 does not define is reported", async () => {
    const r = await mapText(observation('"valueAttachment": {"url": "x"}'));
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "unsupported_value_type", location: "$.valueAttachment" }),
    ]);
  });

  it("a numeric string where FHIR wants a number is read, with a warning", async () => {
    const r = await mapText(observation('"valueQuantity": {"value": "6.30", "unit": "mmol/L"}'));
    expect(r.observations[0]).toMatchObject({ value: 6.3, unit: "mmol/L", metadata: { value_decimal: "6.30" } });
    expect(codesOf(r)).toEqual(["decimal_as_string"]);
  });

  it("a Quantity without a value is a missing value", async () => {
    const r = await mapText(observation('"valueQuantity": {"unit": "kg"}'));
    expect(r.observations).toEqual([]);
    expect(codesOf(r)).toEqual(["missing_value"]);
  });
});

describe("Observation time, status and naming", () => {
  it("effectiveInstant and a Period with only an end", async () => {
    const instant = await mapText(
      observation('"valueInteger": 1', "8867-4", '"effectiveInstant": "2020-01-01T08:00:00.123Z"'),
    );
    expect(instant.observations[0]?.start_at).toBe("2020-01-01T08:00:00.123Z");
    const endOnly = await mapText(
      observation('"valueInteger": 1', "8867-4", '"effectivePeriod": {"end": "2020-01-02T00:00:00Z"}'),
    );
    expect(endOnly.observations[0]?.start_at).toBe("2020-01-02T00:00:00Z");
    expect(endOnly.observations[0]?.end_at).toBeUndefined();
    expect(codesOf(endOnly)).toEqual(["period_without_start"]);
  });

  it("effectiveTiming is not a time of observation: error, nothing mapped (no fallback to issued)", async () => {
    const r = await mapText(
      observation(
        '"valueInteger": 1, "issued": "2020-01-01T00:00:00Z"',
        "8867-4",
        '"effectiveTiming": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}',
      ),
    );
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({ code: "unsupported_timing", severity: "error", location: "$.effectiveTiming" }),
      expect.objectContaining({ code: "missing_time", severity: "error", location: "$" }),
    ]);
  });

  it("no time at all: missing_time, nothing mapped", async () => {
    const r = await mapText(observation('"valueInteger": 1', "8867-4", ""));
    expect(r.observations).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ code: "missing_time", severity: "error" })]);
  });

  it("entered-in-error and dataAbsentReason yield nothing", async () => {
    const error = await mapText(observation('"valueInteger": 1').replace('"final"', '"entered-in-error"'));
    expect([error.observations, codesOf(error)]).toEqual([[], ["excluded_status"]]);
    const absent = await mapText(
      observation(
        '"dataAbsentReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "asked-unknown"}]}',
      ),
    );
    expect(absent.observations).toEqual([]);
    expect(absent.issues).toEqual([expect.objectContaining({ code: "data_absent", severity: "info" })]);
    expect(absent.issues[0]?.message).toContain("asked-unknown");
  });

  it("LOINC codings first, OID aliases folded to the R4 URIs, a text-only code matched by label", async () => {
    const r =
      await mapText(`{"resourceType": "Observation", "status": "final", "effectiveDateTime": "2020-01-01T00:00:00Z",
      "code": {"coding": [{"system": "http://acme.org/lab", "code": "HR"}, {"system": "urn:oid:2.16.840.1.113883.6.1", "code": "8867-4"}]},
      "valueQuantity": {"value": 60, "system": "http://unitsofmeasure.org", "code": "/min"}}`);
    expect(r.observations[0]?.codings).toEqual([
      { system: LOINC, code: "8867-4" },
      { system: "http://acme.org/lab", code: "HR" },
    ]);
    const text =
      await mapText(`{"resourceType": "Observation", "status": "final", "effectiveDateTime": "2020-01-01T00:00:00Z",
      "code": {"text": "Heart rate"}, "valueQuantity": {"value": 60, "unit": "/min"}}`);
    expect(text.observations[0]).toMatchObject({
      codings: [],
      variable_id: lookup.byLabel("Heart rate")?.id,
      value: 60,
      metadata: { code_text: "Heart rate" },
    });
  });

  it("an Observation's note becomes the observation note", async () => {
    const r = await mapText(observation('"valueInteger": 1, "note": [{"text": "after exercise"}, {"text": "seated"}]'));
    expect(r.observations[0]?.note).toBe("after exercise\nseated");
  });

  it("one assumed_timezone warning per file, however many times lack an offset", async () => {
    const bundle = `{"resourceType": "Bundle", "type": "collection", "entry": [
      {"resource": ${observation('"valueInteger": 1', "8867-4", '"effectiveDateTime": "2020-01-01"')}},
      {"resource": ${observation('"valueInteger": 2', "8867-4", '"effectiveDateTime": "2020-01-02"')}}]}`;
    const r = await mapText(bundle);
    expect(r.observations.map((o) => o.start_at)).toEqual(["2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"]);
    expect(codesOf(r)).toEqual(["assumed_timezone"]);
    const zoned = await mapText(bundle, { timezone: "+05:30" });
    expect(zoned.observations.map((o) => o.start_at)).toEqual([
      "2020-01-01T00:00:00+05:30",
      "2020-01-02T00:00:00+05:30",
    ]);
    expect(zoned.issues).toEqual([]);
  });
});

describe("Bundles and references", () => {
  const obs = (id: string, value: number, time = '"effectiveDateTime": "2020-01-01T00:00:00Z"') =>
    observation(`"id": "${id}", "valueInteger": ${value}`, "8867-4", time);

  it.each([
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
  ])("a %s Bundle maps its entries", async (type) => {
    const r = await mapText(`{"resourceType": "Bundle", "type": "${type}", "entry": [
      {"fullUrl": "urn:uuid:a", "resource": ${obs("a", 1)}}, {"fullUrl": "urn:uuid:b", "resource": ${obs("b", 2)}}]}`);
    expect(r.observations.map((o) => [o.value, o.location])).toEqual([
      [1, "$.entry[0].resource.valueInteger"],
      [2, "$.entry[1].resource.valueInteger"],
    ]);
    expect(r.issues).toEqual([]);
  });

  it("history: only the newest version of each resource; a newest DELETE removes it", async () => {
    const r = await mapText(`{"resourceType": "Bundle", "type": "history", "entry": [
      {"fullUrl": "http://x/Observation/a", "resource": ${obs("a", 2)}, "request": {"method": "PUT", "url": "Observation/a"}},
      {"fullUrl": "http://x/Observation/a", "resource": ${obs("a", 1)}, "request": {"method": "POST", "url": "Observation"}},
      {"fullUrl": "http://x/Observation/b", "request": {"method": "DELETE", "url": "Observation/b"}},
      {"fullUrl": "http://x/Observation/b", "resource": ${obs("b", 5)}, "request": {"method": "POST", "url": "Observation"}}]}`);
    expect(r.observations.map((o) => [o.value, o.location])).toEqual([[2, "$.entry[0].resource.valueInteger"]]);
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["superseded_version", "$.entry[1]"],
      ["superseded_version", "$.entry[3]"],
    ]);
  });

  it("message and searchset Bundles nested in a batch-response; a resource listed twice maps once", async () => {
    const r = await mapText(`{"resourceType": "Bundle", "type": "batch-response", "entry": [
      {"resource": {"resourceType": "Bundle", "type": "message", "entry": [
        {"resource": {"resourceType": "MessageHeader", "eventCoding": {"code": "x"}}},
        {"fullUrl": "urn:uuid:1", "resource": ${obs("a", 1)}}]}, "response": {"status": "200"}},
      {"resource": {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"fullUrl": "urn:uuid:1", "resource": ${obs("a", 1)}, "search": {"mode": "match"}},
        {"fullUrl": "urn:uuid:2", "resource": ${obs("b", 2)}, "search": {"mode": "include"}}]}, "response": {"status": "200"}}]}`);
    expect(r.observations.map((o) => [o.value, o.location])).toEqual([
      [1, "$.entry[0].resource.entry[1].resource.valueInteger"],
      [2, "$.entry[1].resource.entry[1].resource.valueInteger"],
    ]);
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["duplicate_resource", "$.entry[1].resource.entry[0].resource"],
      ["unsupported_resource", "$.entry[0].resource.entry[0].resource"],
    ]);
  });

  it("DiagnosticReport: contained results map at the report, bundled results at their entry, each once, timed by the report", async () => {
    const untimed = (id: string, v: number) => obs(id, v, "");
    const r = await mapText(`{"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "urn:uuid:b", "resource": ${untimed("b", 2)}},
      {"fullUrl": "urn:uuid:r", "resource": {"resourceType": "DiagnosticReport", "id": "rep", "status": "final",
        "code": {"text": "panel"}, "effectivePeriod": {"start": "2021-03-01T10:00:00+01:00", "end": "2021-03-01T11:00:00+01:00"},
        "contained": [${untimed("c", 1)}],
        "result": [{"reference": "#c"}, {"reference": "urn:uuid:b"}, {"reference": "Observation/zz"}]}},
      {"fullUrl": "urn:uuid:d", "resource": ${untimed("d", 4)}}]}`);
    expect(
      r.observations.map((o) => [o.value, o.location, o.start_at, o.end_at, o.metadata?.diagnostic_report]),
    ).toEqual([
      [2, "$.entry[0].resource.valueInteger", "2021-03-01T10:00:00+01:00", "2021-03-01T11:00:00+01:00", "rep"],
      [
        1,
        "$.entry[1].resource.contained[0].valueInteger",
        "2021-03-01T10:00:00+01:00",
        "2021-03-01T11:00:00+01:00",
        "rep",
      ],
    ]);
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["unresolved_reference", "$.entry[1].resource"],
      ["missing_time", "$.entry[2].resource"], // not a result of the report: no time
    ]);
  });

  it("a panel's contained members (hasMember #id) are mapped", async () => {
    const r =
      await mapText(`{"resourceType": "Observation", "status": "final", "effectiveDateTime": "2020-01-01T00:00:00Z",
      "code": {"coding": [{"system": "http://loinc.org", "code": "85353-1"}]},
      "contained": [${obs("m1", 7)}], "hasMember": [{"reference": "#m1"}]}`);
    expect(r.observations.map((o) => [o.value, o.location])).toEqual([[7, "$.contained[0].valueInteger"]]);
    expect(codesOf(r)).toEqual(["panel_without_value"]);
  });

  it("an entry that is not a resource, and a value that is not an object", async () => {
    const r = await mapText(
      '{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": 5}, {"resource": {"id": "x"}}]}',
    );
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["not_a_resource", "$.entry[0].resource"],
      ["not_a_resource", "$.entry[1].resource"],
    ]);
    expect(codesOf(await mapText("[1, 2]"))).toEqual(["not_a_resource"]);
  });
});

describe("Condition", () => {
  const condition = (members: string) =>
    `{"resourceType": "Condition", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}, ${members}}`;
  const clinical = (code: string) =>
    `"clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "${code}"}]}`;
  const verification = (code: string) =>
    `"verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "${code}"}]}`;

  it("resolved with onset and abatement: present over [onset, abatement]", async () => {
    const r = await mapText(
      condition(
        `${clinical("resolved")}, "onsetDateTime": "2010-05-01T00:00:00Z", "abatementDateTime": "2012-01-01T00:00:00Z"`,
      ),
    );
    expect(r.observations[0]).toMatchObject({
      value: true,
      start_at: "2010-05-01T00:00:00Z",
      end_at: "2012-01-01T00:00:00Z",
      metadata: { clinical_status: "resolved" },
    });
  });

  it("resolved without onset: false at abatement; refuted: false at recordedDate; entered-in-error: nothing", async () => {
    const resolved = await mapText(condition(`${clinical("resolved")}, "abatementDateTime": "2012-01-01T00:00:00Z"`));
    expect(resolved.observations[0]).toMatchObject({ value: false, start_at: "2012-01-01T00:00:00Z" });
    const inactive = await mapText(
      condition(
        `${clinical("inactive")}, "onsetDateTime": "2010-01-01T00:00:00Z", "recordedDate": "2014-01-01T00:00:00Z"`,
      ),
    );
    // Present from onset, ended somewhere before recordedDate: the known presence is kept.
    expect(inactive.observations).toEqual([
      expect.objectContaining({
        value: true,
        start_at: "2010-01-01T00:00:00Z",
        metadata: expect.objectContaining({
          clinical_status: "inactive",
          abatement_unknown: true,
          not_present_as_of: "2014-01-01T00:00:00Z",
        }),
      }),
    ]);
    expect(inactive.observations[0]).not.toHaveProperty("end_at");
    const onsetOnly = await mapText(condition(`${clinical("remission")}, "onsetDateTime": "2010-01-01T00:00:00Z"`));
    expect(onsetOnly.observations[0]).toMatchObject({ value: true, start_at: "2010-01-01T00:00:00Z" });
    const refuted = await mapText(
      condition(
        `${verification("refuted")}, "onsetDateTime": "2010-01-01T00:00:00Z", "recordedDate": "2011-01-01T00:00:00Z"`,
      ),
    );
    expect(refuted.observations[0]).toMatchObject({
      value: false,
      start_at: "2011-01-01T00:00:00Z",
      metadata: { verification_status: "refuted", time_source: "recordedDate" },
    });
    const error = await mapText(condition(`${verification("entered-in-error")}, "onsetDateTime": "2010-01-01"`));
    expect([error.observations, codesOf(error)]).toEqual([[], ["excluded_status"]]);
  });

  it("present over [onset, abatement) for every abatement[x] that is a time; an abatement that is not leaves the end unknown", async () => {
    const cases: Array<[string, string | undefined]> = [
      [`"abatementDateTime": "2012-01-01"`, "2012-01-01T00:00:00Z"],
      [`"abatementPeriod": {"start": "2012-01-01T00:00:00Z", "end": "2012-02-01T00:00:00Z"}`, "2012-01-01T00:00:00Z"],
      [`"abatementAge": {"value": 60, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"}`, undefined],
      [`"abatementString": "in her sixties"`, undefined],
      [`"abatementBoolean": true`, undefined],
    ];
    for (const [abatement, end] of cases) {
      const r = await mapText(
        condition(`${clinical("resolved")}, "onsetPeriod": {"start": "2010-05-01T00:00:00Z"}, ${abatement}`),
      );
      expect(r.observations).toHaveLength(1);
      const o = r.observations[0];
      expect([abatement, o?.value, o?.start_at, o?.end_at]).toEqual([abatement, true, "2010-05-01T00:00:00Z", end]);
      if (end === undefined) expect(o?.metadata).toMatchObject({ abatement_unknown: true });
    }
    const active = await mapText(condition(`${clinical("active")}, "onsetDateTime": "2010-05-01T00:00:00Z"`));
    expect(active.observations[0]).toMatchObject({ value: true, start_at: "2010-05-01T00:00:00Z" });
    expect(active.observations[0]?.metadata).not.toHaveProperty("abatement_unknown");
    const noOnset = await mapText(condition(`${clinical("resolved")}, "recordedDate": "2014-01-01T00:00:00Z"`));
    expect(noOnset.observations[0]).toMatchObject({ value: false, start_at: "2014-01-01T00:00:00Z" });
  });

  it("onsetAge is kept in metadata and recordedDate gives the time; no time at all is missing_time", async () => {
    const age = await mapText(
      condition(
        `"onsetAge": {"value": 52, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"}, "recordedDate": "2015-01-01T00:00:00Z"`,
      ),
    );
    expect(age.observations[0]).toMatchObject({
      value: true,
      start_at: "2015-01-01T00:00:00Z",
      metadata: {
        onset: { value: 52, unit: "a", system: "http://unitsofmeasure.org", code: "a" },
        onset_unknown: true,
        time_source: "recordedDate",
      },
    });
    const none = await mapText(condition(clinical("active")));
    expect(none.issues).toEqual([expect.objectContaining({ code: "missing_time", severity: "error" })]);
  });
});

describe("Medication use and Immunization", () => {
  const rx = (code: string) => `{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "${code}"}`;

  it("MedicationAdministration with a bundled Medication (RxNorm first), dose and effectivePeriod", async () => {
    const r = await mapText(`{"resourceType": "Bundle", "type": "transaction", "entry": [
      {"fullUrl": "http://h/fhir/MedicationAdministration/ma1", "resource": {"resourceType": "MedicationAdministration", "id": "ma1",
        "status": "completed", "medicationReference": {"reference": "Medication/med1"},
        "effectivePeriod": {"start": "2020-02-01T08:00:00Z", "end": "2020-02-01T08:30:00Z"},
        "dosage": {"dose": {"value": 500, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"},
          "route": {"coding": [{"system": "http://snomed.info/sct", "code": "47625008"}]}}},
        "request": {"method": "POST", "url": "MedicationAdministration"}},
      {"fullUrl": "http://h/fhir/Medication/med1", "resource": {"resourceType": "Medication", "id": "med1",
        "code": {"coding": [{"system": "http://acme.org/formulary", "code": "PARA500"}, ${rx("161")}]}},
        "request": {"method": "POST", "url": "Medication"}}]}`);
    expect(r.issues).toEqual([]);
    expect(r.observations).toEqual([
      {
        codings: [
          { system: CODE_SYSTEMS.rxnorm, code: "161" },
          { system: "http://acme.org/formulary", code: "PARA500" },
        ],
        value: 500,
        unit: "mg",
        start_at: "2020-02-01T08:00:00Z",
        end_at: "2020-02-01T08:30:00Z",
        location: "$.entry[0].resource",
        metadata: {
          resource_type: "MedicationAdministration",
          fhir_id: "ma1",
          status: "completed",
          route: [{ system: "http://snomed.info/sct", code: "47625008" }],
        },
      },
    ]);
    expect(lookup.byCoding(CODE_SYSTEMS.rxnorm, "161")?.name).toBe("Acetaminophen (paracetamol)");
  });

  it("MedicationAdministration not-done yields nothing; without a dose: missing_dose", async () => {
    const ma = (members: string) =>
      `{"resourceType": "MedicationAdministration", "medicationCodeableConcept": {"coding": [${rx("161")}]},
        "effectiveDateTime": "2020-02-01T08:00:00Z", ${members}}`;
    expect(codesOf(await mapText(ma('"status": "not-done"')))).toEqual(["excluded_status"]);
    const noDose = await mapText(ma('"status": "completed"'));
    expect(noDose.observations).toEqual([]);
    expect(noDose.issues).toEqual([expect.objectContaining({ code: "missing_dose", severity: "error" })]);
  });

  it("MedicationStatement: dosage.doseAndRate.doseQuantity at effectiveDateTime; an unresolvable Medication is an error", async () => {
    const ok = await mapText(`{"resourceType": "MedicationStatement", "status": "completed",
      "medicationCodeableConcept": {"coding": [${rx("161")}]}, "effectiveDateTime": "2020-02-01T22:00:00-05:00",
      "dosage": [{"text": "1 tab", "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tbl}"}}]}]}`);
    expect(ok.observations[0]).toMatchObject({ value: 1, unit: "{tbl}", start_at: "2020-02-01T22:00:00-05:00" });
    const missing = await mapText(`{"resourceType": "MedicationStatement", "status": "active",
      "medicationReference": {"reference": "Medication/nowhere"}, "effectiveDateTime": "2020-02-01",
      "dosage": [{"doseAndRate": [{"doseQuantity": {"value": 1}}]}]}`);
    expect(missing.observations).toEqual([]);
    expect(missing.issues.map((i) => i.code)).toContain("unresolved_medication");
  });

  it("Immunization: CVX first; not-done yields nothing; occurrenceString is no time", async () => {
    const im = (members: string) => `{"resourceType": "Immunization", "vaccineCode": {"coding": [
      {"system": "http://hl7.org/fhir/sid/ndc", "code": "49281-0703-55"}, {"system": "http://hl7.org/fhir/sid/cvx", "code": "141"}]},
      ${members}}`;
    const done = await mapText(im('"status": "completed", "occurrenceDateTime": "2021-10-01T09:00:00-04:00"'));
    expect(done.observations[0]).toMatchObject({
      codings: [
        { system: CODE_SYSTEMS.cvx, code: "141" },
        { system: "http://hl7.org/fhir/sid/ndc", code: "49281-0703-55" },
      ],
      value: true,
      start_at: "2021-10-01T09:00:00-04:00",
    });
    expect(lookup.byCoding(CODE_SYSTEMS.cvx, "141")?.name).toBe("Influenza vaccine");
    expect(codesOf(await mapText(im('"status": "not-done", "occurrenceDateTime": "2021-10-01"')))).toEqual([
      "excluded_status",
    ]);
    const text = await mapText(im('"status": "completed", "occurrenceString": "last autumn"'));
    expect(text.issues).toEqual([expect.objectContaining({ code: "missing_time" })]);
  });
});

describe("files that are not (valid) FHIR JSON", () => {
  it("empty, whitespace, garbage, deep nesting: issues, never a throw", async () => {
    expect(codesOf(await mapText(""))).toEqual(["empty_file"]);
    expect(codesOf(await mapText("\n  \n"))).toEqual(["empty_file"]);
    expect(codesOf(await mapText("\u0000\u0001binary"))).toEqual(["invalid_json"]);
    expect(codesOf(await mapText("[".repeat(100_000)))).toEqual(["invalid_json"]);
    expect(codesOf(await mapText('{"resourceType": "Observation", "code": {}} trailing'))).toEqual(["invalid_json"]);
  });

  it("a duplicate property is a warning; the last value is used", async () => {
    const r = await mapText(observation('"valueInteger": 1,\n"valueInteger": 2'));
    expect(r.observations[0]?.value).toBe(2);
    expect(r.issues).toEqual([expect.objectContaining({ code: "duplicate_property", location: "line 4" })]);
  });

  it("a byte-order mark is ignored", async () => {
    const r = await mapText(`\uFEFF${observation('"valueInteger": 1')}`);
    expect(r.observations).toHaveLength(1);
  });
});

describe("NDJSON (FHIR Bulk Data)", () => {
  const files = [
    "hl7-r4-examples/Observation-f001.json",
    "hl7-r4-examples/Observation-heart-rate.json",
    "hl7-r4-examples/Condition-example.json",
    "hl7-r4-examples/Immunization-example.json",
    "us-core/observation-satO2-fiO2.json",
    "us-core/medicationrequest-coded-oral-axid.json",
  ];
  /** Each corpus resource minified onto one line (as Bulk Data writes them). */
  const resourceLines = files.map((f) =>
    JSON.stringify(JSON.parse(new TextDecoder().decode(corpusBytes(`01-fhir-r4/${f}`)))),
  );

  it("maps each line as its own resource, in 7-byte chunks, with `line N` locations", async () => {
    const ndjson = `${resourceLines.join("\n")}\n`;
    const r = await mapText(ndjson, {}, 7);
    // The same observations as mapping each file alone, located by line.
    const expected: MappedObservation[] = [];
    for (const [i, line] of resourceLines.entries()) {
      const single = await mapText(line);
      for (const o of single.observations) expected.push({ ...o, location: `line ${i + 1} ${o.location}` });
    }
    expect(r.observations).toEqual(expected);
    expect(r.observations.map((o) => [o.location, o.codings[0]?.code, o.value, o.unit, o.start_at])).toEqual([
      ["line 1 $.valueQuantity", "15074-8", 6.3, "mmol/L", "2013-04-02T09:30:10+01:00"],
      ["line 2 $.valueQuantity", "8867-4", 44, "/min", "1999-07-02T00:00:00Z"],
      ["line 3 $", "39065001", true, undefined, "2012-05-24T00:00:00Z"],
      ["line 4 $", "FLUVAX", true, undefined, "2013-01-10T00:00:00Z"],
      ["line 5 $.valueQuantity", "2708-6", 95, "%", "2014-12-05T09:30:10+01:00"],
      ["line 5 $.component[0].valueQuantity", "3151-8", 6, "L/min", "2014-12-05T09:30:10+01:00"],
      ["line 6 $", "476872", 10, "mL", "2008-04-05T00:00:00Z"],
    ]);
    // One assumed-timezone warning for the whole file.
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([["assumed_timezone", "line 2 $.effectiveDateTime"]]);
  });

  it("a broken line is reported by number; the lines around it still map; blank lines and CRLF are fine", async () => {
    const ndjson = [resourceLines[0], "", '{"resourceType": "Observation", "status": ', resourceLines[1]].join("\r\n");
    const r = await mapText(ndjson, {}, 3);
    expect(r.observations.map((o) => o.location)).toEqual(["line 1 $.valueQuantity", "line 4 $.valueQuantity"]);
    expect(r.issues.map((i) => [i.code, i.location])).toEqual([
      ["invalid_json", "line 3"],
      ["assumed_timezone", "line 4 $.effectiveDateTime"],
    ]);
    expect(r.issues[0]?.message).toContain("column 43");
  });

  it("streams: the first line's observations arrive before the rest of the file is read", async () => {
    let pulled = 0;
    const total = 200;
    async function* source(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield encoder.encode(`${resourceLines[0]}\n`);
      }
    }
    let pulledAtFirst = -1;
    let count = 0;
    for await (const event of fhirMapper.map(source(), { lookup })) {
      if (event.kind !== "observation") continue;
      if (count === 0) pulledAtFirst = pulled;
      count++;
    }
    expect(count).toBe(total);
    expect(pulledAtFirst).toBeLessThanOrEqual(3);
  });

  it("a single line is one document (locations without a line prefix)", async () => {
    const r = await mapText(`${resourceLines[0]}\n\n`);
    expect(r.observations[0]?.location).toBe("$.valueQuantity");
  });
});
