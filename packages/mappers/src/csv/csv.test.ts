import type { DetectInput, MapContext, MapEvent, MappedObservation, MappingIssue } from "@dfda/core";
import { CODE_SYSTEMS, DETECT_HEAD_BYTES } from "@dfda/core";
import { seedCatalog } from "@dfda/reference";
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles } from "../../test/corpus";
import { collect, fromBytes } from "../util/stream";
import { csvMapper, headerSignature, suggestColumns } from "./index";

const lookup = seedCatalog();
const HK = CODE_SYSTEMS.appleHealth;
const LOINC = CODE_SYSTEMS.loinc;
const FOLDER = "05-csv-exports";
const APPLE = `${FOLDER}/apple-health-derived`;

const idOf = (slug: string) => {
  const match = lookup.byLabel(slug);
  if (match === null) throw new Error(`no seeded variable ${slug}`);
  return match.id;
};

async function run(bytes: Uint8Array, context: Partial<MapContext> = {}, chunk?: number) {
  const events = await collect(csvMapper.map(fromBytes(bytes, chunk), { lookup, ...context }));
  const observations = events.flatMap((e: MapEvent) => (e.kind === "observation" ? [e.observation] : []));
  const issues = events.flatMap((e: MapEvent) => (e.kind === "issue" ? [e.issue] : []));
  return { events, observations, issues };
}

const text = (s: string) => new TextEncoder().encode(s);
const runText = (s: string, context: Partial<MapContext> = {}, chunk?: number) => run(text(s), context, chunk);
const codes = (issues: MappingIssue[]) => issues.map((i) => i.code);

function detectInput(bytes: Uint8Array, name: string | null, contentType: string | null = null): DetectInput {
  const head = bytes.subarray(0, DETECT_HEAD_BYTES);
  return { head, headText: new TextDecoder().decode(head).replace(/^\uFEFF/, ""), name, contentType };
}

/** The variable the first coding the seed knows resolves to (what the pipeline does), or the variable_id. */
function resolvedSlugName(o: MappedObservation): string | null {
  if (o.variable_id !== undefined) return o.variable_id;
  for (const c of o.codings) {
    const match = lookup.byCoding(c.system, c.code);
    if (match !== null) return match.id;
  }
  return null;
}

describe("csv mapper: the corpus", () => {
  it("maps every file of 05-csv-exports without throwing, each to observations and no errors", async () => {
    const files = corpusFiles(FOLDER);
    expect(files).toHaveLength(3);
    for (const file of files) {
      const { observations, issues } = await run(corpusBytes(file));
      expect(observations.length, file).toBeGreaterThan(0);
      expect(
        issues.filter((i) => i.severity === "error"),
        file,
      ).toEqual([]);
      // Every observation names a variable the seed knows.
      for (const o of observations) expect(resolvedSlugName(o), `${file} ${o.location}`).not.toBeNull();
    }
  });

  it("ActivitySummary.csv: the daily rings per date, goals in metadata, the date as the whole day", async () => {
    const { observations, issues } = await run(corpusBytes(`${APPLE}/ActivitySummary.csv`));
    // The dates carry no zone: one warning for the file.
    expect(issues).toEqual([
      {
        location: null,
        code: "assumed_timezone",
        severity: "warning",
        message: "Times without a UTC offset were read as UTC; pass a timezone to read them as local times.",
      },
    ]);
    expect(observations).toEqual([
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierActiveEnergyBurned" },
          { system: LOINC, code: "41981-2" },
        ],
        value: 700.698,
        unit: "kcal",
        start_at: "2016-04-14T00:00:00Z",
        end_at: "2016-04-15T00:00:00Z",
        location: 'line 2, column "activeEnergyBurned"',
        metadata: { summary: "activity_summary", goal: 680 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierAppleExerciseTime" },
          { system: LOINC, code: "55411-3" },
        ],
        value: 89,
        unit: "min",
        start_at: "2016-04-14T00:00:00Z",
        end_at: "2016-04-15T00:00:00Z",
        location: 'line 2, column "appleExerciseTime"',
        metadata: { summary: "activity_summary", goal: 30 },
      },
      {
        codings: [{ system: HK, code: "HKCategoryTypeIdentifierAppleStandHour" }],
        value: 16,
        unit: "h",
        start_at: "2016-04-14T00:00:00Z",
        end_at: "2016-04-15T00:00:00Z",
        location: 'line 2, column "appleStandHours"',
        metadata: { summary: "activity_summary", goal: 12 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierActiveEnergyBurned" },
          { system: LOINC, code: "41981-2" },
        ],
        value: 56.609,
        unit: "kcal",
        start_at: "2016-04-15T00:00:00Z",
        end_at: "2016-04-16T00:00:00Z",
        location: 'line 3, column "activeEnergyBurned"',
        metadata: { summary: "activity_summary", goal: 680 },
      },
      {
        codings: [
          { system: HK, code: "HKQuantityTypeIdentifierAppleExerciseTime" },
          { system: LOINC, code: "55411-3" },
        ],
        value: 6,
        unit: "min",
        start_at: "2016-04-15T00:00:00Z",
        end_at: "2016-04-16T00:00:00Z",
        location: 'line 3, column "appleExerciseTime"',
        metadata: { summary: "activity_summary", goal: 30 },
      },
      {
        codings: [{ system: HK, code: "HKCategoryTypeIdentifierAppleStandHour" }],
        value: 2,
        unit: "h",
        start_at: "2016-04-15T00:00:00Z",
        end_at: "2016-04-16T00:00:00Z",
        location: 'line 3, column "appleStandHours"',
        metadata: { summary: "activity_summary", goal: 12 },
      },
    ]);
    const day = ["active-energy-burned", "exercise-minutes", "stand-hours"].map(idOf);
    expect(observations.map(resolvedSlugName)).toEqual([...day, ...day]);
  });

  it("ActivitySummary.csv: a timezone makes the dates local days, without a warning", async () => {
    const { observations, issues } = await run(corpusBytes(`${APPLE}/ActivitySummary.csv`), {
      timezone: "Europe/London",
    });
    expect(issues).toEqual([]);
    expect(observations[0]).toMatchObject({
      start_at: "2016-04-14T00:00:00+01:00",
      end_at: "2016-04-15T00:00:00+01:00",
    });
  });

  it("DistanceWalkingRunning.csv: each row a HealthKit distance sample in km, with its period and source", async () => {
    const { observations, issues } = await run(corpusBytes(`${APPLE}/DistanceWalkingRunning.csv`));
    expect(issues).toEqual([]);
    const rows: [number, string, string][] = [
      [0.00288, "2014-09-20T10:41:28+01:00", "2014-09-20T10:41:30+01:00"],
      [0.00284, "2014-09-20T10:41:30+01:00", "2014-09-20T10:41:33+01:00"],
      [0.00142, "2014-09-20T10:41:33+01:00", "2014-09-20T10:41:36+01:00"],
      [0.00639, "2014-09-20T10:43:54+01:00", "2014-09-20T10:43:56+01:00"],
      [0.0059, "2014-09-20T10:43:59+01:00", "2014-09-20T10:44:01+01:00"],
    ];
    expect(observations).toEqual(
      rows.map(([value, start, end], i) => ({
        codings: [{ system: HK, code: "HKQuantityTypeIdentifierDistanceWalkingRunning" }],
        value,
        unit: "km",
        start_at: start,
        end_at: end,
        location: `line ${i + 2}`,
        metadata: { source_name: "Health", creation_date: "2014-09-21 07:08:49 +0100" },
      })),
    );
    for (const o of observations) expect(resolvedSlugName(o)).toBe(idOf("walking-running-distance"));
  });

  it("Workout.csv: duration, distance and energy of the workout, with its activity type", async () => {
    const { observations, issues } = await run(corpusBytes(`${APPLE}/Workout.csv`));
    expect(issues).toEqual([]);
    const metadata = {
      // The file writes a no-break space (U+00A0) in the source name.
      source_name: "NJR Apple\u00a0Watch",
      source_version: "2.2",
      creation_date: "2016-04-02 11:12:57 +0100",
      summary: "workout",
      activity_type: "HKWorkoutActivityTypeOther",
    };
    const period = { start_at: "2016-04-02T10:40:38+01:00", end_at: "2016-04-02T11:12:22+01:00" };
    expect(observations).toEqual([
      {
        codings: [{ system: HK, code: "HKWorkoutTypeIdentifier" }],
        value: 31.73680251737436,
        unit: "min",
        ...period,
        location: 'line 2, column "duration"',
        metadata,
      },
      {
        codings: [{ system: HK, code: "HKQuantityTypeIdentifierDistanceWalkingRunning" }],
        value: 0,
        unit: "km",
        ...period,
        location: 'line 2, column "totalDistance"',
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
        location: 'line 2, column "totalEnergyBurned"',
        metadata,
      },
    ]);
    expect(observations.map(resolvedSlugName)).toEqual(
      ["workout-duration", "walking-running-distance", "active-energy-burned"].map(idOf),
    );
  });

  it("maps the same events when the bytes arrive 7 (or 1) at a time", async () => {
    for (const file of corpusFiles(FOLDER)) {
      const whole = await run(corpusBytes(file));
      expect((await run(corpusBytes(file), {}, 7)).events, file).toEqual(whole.events);
      expect((await run(corpusBytes(file), {}, 1)).events, file).toEqual(whole.events);
    }
  });

  it("an explicit column mapping takes the Apple file through the generic wide path", async () => {
    const { observations, issues } = await run(corpusBytes(`${APPLE}/ActivitySummary.csv`), {
      columns: { activeEnergyBurned: { variable_id: "v-energy" }, appleExerciseTime: { variable_id: null } },
    });
    // appleStandHours is matched by name (a seeded synonym); goals and units are companions.
    expect(codes(issues)).toEqual(["assumed_timezone"]);
    expect(observations.map((o) => [o.variable_id, o.value, o.unit, o.metadata?.goal])).toEqual([
      ["v-energy", 700.698, "kcal", 680],
      [idOf("stand-hours"), 16, undefined, 12],
      ["v-energy", 56.609, "kcal", 680],
      [idOf("stand-hours"), 2, undefined, 12],
    ]);
  });
});

describe("csv mapper: wide format", () => {
  const wide = [
    "Date,Weight (kg),Heart rate [bpm],Steps,Glucose mg/dL,Temperature (°F),Mood score,Notes",
    "2024-03-01T08:00:00+01:00,72.5,61,8000,95,98.6,,felt fine",
    "2024-03-02T08:00:00+01:00,,58,,,,,",
    "2024-03-03T08:00:00+01:00,72.1,abc,9000,,,7,",
  ].join("\n");

  it("splits units out of headers, matches labels, maps units to UCUM, skips empty cells", async () => {
    const { observations, issues } = await runText(wide);
    const rows = observations.map((o) => [
      o.location,
      o.variable_id,
      o.value,
      o.unit ?? null,
      o.start_at,
      o.note ?? null,
    ]);
    expect(rows).toEqual([
      ['line 2, column "Weight (kg)"', idOf("body-weight"), 72.5, "kg", "2024-03-01T08:00:00+01:00", "felt fine"],
      ['line 2, column "Heart rate [bpm]"', idOf("heart-rate"), 61, "/min", "2024-03-01T08:00:00+01:00", "felt fine"],
      ['line 2, column "Steps"', idOf("steps"), 8000, null, "2024-03-01T08:00:00+01:00", "felt fine"],
      ['line 2, column "Glucose mg/dL"', idOf("blood-glucose"), 95, "mg/dL", "2024-03-01T08:00:00+01:00", "felt fine"],
      [
        'line 2, column "Temperature (°F)"',
        idOf("body-temperature"),
        98.6,
        "[degF]",
        "2024-03-01T08:00:00+01:00",
        "felt fine",
      ],
      ['line 3, column "Heart rate [bpm]"', idOf("heart-rate"), 58, "/min", "2024-03-02T08:00:00+01:00", null],
      ['line 4, column "Weight (kg)"', idOf("body-weight"), 72.1, "kg", "2024-03-03T08:00:00+01:00", null],
      ['line 4, column "Steps"', idOf("steps"), 9000, null, "2024-03-03T08:00:00+01:00", null],
    ]);
    for (const o of observations) expect(o.codings).toEqual([]);
    // One warning for the unmatched column (not one per row), one error for the non-numeric cell.
    expect(issues).toEqual([
      {
        location: 'line 1, column "Mood score"',
        code: "unmatched_column",
        severity: "warning",
        message:
          'No variable matches the column "Mood score"; its values were not mapped. Map it explicitly to include it.',
      },
      {
        location: 'line 4, column "Heart rate [bpm]"',
        code: "invalid_number",
        severity: "error",
        message: '"abc" in column "Heart rate [bpm]" is not a number.',
      },
    ]);
  });

  it("explicit column mappings win over matching; null ignores a column; the header's unit wins", async () => {
    const { observations, issues } = await runText(wide, {
      columns: {
        "Mood score": { variable_id: "v-mood", unit: "{score}" },
        Steps: { variable_id: null },
        "weight (KG)": { variable_id: "v-weight", unit: "[lb_av]" },
      },
    });
    expect(codes(issues)).toEqual(["invalid_number"]);
    const line4 = observations.filter((o) => o.location.startsWith("line 4"));
    expect(line4.map((o) => [o.location, o.variable_id, o.value, o.unit])).toEqual([
      ['line 4, column "Weight (kg)"', "v-weight", 72.1, "kg"],
      ['line 4, column "Mood score"', "v-mood", 7, "{score}"],
    ]);
    expect(observations.some((o) => o.location.includes("Steps"))).toBe(false);
  });

  it("reads separate Date and Time columns, semicolons with decimal commas, and a timezone", async () => {
    const csv = "Date;Time;Weight (lbs)\n2024-03-01;7:05;160,4\n2024-03-02;;161\n";
    const { observations, issues } = await runText(csv, { timezone: "America/New_York" });
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.value, o.unit, o.start_at, o.end_at])).toEqual([
      [160.4, "[lb_av]", "2024-03-01T07:05:00-05:00", undefined],
      // A date alone is the whole (local) day.
      [161, "[lb_av]", "2024-03-02T00:00:00-05:00", "2024-03-03T00:00:00-05:00"],
    ]);
  });

  it("reads censored cells (<5, <= 5, >200, ≥ 10, <0,5 with a decimal comma) as a bound with its comparator", async () => {
    const wide =
      "Date,Glucose (mg/dL)\n2024-03-01T08:00:00Z,<5\n2024-03-02T08:00:00Z,<= 5\n2024-03-03T08:00:00Z,>200\n2024-03-04T08:00:00Z,>=7.5\n2024-03-05T08:00:00Z,≥ 10\n2024-03-06T08:00:00Z,≤3\n2024-03-07T08:00:00Z,90\n";
    const { observations, issues } = await runText(wide);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.comparator ?? null, o.value, o.unit])).toEqual([
      ["<", 5, "mg/dL"],
      ["<=", 5, "mg/dL"],
      [">", 200, "mg/dL"],
      [">=", 7.5, "mg/dL"],
      [">=", 10, "mg/dL"],
      ["<=", 3, "mg/dL"],
      [null, 90, "mg/dL"],
    ]);
    const long =
      "Measure;Value;Units;Start_At\nHeart rate;<0,5;bpm;2024-03-01T08:00:00Z\nHeart rate;=>5;bpm;2024-03-01T09:00:00Z\nHeart rate;<>5;bpm;2024-03-01T10:00:00Z\nHeart rate;<;bpm;2024-03-01T11:00:00Z\n";
    const read = await runText(long);
    expect(read.observations.map((o) => [o.comparator, o.value])).toEqual([["<", 0.5]]);
    // Not a comparator FHIR knows, or no number after it: not a number, reported per cell.
    expect(codes(read.issues)).toEqual(["invalid_number", "invalid_number", "invalid_number"]);
  });

  it("reports an invalid timezone once and reads times as UTC", async () => {
    const { observations, issues } = await runText("date,Steps\n2024-03-01 10:00,100\n2024-03-01 11:00,200\n", {
      timezone: "Mars/Olympus",
    });
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      [null, "invalid_timezone", "warning"],
      [null, "assumed_timezone", "warning"],
    ]);
    expect(observations.map((o) => o.start_at)).toEqual(["2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z"]);
  });

  it("a generic long file with Apple-like columns but no sourceName is matched by name", async () => {
    const { observations } = await runText("type,value,unit,startDate,endDate\nWeight,70,kg,2024-03-01T08:00:00Z,\n");
    expect(observations.map((o) => [o.variable_id, o.codings, o.value, o.unit])).toEqual([
      [idOf("body-weight"), [], 70, "kg"],
    ]);
  });

  it("reads TSV with epoch seconds and milliseconds", async () => {
    const tsv = "timestamp\tHeart Rate\n1709280000\t60\n1709280000500\t61\n";
    const { observations, issues } = await runText(tsv);
    expect(issues).toEqual([]);
    expect(observations.map((o) => [o.start_at, o.value])).toEqual([
      ["2024-03-01T08:00:00.000Z", 60],
      ["2024-03-01T08:00:00.500Z", 61],
    ]);
  });

  it("warns once for times without an offset, and reports rows without a usable time", async () => {
    const csv = "date,Steps\n2024-03-01 10:00,100\n2024-03-01 11:00,200\n,300\nyesterday,400\n";
    const { observations, issues } = await runText(csv);
    expect(observations.map((o) => [o.start_at, o.value])).toEqual([
      ["2024-03-01T10:00:00Z", 100],
      ["2024-03-01T11:00:00Z", 200],
    ]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      [null, "assumed_timezone", "warning"],
      ["line 4", "missing_time", "error"],
      ['line 5, column "date"', "invalid_time", "error"],
    ]);
  });

  it("handles quotes, embedded delimiters and line breaks, a BOM and CRLF (line numbers stay physical)", async () => {
    const csv =
      '\uFEFF"Date","Weight (kg)","Notes"\r\n' +
      '2024-03-01T08:00:00Z,"72.5","after ""breakfast"", coffee"\r\n' +
      '2024-03-02T08:00:00Z,72.0,"two\r\nlines"\r\n' +
      "2024-03-03T08:00:00Z,71.8,\r\n";
    for (const chunk of [undefined, 1, 3, 7]) {
      const { observations, issues } = await runText(csv, {}, chunk);
      expect(issues, String(chunk)).toEqual([]);
      expect(
        observations.map((o) => [o.location, o.value, o.note ?? null]),
        String(chunk),
      ).toEqual([
        ['line 2, column "Weight (kg)"', 72.5, 'after "breakfast", coffee'],
        ['line 3, column "Weight (kg)"', 72, "two\r\nlines"],
        ['line 5, column "Weight (kg)"', 71.8, null],
      ]);
    }
  });

  it("reports a header without a time column, an empty file, and extra fields", async () => {
    expect((await runText("Weight,Height\n70,180\n")).issues.map((i) => [i.location, i.code])).toEqual([
      ["line 1", "missing_time_column"],
    ]);
    expect((await runText("")).issues.map((i) => i.code)).toEqual(["empty_file"]);
    const extra = await runText("date,Steps\n2024-03-01T00:00:00Z,5,oops\n");
    expect(extra.issues.map((i) => [i.location, i.code])).toEqual([["line 2", "extra_fields"]]);
    expect(extra.observations.map((o) => o.value)).toEqual([5]);
  });

  it("an unterminated quote at the end of the file is reported, and the rest still read", async () => {
    const { observations, issues } = await runText('date,Steps,Notes\n2024-03-01T00:00:00Z,5,"open\n');
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([["line 2", "malformed_quotes", "warning"]]);
    expect(observations.map((o) => [o.value, o.note])).toEqual([[5, "open"]]);
  });
});

describe("csv mapper: long format", () => {
  it("reads variable, value, unit, start, end and note columns, by name or LOINC code", async () => {
    const csv = [
      "Measure,Value,Units,Start_At,End_At,Comment,Device",
      "Body Weight,72.5,lbs,2024-03-01T08:00:00Z,,morning,Scale",
      "8867-4,61,bpm,2024-03-01T08:01:00Z,,,",
      "Sleep duration,7.5,h,2024-03-01T23:00:00Z,2024-03-02T06:30:00Z,,",
      "Unicorn level,3,,2024-03-01T08:00:00Z,,,",
      "Unicorn level,4,,2024-03-02T08:00:00Z,,,",
      "Heart rate,fast,bpm,2024-03-01T08:00:00Z,,,",
      "Heart rate,,bpm,2024-03-01T08:00:00Z,,,",
      "Menstrual flow,HKCategoryValueMenstrualFlowLight,,2024-03-01,,,",
    ].join("\n");
    const { observations, issues } = await runText(csv, { timezone: "+01:00" });
    expect(observations).toEqual([
      {
        codings: [],
        variable_id: idOf("body-weight"),
        value: 72.5,
        unit: "[lb_av]",
        start_at: "2024-03-01T08:00:00Z",
        note: "morning",
        location: "line 2",
        metadata: { device: "Scale" },
      },
      {
        codings: [{ system: LOINC, code: "8867-4" }],
        variable_id: idOf("heart-rate"),
        value: 61,
        unit: "/min",
        start_at: "2024-03-01T08:01:00Z",
        location: "line 3",
      },
      {
        codings: [],
        variable_id: idOf("sleep-duration"),
        value: 7.5,
        unit: "h",
        start_at: "2024-03-01T23:00:00Z",
        end_at: "2024-03-02T06:30:00Z",
        location: "line 4",
      },
      {
        codings: [],
        variable_id: idOf("menstrual-flow"),
        value: "HKCategoryValueMenstrualFlowLight",
        start_at: "2024-03-01T00:00:00+01:00",
        end_at: "2024-03-02T00:00:00+01:00",
        location: "line 9",
      },
    ]);
    expect(issues.map((i) => [i.location, i.code, i.severity])).toEqual([
      ['line 5, column "Measure"', "unmatched_variable", "warning"],
      ['line 7, column "Value"', "invalid_number", "error"],
      ['line 8, column "Value"', "missing_value", "warning"],
    ]);
  });
});

describe("suggestColumns and headerSignature", () => {
  it("suggests what matching does per header", () => {
    const suggestions = suggestColumns(
      ["Date", "Weight (kg)", "Mood score", "activeEnergyBurned", "activeEnergyBurnedUnit"],
      lookup,
    );
    expect(suggestions.map((s) => [s.header, s.role, s.variable?.id ?? null, s.unit ?? null, s.of ?? null])).toEqual([
      ["Date", "time", null, null, null],
      ["Weight (kg)", "measurement", idOf("body-weight"), "kg", null],
      ["Mood score", "unmatched", null, null, null],
      ["activeEnergyBurned", "measurement", idOf("active-energy-burned"), null, null],
      ["activeEnergyBurnedUnit", "unit_of", null, null, 3],
    ]);
    expect(suggestColumns(["type", "value", "unit", "startDate"], lookup).map((s) => s.role)).toEqual([
      "variable",
      "value",
      "unit",
      "time",
    ]);
  });

  it("a signature ignores order, case, spacing and punctuation, and changes with the columns", () => {
    const a = headerSignature(["Date", "Weight (kg)", "Steps"]);
    expect(a).toMatch(/^csv1:3:[0-9a-f]{16}$/);
    expect(headerSignature(["steps", " weight_kg", "DATE"])).toBe(a);
    expect(headerSignature(["Date", "Weight (lb)", "Steps"])).not.toBe(a);
    expect(headerSignature(["Date", "Weight (kg)"])).not.toBe(a);
  });
});

describe("csv detect", () => {
  it("scores its own files at least 0.9 (with and without a name)", () => {
    for (const file of corpusFiles(FOLDER)) {
      const bytes = corpusBytes(file);
      expect(csvMapper.detect(detectInput(bytes, file.split("/").pop() ?? null)), file).toBeGreaterThanOrEqual(0.9);
      expect(csvMapper.detect(detectInput(bytes, null)), file).toBeGreaterThanOrEqual(0.9);
    }
    expect(csvMapper.detect(detectInput(text("a\tb\n1\t2\n"), "x.tsv"))).toBe(0.9);
    expect(csvMapper.detect(detectInput(text("date;Weight\n2024-01-01;1\n"), null, "text/csv"))).toBe(0.98);
  });

  it("scores FHIR, HL7 v2, C-CDA, Open mHealth, vendor JSON, Apple XML, UCUM and LOINC files low", () => {
    const others = ["01-fhir-r4", "02-hl7v2", "03-ccda", "04-wearables", "06-ucum", "07-loinc-terminology"].flatMap(
      corpusFiles,
    );
    expect(others.length).toBeGreaterThan(300);
    for (const file of others) {
      const score = csvMapper.detect(detectInput(corpusBytes(file), file.split("/").pop() ?? null));
      expect(score, file).toBeLessThan(0.5);
    }
  });
});

describe("Apple-style settings Records: distinct types reported are capped", () => {
  it("reports the first MAX_DISTINCT_NAMES types, then one 'and more', and remembers no more", async () => {
    const rows = Array.from(
      { length: 1_200 },
      (_, i) =>
        `"Health",HKDataTypeGoal${i}${i === 1_100 ? "x".repeat(500) : ""},count,2024-01-01 08:00:00 +0000,2024-01-01 08:00:00 +0000,1`,
    );
    const head = "sourceName,type,unit,startDate,endDate,value";
    const { observations, issues } = await runText([head, ...rows, rows[5]].join("\n"));
    expect(observations).toEqual([]);
    const skipped = issues.filter((i) => i.code === "not_a_measurement");
    expect(skipped).toHaveLength(1_001);
    expect(skipped[1_000]?.message).toMatch(/^HKDataTypeGoal1000 and more Record types are settings/);
    expect(skipped[1_000]?.location).toBe("line 1002");
  });

  it("a long settings type is quoted cut to MAX_NAME_CHARS", async () => {
    const head = "sourceName,type,unit,startDate,endDate,value";
    const row = `"Health",HKDataType${"y".repeat(5_000)},count,2024-01-01 08:00:00 +0000,2024-01-01 08:00:00 +0000,1`;
    const { issues } = await runText([head, row, row].join("\n"));
    expect(issues.map((i) => i.message)).toEqual([
      `HKDataType${"y".repeat(54)}… Records are settings, not measurements; skipped.`,
    ]);
  });
});
