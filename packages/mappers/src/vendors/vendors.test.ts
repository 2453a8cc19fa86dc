import { CODE_SYSTEMS, type DetectInput, type MapContext, type MappedObservation, type MappingIssue } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { FITBIT_SYSTEM } from "./fitbit";
import { ACTIVITY_TYPES, GOOGLE_FIT_SYSTEM } from "./googlefit";
import { IHEALTH_SYSTEM, iHealthTime } from "./ihealth";
import { vendorJsonMapper } from "./index";
import { JAWBONE_SYSTEM, MISFIT_SYSTEM } from "./misfit-jawbone";
import { scaled, WITHINGS_INTRADAY_SYSTEM, WITHINGS_MEASURE_SYSTEM } from "./withings";

const FOLDER = "04-wearables/shimmer-vendor-api";
const catalog = seedCatalog();
const context: MapContext = { lookup: catalog };
const encode = (text: string) => new TextEncoder().encode(text);

interface Result {
  observations: MappedObservation[];
  issues: MappingIssue[];
}

async function map(bytes: Uint8Array, ctx: MapContext = context, chunkSize?: number): Promise<Result> {
  const events = await collect(vendorJsonMapper.map(fromBytes(bytes, chunkSize), ctx));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}
const mapFile = (name: string, ctx: MapContext = context) => map(corpusBytes(`${FOLDER}/${name}`), ctx);

/** The variable a seed label names (what `label`s resolve to). */
const v = (label: string) => {
  const id = catalog.byLabel(label)?.id;
  if (id === undefined) throw new Error(`no seeded variable for ${label}`);
  return id;
};
/** The seeded variable name a LOINC code resolves to. */
const loincName = (code: string) => catalog.byCoding(CODE_SYSTEMS.loinc, code)?.name;

/** [codes, variable_id, value, unit, start_at, end_at, location]: what each observation says. */
const row = (o: MappedObservation) => [
  o.codings.map((c) => c.code).join(","),
  o.variable_id ?? null,
  o.value,
  o.unit ?? null,
  o.start_at,
  o.end_at ?? null,
  o.location,
];
const issueRow = (i: MappingIssue) => [i.code, i.severity, i.location];
const ASSUMED = ["assumed_timezone", "warning", null];

describe("vendor-json mapper: every corpus file", () => {
  const files = corpusFiles(FOLDER);
  it("covers the whole folder", () => expect(files).toHaveLength(12));
  it.each(files)("%s maps without errors, and the same in 7-byte chunks", async (file) => {
    const whole = await map(corpusBytes(file));
    expect(whole.observations.length).toBeGreaterThan(0);
    expect(whole.issues.filter((i) => i.severity === "error")).toEqual([]);
    for (const o of whole.observations) {
      expect(o.start_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/);
      expect(o.metadata?.vendor).toBe(file.split("/")[2]);
      expect(o.codings.length > 0 || o.variable_id !== undefined).toBe(true);
    }
    expect(await map(corpusBytes(file), context, 7)).toEqual(whole);
  });
});

describe("vendor-json mapper: Fitbit", () => {
  it("maps the daily steps time series (values as strings) to whole local days", async () => {
    const { observations, issues } = await mapFile("fitbit/fitbit-activities-steps-timeseries.json");
    expect(issues.map(issueRow)).toEqual([ASSUMED]);
    expect(observations.map(row)).toEqual([
      [
        "41950-7,activities-steps",
        null,
        175,
        "{steps}",
        "2015-08-23T00:00:00Z",
        "2015-08-24T00:00:00Z",
        '$["activities-steps"][0]',
      ],
      [
        "41950-7,activities-steps",
        null,
        2937,
        "{steps}",
        "2015-08-24T00:00:00Z",
        "2015-08-25T00:00:00Z",
        '$["activities-steps"][1]',
      ],
      [
        "41950-7,activities-steps",
        null,
        0,
        "{steps}",
        "2015-08-25T00:00:00Z",
        "2015-08-26T00:00:00Z",
        '$["activities-steps"][2]',
      ],
    ]);
    expect(observations[0]).toEqual({
      codings: [
        { system: CODE_SYSTEMS.loinc, code: "41950-7", display: "Number of steps in 24 hour Measured" },
        { system: FITBIT_SYSTEM, code: "activities-steps" },
      ],
      value: 175,
      unit: "{steps}",
      start_at: "2015-08-23T00:00:00Z",
      end_at: "2015-08-24T00:00:00Z",
      metadata: { vendor: "fitbit" },
      location: '$["activities-steps"][0]',
    });
    expect(loincName("41950-7")).toBe("Steps");
  });

  it("takes the context zone for Fitbit's local times, without a warning", async () => {
    const { observations, issues } = await mapFile("fitbit/fitbit-activities-steps-timeseries.json", {
      ...context,
      timezone: "America/Los_Angeles",
    });
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.start_at, o.end_at])).toEqual([
      ["2015-08-23T00:00:00-07:00", "2015-08-24T00:00:00-07:00"],
      ["2015-08-24T00:00:00-07:00", "2015-08-25T00:00:00-07:00"],
      ["2015-08-25T00:00:00-07:00", "2015-08-26T00:00:00-07:00"],
    ]);
  });

  it("maps the per-minute intraday steps and not the daily total they add up to", async () => {
    const { observations, issues } = await mapFile("fitbit/fitbit-activities-steps-1d-1m-intraday.json");
    expect(issues.map(issueRow)).toEqual([["daily_total_skipped", "info", '$["activities-steps"]'], ASSUMED]);
    const at = (i: number) => `$["activities-steps-intraday"].dataset[${i}]`;
    expect(observations.map(row)).toEqual([
      ["55423-8,activities-steps-intraday", null, 7, "{steps}", "2015-08-21T00:00:00Z", "2015-08-21T00:01:00Z", at(0)],
      ["55423-8,activities-steps-intraday", null, 0, "{steps}", "2015-08-21T14:27:00Z", "2015-08-21T14:28:00Z", at(1)],
      ["55423-8,activities-steps-intraday", null, 52, "{steps}", "2015-08-21T14:28:00Z", "2015-08-21T14:29:00Z", at(2)],
    ]);
    expect(loincName("55423-8")).toBe("Steps");
  });

  it("maps logged activities and the daily summary of activities/date", async () => {
    const { observations, issues } = await mapFile("fitbit/fitbit-activities-date-multiple-in-activities-list.json");
    expect(issues.map(issueRow)).toEqual([ASSUMED, ["not_a_measurement", "info", "$.goals"]]);
    const run = ["2015-06-23T11:55:00Z", "2015-06-23T12:19:00Z"];
    const day = ["2015-06-23T00:00:00Z", "2015-06-24T00:00:00Z"];
    expect(observations.map(row)).toEqual([
      ["activities.duration", v("Workout Duration"), 1440000, "ms", ...run, "$.activities[0].duration"],
      ["activities.distance", v("Walking + Running Distance"), 6.43738, "km", ...run, "$.activities[0].distance"],
      ["41981-2,activities.calories", null, 150, "kcal", ...run, "$.activities[0].calories"],
      ["55423-8,activities.steps", null, 6761, "{steps}", ...run, "$.activities[0].steps"],
      // Swimming: timed, but without a duration (so no end) and with no distance or calories.
      ["55423-8,activities.steps", null, 0, "{steps}", "2015-06-23T10:00:00Z", null, "$.activities[1].steps"],
      // Walk: hasStartTime false, so only its date is known.
      [
        "activities.duration",
        v("Workout Duration"),
        3600000,
        "ms",
        "2015-06-23T00:00:00Z",
        null,
        "$.activities[2].duration",
      ],
      [
        "activities.distance",
        v("Walking + Running Distance"),
        6.43738,
        "km",
        "2015-06-23T00:00:00Z",
        null,
        "$.activities[2].distance",
      ],
      ["41981-2,activities.calories", null, 200, "kcal", "2015-06-23T00:00:00Z", null, "$.activities[2].calories"],
      ["55423-8,activities.steps", null, 8481, "{steps}", "2015-06-23T00:00:00Z", null, "$.activities[2].steps"],
      ["41950-7,summary.steps", null, 15242, "{steps}", ...day, "$.summary.steps"],
      ["summary.caloriesOut", v("caloriesOut"), 1218, "kcal", ...day, "$.summary.caloriesOut"],
      ["summary.activityCalories", v("activityCalories"), 150, "kcal", ...day, "$.summary.activityCalories"],
      ["summary.caloriesBMR", v("caloriesBMR"), 1069, "kcal", ...day, "$.summary.caloriesBMR"],
      ["summary.sedentaryMinutes", v("sedentaryMinutes"), 787, "min", ...day, "$.summary.sedentaryMinutes"],
      ["summary.lightlyActiveMinutes", v("lightlyActiveMinutes"), 72, "min", ...day, "$.summary.lightlyActiveMinutes"],
      ["summary.fairlyActiveMinutes", v("fairlyActiveMinutes"), 0, "min", ...day, "$.summary.fairlyActiveMinutes"],
      ["summary.veryActiveMinutes", v("veryActiveMinutes"), 24, "min", ...day, "$.summary.veryActiveMinutes"],
      ["summary.distances.total", v("Distance"), 12.87, "km", ...day, "$.summary.distances[3].distance"],
    ]);
    expect(observations[0]?.metadata).toEqual({
      vendor: "fitbit",
      activity_name: "Run",
      activity_id: 12120,
      activity_parent_name: "Run",
      log_id: 253202765,
      description: "10 mph (6 min/mile)",
      has_start_time: true,
    });
    expect(loincName("41981-2")).toBe("Active energy burned");
    expect(catalog.byLabel("caloriesOut")?.name).toBe("Total energy burned");
    expect(catalog.byLabel("veryActiveMinutes")?.name).toBe("Vigorous activity minutes");
  });

  it("maps each sleep log's minutes asleep, time in bed, awake time and efficiency", async () => {
    const { observations, issues } = await mapFile("fitbit/fitbit-sleep-date.json");
    expect(issues.map(issueRow)).toEqual([ASSUMED]);
    const nap = ["2016-12-13T09:59:00Z", "2016-12-13T11:02:30Z"];
    const main = ["2016-12-13T01:16:00Z", "2016-12-13T03:14:00Z"];
    expect(observations.map(row)).toEqual([
      ["93832-4,sleep.minutesAsleep", null, 63, "min", ...nap, "$.sleep[0].minutesAsleep"],
      ["sleep.timeInBed", v("timeInBed"), 63, "min", ...nap, "$.sleep[0].timeInBed"],
      ["sleep.minutesAwake", v("minutesAwake"), 0, "min", ...nap, "$.sleep[0].minutesAwake"],
      ["sleep.minutesToFallAsleep", v("minutesToFallAsleep"), 0, "min", ...nap, "$.sleep[0].minutesToFallAsleep"],
      ["sleep.minutesAfterWakeup", v("minutesAfterWakeup"), 0, "min", ...nap, "$.sleep[0].minutesAfterWakeup"],
      ["sleep.efficiency", v("efficiency"), 100, "%", ...nap, "$.sleep[0].efficiency"],
      ["93832-4,sleep.minutesAsleep", null, 112, "min", ...main, "$.sleep[1].minutesAsleep"],
      ["sleep.timeInBed", v("timeInBed"), 118, "min", ...main, "$.sleep[1].timeInBed"],
      ["sleep.minutesAwake", v("minutesAwake"), 6, "min", ...main, "$.sleep[1].minutesAwake"],
      ["sleep.minutesToFallAsleep", v("minutesToFallAsleep"), 0, "min", ...main, "$.sleep[1].minutesToFallAsleep"],
      ["sleep.minutesAfterWakeup", v("minutesAfterWakeup"), 0, "min", ...main, "$.sleep[1].minutesAfterWakeup"],
      ["sleep.efficiency", v("efficiency"), 95, "%", ...main, "$.sleep[1].efficiency"],
    ]);
    expect(observations[6]?.metadata).toEqual({
      vendor: "fitbit",
      log_id: 13211507000,
      date_of_sleep: "2016-12-13",
      is_main_sleep: true,
      type: "classic",
    });
    expect(loincName("93832-4")).toBe("Sleep duration");
  });

  it("maps the stage minutes of a stages sleep log", async () => {
    const log = {
      sleep: [
        {
          dateOfSleep: "2024-03-02",
          startTime: "2024-03-01T23:10:00.000",
          endTime: "2024-03-02T06:40:00.000",
          type: "stages",
          minutesAsleep: 400,
          levels: {
            summary: { deep: { minutes: 70 }, light: { minutes: 230 }, rem: { minutes: 100 }, wake: { minutes: 50 } },
          },
        },
      ],
    };
    const { observations } = await map(encode(JSON.stringify(log)), { ...context, timezone: "+01:00" });
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.start_at, o.end_at])).toEqual([
      ["93832-4", 400, "2024-03-01T23:10:00+01:00", "2024-03-02T06:40:00+01:00"],
      ["93831-6", 70, "2024-03-01T23:10:00+01:00", "2024-03-02T06:40:00+01:00"],
      ["93830-8", 230, "2024-03-01T23:10:00+01:00", "2024-03-02T06:40:00+01:00"],
      ["93829-0", 100, "2024-03-01T23:10:00+01:00", "2024-03-02T06:40:00+01:00"],
    ]);
  });
});

describe("vendor-json mapper: Google Fit", () => {
  it("maps merged weights (kg fpVal, nanosecond times)", async () => {
    const { observations, issues } = await mapFile("googlefit/googlefit-merge-weight.json");
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      [
        "29463-7,com.google.weight",
        null,
        72.0999984741211,
        "kg",
        "2015-02-13T00:00:00Z",
        null,
        "$.point[0].value[0].fpVal",
      ],
      ["29463-7,com.google.weight", null, 72, "kg", "2015-02-17T16:57:13.313Z", null, "$.point[1].value[0].fpVal"],
      [
        "29463-7,com.google.weight",
        null,
        75.75070190429688,
        "kg",
        "2015-07-08T03:17:00Z",
        "2015-07-08T03:17:10.020Z",
        "$.point[2].value[0].fpVal",
      ],
    ]);
    expect(observations[1]?.codings[1]).toEqual({ system: GOOGLE_FIT_SYSTEM, code: "com.google.weight" });
    expect(observations[1]?.metadata).toEqual({
      vendor: "googlefit",
      data_type: "com.google.weight",
      data_source_id: "raw:com.google.weight:com.wsl.noom:",
    });
    expect(loincName("29463-7")).toBe("Body weight");
  });

  it("maps activity segments to their duration, with the activity type", async () => {
    const { observations, issues } = await mapFile("googlefit/googlefit-merge-activity-segments.json");
    expect(issues).toEqual([]);
    const workout = v("com.google.activity.segment");
    expect(catalog.byLabel("com.google.activity.segment")?.name).toBe("Workout duration");
    expect(observations.map(row)).toEqual([
      [
        "com.google.activity.segment",
        workout,
        4072,
        "s",
        "2015-01-01T22:21:57Z",
        "2015-01-01T23:29:49Z",
        "$.point[0].value[0].intVal",
      ],
      [
        "com.google.activity.segment",
        workout,
        192,
        "s",
        "2015-01-05T00:27:29.151Z",
        "2015-01-05T00:30:41.151Z",
        "$.point[1].value[0].intVal",
      ],
      [
        "com.google.activity.segment",
        workout,
        1800,
        "s",
        "2015-07-07T13:30:00Z",
        "2015-07-07T14:00:00Z",
        "$.point[2].value[0].intVal",
      ],
    ]);
    expect(observations.map((o) => [o.metadata?.activity_type, o.metadata?.activity_name])).toEqual([
      [7, "Walking"],
      [9, "Aerobics"],
      [8, "Running"],
    ]);
    expect(observations[0]?.metadata?.data_source_id).toBe(
      "derived:com.google.activity.segment:com.strava:session_activity_segment",
    );
  });

  it("maps sleep segments to sleep variables and skips non-activities", async () => {
    const point = (type: number, start: string, end: string) => ({
      startTimeNanos: `${Date.parse(start)}000000`,
      endTimeNanos: `${Date.parse(end)}000000`,
      dataTypeName: "com.google.activity.segment",
      value: [{ intVal: type }],
    });
    const doc = {
      dataSourceId: "derived:com.google.activity.segment:com.google.android.gms:merge_activity_segments",
      point: [
        point(110, "2024-03-01T23:00:00Z", "2024-03-02T00:30:00Z"),
        point(3, "2024-03-02T09:00:00Z", "2024-03-02T10:00:00Z"),
        point(112, "2024-03-02T00:30:00Z", "2024-03-02T00:40:00Z"),
      ],
    };
    const { observations, issues } = await map(encode(JSON.stringify(doc)));
    expect(issues.map(issueRow)).toEqual([["not_a_measurement", "info", "$.point[1]"]]);
    expect(observations.map((o) => [o.codings[0]?.code, o.variable_id ?? null, o.value, o.unit])).toEqual([
      ["93831-6", null, 5400, "s"],
      ["com.google.activity.segment", v("Awake"), 600, "s"],
    ]);
    expect(ACTIVITY_TYPES[72]).toBe("Sleeping");
  });
});

describe("vendor-json mapper: Withings", () => {
  it("computes value × 10^unit exactly", () => {
    expect(scaled(74126, -3)).toBe(74.126);
    expect(scaled(1930, -3)).toBe(1.93);
    expect(scaled(68, 0)).toBe(68);
    expect(scaled(12, 2)).toBe(1200);
  });

  it("maps body measures by type, skipping the undocumented type 18", async () => {
    const { observations, issues } = await mapFile("withings/withings-body-measures.json");
    expect(issues.map(issueRow)).toEqual([
      ["unknown_measure_type", "warning", "$.body.measuregrps[0].measures[3]"],
      ["unknown_measure_type", "warning", "$.body.measuregrps[2].measures[1]"],
      ["unknown_measure_type", "warning", "$.body.measuregrps[3].measures[1]"],
    ]);
    const g = (i: number, m: number) => `$.body.measuregrps[${i}].measures[${m}]`;
    expect(observations.map(row)).toEqual([
      ["8462-4,9", null, 68, "mm[Hg]", "2015-05-31T06:06:23Z", null, g(0, 0)],
      ["8480-6,10", null, 104, "mm[Hg]", "2015-05-31T06:06:23Z", null, g(0, 1)],
      ["8867-4,11", null, 41, "/min", "2015-05-31T06:06:23Z", null, g(0, 2)],
      ["29463-7,1", null, 74.126, "kg", "2015-05-31T06:06:23Z", null, g(0, 4)],
      ["29463-7,1", null, 74.128, "kg", "2015-04-20T17:13:56Z", null, g(1, 0)],
      ["8867-4,11", null, 51, "/min", "2015-03-02T16:28:55Z", null, g(2, 0)],
      ["8867-4,11", null, 47, "/min", "2015-02-26T21:57:17Z", null, g(3, 0)],
      ["8302-2,4", null, 1.93, "m", "2015-02-23T19:24:49Z", null, g(4, 0)],
      ["8310-5,71", null, 37, "Cel", "2015-02-23T19:24:49Z", null, g(4, 1)],
    ]);
    expect(observations[3]?.codings).toEqual([
      { system: CODE_SYSTEMS.loinc, code: "29463-7", display: "Body weight" },
      { system: WITHINGS_MEASURE_SYSTEM, code: "1", display: "Weight" },
    ]);
    expect(observations[6]?.note).toBe("a few minutes after a walk");
    expect(observations[5]?.metadata).toEqual({
      vendor: "withings",
      grpid: 323560022,
      attrib: 2,
      captured: "manual",
      category: 1,
      timezone: "America/Los_Angeles",
    });
    expect([
      loincName("8462-4"),
      loincName("8480-6"),
      loincName("8867-4"),
      loincName("8302-2"),
      loincName("8310-5"),
    ]).toEqual([
      "Diastolic blood pressure",
      "Systolic blood pressure",
      "Heart rate",
      "Body height",
      "Body temperature",
    ]);
  });

  it("skips objectives (category 2) and flags ambiguous users (attrib 1)", async () => {
    const doc = {
      status: 0,
      body: {
        measuregrps: [
          { attrib: 0, category: 2, date: 1700000000, grpid: 1, measures: [{ type: 1, unit: -1, value: 700 }] },
          { attrib: 1, category: 1, date: 1700000000, grpid: 2, measures: [{ type: 6, unit: -2, value: 2150 }] },
        ],
      },
    };
    const { observations, issues } = await map(encode(JSON.stringify(doc)));
    expect(issues.map(issueRow)).toEqual([
      ["not_a_measurement", "info", "$.body.measuregrps[0]"],
      ["ambiguous_user", "warning", "$.body.measuregrps[1]"],
    ]);
    expect(observations.map((o) => [o.codings[0]?.code, o.value, o.unit, o.start_at])).toEqual([
      ["41982-0", 21.5, "%", "2023-11-14T22:13:20Z"],
    ]);
  });

  it("maps intraday activity per interval, skipping intervals that only have a duration", async () => {
    const { observations, issues } = await mapFile("withings/withings-intraday-activity.json");
    expect(issues.map(issueRow)).toEqual([
      ["no_measurement", "info", '$.body.series["1434758700"]'],
      ["no_measurement", "info", '$.body.series["1434760260"]'],
    ]);
    expect(observations).toHaveLength(12);
    const s = (key: string, field: string) => `$.body.series["${key}"].${field}`;
    const first = ["2015-06-20T00:04:00Z", "2015-06-20T00:05:00Z"];
    const last = ["2015-06-20T00:41:00Z", "2015-06-20T00:42:00Z"];
    expect(observations.slice(0, 3).map(row)).toEqual([
      ["55423-8,steps", null, 21, "{steps}", ...first, s("1434758640", "steps")],
      ["distance", v("Distance"), 15, "m", ...first, s("1434758640", "distance")],
      ["41981-2,calories", null, 1, "kcal", ...first, s("1434758640", "calories")],
    ]);
    expect(observations.slice(9).map(row)).toEqual([
      ["55423-8,steps", null, 74, "{steps}", ...last, s("1434760860", "steps")],
      ["distance", v("Distance"), 59, "m", ...last, s("1434760860", "distance")],
      ["41981-2,calories", null, 7, "kcal", ...last, s("1434760860", "calories")],
    ]);
    expect(observations.filter((o) => o.unit === "{steps}").map((o) => o.value)).toEqual([21, 47, 20, 74]);
    expect(observations[0]?.codings[1]).toEqual({ system: WITHINGS_INTRADAY_SYSTEM, code: "steps" });
  });
});

describe("vendor-json mapper: iHealth", () => {
  it("reads MDate as local wall-clock seconds at the entry's TimeZone", () => {
    expect(iHealthTime(1442491449, "-0800")).toBe("2015-09-17T12:04:09-08:00");
    expect(iHealthTime(1442498877, "-0600")).toBe("2015-09-17T14:07:57-06:00");
  });

  it("maps weight entries: weight, BMI and the scale values that were measured (non-zero)", async () => {
    const { observations, issues } = await mapFile("ihealth/ihealth-weight.json");
    expect(issues).toEqual([]);
    const t0 = "2015-09-17T12:04:09-08:00";
    const t1 = "2015-09-17T14:07:57-06:00";
    expect(observations.map(row)).toEqual([
      ["29463-7,WeightValue", null, 77.5643875134944, "kg", t0, null, "$.WeightDataList[0].WeightValue"],
      ["39156-5,BMI", null, 22.56052563257619, "kg/m2", t0, null, "$.WeightDataList[0].BMI"],
      ["41982-0,FatValue", null, 10, "%", t0, null, "$.WeightDataList[0].FatValue"],
      ["WaterValue", v("Body Water"), 25, "%", t0, null, "$.WeightDataList[0].WaterValue"],
      ["29463-7,WeightValue", null, 77.56438446044922, "kg", t1, null, "$.WeightDataList[1].WeightValue"],
      ["39156-5,BMI", null, 22.56052398681641, "kg/m2", t1, null, "$.WeightDataList[1].BMI"],
    ]);
    expect(observations[4]?.note).toBe("Weight so good, look at me now");
    expect(observations[0]?.note).toBeUndefined();
    expect(observations[0]?.metadata).toEqual({
      vendor: "ihealth",
      data_id: "5fe5893c418b48cd8da7954f8b6c2f36",
      data_source: "FromDevice",
    });
    expect(observations[0]?.codings[1]).toEqual({ system: IHEALTH_SYSTEM, code: "WeightValue" });
    expect(loincName("39156-5")).toBe("Body mass index (BMI)");
  });

  it("maps blood glucose in the unit BGUnit names", async () => {
    const { observations, issues } = await mapFile("ihealth/ihealth-glucose.json");
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      ["41653-7,BG", null, 60, "mg/dL", "2015-09-17T12:03:27-08:00", null, "$.BGDataList[0].BG"],
      ["41653-7,BG", null, 70, "mg/dL", "2015-09-24T14:44:40-06:00", null, "$.BGDataList[1].BG"],
    ]);
    expect(observations[0]?.note).toBe("Such glucose, much blood.");
    expect(observations[0]?.metadata).toEqual({
      vendor: "ihealth",
      data_id: "f706b6152f684c0e9185b1fa6b7c5148",
      data_source: "FromDevice",
      dinner_situation: "Before_breakfast",
      drug_situation: "Before_taking_pills",
    });
    expect(loincName("41653-7")).toBe("Blood glucose");
  });
});

describe("vendor-json mapper: Misfit and Jawbone", () => {
  it("splits a Misfit sleep session into time asleep and time per state", async () => {
    const { observations, issues } = await mapFile("misfit/misfit-sleeps.json");
    // The second session's only state change is dated a day before the session.
    expect(issues.map(issueRow)).toEqual([["inconsistent_sleep_details", "warning", "$.sleeps[1].sleepDetails"]]);
    const s0 = ["2015-02-23T21:40:59-05:00", "2015-02-24T00:53:59-05:00"];
    const s1 = ["2015-02-24T21:40:59-05:00", "2015-02-24T22:23:59-05:00"];
    expect(observations.map(row)).toEqual([
      // 11580 s in bed: awake 22:15:59-22:20:59 and 22:53:59-23:12:59 (1440 s); deep 5220 s; light 4920 s.
      ["93832-4,sleeps.asleep", null, 10140, "s", ...s0, "$.sleeps[0].sleepDetails"],
      ["sleeps.awake", v("Awake"), 1440, "s", ...s0, "$.sleeps[0].sleepDetails"],
      ["93831-6,sleeps.deep", null, 5220, "s", ...s0, "$.sleeps[0].sleepDetails"],
      ["93830-8,sleeps.light", null, 4920, "s", ...s0, "$.sleeps[0].sleepDetails"],
      ["93832-4,sleeps.asleep", null, 2580, "s", ...s1, "$.sleeps[1].sleepDetails"],
      ["93830-8,sleeps.light", null, 2580, "s", ...s1, "$.sleeps[1].sleepDetails"],
    ]);
    expect(observations[0]?.codings[1]).toEqual({ system: MISFIT_SYSTEM, code: "sleeps.asleep" });
    expect(observations[4]?.metadata).toEqual({
      vendor: "misfit",
      sleep_id: "54fa13a8440f705a7406845f",
      auto_detected: false,
    });
  });

  it("maps a Jawbone resting heart rate to its day in the user's zone", async () => {
    const { observations, issues } = await mapFile("jawbone/jawbone-heartrates.json");
    expect(issues).toEqual([]);
    expect(observations).toEqual([
      {
        codings: [
          { system: CODE_SYSTEMS.loinc, code: "40443-4", display: "Heart rate --resting" },
          { system: JAWBONE_SYSTEM, code: "resting_heartrate" },
        ],
        value: 55,
        unit: "/min",
        start_at: "2014-12-10T00:00:00-08:00",
        end_at: "2014-12-11T00:00:00-08:00",
        metadata: {
          vendor: "jawbone",
          xid: "40F7_htRRnT8Vo7nRBZO1X",
          title: "My resting heart rate on December 10th, 2014",
          time_created: "2013-11-20T16:05:00.000Z",
          timezone: "America/Los_Angeles",
        },
        location: "$.data.items[0].resting_heartrate",
      },
    ]);
    expect(loincName("40443-4")).toBe("Resting heart rate");
  });
});

describe("vendor-json mapper: bad input", () => {
  it("reports what it cannot read", async () => {
    expect((await map(encode("{ not json"))).issues.map((i) => i.code)).toEqual(["invalid_json"]);
    expect((await map(encode('{"hello": "world"}'))).issues.map(issueRow)).toEqual([
      ["unrecognized_format", "error", "$"],
    ]);
    expect((await map(encode("[1,2]"))).issues.map((i) => i.code)).toEqual(["unrecognized_format"]);
    const broken = await map(
      encode(
        JSON.stringify({
          "activities-steps": [{ dateTime: "2015-13-45", value: "1" }, { dateTime: "2015-08-23", value: "x" }, {}],
        }),
      ),
    );
    expect(broken.observations).toEqual([]);
    expect(broken.issues.map(issueRow)).toEqual([
      ["missing_time", "error", '$["activities-steps"][0]'],
      ["invalid_value", "error", '$["activities-steps"][1]'],
      ["missing_time", "error", '$["activities-steps"][2]'],
    ]);
  });
});

function detectInput(bytes: Uint8Array, name: string | null = null): DetectInput {
  const head = bytes.subarray(0, 64 * 1024);
  return { head, headText: new TextDecoder().decode(head).replace(/^\uFEFF/, ""), name, contentType: null };
}

describe("vendor-json mapper: detect", () => {
  it.each(corpusFiles(FOLDER))("is sure of %s", (file) => {
    expect(vendorJsonMapper.detect(detectInput(corpusBytes(file), file))).toBeGreaterThanOrEqual(0.9);
  });

  const others = [
    ...corpusFiles("01-fhir-r4"),
    ...corpusFiles("02-hl7v2"),
    ...corpusFiles("03-ccda"),
    ...corpusFiles("04-wearables/apple-health"),
    ...corpusFiles("04-wearables/openmhealth-schema-testdata"),
    ...corpusFiles("04-wearables/openmhealth-schemas"),
    ...corpusFiles("05-csv-exports"),
  ];
  it.each(others)("scores %s (another format) 0", (file) => {
    expect(vendorJsonMapper.detect(detectInput(corpusBytes(file), file))).toBe(0);
  });
});
