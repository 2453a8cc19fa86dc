/**
 * The openEHR mapper on compositions built from the openEHR Reference Model (EHR IM: COMPOSITION,
 * OBSERVATION, HISTORY, POINT_EVENT/INTERVAL_EVENT, ITEM_TREE, CLUSTER, ELEMENT; Data Types IM:
 * DV_QUANTITY, DV_PROPORTION, DV_DATE_TIME, DV_CODED_TEXT) and the CKM archetypes' node ids, in
 * canonical JSON and FLAT, and on the corpus's openEHR SDK compositions.
 */
import type { MapContext, MapEvent, MappedObservation, MappingIssue } from "@dfda/core";
import { describe, expect, it } from "vitest";
import { corpusBytes } from "../../test/corpus";
import { detectFormat } from "../index";
import { collect, fromBytes } from "../util/stream";
import { normalizeDateTime } from "./common";
import { openehrMapper } from "./index";

const lookup = { byLabel: () => null };

async function map(doc: unknown, context: Partial<MapContext> = {}) {
  const bytes = doc instanceof Uint8Array ? doc : new TextEncoder().encode(JSON.stringify(doc));
  const events: MapEvent[] = await collect(openehrMapper.map(fromBytes(bytes, 1000), { lookup, ...context }));
  const observations: MappedObservation[] = [];
  const issues: MappingIssue[] = [];
  for (const e of events) {
    if (e.kind === "observation") observations.push(e.observation);
    else issues.push(e.issue);
  }
  return { observations, issues };
}

const summary = (o: MappedObservation) => [o.codings[0]?.code, o.value, o.unit, o.start_at];

// RM builders. `_type` is left out where ITS-JSON lets it be implied, to prove it is not relied on.
const text = (value: string) => ({ _type: "DV_TEXT", value });
const quantity = (magnitude: number, units: string, extra: Record<string, unknown> = {}) => ({
  _type: "DV_QUANTITY",
  magnitude,
  units,
  ...extra,
});
const element = (node: string, value: unknown, name = "x") => ({
  _type: "ELEMENT",
  name: text(name),
  archetype_node_id: node,
  value,
});
const tree = (node: string, items: unknown[]) => ({
  _type: "ITEM_TREE",
  name: text("Tree"),
  archetype_node_id: node,
  items,
});
const point = (node: string, time: string, data: unknown) => ({
  _type: "POINT_EVENT",
  name: text("Any event"),
  archetype_node_id: node,
  time: { _type: "DV_DATE_TIME", value: time },
  data,
});
const observation = (archetype: string, historyNode: string, events: unknown[], origin = "2024-01-01T00:00:00Z") => ({
  _type: "OBSERVATION",
  name: text(archetype),
  archetype_node_id: archetype,
  archetype_details: { archetype_id: { value: archetype }, rm_version: "1.0.4" },
  language: { terminology_id: { value: "ISO_639-1" }, code_string: "en" },
  encoding: { terminology_id: { value: "IANA_character-sets" }, code_string: "UTF-8" },
  subject: { _type: "PARTY_SELF" },
  data: { _type: "HISTORY", name: text("History"), archetype_node_id: historyNode, origin: { value: origin }, events },
});
const composition = (content: unknown[], facility = "Acme Clinic") => ({
  _type: "COMPOSITION",
  name: text("Vital signs"),
  archetype_node_id: "openEHR-EHR-COMPOSITION.encounter.v1",
  archetype_details: {
    archetype_id: { value: "openEHR-EHR-COMPOSITION.encounter.v1" },
    template_id: { value: "vitals.v1" },
  },
  language: { terminology_id: { value: "ISO_639-1" }, code_string: "en" },
  territory: { terminology_id: { value: "ISO_3166-1" }, code_string: "DE" },
  category: {
    _type: "DV_CODED_TEXT",
    value: "event",
    defining_code: { terminology_id: { value: "openehr" }, code_string: "433" },
  },
  composer: { _type: "PARTY_IDENTIFIED", name: "Dr. Who" },
  context: {
    start_time: { value: "2024-01-01T08:00:00+01:00" },
    setting: { value: "other care", defining_code: { terminology_id: { value: "openehr" }, code_string: "238" } },
    health_care_facility: { name: facility },
  },
  content,
});

describe("openEHR canonical JSON", () => {
  it("maps every archetype's elements by node id, with UCUM units and the event's offset", async () => {
    const t = "2024-03-10T07:30:00+01:00";
    const doc = composition([
      {
        _type: "SECTION",
        name: text("Vital signs"),
        archetype_node_id: "openEHR-EHR-SECTION.adhoc.v1",
        items: [
          observation("openEHR-EHR-OBSERVATION.blood_pressure.v2", "at0001", [
            point(
              "at0006",
              t,
              tree("at0003", [
                element("at0004", quantity(120, "mm[Hg]"), "Systolisch"),
                element("at0005", quantity(80, "mmHg"), "Diastolisch"),
                element("at1006", quantity(93, "mm[Hg]")),
                element("at0033", text("a comment")),
              ]),
            ),
          ]),
          observation("openEHR-EHR-OBSERVATION.pulse.v2", "at0002", [
            point("at0003", t, tree("at0001", [element("at0004", quantity(72, "/min"))])),
          ]),
          observation("openEHR-EHR-OBSERVATION.body_weight.v2", "at0002", [
            point("at0003", t, tree("at0001", [element("at0004", quantity(70.5, "kg"))])),
          ]),
          observation("openEHR-EHR-OBSERVATION.height.v2", "at0001", [
            point("at0002", t, tree("at0003", [element("at0004", quantity(180, "cm"))])),
          ]),
          observation("openEHR-EHR-OBSERVATION.body_temperature.v2", "at0002", [
            point("at0003", t, tree("at0001", [element("at0004", quantity(37.2, "°C"))])),
          ]),
          observation("openEHR-EHR-OBSERVATION.pulse_oximetry.v1", "at0001", [
            point(
              "at0002",
              t,
              tree("at0003", [element("at0006", { _type: "DV_PROPORTION", numerator: 97, denominator: 100, type: 2 })]),
            ),
          ]),
        ],
      },
    ]);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map(summary)).toEqual([
      ["8480-6", 120, "mm[Hg]", t],
      ["8462-4", 80, "mm[Hg]", t],
      ["8478-0", 93, "mm[Hg]", t],
      ["8867-4", 72, "/min", t],
      ["29463-7", 70.5, "kg", t],
      ["8302-2", 180, "cm", t],
      ["8310-5", 37.2, "Cel", t],
      ["59408-5", 97, "%", t],
    ]);
    expect(observations[0]?.metadata).toMatchObject({
      format: "openehr",
      archetype_id: "openEHR-EHR-OBSERVATION.blood_pressure.v2",
      template_id: "vitals.v1",
      node_id: "at0004",
    });
    expect(observations[0]?.location).toBe("$.content[0].items[0].data.events[0].data.items[0]");
  });

  it("reads specialised archetypes and nodes, INTERVAL_EVENTs, a unitary proportion and implied _type", async () => {
    const interval = {
      _type: "INTERVAL_EVENT",
      name: text("24 hour average"),
      archetype_node_id: "at1042",
      time: { value: "2024-03-11T08:00:00Z" },
      width: { value: "PT24H" },
      math_function: { value: "mean", defining_code: { terminology_id: { value: "openehr" }, code_string: "146" } },
      data: {
        archetype_node_id: "at0003",
        items: [{ archetype_node_id: "at0004.1", value: { magnitude: 131, units: "mm[Hg]" } }],
      },
    };
    const doc = [
      composition([
        observation("openEHR-EHR-OBSERVATION.blood_pressure-home.v1", "at0001", [interval]),
        observation("openEHR-EHR-OBSERVATION.heart_rate-pulse.v1", "at0002", [
          point("at0003", "2024-03-11T08:00:00Z", tree("at0001", [element("at0004", quantity(60, "bpm"))])),
        ]),
        observation("openEHR-EHR-OBSERVATION.pulse_oximetry.v1", "at0001", [
          point(
            "at0002",
            "2024-03-11T08:00:00Z",
            tree("at0003", [element("at0006", { numerator: 0.95, denominator: 1, type: 1 })]),
          ),
        ]),
      ]),
    ];
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [...summary(o), o.end_at ?? null])).toEqual([
      ["8480-6", 131, "mm[Hg]", "2024-03-10T08:00:00.000Z", "2024-03-11T08:00:00Z"],
      ["8867-4", 60, "/min", "2024-03-11T08:00:00Z", null],
      ["59408-5", 95, "%", "2024-03-11T08:00:00Z", null],
    ]);
    expect(observations[0]?.metadata).toMatchObject({ math_function: "mean" });
  });

  it("reads laboratory analytes with LOINC, other terminologies and uncoded names as codes local to the facility", async () => {
    const analyte = (name: unknown, result: unknown) => ({
      _type: "CLUSTER",
      name: text("Analyte"),
      archetype_node_id: "openEHR-EHR-CLUSTER.laboratory_test_analyte.v1",
      items: [element("at0024", name, "Analyte name"), element("at0001", result, "Analyte result")],
    });
    const coded = (code: string, terminology: string, value: string) => ({
      _type: "DV_CODED_TEXT",
      value,
      defining_code: { terminology_id: { value: terminology }, code_string: code },
    });
    const doc = composition([
      observation("openEHR-EHR-OBSERVATION.laboratory_test_result.v1", "at0001", [
        point(
          "at0002",
          "2024-02-01T09:15:00-05:00",
          tree("at0003", [
            element("at0005", coded("26436-6", "LOINC", "Laboratory studies")),
            analyte(coded("2345-7", "LOINC", "Glucose"), quantity(5.4, "mmol/L")),
            analyte(coded("GLU-X", "ACME_LAB", "Glucose (local)"), quantity(97, "mg/dL", { magnitude_status: "<" })),
            analyte(text("Potassium"), quantity(4.1, "mmol/L")),
            analyte(text("Culture"), text("no growth")),
          ]),
        ),
      ]),
    ]);
    const { observations, issues } = await map(doc);
    expect(observations.map((o) => [o.codings, o.value, o.unit])).toEqual([
      [[{ system: "http://loinc.org", code: "2345-7", display: "Glucose" }], 5.4, "mmol/L"],
      [
        [
          { system: "urn:dfda:local:openehr:acme%20clinic%2Facme_lab", code: "GLU-X", display: "Glucose (local)" },
          { system: "urn:dfda:local:openehr:acme%20clinic", code: "Glucose (local)", display: "Glucose (local)" },
        ],
        97,
        "mg/dL",
      ],
      [[{ system: "urn:dfda:local:openehr:acme%20clinic", code: "Potassium", display: "Potassium" }], 4.1, "mmol/L"],
      [
        [{ system: "urn:dfda:local:openehr:acme%20clinic", code: "Culture", display: "Culture" }],
        "no growth",
        undefined,
      ],
    ]);
    expect(observations[0]?.start_at).toBe("2024-02-01T09:15:00-05:00");
    // magnitude_status `<` is a censored value: the bound with its comparator, nothing to warn about.
    expect(observations[1]?.comparator).toBe("<");
    expect(observations[1]?.metadata).not.toHaveProperty("magnitude_status");
    expect(observations.filter((o) => o.comparator !== undefined)).toHaveLength(1);
    expect(issues.map((i) => i.code)).toEqual([]);
  });

  it("magnitude_status: each of <, <=, >, >= is the comparator of a bound; ~ (approximately) stays in metadata with a warning", async () => {
    for (const status of ["<", "<=", ">", ">=", "~", "="]) {
      const doc = composition([
        observation("openEHR-EHR-OBSERVATION.body_temperature.v2", "at0002", [
          point(
            "at0003",
            "2024-02-01T09:15:00Z",
            tree("at0001", [element("at0004", quantity(42, "Cel", { magnitude_status: status }))]),
          ),
        ]),
      ]);
      const { observations, issues } = await map(doc);
      const o = observations[0];
      const bound = ["<", "<=", ">", ">="].includes(status);
      expect([status, observations.length, o?.value, o?.comparator]).toEqual([
        status,
        1,
        42,
        bound ? status : undefined,
      ]);
      expect(issues.map((i) => i.code)).toEqual(status === "~" ? ["magnitude_status"] : []);
      if (status === "~") expect(o?.metadata).toMatchObject({ magnitude_status: "~" });
    }
  });

  it("falls back to the history origin, then the context start time; says when it assumed UTC or lacks a time", async () => {
    const noTime = { archetype_node_id: "at0003", data: tree("at0001", [element("at0004", quantity(36.6, "Cel"))]) };
    const withOrigin = observation(
      "openEHR-EHR-OBSERVATION.body_temperature.v2",
      "at0002",
      [noTime],
      "2024-05-01T10:00:00",
    );
    const { observations, issues } = await map(composition([withOrigin]));
    expect(observations.map((o) => o.start_at)).toEqual(["2024-05-01T10:00:00Z"]);
    expect(issues.map((i) => i.code)).toEqual(["assumed_timezone"]);
    const zoned = await map(composition([withOrigin]), { timezone: "Europe/Berlin" });
    expect(zoned.observations.map((o) => o.start_at)).toEqual(["2024-05-01T10:00:00+02:00"]);
    const noOrigin = { ...withOrigin, data: { ...withOrigin.data, origin: undefined } };
    const context = await map(composition([noOrigin]));
    expect(context.observations.map((o) => o.start_at)).toEqual(["2024-01-01T08:00:00+01:00"]);
    const bad = await map(
      composition([{ ...noOrigin, data: { ...noOrigin.data, events: [{ ...noTime, time: { value: "yesterday" } }] } }]),
    );
    expect(bad.issues.map((i) => i.code)).toContain("invalid_time");
  });

  it("reads ISO 8601 date-times as openEHR allows them (decimal comma, basic format)", () => {
    expect(normalizeDateTime("2019-07-26T02:51:58,396+00:00")).toBe("2019-07-26T02:51:58.396+00:00");
    expect(normalizeDateTime("20190726T025158+0100")).toBe("2019-07-26T02:51:58+0100");
  });

  it("lists archetypes it does not read, and rejects a file that is not JSON", async () => {
    const other = observation("openEHR-EHR-OBSERVATION.story.v1", "at0001", []);
    const { issues } = await map(composition([other]));
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["unmapped_archetype", "info"]]);
    const broken = await map(new TextEncoder().encode('{"_type": "COMPOSITION", '));
    expect(broken.issues.map((i) => i.code)).toEqual(["invalid_json"]);
  });
});

describe("openEHR FLAT (simSDT)", () => {
  it("maps vital signs from any template's paths, with the event time or ctx/time", async () => {
    const flat = {
      "ctx/language": "en",
      "ctx/territory": "GB",
      "ctx/time": "2024-06-01T12:00:00+01:00",
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/systolic|magnitude": 118,
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/systolic|unit": "mm[Hg]",
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/diastolic|magnitude": 76,
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/diastolic|unit": "mm[Hg]",
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/time": "2024-06-01T11:55:00+01:00",
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:1/systolic|magnitude": 121,
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:1/systolic|unit": "mm[Hg]",
      "my_vitals.v0/vital_signs/blood_pressure:0/any_event:1/time": "2024-06-01T12:05:00+01:00",
      "my_vitals.v0/vital_signs/pulse_heart_beat:0/any_event:0/rate|magnitude": 64,
      "my_vitals.v0/vital_signs/pulse_heart_beat:0/any_event:0/rate|unit": "/min",
      "my_vitals.v0/vital_signs/body_temperature:0/any_event:0/temperature|magnitude": 98.6,
      "my_vitals.v0/vital_signs/body_temperature:0/any_event:0/temperature|unit": "°F",
      "my_vitals.v0/vital_signs/pulse_oximetry:0/any_event:0/spo|numerator": 96,
      "my_vitals.v0/vital_signs/pulse_oximetry:0/any_event:0/spo|denominator": 100,
      "my_vitals.v0/vital_signs/pulse_oximetry:0/any_event:0/spo|type": 2,
      "my_vitals.v0/body_weight/weight|magnitude": 81.2,
      "my_vitals.v0/body_weight/weight|unit": "kg",
      "my_vitals.v0/body_weight/time": "2024-06-01T07:00:00+01:00",
      "my_vitals.v0/height_length/any_event:0/height_length|magnitude": 70,
      "my_vitals.v0/height_length/any_event:0/height_length|unit": "[in_i]",
    };
    const { observations, issues } = await map(flat);
    expect(issues).toEqual([]);
    expect(observations.map(summary)).toEqual([
      ["8480-6", 118, "mm[Hg]", "2024-06-01T11:55:00+01:00"],
      ["8462-4", 76, "mm[Hg]", "2024-06-01T11:55:00+01:00"],
      ["8480-6", 121, "mm[Hg]", "2024-06-01T12:05:00+01:00"],
      ["8867-4", 64, "/min", "2024-06-01T12:00:00+01:00"],
      ["8310-5", 98.6, "[degF]", "2024-06-01T12:00:00+01:00"],
      ["59408-5", 96, "%", "2024-06-01T12:00:00+01:00"],
      ["29463-7", 81.2, "kg", "2024-06-01T07:00:00+01:00"],
      ["8302-2", 70, "[in_i]", "2024-06-01T12:00:00+01:00"],
    ]);
    expect(observations[0]?.location).toBe("my_vitals.v0/vital_signs/blood_pressure:0/any_event:0/systolic");
    expect(detectFormat(new TextEncoder().encode(JSON.stringify(flat)), "x.json", null).format).toBe("openehr");
  });

  it("maps laboratory analytes, coded or named by the template", async () => {
    const flat = {
      "lab.v1/language|code": "en",
      "lab.v1/context/start_time": "2024-07-01T08:00:00Z",
      "lab.v1/context/health_care_facility|name": "Central Lab",
      "lab.v1/laboratory_test_result/any_event:0/laboratory_test_analyte:0/analyte_name|code": "718-7",
      "lab.v1/laboratory_test_result/any_event:0/laboratory_test_analyte:0/analyte_name|terminology": "LOINC",
      "lab.v1/laboratory_test_result/any_event:0/laboratory_test_analyte:0/analyte_name|value": "Hemoglobin",
      "lab.v1/laboratory_test_result/any_event:0/laboratory_test_analyte:0/analyte_result|magnitude": 13.9,
      "lab.v1/laboratory_test_result/any_event:0/laboratory_test_analyte:0/analyte_result|unit": "g/dL",
      "lab.v1/laboratory_test_result/any_event:0/ferritin/analyte_result|magnitude": 40,
      "lab.v1/laboratory_test_result/any_event:0/ferritin/analyte_result|unit": "ng/mL",
    };
    const { observations, issues } = await map(flat);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.codings, o.value, o.unit, o.start_at])).toEqual([
      [[{ system: "http://loinc.org", code: "718-7", display: "Hemoglobin" }], 13.9, "g/dL", "2024-07-01T08:00:00Z"],
      [
        [{ system: "urn:dfda:local:openehr:central%20lab", code: "ferritin", display: "ferritin" }],
        40,
        "ng/mL",
        "2024-07-01T08:00:00Z",
      ],
    ]);
  });
});

describe("openEHR corpus (openEHR SDK test compositions)", () => {
  const file = (name: string) => corpusBytes(`08-openehr/openehr-sdk/${name}`);

  it("compo_corona.json: the body temperature, in UCUM, at the event's time and offset", async () => {
    const { observations, issues } = await map(file("compo_corona.json"));
    expect(observations.map(summary)).toEqual([["8310-5", 39, "Cel", "2020-05-11T22:53:12.039+02:00"]]);
    expect(issues.map((i) => i.code)).toEqual(["unmapped_archetype"]);
  });

  it("gecco_laborbefund.json and virology_finding_with_specimen.json: the analytes", async () => {
    const gecco = await map(file("gecco_laborbefund.json"));
    expect(gecco.observations.map((o) => [o.codings[0]?.system, o.codings[0]?.code, o.start_at])).toEqual([
      ["http://loinc.org", "48421-2", "2021-10-25T17:41:33.921-03:00"],
    ]);
    const virology = await map(file("virology_finding_with_specimen.json"));
    expect(virology.observations.map((o) => [o.codings[0]?.code, o.value, o.unit])).toEqual([
      ["SARS-Cov-2", 32.29986924248519, "ct"],
    ]);
  });

  it("are detected as openEHR (canonical and FLAT), and the invalid composition gives issues, not observations", async () => {
    for (const name of [
      "compo_corona.json",
      "gecco_laborbefund.json",
      "time_series.json",
      "EREACT-covid-status-monitoring-FLAT.json",
    ]) {
      expect(detectFormat(file(name), name, null).format).toBe("openehr");
    }
    const invalid = await map(file("invalid.json"));
    expect(invalid.observations).toEqual([]);
    expect(invalid.issues.length).toBeGreaterThan(0);
    const series = await map(file("time_series.json"));
    expect(series.observations).toEqual([]);
    expect(series.issues.map((i) => i.code)).toEqual(["unmapped_archetype"]);
  });
});
