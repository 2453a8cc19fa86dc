/**
 * Fitbit Web API responses (https://dev.fitbit.com/build/reference/web-api/):
 * - activity time series `GET /1/user/-/activities/steps/date/{start}/{end}.json`
 *   (`{"activities-steps": [{dateTime, value}]}`, values as strings), with the intraday dataset of
 *   `…/1d/1min.json` (`activities-steps-intraday.dataset[{time, value}]`);
 * - daily activity summary `GET /1/user/-/activities/date/{date}.json` (`activities[]`, `summary`, `goals`);
 * - sleep logs `GET /1.2/user/-/sleep/date/{date}.json` (`sleep[]`, `summary`).
 * Fitbit times are the user's local wall-clock times without an offset. Units are those of the request's
 * Accept-Language; without it (the default) they are metric: distance in km, weight in kg.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { shiftInstant } from "../openmhealth/time-frame";
import { isArray, isNumber, isObject, type Json, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const FITBIT_SYSTEM = "https://dev.fitbit.com/build/reference/web-api";
const fitbit = (code: string): SourceCoding => ({ system: FITBIT_SYSTEM, code });

/** A time series resource: the codings (LOINC first), the variable label, the unit of its values. */
interface SeriesKind {
  codings: SourceCoding[];
  label?: string;
  unit: string;
}

/** Daily time series resources (`activities-steps`, …) this mapper reads. */
const SERIES: Readonly<Record<string, SeriesKind>> = {
  "activities-steps": { codings: [loinc("41950-7", "Number of steps in 24 hour Measured")], unit: "{steps}" },
  "activities-distance": { codings: [], label: "Distance", unit: "km" },
  "activities-calories": { codings: [], label: "caloriesOut", unit: "kcal" },
  "activities-activityCalories": { codings: [], label: "activityCalories", unit: "kcal" },
  "activities-caloriesBMR": { codings: [], label: "caloriesBMR", unit: "kcal" },
  "activities-floors": { codings: [], label: "Floors", unit: "{flights}" },
  "activities-minutesSedentary": { codings: [], label: "sedentaryMinutes", unit: "min" },
  "activities-minutesLightlyActive": { codings: [], label: "lightlyActiveMinutes", unit: "min" },
  "activities-minutesFairlyActive": { codings: [], label: "fairlyActiveMinutes", unit: "min" },
  "activities-minutesVeryActive": { codings: [], label: "veryActiveMinutes", unit: "min" },
  "body-weight": { codings: [loinc("29463-7", "Body weight")], unit: "kg" },
  "body-bmi": { codings: [loinc("39156-5", "Body mass index (BMI) [Ratio]")], unit: "kg/m2" },
  "body-fat": { codings: [loinc("41982-0", "Percentage of body fat Measured")], unit: "%" },
};

/** Intraday datasets of the same resources (per minute / 15 minutes / second): steps are not a 24-h count. */
const INTRADAY_CODINGS: Readonly<Record<string, SourceCoding[]>> = {
  "activities-steps": [loinc("55423-8", "Number of steps in unspecified time Pedometer")],
};

export function isFitbit(doc: JsonObject): boolean {
  return (
    Object.keys(doc).some((k) => SERIES[k] !== undefined && isArray(doc[k])) ||
    (isArray(doc.activities) && isObject(doc.summary)) ||
    (isArray(doc.sleep) && (doc.sleep.length === 0 || (isObject(doc.sleep[0]) && "dateOfSleep" in doc.sleep[0])))
  );
}

export function* mapFitbit(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  let matched = false;
  for (const [key, kind] of Object.entries(SERIES)) {
    const series = doc[key];
    if (!isArray(series)) continue;
    matched = true;
    yield* timeSeries(doc, key, series, kind, run);
  }
  if (isArray(doc.activities) && isObject(doc.summary)) {
    matched = true;
    yield* activitiesDate(doc, doc.activities, doc.summary, run);
  }
  if (isArray(doc.sleep)) {
    matched = true;
    yield* sleepLogs(doc.sleep, run);
  }
  if (!matched) yield* run.issue("$", "unrecognized_format", "error", "not a Fitbit response this mapper reads");
}

function* timeSeries(
  doc: JsonObject,
  key: string,
  series: Json[],
  kind: SeriesKind,
  run: VendorRun,
): Generator<MapEvent> {
  const intraday = doc[`${key}-intraday`];
  const dataset = isObject(intraday) && isArray(intraday.dataset) ? intraday.dataset : null;
  if (dataset) {
    // The daily value is the sum of the intraday values: mapping both would count every step twice.
    yield* run.issue(
      path("$", key),
      "daily_total_skipped",
      "info",
      `${key} daily totals are not mapped because the intraday dataset holds the same measurements`,
    );
    if (isObject(intraday)) yield* intradaySeries(key, series, intraday, dataset, kind, run);
    return;
  }
  for (const [index, entry] of series.entries()) {
    const at = path("$", key, index);
    if (!isObject(entry) || typeof entry.dateTime !== "string") {
      yield* run.issue(at, "missing_time", "error", "time series entry without dateTime");
      continue;
    }
    const value = Number(entry.value);
    if (entry.value === null || entry.value === "" || !Number.isFinite(value)) {
      yield* run.issue(at, "invalid_value", "error", `value ${JSON.stringify(entry.value)} is not a number`);
      continue;
    }
    const start = run.local(entry.dateTime);
    const end = run.dayAfter(entry.dateTime);
    if (!start || !end) {
      yield* run.issue(at, "missing_time", "error", `dateTime ${entry.dateTime} is not a date`);
      continue;
    }
    yield* run.observation({
      codings: [...kind.codings, fitbit(key)],
      ...(kind.label === undefined ? {} : { label: kind.label }),
      value,
      unit: kind.unit,
      start_at: start,
      end_at: end,
      location: at,
    });
  }
}

function* intradaySeries(
  key: string,
  series: Json[],
  intraday: JsonObject,
  dataset: Json[],
  kind: SeriesKind,
  run: VendorRun,
): Generator<MapEvent> {
  const datasetKey = `${key}-intraday`;
  // The dataset's date is the (single) date of the request, echoed by the daily series.
  const first = series[0];
  const date = series.length === 1 && isObject(first) && typeof first.dateTime === "string" ? first.dateTime : null;
  if (date === null) {
    yield* run.issue(
      path("$", datasetKey),
      "missing_time",
      "error",
      "the intraday dataset's date is not given by exactly one daily entry",
    );
    return;
  }
  const interval = isNumber(intraday.datasetInterval) ? intraday.datasetInterval : 1;
  const unitMs = intraday.datasetType === "second" ? 1000 : intraday.datasetType === "hour" ? 3_600_000 : 60_000;
  for (const [index, entry] of indexed(dataset)) {
    const at = path("$", datasetKey, "dataset", index);
    if (!isObject(entry) || typeof entry.time !== "string" || !isNumber(entry.value)) {
      yield* run.issue(at, "invalid_value", "error", "intraday entry without time or numeric value");
      continue;
    }
    const start = run.local(`${date}T${entry.time}`);
    if (!start) {
      yield* run.issue(at, "missing_time", "error", `time ${entry.time} is not a time of day`);
      continue;
    }
    yield* run.observation({
      codings: [...(INTRADAY_CODINGS[key] ?? kind.codings), fitbit(datasetKey)],
      ...(kind.label === undefined ? {} : { label: kind.label }),
      value: entry.value,
      unit: kind.unit,
      start_at: start,
      end_at: shift(start, interval * unitMs),
      location: at,
    });
  }
}

/** An instant plus `ms`, keeping the instant's offset. */
function shift(instant: string, ms: number): string {
  return shiftInstant(instant, ms) ?? new Date(Date.parse(instant) + ms).toISOString();
}

/** Seed labels for the distance of an activity, by the kind of activity. */
function distanceLabel(name: string): string | undefined {
  if (/cycl|bik/i.test(name)) return "Cycling Distance";
  if (/swim/i.test(name)) return "Swimming Distance";
  if (/walk|run|jog|hik|step|trek|treadmill/i.test(name)) return "Walking + Running Distance";
  return undefined;
}

/** Daily summary fields that are measurements (activeScore -1 means "not available"; goals are targets). */
const SUMMARY_FIELDS: readonly { field: string; codings: SourceCoding[]; label?: string; unit: string }[] = [
  { field: "steps", codings: [loinc("41950-7", "Number of steps in 24 hour Measured")], unit: "{steps}" },
  { field: "caloriesOut", codings: [], label: "caloriesOut", unit: "kcal" },
  { field: "activityCalories", codings: [], label: "activityCalories", unit: "kcal" },
  { field: "caloriesBMR", codings: [], label: "caloriesBMR", unit: "kcal" },
  { field: "sedentaryMinutes", codings: [], label: "sedentaryMinutes", unit: "min" },
  { field: "lightlyActiveMinutes", codings: [], label: "lightlyActiveMinutes", unit: "min" },
  { field: "fairlyActiveMinutes", codings: [], label: "fairlyActiveMinutes", unit: "min" },
  { field: "veryActiveMinutes", codings: [], label: "veryActiveMinutes", unit: "min" },
  { field: "floors", codings: [], label: "Floors", unit: "{flights}" },
  { field: "restingHeartRate", codings: [loinc("40443-4", "Heart rate --resting")], unit: "/min" },
];

function* activitiesDate(
  doc: JsonObject,
  activities: Json[],
  summary: JsonObject,
  run: VendorRun,
): Generator<MapEvent> {
  for (const [index, activity] of indexed(activities)) {
    const at = path("$", "activities", index);
    if (!isObject(activity) || typeof activity.startDate !== "string") {
      yield* run.issue(at, "missing_time", "error", "logged activity without startDate");
      continue;
    }
    const name = typeof activity.name === "string" ? activity.name : undefined;
    // hasStartTime false: the log has a date but no time of day (the startTime is a placeholder).
    const timed = activity.hasStartTime !== false && typeof activity.startTime === "string";
    const start = run.local(timed ? `${activity.startDate}T${activity.startTime}` : activity.startDate);
    if (!start) {
      yield* run.issue(at, "missing_time", "error", `startDate ${activity.startDate} is not a date`);
      continue;
    }
    const duration = isNumber(activity.duration) ? activity.duration : undefined;
    const endAt = timed && duration !== undefined ? { end_at: shift(start, duration) } : {};
    const metadata = {
      activity_name: name,
      activity_id: activity.activityId,
      activity_parent_name: activity.activityParentName,
      log_id: activity.logId,
      description: activity.description,
      has_start_time: activity.hasStartTime,
    };
    const measures: { field: string; codings: SourceCoding[]; label?: string; unit: string }[] = [
      { field: "duration", codings: [], label: "Workout Duration", unit: "ms" },
      { field: "distance", codings: [], ...labelOf(name === undefined ? undefined : distanceLabel(name)), unit: "km" },
      { field: "calories", codings: [loinc("41981-2", "Calories burned")], unit: "kcal" },
      { field: "steps", codings: [loinc("55423-8", "Number of steps in unspecified time Pedometer")], unit: "{steps}" },
    ];
    for (const m of measures) {
      const value = activity[m.field];
      if (!isNumber(value)) continue;
      yield* run.observation({
        codings: [...m.codings, fitbit(`activities.${m.field}`)],
        ...labelOf(m.label),
        value,
        unit: m.unit,
        start_at: start,
        ...endAt,
        metadata,
        location: path(at, m.field),
      });
    }
  }

  // The summary is for the requested date, which the response does not repeat: it is the date every
  // logged activity of the day has. Without activities (or if they disagree) the summary has no time.
  const dates = new Set(activities.map((a) => (isObject(a) ? a.startDate : undefined)));
  const [date] = dates;
  if (dates.size !== 1 || typeof date !== "string") {
    yield* run.issue(
      "$.summary",
      "missing_time",
      "error",
      "the daily summary has no date (no logged activity gives it)",
    );
  } else {
    const start = run.local(date);
    const end = run.dayAfter(date);
    if (start && end) {
      for (const f of SUMMARY_FIELDS) {
        const value = summary[f.field];
        if (!isNumber(value)) continue;
        yield* run.observation({
          codings: [...f.codings, fitbit(`summary.${f.field}`)],
          ...labelOf(f.label),
          value,
          unit: f.unit,
          start_at: start,
          end_at: end,
          metadata: { date_from: "activities[].startDate" },
          location: path("$.summary", f.field),
        });
      }
      const distances = isArray(summary.distances) ? summary.distances : [];
      const totalIndex = distances.findIndex((d) => isObject(d) && d.activity === "total");
      const total = distances[totalIndex];
      if (isObject(total) && isNumber(total.distance)) {
        yield* run.observation({
          codings: [fitbit("summary.distances.total")],
          label: "Distance",
          value: total.distance,
          unit: "km",
          start_at: start,
          end_at: end,
          metadata: { date_from: "activities[].startDate" },
          location: path("$.summary.distances", totalIndex, "distance"),
        });
      }
    }
  }
  if (isObject(doc.goals))
    yield* run.issue("$.goals", "not_a_measurement", "info", "daily goals are targets, not measurements");
}

const labelOf = (label: string | undefined) => (label === undefined ? {} : { label });

/** Sleep log fields that are measurements, in minutes (efficiency in percent). */
const SLEEP_FIELDS: readonly { field: string; codings: SourceCoding[]; label?: string; unit: string }[] = [
  { field: "minutesAsleep", codings: [loinc("93832-4", "Sleep duration")], unit: "min" },
  { field: "timeInBed", codings: [], label: "timeInBed", unit: "min" },
  { field: "minutesAwake", codings: [], label: "minutesAwake", unit: "min" },
  { field: "minutesToFallAsleep", codings: [], label: "minutesToFallAsleep", unit: "min" },
  { field: "minutesAfterWakeup", codings: [], label: "minutesAfterWakeup", unit: "min" },
  { field: "efficiency", codings: [], label: "efficiency", unit: "%" },
];

/** Sleep stage minutes of `type: "stages"` logs (levels.summary.{deep,light,rem}). */
const STAGE_FIELDS: readonly { stage: string; codings: SourceCoding[] }[] = [
  { stage: "deep", codings: [loinc("93831-6", "Deep sleep duration")] },
  { stage: "light", codings: [loinc("93830-8", "Light sleep duration")] },
  { stage: "rem", codings: [loinc("93829-0", "REM sleep duration")] },
];

function* sleepLogs(logs: Json[], run: VendorRun): Generator<MapEvent> {
  for (const [index, log] of indexed(logs)) {
    const at = path("$", "sleep", index);
    if (!isObject(log) || typeof log.startTime !== "string") {
      yield* run.issue(at, "missing_time", "error", "sleep log without startTime");
      continue;
    }
    const start = run.local(log.startTime);
    const end = typeof log.endTime === "string" ? run.local(log.endTime) : null;
    if (!start) {
      yield* run.issue(at, "missing_time", "error", `startTime ${log.startTime} is not a date-time`);
      continue;
    }
    const metadata = {
      log_id: log.logId,
      date_of_sleep: log.dateOfSleep,
      is_main_sleep: log.isMainSleep,
      type: log.type,
    };
    const span = { start_at: start, ...(end ? { end_at: end } : {}) };
    for (const f of SLEEP_FIELDS) {
      const value = log[f.field];
      if (!isNumber(value)) continue;
      yield* run.observation({
        codings: [...f.codings, fitbit(`sleep.${f.field}`)],
        ...labelOf(f.label),
        value,
        unit: f.unit,
        ...span,
        metadata,
        location: path(at, f.field),
      });
    }
    const summary = isObject(log.levels) && isObject(log.levels.summary) ? log.levels.summary : null;
    if (summary && log.type === "stages") {
      for (const s of STAGE_FIELDS) {
        const stage = summary[s.stage];
        if (!isObject(stage) || !isNumber(stage.minutes)) continue;
        yield* run.observation({
          codings: [...s.codings, fitbit(`sleep.levels.summary.${s.stage}`)],
          value: stage.minutes,
          unit: "min",
          ...span,
          metadata,
          location: path(at, "levels", "summary", s.stage, "minutes"),
        });
      }
    }
  }
}
