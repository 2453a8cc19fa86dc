/**
 * Vendor endpoints beyond the shimmer corpus, one fixture per documented response shape, written in the
 * vendor's wire format (field names, units and time conventions of its published API reference):
 * Fitbit Web API health endpoints, Oura API v2, Garmin Health API push summaries, Withings v2 services.
 */
import { CODE_SYSTEMS, type DetectInput, type MapContext, type MappedObservation, type MappingIssue } from "@dfda/core";
import { referenceIds, seedCatalog, VARIABLE_SEEDS } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../index";
import { collect, fromBytes } from "../util/stream";
import { GARMIN_SUMMARIES } from "./garmin";
import { vendorJsonMapper } from "./index";

const catalog = seedCatalog();
const NAMES = new Map(VARIABLE_SEEDS.map((seed) => [referenceIds.variable(seed.slug), seed.name]));
const context: MapContext = { lookup: catalog };
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));

async function map(doc: unknown, ctx: MapContext = context) {
  const events = await collect(vendorJsonMapper.map(fromBytes(encode(doc)), ctx));
  return {
    observations: events.flatMap((e) => (e.kind === "observation" ? [e.observation] : [])),
    issues: events.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

/** The vendor mapper's score, after checking that format detection over all core mappers picks it. */
function detect(doc: unknown): number {
  const head = encode(doc);
  expect(detectFormat(head, "response.json", "application/json").format).toBe("vendor-json");
  const input: DetectInput = { head, headText: new TextDecoder().decode(head), name: null, contentType: null };
  return vendorJsonMapper.detect(input);
}

/** The seed variable an observation lands on: its variable_id, else its first resolvable coding. */
function variableName(o: MappedObservation): string | undefined {
  if (o.variable_id !== undefined) return NAMES.get(o.variable_id);
  for (const c of o.codings) {
    const found = catalog.byCoding(c.system, c.code);
    if (found) return found.name;
  }
  return undefined;
}

/** [variable, value, unit, start_at, end_at, location]. */
const row = (o: MappedObservation) => [
  variableName(o) ?? null,
  o.value,
  o.unit ?? null,
  o.start_at,
  o.end_at ?? null,
  o.location,
];
const issueRow = (i: MappingIssue) => [i.code, i.severity, i.location];

describe("Fitbit health endpoints", () => {
  it("weight log: weight and BMI at the logged local time; fat only from the fat log", async () => {
    const doc = {
      weight: [
        {
          bmi: 23.57,
          date: "2024-03-01",
          fat: 20.1,
          logId: 1709280000000,
          source: "Aria",
          time: "07:12:45",
          weight: 72.5,
        },
        { bmi: 23.4, date: "2024-03-02", logId: 1709366400000, source: "API", time: "23:59:59", weight: 72 },
      ],
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc, { ...context, timezone: "Europe/Berlin" });
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      ["Body weight", 72.5, "kg", "2024-03-01T07:12:45+01:00", null, "$.weight[0].weight"],
      ["Body mass index (BMI)", 23.57, "kg/m2", "2024-03-01T07:12:45+01:00", null, "$.weight[0].bmi"],
      ["Body weight", 72, "kg", "2024-03-02T23:59:59+01:00", null, "$.weight[1].weight"],
      ["Body mass index (BMI)", 23.4, "kg/m2", "2024-03-02T23:59:59+01:00", null, "$.weight[1].bmi"],
    ]);
    expect(observations[0]?.metadata).toEqual({ vendor: "fitbit", log_id: 1709280000000, source: "Aria" });
  });

  it("body fat log", async () => {
    const doc = { fat: [{ date: "2024-03-01", fat: 20.1, logId: 1709280000000, source: "Aria", time: "07:12:45" }] };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc, { ...context, timezone: "UTC" });
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      ["Body fat percentage", 20.1, "%", "2024-03-01T07:12:45Z", null, "$.fat[0].fat"],
    ]);
  });

  it("heart rate time series and intraday: resting heart rate over the day, each minute's rate", async () => {
    const doc = {
      "activities-heart": [
        {
          dateTime: "2024-03-01",
          value: {
            customHeartRateZones: [],
            heartRateZones: [{ caloriesOut: 1200.5, max: 94, min: 30, minutes: 1300, name: "Out of Range" }],
            restingHeartRate: 58,
          },
        },
      ],
      "activities-heart-intraday": {
        dataset: [
          { time: "00:00:00", value: 61 },
          { time: "00:01:00", value: 60 },
        ],
        datasetInterval: 1,
        datasetType: "minute",
      },
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc, { ...context, timezone: "America/New_York" });
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      [
        "Resting heart rate",
        58,
        "/min",
        "2024-03-01T00:00:00-05:00",
        "2024-03-02T00:00:00-05:00",
        '$["activities-heart"][0].value.restingHeartRate',
      ],
      [
        "Heart rate",
        61,
        "/min",
        "2024-03-01T00:00:00-05:00",
        "2024-03-01T00:01:00-05:00",
        '$["activities-heart-intraday"].dataset[0]',
      ],
      [
        "Heart rate",
        60,
        "/min",
        "2024-03-01T00:01:00-05:00",
        "2024-03-01T00:02:00-05:00",
        '$["activities-heart-intraday"].dataset[1]',
      ],
    ]);
  });

  it("SpO2 summary of one day, of a date range (a top-level array), and intraday", async () => {
    const day = { dateTime: "2024-03-01", value: { avg: 95.7, min: 94.1, max: 97.5 } };
    expect(detect(day)).toBeGreaterThanOrEqual(0.9);
    const one = await map(day, { ...context, timezone: "UTC" });
    expect(one.issues).toEqual([]);
    expect(one.observations.map((o) => [variableName(o), o.value, o.metadata?.statistic])).toEqual([
      ["Oxygen saturation (SpO2)", 95.7, "average"],
      ["Oxygen saturation (SpO2)", 94.1, "minimum"],
      ["Oxygen saturation (SpO2)", 97.5, "maximum"],
    ]);
    const range = [day, { dateTime: "2024-03-02", value: { avg: 96, min: 95, max: 97 } }];
    expect(detect(range)).toBeGreaterThanOrEqual(0.9);
    expect((await map(range, { ...context, timezone: "UTC" })).observations).toHaveLength(6);
    const intraday = {
      dateTime: "2024-03-01",
      minutes: [
        { value: 95.7, minute: "2024-03-01T03:00:00" },
        { value: 96.1, minute: "2024-03-01T03:01:00" },
      ],
    };
    expect(detect(intraday)).toBeGreaterThanOrEqual(0.9);
    const minutes = await map(intraday, { ...context, timezone: "UTC" });
    expect(minutes.issues).toEqual([]);
    expect(minutes.observations.map(row)).toEqual([
      ["Oxygen saturation (SpO2)", 95.7, "%", "2024-03-01T03:00:00Z", "2024-03-01T03:01:00Z", "$.minutes[0].value"],
      ["Oxygen saturation (SpO2)", 96.1, "%", "2024-03-01T03:01:00Z", "2024-03-01T03:02:00Z", "$.minutes[1].value"],
    ]);
  });

  it("HRV summary and intraday as RMSSD", async () => {
    const summary = { hrv: [{ dateTime: "2024-03-01", value: { dailyRmssd: 34.9, deepRmssd: 31.2 } }] };
    expect(detect(summary)).toBeGreaterThanOrEqual(0.9);
    const s = await map(summary, { ...context, timezone: "UTC" });
    expect(s.issues).toEqual([]);
    expect(s.observations.map(row)).toEqual([
      [
        "Heart rate variability (RMSSD)",
        34.9,
        "ms",
        "2024-03-01T00:00:00Z",
        "2024-03-02T00:00:00Z",
        "$.hrv[0].value.dailyRmssd",
      ],
      [
        "Heart rate variability (RMSSD)",
        31.2,
        "ms",
        "2024-03-01T00:00:00Z",
        "2024-03-02T00:00:00Z",
        "$.hrv[0].value.deepRmssd",
      ],
    ]);
    const intraday = {
      hrv: [
        {
          dateTime: "2024-03-01",
          minutes: [
            { minute: "2024-03-01T02:10:00.000", value: { rmssd: 40.1, coverage: 0.97, hf: 600.3, lf: 1200.6 } },
          ],
        },
      ],
    };
    const i = await map(intraday, { ...context, timezone: "UTC" });
    expect(i.issues).toEqual([]);
    expect(i.observations.map(row)).toEqual([
      [
        "Heart rate variability (RMSSD)",
        40.1,
        "ms",
        "2024-03-01T02:10:00Z",
        "2024-03-01T02:15:00Z",
        "$.hrv[0].minutes[0].value.rmssd",
      ],
    ]);
  });

  it("breathing rate summary and intraday by sleep stage", async () => {
    const summary = { br: [{ dateTime: "2024-03-01", value: { breathingRate: 14.4 } }] };
    expect(detect(summary)).toBeGreaterThanOrEqual(0.9);
    const s = await map(summary, { ...context, timezone: "UTC" });
    expect(s.observations.map((o) => [variableName(o), o.value, o.unit])).toEqual([
      ["Respiratory rate during sleep", 14.4, "/min"],
    ]);
    const intraday = {
      br: [
        {
          dateTime: "2024-03-01",
          value: {
            deepSleepSummary: { breathingRate: 13.2 },
            remSleepSummary: { breathingRate: 15.8 },
            fullSleepSummary: { breathingRate: 14.4 },
            lightSleepSummary: { breathingRate: 14.0 },
          },
        },
      ],
    };
    const i = await map(intraday, { ...context, timezone: "UTC" });
    expect(i.issues).toEqual([]);
    expect(i.observations.map((o) => [o.value, o.metadata?.sleep_stage])).toEqual([
      [13.2, "deep"],
      [15.8, "rem"],
      [14, "light"],
      [14.4, "full"],
    ]);
  });

  it("core temperature logs map; skin temperature (a relative deviation) is reported, not mapped", async () => {
    const core = { tempCore: [{ dateTime: "2024-03-01T06:22", value: 37.1 }] };
    expect(detect(core)).toBeGreaterThanOrEqual(0.9);
    const c = await map(core, { ...context, timezone: "UTC" });
    expect(c.issues).toEqual([]);
    expect(c.observations.map(row)).toEqual([
      ["Body temperature", 37.1, "Cel", "2024-03-01T06:22:00Z", null, "$.tempCore[0].value"],
    ]);
    const skin = {
      tempSkin: [{ dateTime: "2024-03-01", value: { nightlyRelative: -0.4 }, logType: "dedicated_temp_sensor" }],
    };
    expect(detect(skin)).toBeGreaterThanOrEqual(0.9);
    const k = await map(skin, { ...context, timezone: "UTC" });
    expect(k.observations).toEqual([]);
    expect(k.issues.map(issueRow)).toEqual([["not_a_measurement", "info", "$.tempSkin"]]);
  });

  it("cardio fitness score: a number maps to VO2 max, a range is reported", async () => {
    const doc = {
      cardioScore: [
        { dateTime: "2024-03-01", value: { vo2Max: "45.6" } },
        { dateTime: "2024-03-02", value: { vo2Max: "44-48" } },
      ],
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc, { ...context, timezone: "UTC" });
    expect(observations.map((o) => [variableName(o), o.value, o.unit])).toEqual([["VO2 max", 45.6, "mL/min/kg"]]);
    expect(issues.map(issueRow)).toEqual([["no_measurement", "info", "$.cardioScore[1]"]]);
  });
});

describe("Oura API v2", () => {
  it("heartrate: each sample at its UTC timestamp, source in metadata", async () => {
    const doc = {
      data: [
        { bpm: 62, source: "awake", timestamp: "2024-03-01T08:00:00+00:00" },
        { bpm: 55, source: "rest", timestamp: "2024-03-01T08:05:00+00:00" },
      ],
      next_token: null,
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map(row)).toEqual([
      ["Heart rate", 62, "/min", "2024-03-01T08:00:00Z", null, "$.data[0].bpm"],
      ["Heart rate", 55, "/min", "2024-03-01T08:05:00Z", null, "$.data[1].bpm"],
    ]);
    expect(observations[0]?.metadata).toEqual({ vendor: "oura", route: "heartrate", source: "awake" });
  });

  it("daily_activity: the local day's steps, energy, distance and activity times", async () => {
    const doc = {
      data: [
        {
          id: "a1",
          class_5_min: "0000111",
          score: 82,
          active_calories: 420,
          average_met_minutes: 1.5,
          contributors: { meet_daily_targets: 60 },
          equivalent_walking_distance: 8200,
          high_activity_time: 600,
          medium_activity_time: 1800,
          low_activity_time: 10800,
          sedentary_time: 30000,
          steps: 9876,
          total_calories: 2500,
          day: "2024-03-01",
          timestamp: "2024-03-01T04:00:00-08:00",
        },
      ],
      next_token: "abc",
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc, { ...context, timezone: "America/Los_Angeles" });
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at])).toEqual(
      [
        ["Steps", 9876, "{steps}"],
        ["Active energy burned", 420, "kcal"],
        ["Total energy burned", 2500, "kcal"],
        ["Walking + running distance", 8200, "m"],
        ["Vigorous activity minutes", 600, "s"],
        ["Moderate activity minutes", 1800, "s"],
        ["Light activity minutes", 10800, "s"],
        ["Sedentary minutes", 30000, "s"],
      ].map((r) => [...r, "2024-03-01T00:00:00-08:00", "2024-03-02T00:00:00-08:00"]),
    );
  });

  it("daily_spo2: the night's average SpO2 and breathing disturbance index", async () => {
    const doc = {
      data: [{ id: "s1", day: "2024-03-01", spo2_percentage: { average: 96.2 }, breathing_disturbance_index: 3 }],
      next_token: null,
    };
    const { observations, issues } = await map(doc, { ...context, timezone: "UTC" });
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.location])).toEqual([
      ["Oxygen saturation (SpO2)", 96.2, "%", "$.data[0].spo2_percentage.average"],
      ["Breathing disturbances during sleep", 3, "{count}/h", "$.data[0].breathing_disturbance_index"],
    ]);
    // A night without SpO2 (spo2_percentage null) holds nothing to map.
    const empty = await map(
      { data: [{ id: "s2", day: "2024-03-02", spo2_percentage: null }], next_token: null },
      {
        ...context,
        timezone: "UTC",
      },
    );
    expect(empty.observations).toEqual([]);
    expect(empty.issues.map(issueRow)).toEqual([["no_measurement", "info", "$.data[0]"]]);
  });

  it("sleep: the period's durations, heart rate, HRV and breathing over bedtime, and the 5-minute samples", async () => {
    const doc = {
      data: [
        {
          id: "p1",
          average_breath: 14.5,
          average_heart_rate: 52.1,
          average_hrv: 48,
          awake_time: 1800,
          bedtime_end: "2024-03-02T07:00:00+01:00",
          bedtime_start: "2024-03-01T23:00:00+01:00",
          day: "2024-03-02",
          deep_sleep_duration: 5400,
          efficiency: 92,
          heart_rate: { interval: 300, items: [55, null, 51], timestamp: "2024-03-01T23:00:00.000+01:00" },
          hrv: { interval: 300, items: [45, 50], timestamp: "2024-03-01T23:00:00.000+01:00" },
          latency: 600,
          light_sleep_duration: 14400,
          lowest_heart_rate: 47,
          period: 0,
          readiness: { score: 80, temperature_deviation: -0.1, temperature_trend_deviation: 0.05 },
          rem_sleep_duration: 5400,
          time_in_bed: 28800,
          total_sleep_duration: 25200,
          type: "long_sleep",
        },
      ],
      next_token: null,
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    const span = ["2024-03-01T23:00:00+01:00", "2024-03-02T07:00:00+01:00"];
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at])).toEqual([
      ["Sleep duration", 25200, "s", ...span],
      ["Deep sleep duration", 5400, "s", ...span],
      ["Light sleep duration", 14400, "s", ...span],
      ["REM sleep duration", 5400, "s", ...span],
      ["Awake time during sleep", 1800, "s", ...span],
      ["Time in bed", 28800, "s", ...span],
      ["Sleep latency", 600, "s", ...span],
      ["Sleep efficiency", 92, "%", ...span],
      ["Heart rate", 52.1, "/min", ...span],
      ["Heart rate", 47, "/min", ...span],
      ["Heart rate variability (RMSSD)", 48, "ms", ...span],
      ["Respiratory rate during sleep", 14.5, "/min", ...span],
      ["Heart rate", 55, "/min", "2024-03-01T23:00:00+01:00", "2024-03-01T23:05:00+01:00"],
      ["Heart rate", 51, "/min", "2024-03-01T23:10:00+01:00", "2024-03-01T23:15:00+01:00"],
      ["Heart rate variability (RMSSD)", 45, "ms", "2024-03-01T23:00:00+01:00", "2024-03-01T23:05:00+01:00"],
      ["Heart rate variability (RMSSD)", 50, "ms", "2024-03-01T23:05:00+01:00", "2024-03-01T23:10:00+01:00"],
    ]);
    expect(observations[8]?.metadata?.statistic).toBe("average");
    expect(observations[9]?.metadata?.statistic).toBe("minimum");
  });

  it("daily_sleep score, vO2_max and workouts; daily_readiness has no measurement here", async () => {
    const doc = {
      data: [
        {
          id: "d1",
          contributors: { deep_sleep: 80 },
          day: "2024-03-01",
          score: 85,
          timestamp: "2024-03-01T00:00:00+00:00",
        },
        { id: "v1", day: "2024-03-01", timestamp: "2024-03-01T00:00:00+00:00", vo2_max: 44.5 },
        {
          id: "w1",
          activity: "running",
          calories: 350.5,
          day: "2024-03-01",
          distance: 5000,
          end_datetime: "2024-03-01T08:30:00+00:00",
          intensity: "moderate",
          label: null,
          source: "manual",
          start_datetime: "2024-03-01T08:00:00+00:00",
        },
        {
          id: "r1",
          contributors: { hrv_balance: 70 },
          day: "2024-03-01",
          score: 77,
          temperature_deviation: -0.2,
          temperature_trend_deviation: 0.1,
          timestamp: "2024-03-01T00:00:00+00:00",
        },
      ],
      next_token: null,
    };
    const { observations, issues } = await map(doc, { ...context, timezone: "UTC" });
    expect(observations.map((o) => [variableName(o), o.value, o.unit])).toEqual([
      ["Sleep score (device)", 85, "{score}"],
      ["VO2 max", 44.5, "mL/min/kg"],
      ["Active energy burned", 350.5, "kcal"],
      ["Walking + running distance", 5000, "m"],
      ["Workout duration", 1800, "s"],
    ]);
    expect(observations[4]?.metadata).toMatchObject({ activity: "running", intensity: "moderate" });
    expect(issues.map(issueRow)).toEqual([["no_measurement", "info", "$.data[3]"]]);
  });

  it("names the routes it reads for a document it does not know", async () => {
    const { observations, issues } = await map({
      data: [{ id: "t1", tag_type_code: "tag_generic_nocaffeine" }],
      next_token: null,
    });
    expect(observations).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "unrecognized_document", severity: "error", location: "$.data[0]" });
    expect(issues[0]?.message).toContain("heartrate, sleep, daily_activity, daily_spo2");
  });
});

describe("Garmin Health API push summaries", () => {
  const user = { userId: "4aacafe82427c251df9c9592d0c06768", userAccessToken: "8f57a6f1-26ba-4b25-9e43-a4a8b05f1bd0" };

  it("dailies: the day's totals over its span, heart-rate samples at start + offset", async () => {
    const doc = {
      dailies: [
        {
          ...user,
          summaryId: "EXAMPLE_67891",
          calendarDate: "2016-01-11",
          activityType: "WALKING",
          activeKilocalories: 321,
          bmrKilocalories: 1731,
          steps: 4210,
          distanceInMeters: 3146.5,
          durationInSeconds: 86400,
          activeTimeInSeconds: 12240,
          startTimeInSeconds: 1452470400,
          startTimeOffsetInSeconds: 3600,
          moderateIntensityDurationInSeconds: 81870,
          vigorousIntensityDurationInSeconds: 4530,
          floorsClimbed: 8,
          minHeartRateInBeatsPerMinute: 59,
          averageHeartRateInBeatsPerMinute: 64,
          maxHeartRateInBeatsPerMinute: 112,
          restingHeartRateInBeatsPerMinute: 64,
          timeOffsetHeartRateSamples: { "15": 75, "30": 75 },
          averageStressLevel: 43,
          maxStressLevel: 87,
          stressDurationInSeconds: 13620,
          stepsGoal: 4500,
        },
      ],
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    const span = ["2016-01-11T00:00:00Z", "2016-01-12T00:00:00Z"];
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at ?? null])).toEqual([
      ["Steps", 4210, "{steps}", ...span],
      ["Walking + running distance", 3146.5, "m", ...span],
      ["Active energy burned", 321, "kcal", ...span],
      ["Basal (resting) energy burned", 1731, "kcal", ...span],
      ["Flights climbed", 8, "{flights}", ...span],
      ["Resting heart rate", 64, "/min", ...span],
      ["Heart rate", 59, "/min", ...span],
      ["Heart rate", 64, "/min", ...span],
      ["Maximum heart rate", 112, "/min", ...span],
      ["Moderate activity minutes", 81870, "s", ...span],
      ["Vigorous activity minutes", 4530, "s", ...span],
      ["Heart rate", 75, "/min", "2016-01-11T00:00:15Z", null],
      ["Heart rate", 75, "/min", "2016-01-11T00:00:30Z", null],
    ]);
    expect(observations[0]?.metadata).toEqual({
      vendor: "garmin",
      summary_type: "dailies",
      summary_id: "EXAMPLE_67891",
      time_offset_seconds: 3600,
      calendarDate: "2016-01-11",
      activityType: "WALKING",
    });
  });

  it("epochs, sleeps (span includes awake time), bodyComps (grams → kg) and blood pressures", async () => {
    const doc = {
      epochs: [
        {
          ...user,
          summaryId: "EXAMPLE_1234",
          activityType: "SEDENTARY",
          activeKilocalories: 0,
          steps: 0,
          distanceInMeters: 0,
          durationInSeconds: 900,
          activeTimeInSeconds: 600,
          startTimeInSeconds: 1452470400,
          startTimeOffsetInSeconds: 0,
          met: 1,
          intensity: "SEDENTARY",
          meanMotionIntensity: 0,
          maxMotionIntensity: 0,
        },
      ],
      sleeps: [
        {
          ...user,
          summaryId: "EXAMPLE_567890",
          calendarDate: "2016-01-10",
          durationInSeconds: 15264,
          startTimeInSeconds: 1452419581,
          startTimeOffsetInSeconds: 7200,
          deepSleepDurationInSeconds: 11231,
          lightSleepDurationInSeconds: 3541,
          remSleepInSeconds: 0,
          awakeDurationInSeconds: 492,
          validation: "DEVICE",
          timeOffsetSleepSpo2: { "0": 95, "60": 96 },
          timeOffsetSleepRespiration: { "60": 15.31, "120": 14.58 },
        },
      ],
      bodyComps: [
        {
          ...user,
          summaryId: "EXAMPLE_678901",
          measurementTimeInSeconds: 1439741130,
          measurementTimeOffsetInSeconds: 0,
          muscleMassInGrams: 25478,
          boneMassInGrams: 2437,
          bodyWaterInPercent: 59.4,
          bodyFatInPercent: 17.1,
          bodyMassIndex: 23.2,
          weightInGrams: 75450,
        },
      ],
      bloodPressures: [
        {
          ...user,
          summaryId: "x45e31a7-63bc283f",
          measurementTimeInSeconds: 1673275455,
          measurementTimeOffsetInSeconds: -18000,
          systolic: 129,
          diastolic: 82,
          pulse: 53,
          sourceType: "DEVICE",
        },
      ],
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at ?? null])).toEqual([
      ["Steps", 0, "{steps}", "2016-01-11T00:00:00Z", "2016-01-11T00:15:00Z"],
      ["Walking + running distance", 0, "m", "2016-01-11T00:00:00Z", "2016-01-11T00:15:00Z"],
      ["Active energy burned", 0, "kcal", "2016-01-11T00:00:00Z", "2016-01-11T00:15:00Z"],
      // 15264 s asleep + 492 s awake after 1452419581.
      ["Sleep duration", 15264, "s", "2016-01-10T09:53:01Z", "2016-01-10T14:15:37Z"],
      ["Deep sleep duration", 11231, "s", "2016-01-10T09:53:01Z", "2016-01-10T14:15:37Z"],
      ["Light sleep duration", 3541, "s", "2016-01-10T09:53:01Z", "2016-01-10T14:15:37Z"],
      ["REM sleep duration", 0, "s", "2016-01-10T09:53:01Z", "2016-01-10T14:15:37Z"],
      ["Awake time during sleep", 492, "s", "2016-01-10T09:53:01Z", "2016-01-10T14:15:37Z"],
      ["Oxygen saturation (SpO2)", 95, "%", "2016-01-10T09:53:01Z", null],
      ["Oxygen saturation (SpO2)", 96, "%", "2016-01-10T09:54:01Z", null],
      ["Respiratory rate during sleep", 15.31, "/min", "2016-01-10T09:54:01Z", null],
      ["Respiratory rate during sleep", 14.58, "/min", "2016-01-10T09:55:01Z", null],
      ["Body weight", 75.45, "kg", "2015-08-16T16:05:30Z", null],
      ["Body fat percentage", 17.1, "%", "2015-08-16T16:05:30Z", null],
      ["Body mass index (BMI)", 23.2, "kg/m2", "2015-08-16T16:05:30Z", null],
      ["Muscle mass", 25.478, "kg", "2015-08-16T16:05:30Z", null],
      ["Bone mass", 2.437, "kg", "2015-08-16T16:05:30Z", null],
      ["Body water percentage", 59.4, "%", "2015-08-16T16:05:30Z", null],
      ["Systolic blood pressure", 129, "mm[Hg]", "2023-01-09T14:44:15Z", null],
      ["Diastolic blood pressure", 82, "mm[Hg]", "2023-01-09T14:44:15Z", null],
      ["Heart rate", 53, "/min", "2023-01-09T14:44:15Z", null],
    ]);
    expect(observations.at(-1)?.metadata).toMatchObject({ sourceType: "DEVICE", time_offset_seconds: -18000 });
  });

  it("pulse ox, respiration, HRV, user metrics and stress levels (without the no-value markers)", async () => {
    const doc = {
      pulseox: [
        {
          ...user,
          summaryId: "EXAMPLE_2",
          calendarDate: "2018-08-20",
          startTimeInSeconds: 1534723200,
          durationInSeconds: 86400,
          startTimeOffsetInSeconds: 0,
          timeOffsetSpo2Values: { "0": 94, "3600": 95 },
          onDemand: false,
        },
      ],
      allDayRespiration: [
        {
          ...user,
          summaryId: "x15372ea-5d7866b4",
          startTimeInSeconds: 1568171700,
          durationInSeconds: 900,
          startTimeOffsetInSeconds: -18000,
          timeOffsetEpochToBreaths: { "0": 14.63, "60": 14.4 },
        },
      ],
      hrv: [
        {
          ...user,
          summaryId: "x473db21-636d6540",
          calendarDate: "2022-11-11",
          lastNightAvg: 44,
          lastNight5MinHigh: 72,
          startTimeOffsetInSeconds: -18000,
          durationInSeconds: 3820,
          startTimeInSeconds: 1668141600,
          hrvValues: { "300": 32, "600": 24 },
        },
      ],
      userMetrics: [
        {
          ...user,
          summaryId: "EXAMPLE_843244",
          calendarDate: "2017-03-23",
          vo2Max: 48,
          fitnessAge: 32,
          startTimeInSeconds: 1490227200,
        },
      ],
      stressDetails: [
        {
          ...user,
          summaryId: "EXAMPLE_6789",
          startTimeInSeconds: 1490245200,
          startTimeOffsetInSeconds: 0,
          durationInSeconds: 540,
          calendarDate: "2017-03-23",
          timeOffsetStressLevelValues: { "0": 18, "180": -1, "360": 25 },
          timeOffsetBodyBatteryValues: { "0": 55, "180": 56 },
        },
      ],
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at ?? null])).toEqual([
      ["Oxygen saturation (SpO2)", 94, "%", "2018-08-20T00:00:00Z", null],
      ["Oxygen saturation (SpO2)", 95, "%", "2018-08-20T01:00:00Z", null],
      ["Respiratory rate", 14.63, "/min", "2019-09-11T03:15:00Z", null],
      ["Respiratory rate", 14.4, "/min", "2019-09-11T03:16:00Z", null],
      ["Heart rate variability (RMSSD)", 44, "ms", "2022-11-11T04:40:00Z", "2022-11-11T05:43:40Z"],
      ["Heart rate variability (RMSSD)", 72, "ms", "2022-11-11T04:40:00Z", "2022-11-11T05:43:40Z"],
      ["Heart rate variability (RMSSD)", 32, "ms", "2022-11-11T04:45:00Z", "2022-11-11T04:50:00Z"],
      ["Heart rate variability (RMSSD)", 24, "ms", "2022-11-11T04:50:00Z", "2022-11-11T04:55:00Z"],
      ["VO2 max", 48, "mL/min/kg", "2017-03-23T00:00:00Z", null],
      ["Stress level", 18, "{score}", "2017-03-23T05:00:00Z", null],
      ["Stress level", 25, "{score}", "2017-03-23T05:06:00Z", null],
    ]);
    // -1 (too little data) and -2 (too much motion) are Garmin's markers, not stress levels.
    expect(issues.map(issueRow)).toEqual([["no_value", "info", "$.stressDetails[0].timeOffsetStressLevelValues"]]);
  });

  it("reads a pull response (a bare array of one type's summaries) as the push would carry it", async () => {
    const summaries = [
      {
        summaryId: "x45e31a7-63bc283f",
        measurementTimeInSeconds: 1673275455,
        measurementTimeOffsetInSeconds: -18000,
        systolic: 129,
        diastolic: 82,
        pulse: 53,
        sourceType: "DEVICE",
      },
      {
        summaryId: "x45e31a7-63c7e7b4",
        measurementTimeInSeconds: 1674045364,
        measurementTimeOffsetInSeconds: -18000,
        systolic: 120,
        diastolic: 75,
        pulse: 53,
        sourceType: "MANUAL",
      },
    ];
    expect(detect(summaries)).toBeGreaterThanOrEqual(0.9);
    const pull = await map(summaries);
    const push = await map({ bloodPressures: summaries });
    expect(pull.issues).toEqual([]);
    expect(pull.observations.map(row)).toEqual(
      push.observations.map((o) => row({ ...o, location: o.location?.replace("$.bloodPressures", "$") ?? null })),
    );
    expect(pull.observations).toHaveLength(6);
  });

  it("refuses a Ping notification and names unmapped summary types", async () => {
    const ping = {
      dailies: [
        {
          userId: "4aacafe82427c251df9c9592d0c06768",
          callbackURL:
            "https://apis.garmin.com/wellness-api/rest/dailies?uploadStartTimeInSeconds=1444937651&uploadEndTimeInSeconds=1444937902&token=x",
        },
      ],
    };
    const p = await map(ping);
    expect(p.observations).toEqual([]);
    expect(p.issues.map(issueRow)).toEqual([["ping_notification", "error", "$.dailies[0]"]]);
    const other = await map({
      dailies: [{ summaryId: "d", startTimeInSeconds: 1452470400, durationInSeconds: 86400, steps: 10 }],
      moveIQActivities: [{ summaryId: "m", startTimeInSeconds: 1452470400 }],
    });
    expect(other.observations).toHaveLength(1);
    expect(other.issues.map(issueRow)).toEqual([["unsupported_summary", "warning", "$.moveIQActivities"]]);
    expect(other.issues[0]?.message).toContain(Object.keys(GARMIN_SUMMARIES).join(", "));
  });
});

describe("Withings v2 services", () => {
  it("getactivity: each day local to its own timezone", async () => {
    const doc = {
      status: 0,
      body: {
        activities: [
          {
            date: "2024-03-01",
            timezone: "Europe/Paris",
            deviceid: "892359876fd8805ac45bab078c4828692f0276b1",
            brand: 18,
            is_tracker: true,
            steps: 8123,
            distance: 6123.4,
            elevation: 12,
            soft: 3600,
            moderate: 1200,
            intense: 300,
            active: 1500,
            calories: 345.6,
            totalcalories: 2301.2,
            hr_average: 72,
            hr_min: 51,
            hr_max: 141,
            hr_zone_0: 1000,
          },
        ],
        more: false,
        offset: 0,
      },
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at, o.end_at])).toEqual(
      [
        ["Steps", 8123, "{steps}"],
        ["Walking + running distance", 6123.4, "m"],
        ["Light activity minutes", 3600, "s"],
        ["Moderate activity minutes", 1200, "s"],
        ["Vigorous activity minutes", 300, "s"],
        ["Active energy burned", 345.6, "kcal"],
        ["Total energy burned", 2301.2, "kcal"],
        ["Heart rate", 72, "/min"],
        ["Heart rate", 51, "/min"],
        ["Maximum heart rate", 141, "/min"],
      ].map((r) => [...r, "2024-03-01T00:00:00+01:00", "2024-03-02T00:00:00+01:00"]),
    );
  });

  it("sleep getsummary: the night's measures over startdate–enddate; efficiency ratio as a percentage", async () => {
    const doc = {
      status: 0,
      body: {
        series: [
          {
            id: 2081804,
            timezone: "Europe/Paris",
            model: 32,
            model_id: 63,
            startdate: 1709334000,
            enddate: 1709362800,
            date: "2024-03-02",
            created: 1709363000,
            modified: 1709363000,
            data: {
              total_sleep_time: 25200,
              deepsleepduration: 5400,
              lightsleepduration: 14400,
              remsleepduration: 5400,
              wakeupduration: 1800,
              wakeupcount: 2,
              durationtosleep: 600,
              total_timeinbed: 28800,
              sleep_efficiency: 0.875,
              hr_average: 55,
              hr_min: 48,
              hr_max: 70,
              rr_average: 14,
              breathing_disturbances_intensity: 8,
              apnea_hypopnea_index: 3,
              sleep_score: 81,
              snoring: 120,
            },
          },
        ],
        more: false,
        offset: 0,
      },
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit])).toEqual([
      ["Sleep duration", 25200, "s"],
      ["Deep sleep duration", 5400, "s"],
      ["Light sleep duration", 14400, "s"],
      ["REM sleep duration", 5400, "s"],
      ["Awake time during sleep", 1800, "s"],
      ["Sleep latency", 600, "s"],
      ["Time in bed", 28800, "s"],
      ["Sleep efficiency", 87.5, "%"],
      ["Awakenings", 2, "{count}"],
      ["Heart rate", 55, "/min"],
      ["Heart rate", 48, "/min"],
      ["Maximum heart rate", 70, "/min"],
      ["Respiratory rate during sleep", 14, "/min"],
      ["Breathing disturbances during sleep", 8, "{count}/h"],
      ["Apnea-hypopnea index (AHI)", 3, "{events}/h"],
      ["Sleep score (device)", 81, "{score}"],
    ]);
    expect(new Set(observations.map((o) => `${o.start_at}/${o.end_at}`))).toEqual(
      new Set(["2024-03-01T23:00:00Z/2024-03-02T07:00:00Z"]),
    );
  });

  it("sleep get: heart and breathing rate readings keyed by Unix second, with the sleep state", async () => {
    const doc = {
      status: 0,
      body: {
        series: [
          {
            startdate: 1709334000,
            enddate: 1709334600,
            state: 1,
            model: "Aura Sensor V2",
            hr: { "1709334000": 58 },
            rr: { "1709334000": 13 },
          },
        ],
      },
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.start_at, o.metadata?.sleep_state])).toEqual([
      ["Heart rate", 58, "2024-03-01T23:00:00Z", "light"],
      ["Respiratory rate during sleep", 13, "2024-03-01T23:00:00Z", "light"],
    ]);
  });

  it("heart list: heart rate and blood pressure of each reading, the ECG classification in metadata", async () => {
    const doc = {
      status: 0,
      body: {
        series: [
          {
            deviceid: "a1b2",
            model: 91,
            ecg: { signalid: 12345, afib: 0 },
            bloodpressure: { diastole: 78, systole: 121 },
            heart_rate: 66,
            timestamp: 1709280000,
            timezone: "Europe/Paris",
          },
        ],
        more: false,
        offset: 0,
      },
    };
    expect(detect(doc)).toBeGreaterThanOrEqual(0.9);
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [variableName(o), o.value, o.unit, o.start_at])).toEqual([
      ["Heart rate", 66, "/min", "2024-03-01T08:00:00Z"],
      ["Systolic blood pressure", 121, "mm[Hg]", "2024-03-01T08:00:00Z"],
      ["Diastolic blood pressure", 78, "mm[Hg]", "2024-03-01T08:00:00Z"],
    ]);
    expect(observations[0]?.metadata).toMatchObject({ ecg_signalid: 12345, ecg_afib: 0 });
  });

  it("getmeas: every documented measure type with a coding or a seed variable lands on a variable", async () => {
    const types = [1, 4, 5, 6, 8, 9, 10, 11, 12, 54, 71, 76, 88, 91, 123, 138, 170, 226];
    const doc = {
      status: 0,
      body: {
        updatetime: 1709280000,
        timezone: "Europe/Paris",
        measuregrps: types.map((type, i) => ({
          grpid: i,
          attrib: 0,
          date: 1709280000,
          created: 1709280000,
          modified: 1709280000,
          category: 1,
          deviceid: "d",
          measures: [{ value: 1234, type, unit: -1 }],
        })),
      },
    };
    const { observations, issues } = await map(doc);
    expect(issues).toEqual([]);
    expect(observations).toHaveLength(types.length);
    for (const o of observations) expect(variableName(o), o.location).toBeDefined();
  });
});

describe("Withings getmeas ECG, vascular and water types", () => {
  it("are documented types: ECG intervals carry their LOINC code; none is an unknown type", async () => {
    const types = [130, 135, 136, 137, 139, 155, 167, 168, 169, 227, 229];
    const doc = {
      status: 0,
      body: {
        measuregrps: types.map((type, i) => ({
          grpid: i,
          attrib: 0,
          date: 1709280000,
          category: 1,
          measures: [{ value: 400, type, unit: 0 }],
        })),
      },
    };
    const { observations, issues } = await map(doc);
    expect(issues.map((i) => i.code).filter((c) => c === "unknown_measure_type")).toEqual([]);
    const ecg = Object.fromEntries(
      observations.filter((o) => o.codings[0]?.system === CODE_SYSTEMS.loinc).map((o) => [o.codings[0]?.code, o.unit]),
    );
    expect(ecg).toEqual({ "8633-0": "ms", "8625-6": "ms", "8634-8": "ms" });
    // What no seed variable names is reported, not dropped silently.
    expect(observations.length + issues.filter((i) => i.code === "unmatched_measure").length).toBe(types.length);
  });
});

describe("vendor-json mapper: an unknown document", () => {
  it("names every endpoint shape it reads", async () => {
    const { issues } = await map({ something: [1] });
    expect(issues).toHaveLength(1);
    const message = issues[0]?.message ?? "";
    for (const vendor of ["Fitbit", "Oura", "Garmin", "Withings", "Google Fit", "iHealth", "Misfit", "Jawbone"]) {
      expect(message).toContain(vendor);
    }
  });
});
