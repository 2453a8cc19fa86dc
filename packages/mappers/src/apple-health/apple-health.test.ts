import type { DetectInput, MapContext, MapEvent, MappedObservation } from "@dfda/core";
import { CODE_SYSTEMS, DETECT_HEAD_BYTES } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { appleHealthMapper } from "./index";
import { appleUnitToUcum } from "./units";

const lookup = seedCatalog();
const HK = CODE_SYSTEMS.appleHealth;
const LOINC = CODE_SYSTEMS.loinc;
const SAMPLE = "04-wearables/apple-health/export6s3sample.xml";

const idOf = (slug: string) => {
  const match = lookup.byLabel(slug);
  if (match === null) throw new Error(`no seeded variable ${slug}`);
  return match.id;
};

async function run(bytes: Uint8Array, context: Partial<MapContext> = {}, chunk?: number) {
  const events = await collect(appleHealthMapper.map(fromBytes(bytes, chunk), { lookup, ...context }));
  const observations = events.flatMap((e: MapEvent) => (e.kind === "observation" ? [e.observation] : []));
  const issues = events.flatMap((e: MapEvent) => (e.kind === "issue" ? [e.issue] : []));
  return { events, observations, issues };
}

/** An export.xml around `body` (the elements inside <HealthData>). */
const xml = (body: string) =>
  new TextEncoder().encode(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n]>\n<HealthData locale="en_US">\n <ExportDate value="2024-03-02 07:00:00 -0800"/>\n${body}\n</HealthData>\n`,
  );

/** The variable the pipeline would resolve: variable_id, else the first coding the seed knows. */
function resolved(o: MappedObservation): string | null {
  if (o.variable_id !== undefined) return o.variable_id;
  for (const c of o.codings) {
    const match = lookup.byCoding(c.system, c.code);
    if (match !== null) return match.id;
  }
  return null;
}

const firstCode = (o: MappedObservation) => o.codings[0]?.code;

function detectInput(bytes: Uint8Array, name: string | null): DetectInput {
  const head = bytes.subarray(0, DETECT_HEAD_BYTES);
  return { head, headText: new TextDecoder().decode(head).replace(/^\uFEFF/, ""), name, contentType: null };
}

describe("apple health mapper: the corpus sample (export6s3sample.xml)", () => {
  it("maps every file of 04-wearables/apple-health without throwing", async () => {
    for (const file of corpusFiles("04-wearables/apple-health")) {
      const { observations, issues } = await run(corpusBytes(file));
      expect(observations.length, file).toBeGreaterThan(0);
      expect(
        issues.filter((i) => i.severity === "error"),
        file,
      ).toEqual([]);
    }
  });

  it("counts the observations of each type, and each resolves to the seeded variable", async () => {
    const { observations } = await run(corpusBytes(SAMPLE));
    const counts: Record<string, number> = {};
    for (const o of observations) counts[firstCode(o) ?? ""] = (counts[firstCode(o) ?? ""] ?? 0) + 1;
    expect(counts).toEqual({
      HKQuantityTypeIdentifierStepCount: 10,
      HKQuantityTypeIdentifierDistanceWalkingRunning: 6, // 5 Records + the Workout's total
      HKQuantityTypeIdentifierActiveEnergyBurned: 3, // 2 ActivitySummary days + the Workout's total
      HKQuantityTypeIdentifierAppleExerciseTime: 2,
      HKCategoryTypeIdentifierAppleStandHour: 2,
      HKWorkoutTypeIdentifier: 1,
    });
    const slugs: Record<string, string> = {
      HKQuantityTypeIdentifierStepCount: "steps",
      HKQuantityTypeIdentifierDistanceWalkingRunning: "walking-running-distance",
      HKQuantityTypeIdentifierActiveEnergyBurned: "active-energy-burned",
      HKQuantityTypeIdentifierAppleExerciseTime: "exercise-minutes",
      HKCategoryTypeIdentifierAppleStandHour: "stand-hours",
      HKWorkoutTypeIdentifier: "workout-duration",
    };
    for (const o of observations) expect(resolved(o), o.location).toBe(idOf(slugs[firstCode(o) ?? ""] ?? ""));
    // The LOINC second coding resolves to the same variable.
    const steps = observations.find((o) => firstCode(o) === "HKQuantityTypeIdentifierStepCount");
    expect(lookup.byCoding(LOINC, steps?.codings[1]?.code ?? "")?.id).toBe(idOf("steps"));
  });

  it("maps the step and distance Records with their units, periods (offsets kept) and sources", async () => {
    const { observations, issues } = await run(corpusBytes(SAMPLE));
    const steps = observations.filter((o) => firstCode(o) === "HKQuantityTypeIdentifierStepCount");
    expect(steps.map((o) => o.value)).toEqual([329, 283, 426, 61, 10, 200, 390, 320, 216, 282]);
    expect(steps[0]).toEqual({
      codings: [
        { system: HK, code: "HKQuantityTypeIdentifierStepCount" },
        { system: LOINC, code: "55423-8" },
      ],
      value: 329,
      unit: "{steps}",
      start_at: "2014-09-13T10:27:54+01:00",
      end_at: "2014-09-13T10:27:59+01:00",
      location: "/HealthData/Record[1]",
      metadata: { source_name: "Health", creation_date: "2014-09-21 07:08:47 +0100", source_unit: "count" },
    });
    expect(steps[9]).toEqual({
      codings: [
        { system: HK, code: "HKQuantityTypeIdentifierStepCount" },
        { system: LOINC, code: "55423-8" },
      ],
      value: 282,
      unit: "{steps}",
      start_at: "2014-09-13T11:33:24+01:00",
      end_at: "2014-09-13T11:33:29+01:00",
      location: "/HealthData/Record[10]",
      metadata: { source_name: "Health", creation_date: "2014-09-21 07:08:48 +0100", source_unit: "count" },
    });
    const distance = observations.filter(
      (o) => firstCode(o) === "HKQuantityTypeIdentifierDistanceWalkingRunning" && o.metadata?.summary === undefined,
    );
    expect(distance.map((o) => [o.value, o.unit, o.location])).toEqual([
      [0.00288, "km", "/HealthData/Record[11]"],
      [0.00284, "km", "/HealthData/Record[12]"],
      [0.00142, "km", "/HealthData/Record[13]"],
      [0.00639, "km", "/HealthData/Record[14]"],
      [0.0059, "km", "/HealthData/Record[15]"],
    ]);
    expect(distance[0]).toEqual({
      codings: [{ system: HK, code: "HKQuantityTypeIdentifierDistanceWalkingRunning" }],
      value: 0.00288,
      unit: "km",
      start_at: "2014-09-20T10:41:28+01:00",
      end_at: "2014-09-20T10:41:30+01:00",
      location: "/HealthData/Record[11]",
      metadata: { source_name: "Health", creation_date: "2014-09-21 07:08:49 +0100" },
    });
    expect(distance[4]).toMatchObject({ start_at: "2014-09-20T10:43:59+01:00", end_at: "2014-09-20T10:44:01+01:00" });
    // Only the ActivitySummary dates lack an offset.
    expect(issues.map((i) => i.code)).toEqual(["assumed_timezone"]);
  });

  it("maps the ActivitySummary days and the Workout exactly", async () => {
    const { observations } = await run(corpusBytes(SAMPLE), { timezone: "Europe/London" });
    const summary = observations.filter((o) => o.metadata?.summary === "activity_summary");
    expect(summary).toEqual([
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierActiveEnergyBurned" },
          { system: LOINC, code: "41981-2" },
        ],
        value: 700.698,
        unit: "kcal",
        start_at: "2016-04-14T00:00:00+01:00",
        end_at: "2016-04-15T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[1]/@activeEnergyBurned",
        metadata: { summary: "activity_summary", goal: 680 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierAppleExerciseTime" },
          { system: LOINC, code: "55411-3" },
        ],
        value: 89,
        unit: "min",
        start_at: "2016-04-14T00:00:00+01:00",
        end_at: "2016-04-15T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[1]/@appleExerciseTime",
        metadata: { summary: "activity_summary", goal: 30 },
      },
      {
        codings: [{ system: HK, code: "HKCategoryTypeIdentifierAppleStandHour" }],
        value: 16,
        unit: "h",
        start_at: "2016-04-14T00:00:00+01:00",
        end_at: "2016-04-15T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[1]/@appleStandHours",
        metadata: { summary: "activity_summary", goal: 12 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierActiveEnergyBurned" },
          { system: LOINC, code: "41981-2" },
        ],
        value: 56.609,
        unit: "kcal",
        start_at: "2016-04-15T00:00:00+01:00",
        end_at: "2016-04-16T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[2]/@activeEnergyBurned",
        metadata: { summary: "activity_summary", goal: 680 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierAppleExerciseTime" },
          { system: LOINC, code: "55411-3" },
        ],
        value: 6,
        unit: "min",
        start_at: "2016-04-15T00:00:00+01:00",
        end_at: "2016-04-16T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[2]/@appleExerciseTime",
        metadata: { summary: "activity_summary", goal: 30 },
      },
      {
        codings: [{ system: HK, code: "HKCategoryTypeIdentifierAppleStandHour" }],
        value: 2,
        unit: "h",
        start_at: "2016-04-15T00:00:00+01:00",
        end_at: "2016-04-16T00:00:00+01:00",
        location: "/HealthData/ActivitySummary[2]/@appleStandHours",
        metadata: { summary: "activity_summary", goal: 12 },
      },
    ]);
    const workout = observations.filter((o) => o.metadata?.summary === "workout");
    const metadata = {
      // The file writes a no-break space (U+00A0) in the source name.
      source_name: "NJR Apple\u00a0Watch",
      source_version: "2.2",
      creation_date: "2016-04-02 11:12:57 +0100",
      summary: "workout",
      activity_type: "HKWorkoutActivityTypeOther",
    };
    const period = { start_at: "2016-04-02T10:40:38+01:00", end_at: "2016-04-02T11:12:22+01:00" };
    expect(workout).toEqual([
      {
        codings: [{ system: HK, code: "HKWorkoutTypeIdentifier" }],
        value: 31.73680251737436,
        unit: "min",
        ...period,
        location: "/HealthData/Workout[1]/@duration",
        metadata,
      },
      {
        codings: [{ system: HK, code: "HKQuantityTypeIdentifierDistanceWalkingRunning" }],
        value: 0,
        unit: "km",
        ...period,
        location: "/HealthData/Workout[1]/@totalDistance",
        metadata,
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierActiveEnergyBurned" },
          { system: LOINC, code: "41981-2" },
        ],
        value: 139.3170000000021,
        unit: "kcal",
        ...period,
        location: "/HealthData/Workout[1]/@totalEnergyBurned",
        metadata,
      },
    ]);
    // Nothing from Me (date of birth, sex) or ExportDate.
    expect(observations).toHaveLength(24);
  });

  it("maps the same events when the bytes arrive 7 (or 1) at a time", async () => {
    const bytes = corpusBytes(SAMPLE);
    const whole = await run(bytes);
    expect((await run(bytes, {}, 7)).events).toEqual(whole.events);
    expect((await run(bytes, {}, 1)).events).toEqual(whole.events);
  });

  it("maps the same values as the CSVs derived from the same export", async () => {
    const { csvMapper } = await import("../csv/index");
    const csv = await collect(
      csvMapper.map(fromBytes(corpusBytes("05-csv-exports/apple-health-derived/DistanceWalkingRunning.csv")), {
        lookup,
      }),
    );
    const { observations } = await run(corpusBytes(SAMPLE));
    const strip = (o: MappedObservation) => [o.codings, o.value, o.unit, o.start_at, o.end_at, o.metadata];
    const fromCsv = csv.flatMap((e) => (e.kind === "observation" ? [strip(e.observation)] : []));
    const fromXml = observations
      .filter(
        (o) => firstCode(o) === "HKQuantityTypeIdentifierDistanceWalkingRunning" && o.metadata?.summary === undefined,
      )
      .map(strip);
    expect(fromCsv).toEqual(fromXml);
  });
});

describe("apple health mapper: element semantics", () => {
  const source = 'sourceName="Omron" sourceVersion="1.0" creationDate="2024-03-01 08:05:00 -0800"';
  const systolic = `<Record type="HKQuantityTypeIdentifierBloodPressureSystolic" ${source} unit="mmHg" startDate="2024-03-01 08:00:00 -0800" endDate="2024-03-01 08:00:00 -0800" value="121"/>`;
  const diastolic = `<Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" ${source} unit="mmHg" startDate="2024-03-01 08:00:00 -0800" endDate="2024-03-01 08:00:00 -0800" value="79"/>`;
  const correlation = `<Correlation type="HKCorrelationTypeIdentifierBloodPressure" ${source} startDate="2024-03-01 08:00:00 -0800" endDate="2024-03-01 08:00:00 -0800">\n  <MetadataEntry key="HKWasUserEntered" value="1"/>\n  ${systolic}\n  ${diastolic}\n </Correlation>`;

  it("maps each blood-pressure sample once, whichever copy (top level or correlation) comes first", async () => {
    const recordsFirst = await run(xml(`${systolic}\n${diastolic}\n${correlation}`));
    expect(recordsFirst.issues).toEqual([]);
    expect(recordsFirst.observations).toEqual([
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierBloodPressureSystolic" },
          { system: LOINC, code: "8480-6" },
        ],
        value: 121,
        unit: "mm[Hg]",
        start_at: "2024-03-01T08:00:00-08:00",
        location: "/HealthData/Record[1]",
        metadata: {
          source_name: "Omron",
          source_version: "1.0",
          creation_date: "2024-03-01 08:05:00 -0800",
          source_unit: "mmHg",
        },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierBloodPressureDiastolic" },
          { system: LOINC, code: "8462-4" },
        ],
        value: 79,
        unit: "mm[Hg]",
        start_at: "2024-03-01T08:00:00-08:00",
        location: "/HealthData/Record[2]",
        metadata: {
          source_name: "Omron",
          source_version: "1.0",
          creation_date: "2024-03-01 08:05:00 -0800",
          source_unit: "mmHg",
        },
      },
    ]);
    const correlationFirst = await run(xml(`${correlation}\n${systolic}\n${diastolic}`));
    expect(correlationFirst.issues).toEqual([]);
    expect(correlationFirst.observations.map((o) => [o.value, o.location, o.metadata?.correlation_type])).toEqual([
      [121, "/HealthData/Correlation[1]/Record[1]", "HKCorrelationTypeIdentifierBloodPressure"],
      [79, "/HealthData/Correlation[1]/Record[2]", "HKCorrelationTypeIdentifierBloodPressure"],
    ]);
    expect(correlationFirst.observations[0]?.metadata).toEqual({
      source_name: "Omron",
      source_version: "1.0",
      creation_date: "2024-03-01 08:05:00 -0800",
      source_unit: "mmHg",
      correlation: "/HealthData/Correlation[1]",
      correlation_type: "HKCorrelationTypeIdentifierBloodPressure",
      correlation_hk_metadata: { HKWasUserEntered: "1" },
    });
    expect(correlationFirst.observations.map(resolved)).toEqual([
      idOf("systolic-blood-pressure"),
      idOf("diastolic-blood-pressure"),
    ]);
    // A reading with another value is another sample; a correlated sample without a top-level copy is mapped once.
    const other = systolic.replace('value="121"', 'value="130"');
    expect((await run(xml(`${systolic}\n${other}\n${correlation}`))).observations.map((o) => o.value)).toEqual([
      121, 130, 79,
    ]);
  });

  it("maps sleep analysis samples to minutes: asleep to sleep duration (and the stage), in bed and awake apart", async () => {
    const sleep = (value: string, start: string, end: string) =>
      `<Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" startDate="2024-03-01 ${start} -0800" endDate="2024-03-0${end.startsWith("0") ? 2 : 1} ${end} -0800" value="${value}"/>`;
    const { observations, issues } = await run(
      xml(
        [
          sleep("HKCategoryValueSleepAnalysisInBed", "22:30:00", "06:30:00"),
          sleep("HKCategoryValueSleepAnalysisAsleepCore", "23:00:00", "23:45:30"),
          sleep("HKCategoryValueSleepAnalysisAsleepDeep", "23:45:30", "00:30:00"),
          sleep("HKCategoryValueSleepAnalysisAwake", "23:50:00", "23:55:00"),
          sleep("HKCategoryValueSleepAnalysisAsleepREM", "23:55:00", "01:00:00"),
          sleep("HKCategoryValueSleepAnalysisAsleep", "22:00:00", "23:00:00"),
          sleep("1", "21:00:00", "21:30:00"),
          sleep("HKCategoryValueSleepAnalysisNapping", "21:00:00", "21:30:00"),
        ].join("\n"),
      ),
    );
    expect(observations.map((o) => [o.codings.map((c) => c.code), o.value, o.unit, resolved(o)])).toEqual([
      [["HKCategoryValueSleepAnalysisInBed"], 480, "min", idOf("time-in-bed")],
      [["HKCategoryTypeIdentifierSleepAnalysis", "93832-4"], 45.5, "min", idOf("sleep-duration")],
      [["93830-8", "HKCategoryValueSleepAnalysisAsleepCore"], 45.5, "min", idOf("light-sleep-duration")],
      [["HKCategoryTypeIdentifierSleepAnalysis", "93832-4"], 44.5, "min", idOf("sleep-duration")],
      [["93831-6", "HKCategoryValueSleepAnalysisAsleepDeep"], 44.5, "min", idOf("deep-sleep-duration")],
      [["HKCategoryValueSleepAnalysisAwake"], 5, "min", idOf("awake-during-sleep")],
      [["HKCategoryTypeIdentifierSleepAnalysis", "93832-4"], 65, "min", idOf("sleep-duration")],
      [["93829-0", "HKCategoryValueSleepAnalysisAsleepREM"], 65, "min", idOf("rem-sleep-duration")],
      [["HKCategoryTypeIdentifierSleepAnalysis", "93832-4"], 60, "min", idOf("sleep-duration")],
      [["HKCategoryTypeIdentifierSleepAnalysis", "93832-4"], 30, "min", idOf("sleep-duration")],
    ]);
    expect(observations[0]).toMatchObject({
      start_at: "2024-03-01T22:30:00-08:00",
      end_at: "2024-03-02T06:30:00-08:00",
      metadata: { source_name: "Watch", sleep_value: "HKCategoryValueSleepAnalysisInBed" },
    });
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      ["/HealthData/Record[8]", "unknown_category_value", "warning"],
    ]);
  });

  it("maps other category samples: stand hours, symptom severities, sessions, events and coded values", async () => {
    const record = (type: string, value: string, end = "08:10:00") =>
      `<Record type="HKCategoryTypeIdentifier${type}" sourceName="iPhone" startDate="2024-03-01 08:00:00 +0100" endDate="2024-03-01 ${end} +0100" value="${value}"/>`;
    const { observations, issues } = await run(
      xml(
        [
          record("AppleStandHour", "HKCategoryValueAppleStandHourStood", "09:00:00"),
          record("AppleStandHour", "HKCategoryValueAppleStandHourIdle", "09:00:00"),
          record("Headache", "HKCategoryValueSeverityModerate"),
          record("Headache", "HKCategoryValueSeverityNotPresent"),
          record("Fatigue", "HKCategoryValueSeverityUnspecified"),
          record("MindfulSession", "HKCategoryValueNotApplicable", "08:12:30"),
          record("ToothbrushingEvent", "HKCategoryValueNotApplicable", "08:02:00"),
          record("HighHeartRateEvent", "HKCategoryValueNotApplicable"),
          record("MenstrualFlow", "HKCategoryValueMenstrualFlowLight"),
        ].join("\n"),
      ),
    );
    expect(
      observations.map((o) => [o.codings[0]?.code.replace("HKCategoryTypeIdentifier", ""), o.value, o.unit]),
    ).toEqual([
      ["AppleStandHour", 1, "h"],
      ["AppleStandHour", 0, "h"],
      ["Headache", 5, "{score}"],
      ["Headache", 0, "{score}"],
      ["MindfulSession", 12.5, "min"],
      ["ToothbrushingEvent", 1, "{count}"],
      ["HighHeartRateEvent", true, undefined],
      ["MenstrualFlow", "HKCategoryValueMenstrualFlowLight", undefined],
    ]);
    expect(observations[7]?.metadata?.value_coding).toEqual([
      { system: HK, code: "HKCategoryValueMenstrualFlowLight" },
    ]);
    expect(observations.map(resolved)).toEqual(
      [
        "stand-hours",
        "stand-hours",
        "headache",
        "headache",
        "meditation",
        "toothbrushing",
        "high-heart-rate-notification",
        "menstrual-flow",
      ].map(idOf),
    );
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      ["/HealthData/Record[5]", "unrated_symptom", "info"],
    ]);
  });

  it("maps HealthKit units to UCUM with LOINC second codings, and keeps unknown types with their HealthKit coding", async () => {
    const q = (type: string, unit: string, value: string) =>
      `<Record type="HKQuantityTypeIdentifier${type}" sourceName="x" device="&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch&gt;" unit="${unit}" startDate="2024-03-01 08:00:00 +0530" endDate="2024-03-01 08:00:00 +0530" value="${value}">\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="1"/>\n </Record>`;
    const { observations, issues } = await run(
      xml(
        [
          q("HeartRate", "count/min", "62"),
          q("BodyMass", "lb", "160.5"),
          q("OxygenSaturation", "%", "0.97"),
          q("BloodGlucose", "mmol&lt;180.1558800000541&gt;/L", "5.4"),
          q("BloodGlucose", "mg/dL", "97"),
          q("BodyTemperature", "degF", "98.6"),
          q("VO2Max", "mL/min·kg", "41.2"),
          q("FlightsClimbed", "count", "3"),
          q("SomethingNew", "count", "7"),
        ].join("\n"),
      ),
    );
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.codings.map((c) => c.code), o.value, o.unit])).toEqual([
      [["HKQuantityTypeIdentifierHeartRate", "8867-4"], 62, "/min"],
      [["HKQuantityTypeIdentifierBodyMass", "29463-7"], 160.5, "[lb_av]"],
      // HealthKit's percent is a fraction: 0.97 of 1.
      [["HKQuantityTypeIdentifierOxygenSaturation", "59408-5"], 0.97, "1"],
      [["HKQuantityTypeIdentifierBloodGlucose", "15074-8"], 5.4, "mmol/L"],
      [["HKQuantityTypeIdentifierBloodGlucose", "2339-0"], 97, "mg/dL"],
      [["HKQuantityTypeIdentifierBodyTemperature", "8310-5"], 98.6, "[degF]"],
      [["HKQuantityTypeIdentifierVO2Max"], 41.2, "mL/(min.kg)"],
      [["HKQuantityTypeIdentifierFlightsClimbed"], 3, "{flights}"],
      [["HKQuantityTypeIdentifierSomethingNew"], 7, "{count}"],
    ]);
    expect(observations[0]).toEqual({
      codings: [
        { system: HK, code: "HKQuantityTypeIdentifierHeartRate" },
        { system: LOINC, code: "8867-4" },
      ],
      value: 62,
      unit: "/min",
      start_at: "2024-03-01T08:00:00+05:30",
      location: "/HealthData/Record[1]",
      metadata: {
        source_name: "x",
        device: "<<HKDevice: 0x1>, name:Apple Watch>",
        hk_metadata: { HKMetadataKeyHeartRateMotionContext: "1" },
        source_unit: "count/min",
      },
    });
    expect(observations[2]?.metadata?.source_unit).toBe("%");
    expect(resolved(observations[8] as MappedObservation)).toBeNull();
  });

  it("reports Records it cannot map and maps the rest", async () => {
    const { observations, issues } = await run(
      xml(
        [
          '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:01:00 +0000"/>',
          '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:01:00 +0000" value="many"/>',
          '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" endDate="2024-03-01 08:01:00 +0000" value="5"/>',
          '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="last tuesday" endDate="2024-03-01 08:01:00 +0000" value="5"/>',
          '<Record sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" value="5"/>',
          '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:01:00 +0000" value="12"/>',
          '<Record type="HKDataTypeSleepDurationGoal" sourceName="Health" unit="hr" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:00:00 +0000" value="8"/>',
          '<Record type="HKDataTypeSleepDurationGoal" sourceName="Health" unit="hr" startDate="2024-03-02 08:00:00 +0000" endDate="2024-03-02 08:00:00 +0000" value="8"/>',
        ].join("\n"),
      ),
    );
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      ["/HealthData/Record[1]", "missing_value", "error"],
      ["/HealthData/Record[2]/@value", "invalid_value", "error"],
      ["/HealthData/Record[3]", "missing_time", "error"],
      ["/HealthData/Record[4]/@startDate", "invalid_time", "error"],
      ["/HealthData/Record[5]", "missing_type", "error"],
      ["/HealthData/Record[7]", "not_a_measurement", "info"],
    ]);
    expect(observations.map((o) => [o.location, o.value, o.start_at, o.end_at])).toEqual([
      ["/HealthData/Record[6]", 12, "2024-03-01T08:00:00Z", "2024-03-01T08:01:00Z"],
    ]);
  });

  it("reads workout totals from WorkoutStatistics (newer exports), distance by activity type", async () => {
    const { observations, issues } = await run(
      xml(
        `<Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="45" durationUnit="min" sourceName="Watch" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:45:00 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutEvent type="HKWorkoutEventTypePause" date="2024-03-01 17:10:00 +0100"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:45:00 +0100" sum="410.5" unit="kcal"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceCycling" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:45:00 +0100" sum="18.2" unit="km"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:45:00 +0100" average="141" minimum="90" maximum="171" unit="count/min"/>
  <WorkoutRoute sourceName="Watch"><MetadataEntry key="HKMetadataKeySyncVersion" value="2"/><FileReference path="/workout-routes/route_1.gpx"/></WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" sourceName="Watch" startDate="2024-03-02 07:00:00 +0100" endDate="2024-03-02 07:30:00 +0100" totalDistance="2.5" totalDistanceUnit="mi"/>`,
      ),
    );
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.location])).toEqual([
      ["HKWorkoutTypeIdentifier", 45, "min", "/HealthData/Workout[1]/@duration"],
      ["HKQuantityTypeIdentifierActiveEnergyBurned", 410.5, "kcal", "/HealthData/Workout[1]/WorkoutStatistics[1]"],
      ["HKQuantityTypeIdentifierDistanceCycling", 18.2, "km", "/HealthData/Workout[1]/WorkoutStatistics[2]"],
      ["HKWorkoutTypeIdentifier", 30, "min", "/HealthData/Workout[2]"],
      ["HKQuantityTypeIdentifierDistanceWalkingRunning", 2.5, "[mi_i]", "/HealthData/Workout[2]/@totalDistance"],
    ]);
    expect(observations[0]?.metadata).toEqual({
      source_name: "Watch",
      summary: "workout",
      activity_type: "HKWorkoutActivityTypeCycling",
      hk_metadata: { HKIndoorWorkout: "0" },
    });
    expect(observations[3]?.metadata?.duration_derived).toBe(true);
    expect(observations.map(resolved)).toEqual(
      [
        "workout-duration",
        "active-energy-burned",
        "cycling-distance",
        "workout-duration",
        "walking-running-distance",
      ].map(idOf),
    );
  });

  it("skips Me and reports each unsupported element name once", async () => {
    const { observations, issues } = await run(
      xml(
        ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n <ClinicalRecord type="HKClinicalTypeIdentifierLabResultRecord" identifier="1" sourceName="Hospital" fhirVersion="4.0.1" receivedDate="2024-03-01 08:00:00 +0000" resourceFilePath="/clinical-records/a.json"/>\n <ClinicalRecord type="HKClinicalTypeIdentifierLabResultRecord" identifier="2" sourceName="Hospital" fhirVersion="4.0.1" receivedDate="2024-03-01 08:00:00 +0000" resourceFilePath="/clinical-records/b.json"/>',
      ),
    );
    expect(observations).toEqual([]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      ["/HealthData/ClinicalRecord[1]", "unsupported_element", "info"],
    ]);
  });

  it("reports malformed XML and maps nothing after the break; a wrong root maps nothing", async () => {
    const broken = new TextEncoder().encode(
      '<HealthData locale="en_US">\n<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:01:00 +0000" value="12"/>\n<Record type="HKQuantityTypeIdentifierStepCount" value="3" <Oops/>\n<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 09:00:00 +0000" endDate="2024-03-01 09:01:00 +0000" value="13"/>\n</HealthData>',
    );
    for (const chunk of [undefined, 5]) {
      const { observations, issues } = await run(broken, {}, chunk);
      expect(observations.map((o) => o.value)).toEqual([12]);
      expect(issues.map((i) => [i.code, i.severity])).toEqual([["malformed_xml", "error"]]);
      expect(issues[0]?.message).toMatch(/^The XML is not well-formed \(line 3, column \d+\)/);
    }
    const truncated = await run(xml("").subarray(0, 150));
    expect(truncated.issues.map((i) => i.code)).toEqual(["malformed_xml"]);

    const cda = await run(corpusBytes(corpusFiles("03-ccda").find((f) => f.endsWith(".xml")) ?? "03-ccda/missing.xml"));
    expect(cda.observations).toEqual([]);
    expect(cda.issues.map((i) => i.code)).toEqual(["not_apple_health"]);
    expect((await run(new TextEncoder().encode(""))).issues.map((i) => i.code)).toEqual(["malformed_xml"]);
  });

  it("streams: observations come out before the source has ended", async () => {
    let served = 0;
    async function* source() {
      yield new TextEncoder().encode('<?xml version="1.0"?>\n<HealthData locale="en_US">\n');
      for (let i = 0; i < 1000; i++) {
        served++;
        yield new TextEncoder().encode(
          `<Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" unit="count" startDate="2024-03-01 08:00:00 +0000" endDate="2024-03-01 08:01:00 +0000" value="${i}"/>\n`,
        );
      }
      yield new TextEncoder().encode("</HealthData>\n");
    }
    const iterator = appleHealthMapper.map(source(), { lookup })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: "observation", observation: { value: 0 } });
    expect(served).toBeLessThan(5);
  });
});

describe("apple health units", () => {
  it("maps HealthKit unit strings to UCUM", () => {
    const cases: [string, string | undefined, string][] = [
      ["count/min", undefined, "/min"],
      ["count", "HKQuantityTypeIdentifierStepCount", "{steps}"],
      ["count", undefined, "{count}"],
      ["lb", undefined, "[lb_av]"],
      ["kg", undefined, "kg"],
      ["%", undefined, "1"],
      ["kcal", undefined, "kcal"],
      ["Cal", undefined, "[Cal]"],
      ["km", undefined, "km"],
      ["mi", undefined, "[mi_i]"],
      ["ft", undefined, "[ft_i]"],
      ["in", undefined, "[in_i]"],
      ["degF", undefined, "[degF]"],
      ["degC", undefined, "Cel"],
      ["mmHg", undefined, "mm[Hg]"],
      ["hr", undefined, "h"],
      ["min", undefined, "min"],
      ["ms", undefined, "ms"],
      ["mg/dL", undefined, "mg/dL"],
      ["mmol<180.1558800000541>/L", undefined, "mmol/L"],
      ["mL/(kg*min)", undefined, "mL/(kg.min)"],
      ["kcal/hr·kg", undefined, "kcal/(h.kg)"],
      ["km/hr", undefined, "km/h"],
      ["mcg", undefined, "ug"],
      ["IU", undefined, "[iU]"],
      ["dBASPL", undefined, "dB[SPL]"],
      ["fl_oz_us", undefined, "[foz_us]"],
      ["mL", undefined, "mL"],
    ];
    for (const [unit, type, ucum] of cases) expect(appleUnitToUcum(unit, type), unit).toBe(ucum);
  });
});

describe("apple health detect", () => {
  it("scores export.xml 0.99 by its content, and a bare name as a hint only", () => {
    expect(appleHealthMapper.detect(detectInput(corpusBytes(SAMPLE), null))).toBe(0.99);
    expect(appleHealthMapper.detect(detectInput(xml(""), "export.xml"))).toBe(0.99);
    const other = new TextEncoder().encode("<?xml version='1.0'?><Foo/>");
    expect(appleHealthMapper.detect(detectInput(other, "apple_health_export/export.xml"))).toBe(0.3);
    expect(appleHealthMapper.detect(detectInput(other, "export_cda.xml"))).toBe(0);
  });

  it("scores FHIR, HL7 v2, C-CDA, Open mHealth, vendor JSON, CSV, UCUM and LOINC files 0", () => {
    const others = [
      "01-fhir-r4",
      "02-hl7v2",
      "03-ccda",
      "04-wearables/openmhealth-schema-testdata",
      "04-wearables/openmhealth-schemas",
      "04-wearables/shimmer-vendor-api",
      "05-csv-exports",
      "06-ucum",
      "07-loinc-terminology",
    ].flatMap(corpusFiles);
    expect(others.length).toBeGreaterThan(300);
    for (const file of others) {
      expect(appleHealthMapper.detect(detectInput(corpusBytes(file), file.split("/").pop() ?? null)), file).toBe(0);
    }
  });
});
