import { CODE_SYSTEMS, type DetectInput, type MapContext, type MappedObservation, type MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { detectFormat } from "../index";
import { collect, fromBytes } from "../util/stream";
import { BODY_MAPPINGS } from "./body";
import { openmhealthMapper } from "./index";

const TESTDATA = "04-wearables/openmhealth-schema-testdata";
const SCHEMAS = "04-wearables/openmhealth-schemas";
const catalog = seedCatalog();
const context: MapContext = { lookup: catalog };
const encode = (text: string) => new TextEncoder().encode(text);

interface Result {
  observations: MappedObservation[];
  issues: MappingIssue[];
}

async function map(bytes: Uint8Array, ctx: MapContext = context, chunkSize?: number): Promise<Result> {
  const events = await collect(openmhealthMapper.map(fromBytes(bytes, chunkSize), ctx));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

const codes = (issues: MappingIssue[]) => issues.map((i) => i.code);
const omh = (code: string) => ({ system: CODE_SYSTEMS.openmhealth, code });
const PROVENANCE = { source_name: "openmhealth/schemas test-data", modality: "sensed" };

/** `omh/heart-rate/2.0/shouldPass/x.json` → {namespace, name, version} (the folder names the body's schema). */
function schemaIdOf(path: string) {
  const m = /openmhealth-schema-testdata\/([^/]+)\/([^/]+)\/([^/]+)\/should(?:Pass|Fail)\//.exec(path);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`not a test-data body: ${path}`);
  return { namespace: m[1], name: m[2], version: m[3] };
}

/**
 * A data point around a corpus body. The schema test data are bodies (what upstream validates against
 * the body schema); the mapper only accepts them inside a data point whose header names the schema.
 */
function dataPoint(body: unknown, schema_id: { namespace: string; name: string; version: string }, id = "dp-1") {
  return {
    header: {
      id,
      creation_date_time: "2024-01-02T03:04:05Z",
      schema_id,
      acquisition_provenance: PROVENANCE,
    },
    body,
  };
}

function wrapped(path: string): Uint8Array {
  const body: unknown = JSON.parse(new TextDecoder().decode(corpusBytes(path)));
  return encode(JSON.stringify(dataPoint(body, schemaIdOf(path)), null, 2));
}

const isBodyFile = (f: string) => /\/should(Pass|Fail)\//.test(f) && !f.includes("/omh/data-point/");

/** What each shouldPass body maps to (inside `dataPoint`, pretty-printed: one JSON document). */
const meta = (schema: string, extra: Record<string, unknown> = {}) => ({
  schema_id: schema,
  data_point_id: "dp-1",
  acquisition_provenance: PROVENANCE,
  ...extra,
});
const EXPECTED: Record<string, MappedObservation[]> = {
  "granola/hk-quantity-sample/1.0/shouldPass/with-count.json": [
    {
      codings: [{ system: CODE_SYSTEMS.appleHealth, code: "HKQuantityTypeIdentifierNikeFuel" }],
      value: 500,
      start_at: "2013-02-05T06:25:00Z",
      end_at: "2013-02-05T07:25:00Z",
      metadata: meta("granola:hk-quantity-sample:1.0"),
      location: "$.body.count",
    },
  ],
  "granola/hk-quantity-sample/1.0/shouldPass/with-unit-value.json": [
    {
      codings: [{ system: CODE_SYSTEMS.appleHealth, code: "HKQuantityTypeIdentifierDietaryFatTotal" }],
      value: 29.3,
      unit: "g",
      start_at: "2013-02-05T06:25:00Z",
      end_at: "2013-02-05T07:25:00Z",
      metadata: meta("granola:hk-quantity-sample:1.0"),
      location: "$.body.unit_value",
    },
  ],
  "omh/blood-glucose/4.0/shouldPass/with-date-time-time-frame.json": [
    {
      codings: [omh("blood-glucose")],
      value: 95,
      unit: "mg/dL",
      start_at: "2013-02-05T07:25:00Z",
      metadata: meta("omh:blood-glucose:4.0"),
      location: "$.body.blood_glucose",
    },
  ],
  "omh/blood-glucose/4.0/shouldPass/with-everything.json": [
    {
      codings: [omh("blood-glucose")],
      value: 95,
      unit: "mg/dL",
      start_at: "2013-02-05T07:25:00Z",
      end_at: "2013-06-05T07:25:00Z",
      metadata: meta("omh:blood-glucose:4.0", {
        specimen_source: "capillary blood",
        temporal_relationship_to_meal: "fasting",
        temporal_relationship_to_sleep: "on waking",
        descriptive_statistic: "minimum",
      }),
      location: "$.body.blood_glucose",
    },
  ],
  "omh/blood-glucose/4.0/shouldPass/with-temporal-relationship-to-sleep.json": [
    {
      codings: [omh("blood-glucose")],
      value: 95,
      unit: "mg/dL",
      start_at: "2013-02-05T20:25:00Z",
      metadata: meta("omh:blood-glucose:4.0", { temporal_relationship_to_sleep: "before sleeping" }),
      location: "$.body.blood_glucose",
    },
  ],
  "omh/blood-pressure/4.0/shouldPass/blood-pressure-only.json": [
    {
      codings: [omh("systolic-blood-pressure")],
      value: 115,
      unit: "mm[Hg]",
      start_at: "2020-02-05T07:25:00-08:00",
      metadata: meta("omh:blood-pressure:4.0"),
      location: "$.body.systolic_blood_pressure",
    },
    {
      codings: [omh("diastolic-blood-pressure")],
      value: 60,
      unit: "mm[Hg]",
      start_at: "2020-02-05T07:25:00-08:00",
      metadata: meta("omh:blood-pressure:4.0"),
      location: "$.body.diastolic_blood_pressure",
    },
  ],
  "omh/blood-pressure/4.0/shouldPass/with-posture-location-relation.json": [
    {
      codings: [omh("systolic-blood-pressure")],
      value: 125,
      unit: "mm[Hg]",
      start_at: "2020-02-05T07:25:00-08:00",
      metadata: meta("omh:blood-pressure:4.0", {
        body_posture: "sitting",
        measurement_location: "left wrist",
        temporal_relationship_to_physical_activity: "at rest",
      }),
      location: "$.body.systolic_blood_pressure",
    },
    {
      codings: [omh("diastolic-blood-pressure")],
      value: 60,
      unit: "mm[Hg]",
      start_at: "2020-02-05T07:25:00-08:00",
      metadata: meta("omh:blood-pressure:4.0", {
        body_posture: "sitting",
        measurement_location: "left wrist",
        temporal_relationship_to_physical_activity: "at rest",
      }),
      location: "$.body.diastolic_blood_pressure",
    },
  ],
  "omh/body-temperature/4.0/shouldPass/basal-temperature.json": [
    {
      codings: [omh("body-temperature")],
      value: 96.5,
      unit: "[degF]",
      start_at: "2023-02-05T06:25:00Z",
      metadata: meta("omh:body-temperature:4.0", { temporal_relationship_to_sleep: "on waking" }),
      location: "$.body.body_temperature",
    },
  ],
  "omh/body-temperature/4.0/shouldPass/valid-temperature.json": [
    {
      codings: [omh("body-temperature")],
      value: 97,
      unit: "[degF]",
      start_at: "2023-02-05T07:25:00+01:00",
      metadata: meta("omh:body-temperature:4.0", { measurement_location: "forehead" }),
      location: "$.body.body_temperature",
    },
  ],
  "omh/body-weight/3.0/shouldPass/body-weight-only.json": [
    {
      codings: [omh("body-weight")],
      value: 50,
      unit: "kg",
      start_at: "2020-02-05T09:45:00-08:00",
      metadata: meta("omh:body-weight:3.0"),
      location: "$.body.body_weight",
    },
  ],
  "omh/heart-rate/2.0/shouldPass/with-descriptive-statistic.json": [
    {
      codings: [omh("heart-rate")],
      value: 50,
      unit: "/min",
      start_at: "2020-02-05T06:00:00+01:00",
      end_at: "2020-02-06T06:00:00+01:00",
      metadata: meta("omh:heart-rate:2.0", { descriptive_statistic: "minimum" }),
      location: "$.body.heart_rate",
    },
  ],
  "omh/oxygen-saturation/2.0/shouldPass/saturation-only.json": [
    {
      codings: [omh("oxygen-saturation")],
      value: 95,
      unit: "%",
      start_at: "2013-02-05T07:25:00-08:00",
      metadata: meta("omh:oxygen-saturation:2.0", {
        system: "peripheral capillary",
        measurement_method: "pulse oximetry",
      }),
      location: "$.body.oxygen_saturation",
    },
  ],
  "omh/oxygen-saturation/2.0/shouldPass/with-oxygen.json": [
    {
      codings: [omh("oxygen-saturation")],
      value: 95,
      unit: "%",
      start_at: "2013-02-05T07:25:00Z",
      metadata: meta("omh:oxygen-saturation:2.0", {
        supplemental_oxygen_flow_rate: { value: 2.5, unit: "L/min" },
        oxygen_therapy_mode_of_administration: "nasal cannula",
        system: "peripheral capillary",
        measurement_method: "pulse oximetry",
      }),
      location: "$.body.oxygen_saturation",
    },
  ],
  "omh/sleep-duration/2.0/shouldPass/valid-sleep-duration.json": [
    {
      codings: [omh("sleep-duration")],
      value: 7.5,
      unit: "h",
      start_at: "2016-02-05T20:35:00Z",
      end_at: "2016-02-06T06:35:00Z",
      metadata: meta("omh:sleep-duration:2.0"),
      location: "$.body.sleep_duration",
    },
  ],
  "omh/step-count/3.0/shouldPass/valid-step-count.json": [
    {
      codings: [omh("step-count")],
      value: 10600,
      unit: "{steps}",
      start_at: "2016-02-05T06:25:00Z",
      end_at: "2016-02-05T07:25:00Z",
      metadata: meta("omh:step-count:3.0"),
      location: "$.body.step_count",
    },
  ],
  "omh/step-count/3.0/shouldPass/with-maximum.json": [
    {
      codings: [omh("step-count")],
      value: 20500,
      unit: "{steps}",
      start_at: "2016-02-05T07:00:00Z",
      end_at: "2016-06-05T07:00:00Z",
      metadata: meta("omh:step-count:3.0", {
        descriptive_statistic: "maximum",
        descriptive_statistic_denominator: "d",
      }),
      location: "$.body.step_count",
    },
  ],
  "omh/step-count/3.0/shouldPass/with-session.json": [
    {
      codings: [omh("step-count")],
      value: 26000,
      unit: "{steps}",
      start_at: "2016-02-05T07:00:00Z",
      end_at: "2016-06-05T07:00:00Z",
      metadata: meta("omh:step-count:3.0", {
        descriptive_statistic: "maximum",
        descriptive_statistic_denominator: "session",
      }),
      location: "$.body.step_count",
    },
  ],
};

describe("openmhealth mapper: the schema test-data corpus as it is", () => {
  const files = corpusFiles(TESTDATA);

  it("covers the whole folder", () => {
    expect(files).toHaveLength(52);
    expect(files.filter((f) => f.includes("/shouldPass/") && isBodyFile(f))).toHaveLength(Object.keys(EXPECTED).length);
  });

  const oneLine = (file: string) => !new TextDecoder().decode(corpusBytes(file)).trim().includes("\n");

  it.each(
    files.filter((f) => f.includes("/data-point/") || f.includes("/_schemas/") || f.endsWith("empty-document.json")),
  )("%s: never throws; what is not a body or a data point is refused", async (file) => {
    const { observations, issues } = await map(corpusBytes(file));
    expect(observations).toEqual([]);
    if (file.endsWith("data-point/1.0/shouldPass/empty-body.json")) {
      // A valid envelope naming omh:physical-activity:1.0, whose schema requires activity_name.
      expect(issues).toEqual([
        {
          location: "$.body",
          code: "schema_violation",
          severity: "error",
          message: "body is not a valid omh:physical-activity:1.0: $.body must have required property 'activity_name'",
        },
      ]);
    } else if (file.endsWith("data-point/1.0/shouldFail/invalid-header.json")) {
      expect(issues).toEqual([
        {
          location: "$",
          code: "schema_violation",
          severity: "error",
          message: "not a valid omh:data-point:1.0: $.header must have required property 'id'",
        },
      ]);
    } else {
      // A one-line object is also a one-record NDJSON file, located by its line.
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        location: oneLine(file) ? "line 1" : "$",
        code: "missing_header",
        severity: "error",
      });
    }
  });

  it.each(files.filter((f) => isBodyFile(f) && f.includes("/shouldPass/")))(
    "%s: a bare body is read as the schema it validates against, with the same values as in a data point",
    async (file) => {
      const { observations, issues } = await map(corpusBytes(file));
      const { namespace, name, version } = schemaIdOf(file);
      const key = `${namespace}:${name}:${version}`;
      const record = oneLine(file) ? "line 1" : "$";
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ location: record, code: "schema_inferred", severity: "info" });
      expect(issues[0]?.message).toContain(`valid against ${key}`);
      const expected = (EXPECTED[file.slice(TESTDATA.length + 1)] ?? []).map((o) => {
        const { data_point_id: _id, acquisition_provenance: _p, ...metadata } = o.metadata ?? {};
        const below = o.location?.slice("$.body".length) ?? "";
        return {
          ...o,
          metadata: { ...metadata, schema_inferred: true },
          location: oneLine(file) ? `line 1: $${below}` : `$${below}`,
        };
      });
      expect(observations).toEqual(expected);
    },
  );

  it.each(files.filter((f) => isBodyFile(f) && f.includes("/shouldFail/") && !f.endsWith("empty-document.json")))(
    "%s: a bare body is never read as the version that refuses it",
    async (file) => {
      const { observations, issues } = await map(corpusBytes(file));
      const { namespace, name, version } = schemaIdOf(file);
      const refusedBy = `${namespace}:${name}:${version}`;
      const inferred = issues.find((i) => i.code === "schema_inferred");
      if (inferred) {
        // Valid against an older version of the same schema (a bare body does not name its version).
        expect(inferred.message).not.toContain(`valid against ${refusedBy}`);
        expect(inferred.message).toContain(`valid against ${namespace}:${name}:`);
        for (const o of observations) expect(o.metadata?.schema_id).not.toBe(refusedBy);
      } else {
        expect(observations).toEqual([]);
        expect(issues.map((i) => [i.code, i.severity])).toEqual([["missing_header", "error"]]);
        expect(issues[0]?.message).toContain(`closest: ${namespace}:${name}:`);
      }
    },
  );
});

describe("openmhealth mapper: the test-data bodies inside a data point", () => {
  const bodies = corpusFiles(TESTDATA).filter(isBodyFile);

  it.each(bodies.filter((f) => f.includes("/shouldPass/")))("%s maps to its exact values", async (file) => {
    const { observations, issues } = await map(wrapped(file));
    expect(issues).toEqual([]);
    const key = file.slice(TESTDATA.length + 1);
    expect(observations).toEqual(EXPECTED[key]);
  });

  it.each(bodies.filter((f) => f.includes("/shouldFail/")))(
    "%s yields a schema issue and nothing else",
    async (file) => {
      const { observations, issues } = await map(wrapped(file));
      expect(observations).toEqual([]);
      expect(issues).toHaveLength(1);
      const { name, namespace, version } = schemaIdOf(file);
      expect(issues[0]).toMatchObject({ location: "$.body", code: "schema_violation", severity: "error" });
      expect(issues[0]?.message).toContain(`body is not a valid ${namespace}:${name}:${version}`);
    },
  );

  it("says why a failing body fails", async () => {
    const unit = await map(wrapped(`${TESTDATA}/omh/body-weight/3.0/shouldFail/invalid-unit.json`));
    expect(unit.issues[0]?.message).toBe(
      "body is not a valid omh:body-weight:3.0: $.body.body_weight.unit must be equal to one of the allowed values (fg, pg, ng, ug, mg, g, kg, Metric Ton, … 4 more)",
    );
    const frame = await map(wrapped(`${TESTDATA}/omh/sleep-duration/2.0/shouldFail/with-date-time.json`));
    expect(frame.issues[0]?.message).toBe(
      "body is not a valid omh:sleep-duration:2.0: $.body.effective_time_frame must have required property 'time_interval'",
    );
    // IEEE 1752.1 time-interval (blood-pressure-4.0) has no date + part_of_day form.
    const bp = await map(wrapped(`${TESTDATA}/omh/blood-pressure/4.0/shouldFail/invalid-timeframe-format.json`));
    expect(bp.issues[0]?.message).toContain("$.body.effective_time_frame must match exactly one schema in oneOf");
  });

  it("codes what it maps so that the seed resolves it", () => {
    const expectations: Record<string, string> = {
      "blood-glucose": "Blood glucose",
      "systolic-blood-pressure": "Systolic blood pressure",
      "diastolic-blood-pressure": "Diastolic blood pressure",
      "body-temperature": "Body temperature",
      "body-weight": "Body weight",
      "heart-rate": "Heart rate",
      "oxygen-saturation": "Oxygen saturation (SpO2)",
      "sleep-duration": "Sleep duration",
      "total-sleep-time": "Sleep duration",
      "step-count": "Steps",
      "body-height": "Body height",
      "body-mass-index": "Body mass index (BMI)",
      "body-fat-percentage": "Body fat percentage",
      "respiratory-rate": "Respiratory rate",
      "calories-burned": "Active energy burned",
      "minutes-moderate-activity": "Moderate activity minutes",
      "physical-activity": "Workout duration",
      "rr-interval": "R-R interval",
      "ambient-temperature": "Ambient temperature",
      "breath-carbon-monoxide": "Exhaled carbon monoxide",
      "minute-volume": "Minute ventilation",
    };
    for (const [code, name] of Object.entries(expectations)) {
      expect(catalog.byCoding(CODE_SYSTEMS.openmhealth, code)?.name, code).toBe(name);
    }
    expect(catalog.byCoding(CODE_SYSTEMS.appleHealth, "HKQuantityTypeIdentifierDietaryFatTotal")).not.toBeNull();
    for (const observations of Object.values(EXPECTED)) {
      for (const o of observations) {
        const first = o.codings[0];
        if (first?.system === CODE_SYSTEMS.openmhealth)
          expect(catalog.byCoding(first.system, first.code)).not.toBeNull();
      }
    }
  });
});

describe("openmhealth mapper: the schema folder is not input", () => {
  const files = corpusFiles(SCHEMAS);
  it("covers the whole folder", () => expect(files).toHaveLength(247));
  it.each(files)("%s yields only missing_header", async (file) => {
    const { observations, issues } = await map(corpusBytes(file));
    expect(observations).toEqual([]);
    expect(codes(issues)).toEqual(["missing_header"]);
  });
});

const header = (name: string, version: string, id = "dp-1") => ({
  id,
  creation_date_time: "2024-01-02T03:04:05Z",
  schema_id: { namespace: "omh", name, version },
});

async function mapOne(name: string, version: string, body: unknown, ctx: MapContext = context) {
  return map(encode(JSON.stringify({ header: header(name, version), body }, null, 2)), ctx);
}

describe("openmhealth mapper: schemas and time frames beyond the corpus", () => {
  it("maps a physical activity to distance, energy and duration with its activity name", async () => {
    const { observations, issues } = await mapOne("physical-activity", "1.2", {
      activity_name: "Running",
      distance: { value: 5.2, unit: "km" },
      kcal_burned: { value: 350, unit: "kcal" },
      reported_activity_intensity: "moderate",
      effective_time_frame: {
        time_interval: { start_date_time: "2024-03-01T07:00:00+02:00", duration: { value: 30, unit: "min" } },
      },
    });
    expect(issues).toEqual([]);
    const span = { start_at: "2024-03-01T07:00:00+02:00", end_at: "2024-03-01T07:30:00+02:00" };
    const metadata = {
      schema_id: "omh:physical-activity:1.2",
      data_point_id: "dp-1",
      activity_name: "Running",
      reported_activity_intensity: "moderate",
    };
    expect(observations).toEqual([
      {
        codings: [],
        variable_id: catalog.byLabel("Walking + Running Distance")?.id,
        value: 5.2,
        unit: "km",
        ...span,
        metadata,
        location: "$.body.distance",
      },
      {
        codings: [omh("calories-burned")],
        value: 350,
        unit: "kcal",
        ...span,
        metadata,
        location: "$.body.kcal_burned",
      },
      {
        codings: [omh("physical-activity")],
        value: 30,
        unit: "min",
        ...span,
        metadata,
        location: "$.body.effective_time_frame.time_interval",
      },
    ]);
  });

  it("leaves an activity's distance unmatched when no distance variable fits the activity", async () => {
    const { observations, issues } = await mapOne("physical-activity", "1.2", {
      activity_name: "Rowing",
      distance: { value: 2, unit: "km" },
      effective_time_frame: {
        time_interval: { start_date_time: "2024-03-01T07:00:00Z", end_date_time: "2024-03-01T07:20:00Z" },
      },
    });
    expect(codes(issues)).toEqual(["unmatched_measure"]);
    expect(issues[0]?.location).toBe("$.body.distance");
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.unit])).toEqual([["physical-activity", 20, "min"]]);
  });

  it("maps a sleep episode's measures through the seed's labels", async () => {
    const { observations, issues } = await mapOne("sleep-episode", "1.1", {
      effective_time_frame: {
        time_interval: { start_date_time: "2024-03-01T23:00:00Z", end_date_time: "2024-03-02T07:00:00Z" },
      },
      total_sleep_time: { value: 420, unit: "min" },
      latency_to_sleep_onset: { value: 15, unit: "min" },
      wake_after_sleep_onset: { value: 25, unit: "min" },
      number_of_awakenings: 3,
      is_main_sleep: true,
    });
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.codings, o.variable_id, o.value, o.unit, o.location])).toEqual([
      [[omh("total-sleep-time")], undefined, 420, "min", "$.body.total_sleep_time"],
      [[], catalog.byLabel("Sleep Latency")?.id, 15, "min", "$.body.latency_to_sleep_onset"],
      [[], catalog.byLabel("WASO")?.id, 25, "min", "$.body.wake_after_sleep_onset"],
      [[], catalog.byLabel("Awakenings")?.id, 3, undefined, "$.body.number_of_awakenings"],
    ]);
    expect(observations[0]?.metadata).toMatchObject({ is_main_sleep: true });
  });

  it("reads step-count 1.0's bare number and an end + duration interval", async () => {
    const { observations, issues } = await mapOne("step-count", "1.0", {
      step_count: 812,
      effective_time_frame: {
        time_interval: { end_date_time: "2024-03-01T12:00:00-05:00", duration: { value: 1, unit: "h" } },
      },
    });
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: [omh("step-count")],
        value: 812,
        unit: "{steps}",
        start_at: "2024-03-01T11:00:00-05:00",
        end_at: "2024-03-01T12:00:00-05:00",
        metadata: { schema_id: "omh:step-count:1.0", data_point_id: "dp-1" },
        location: "$.body.step_count",
      },
    ]);
  });

  it("renames units to UCUM without converting them", async () => {
    const frame = { date_time: "2024-03-01T08:00:00Z" };
    const cases: [string, string, string, Record<string, unknown>, number, string][] = [
      ["body-height", "2.0", "body_height", { value: 70, unit: "in" }, 70, "[in_i]"],
      ["body-weight", "2.0", "body_weight", { value: 160, unit: "lb" }, 160, "[lb_av]"],
      ["body-mass-index", "3.0", "body_mass_index", { value: 22.1, unit: "kg/m^2" }, 22.1, "kg/m2"],
      ["respiratory-rate", "2.0", "respiratory_rate", { value: 14, unit: "breaths/min" }, 14, "/min"],
      ["body-temperature", "3.0", "body_temperature", { value: 37.2, unit: "C" }, 37.2, "Cel"],
      ["body-fat-percentage", "2.0", "body_fat_percentage", { value: 18, unit: "%" }, 18, "%"],
      ["rr-interval", "1.0", "rr_interval", { value: 812, unit: "ms" }, 812, "ms"],
      ["ambient-temperature", "1.0", "ambient_temperature", { value: 71, unit: "F" }, 71, "[degF]"],
      ["breath-carbon-monoxide", "1.0", "breath_carbon_monoxide", { value: 4, unit: "ppm" }, 4, "[ppm]"],
      ["minute-volume", "1.0", "minute_volume", { value: 6, unit: "L/min" }, 6, "L/min"],
    ];
    for (const [name, version, property, value, number, unit] of cases) {
      const { observations, issues } = await mapOne(name, version, { [property]: value, effective_time_frame: frame });
      expect(issues, name).toEqual([]);
      expect(
        observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.start_at]),
        name,
      ).toEqual([[name, number, unit, "2024-03-01T08:00:00Z"]]);
    }
    const calories = await mapOne("calories-burned", "2.0", {
      kcal_burned: { value: 120, unit: "kcal" },
      activity_name: "walking",
      effective_time_frame: {
        time_interval: { start_date_time: "2024-03-01T08:00:00Z", end_date_time: "2024-03-01T09:00:00Z" },
      },
    });
    expect(calories.issues).toEqual([]);
    expect(calories.observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.metadata?.activity_name])).toEqual([
      ["calories-burned", 120, "kcal", "walking"],
    ]);
    const minutes = await mapOne("minutes-moderate-activity", "1.0", {
      minutes_moderate_activity: { value: 45, unit: "min" },
      effective_time_frame: {
        time_interval: { start_date_time: "2024-03-01T00:00:00Z", end_date_time: "2024-03-02T00:00:00Z" },
      },
    });
    expect(minutes.observations.map((o) => [o.value, o.unit, o.end_at])).toEqual([[45, "min", "2024-03-02T00:00:00Z"]]);
  });

  it("takes a date + part of the day as the whole date, in the context zone or UTC with one warning", async () => {
    const body = {
      heart_rate: { value: 61, unit: "beats/min" },
      effective_time_frame: { time_interval: { date: "2024-03-01", part_of_day: "morning" } },
    };
    const utc = await mapOne("heart-rate", "1.0", body);
    expect(utc.issues).toEqual([
      {
        location: null,
        code: "assumed_timezone",
        severity: "warning",
        message: "times without an offset were read as UTC",
      },
    ]);
    expect(utc.observations.map((o) => [o.start_at, o.end_at, o.metadata?.part_of_day])).toEqual([
      ["2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z", "morning"],
    ]);
    const berlin = await mapOne("heart-rate", "1.0", body, { ...context, timezone: "Europe/Berlin" });
    expect(berlin.issues).toEqual([]);
    expect(berlin.observations.map((o) => [o.start_at, o.end_at])).toEqual([
      ["2024-03-01T00:00:00+01:00", "2024-03-02T00:00:00+01:00"],
    ]);
  });

  it("yields missing_time for a body its schema lets go without a time frame", async () => {
    const { observations, issues } = await mapOne("blood-glucose", "2.0", {
      blood_glucose: { value: 5.4, unit: "mmol/L" },
    });
    expect(observations).toEqual([]);
    expect(issues).toEqual([
      {
        location: "$.body",
        code: "missing_time",
        severity: "error",
        message: "the omh:blood-glucose:2.0 body has no effective_time_frame",
      },
    ]);
  });

  it("puts user notes in the note", async () => {
    const { observations } = await mapOne("blood-pressure", "2.0", {
      systolic_blood_pressure: { value: 121, unit: "mmHg" },
      diastolic_blood_pressure: { value: 79, unit: "mmHg" },
      effective_time_frame: { date_time: "2024-03-01T08:00:00Z" },
      user_notes: "after coffee",
    });
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.note])).toEqual([
      ["systolic-blood-pressure", 121, "after coffee"],
      ["diastolic-blood-pressure", 79, "after coffee"],
    ]);
  });

  it("validates a later minor version against the highest vendored one of its major", async () => {
    const { observations, issues } = await mapOne("heart-rate", "2.1", {
      heart_rate: { value: 70, unit: "beats/min" },
      effective_time_frame: { date_time: "2024-03-01T08:00:00Z" },
    });
    expect(issues).toEqual([
      {
        location: "$.header.schema_id",
        code: "schema_version_fallback",
        severity: "info",
        message: "omh:heart-rate:2.1 validated against omh:heart-rate:2.0",
      },
    ]);
    expect(observations.map((o) => o.value)).toEqual([70]);
  });

  it("refuses schemas it does not map", async () => {
    for (const [namespace, name, version] of [
      ["omh", "geoposition", "1.0"],
      ["omh", "heart-rate", "9.0"],
      ["ieee", "heart-rate", "1.0"],
    ] as const) {
      const { observations, issues } = await map(
        encode(
          JSON.stringify({ header: { ...header(name, version), schema_id: { namespace, name, version } }, body: {} }),
        ),
      );
      expect(observations).toEqual([]);
      expect(issues).toEqual([
        {
          location: "line 1: $.header.schema_id",
          code: "unsupported_schema",
          severity: "error",
          message:
            version === "9.0"
              ? "no vendored schema of this version for omh:heart-rate:9.0"
              : `no mapping for schema ${namespace}:${name}:${version}`,
        },
      ]);
    }
  });

  it("has a mapping for every kind it validates", () => {
    expect(Object.keys(BODY_MAPPINGS)).toHaveLength(22);
  });
});

describe("openmhealth mapper: file forms and streaming", () => {
  const weight = (id: string, value: number, time: string) => ({
    header: header("body-weight", "3.0", id),
    body: { body_weight: { value, unit: "kg" }, effective_time_frame: { date_time: time } },
  });
  const points = [
    weight("a", 70.1, "2024-03-01T08:00:00Z"),
    weight("b", 70.4, "2024-03-02T08:00:00Z"),
    weight("c", 69.9, "2024-03-03T08:00:00Z"),
  ];

  it("reads NDJSON line by line, with each data point at its line", async () => {
    const ndjson = encode(`${points.map((p) => JSON.stringify(p)).join("\n")}\n`);
    const whole = await map(ndjson);
    expect(whole.issues).toEqual([]);
    expect(whole.observations.map((o) => [o.value, o.start_at, o.location, o.metadata?.data_point_id])).toEqual([
      [70.1, "2024-03-01T08:00:00Z", "line 1: $.body.body_weight", "a"],
      [70.4, "2024-03-02T08:00:00Z", "line 2: $.body.body_weight", "b"],
      [69.9, "2024-03-03T08:00:00Z", "line 3: $.body.body_weight", "c"],
    ]);
    expect(await map(ndjson, context, 7)).toEqual(whole);
  });

  it("reports a broken NDJSON line and maps the others", async () => {
    const text = [JSON.stringify(points[0]), "", '{"header": {', JSON.stringify(points[2]), "[1]"].join("\r\n");
    const { observations, issues } = await map(encode(text), context, 5);
    expect(observations.map((o) => o.location)).toEqual(["line 1: $.body.body_weight", "line 4: $.body.body_weight"]);
    expect(issues.map((i) => [i.code, i.location])).toEqual([
      ["invalid_json", "line 3"],
      ["not_a_data_point", "line 5"],
    ]);
  });

  it("reads a JSON array of data points, with each at its index", async () => {
    const array = encode(JSON.stringify(points, null, 2));
    const whole = await map(array);
    expect(whole.issues).toEqual([]);
    expect(whole.observations.map((o) => [o.value, o.location])).toEqual([
      [70.1, "$[0].body.body_weight"],
      [70.4, "$[1].body.body_weight"],
      [69.9, "$[2].body.body_weight"],
    ]);
    expect(await map(array, context, 7)).toEqual(whole);
    const oneLine = await map(encode(JSON.stringify(points)), context, 3);
    expect(oneLine).toEqual(whole);
  });

  it("gives the same result for a corpus-based data point fed in tiny chunks", async () => {
    const bytes = wrapped(`${TESTDATA}/omh/blood-pressure/4.0/shouldPass/with-posture-location-relation.json`);
    const whole = await map(bytes);
    expect(whole.observations).toHaveLength(2);
    expect(await map(bytes, context, 7)).toEqual(whole);
    expect(await map(bytes, context, 1)).toEqual(whole);
  });

  it("reports broken and empty files without throwing", async () => {
    expect((await map(encode('{\n  "header": '))).issues.map((i) => [i.code, i.location])).toEqual([
      ["invalid_json", null],
    ]);
    expect((await map(encode(""))).issues.map((i) => i.code)).toEqual(["empty_file"]);
    expect((await map(encode("[]"))).issues.map((i) => i.code)).toEqual(["empty_file"]);
    expect((await map(encode("[1, null]"))).issues.map((i) => [i.code, i.location])).toEqual([
      ["not_a_data_point", "$[0]"],
      ["not_a_data_point", "$[1]"],
    ]);
    expect((await map(new Uint8Array([0xff, 0xfe, 0x00, 0x7b]))).observations).toEqual([]);
  });
});

function detectInput(bytes: Uint8Array, name: string | null = null): DetectInput {
  const head = bytes.subarray(0, 64 * 1024);
  return { head, headText: new TextDecoder().decode(head).replace(/^\uFEFF/, ""), name, contentType: null };
}

describe("openmhealth mapper: detect", () => {
  it("is sure of data points in every form", () => {
    const point = { header: header("heart-rate", "2.0"), body: {} };
    expect(openmhealthMapper.detect(detectInput(encode(JSON.stringify(point, null, 2))))).toBeGreaterThanOrEqual(0.9);
    expect(
      openmhealthMapper.detect(detectInput(encode(`${JSON.stringify(point)}\n${JSON.stringify(point)}`))),
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      openmhealthMapper.detect(detectInput(wrapped(`${TESTDATA}/omh/step-count/3.0/shouldPass/with-session.json`))),
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      openmhealthMapper.detect(detectInput(corpusBytes(`${TESTDATA}/omh/data-point/1.0/shouldPass/empty-body.json`))),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it("is sure of a bare body one schema validates, and only suspects one that none does", () => {
    const score = openmhealthMapper.detect(
      detectInput(corpusBytes(`${TESTDATA}/omh/heart-rate/2.0/shouldPass/with-descriptive-statistic.json`)),
    );
    expect(score).toBeGreaterThanOrEqual(0.9);
    // Over all core mappers, every shouldPass bare body is taken as Open mHealth.
    for (const file of corpusFiles(TESTDATA).filter((f) => isBodyFile(f) && f.includes("/shouldPass/"))) {
      expect(detectFormat(corpusBytes(file), file, null).format, file).toBe("openmhealth");
    }
    const invalid = openmhealthMapper.detect(
      detectInput(corpusBytes(`${TESTDATA}/omh/body-weight/3.0/shouldFail/invalid-unit.json`)),
    );
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThan(0.5);
  });

  const others = [
    ...corpusFiles("01-fhir-r4"),
    ...corpusFiles("02-hl7v2"),
    ...corpusFiles("03-ccda"),
    ...corpusFiles("04-wearables/apple-health"),
    ...corpusFiles("04-wearables/shimmer-vendor-api"),
    ...corpusFiles("05-csv-exports"),
  ];
  it.each(others)("scores %s (another format) 0", (file) => {
    expect(openmhealthMapper.detect(detectInput(corpusBytes(file), file))).toBe(0);
  });
});
