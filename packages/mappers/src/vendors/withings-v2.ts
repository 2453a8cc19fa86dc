/**
 * Withings v2 services that list days, nights and readings (https://developer.withings.com/api-reference/):
 * - Measure v2 - Getactivity (`body.activities[]`): one local day, `{date (YYYY-MM-DD), timezone (IANA),
 *   steps, distance (m), elevation (m, climbed: no variable, not mapped), soft/moderate/intense/active (s), calories (active kcal),
 *   totalcalories, hr_average, hr_min, hr_max}`;
 * - Sleep v2 - Getsummary (`body.series[]` with `data`): one night, `{startdate, enddate (Unix s), date,
 *   timezone, data: {total_sleep_time, deepsleepduration, lightsleepduration, remsleepduration,
 *   wakeupduration, durationtosleep, total_timeinbed (s), sleep_efficiency (ratio 0–1), hr_average/min/max,
 *   rr_average/min/max (breaths/min), breathing_disturbances_intensity, apnea_hypopnea_index, sleep_score}}`;
 * - Sleep v2 - Get (`body.series[]` with `state`): sleep-state intervals whose `hr`, `rr` and `sdnn_1` /
 *   `rmssd` maps are keyed by the Unix second of each reading;
 * - Heart v2 - List (`body.series[]` with `heart_rate` or `ecg`): `{timestamp, heart_rate, bloodpressure:
 *   {systole, diastole}, ecg: {signalid, afib}, model}`.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { parseIsoTimestamp } from "../util/time";
import { isArray, isNumber, isObject, type Json, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const WITHINGS_V2_SYSTEM = "https://developer.withings.com/api-reference/";
const withings = (code: string): SourceCoding => ({ system: WITHINGS_V2_SYSTEM, code });
const HEART_RATE = loinc("8867-4", "Heart rate");

const instant = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

interface Field {
  field: string;
  codings: SourceCoding[];
  label?: string;
  unit: string;
  statistic?: string;
  scale?: number;
}

const ACTIVITY_FIELDS: readonly Field[] = [
  { field: "steps", codings: [loinc("41950-7", "Number of steps in 24 hour Measured")], unit: "{steps}" },
  { field: "distance", codings: [], label: "Distance", unit: "m" },
  { field: "soft", codings: [], label: "Light activity", unit: "s" },
  { field: "moderate", codings: [], label: "Moderate Activity", unit: "s" },
  { field: "intense", codings: [], label: "Vigorous activity", unit: "s" },
  { field: "calories", codings: [loinc("41981-2", "Calories burned")], unit: "kcal" },
  { field: "totalcalories", codings: [], label: "Total Calories", unit: "kcal" },
  { field: "hr_average", codings: [HEART_RATE], unit: "/min", statistic: "average" },
  { field: "hr_min", codings: [HEART_RATE], unit: "/min", statistic: "minimum" },
  { field: "hr_max", codings: [], label: "Max Heart Rate", unit: "/min" },
];

const SLEEP_SUMMARY_FIELDS: readonly Field[] = [
  { field: "total_sleep_time", codings: [loinc("93832-4", "Sleep duration")], unit: "s" },
  { field: "deepsleepduration", codings: [loinc("93831-6", "Deep sleep duration")], unit: "s" },
  { field: "lightsleepduration", codings: [loinc("93830-8", "Light sleep duration")], unit: "s" },
  { field: "remsleepduration", codings: [loinc("93829-0", "REM sleep duration")], unit: "s" },
  { field: "wakeupduration", codings: [], label: "Awake", unit: "s" },
  { field: "durationtosleep", codings: [], label: "Sleep Latency", unit: "s" },
  { field: "total_timeinbed", codings: [], label: "Time in Bed", unit: "s" },
  // A ratio in Withings' reference (0–1): stored as a percentage.
  { field: "sleep_efficiency", codings: [], label: "Sleep Efficiency", unit: "%", scale: 100 },
  { field: "wakeupcount", codings: [], label: "Awakenings", unit: "{count}" },
  { field: "hr_average", codings: [HEART_RATE], unit: "/min", statistic: "average" },
  { field: "hr_min", codings: [HEART_RATE], unit: "/min", statistic: "minimum" },
  { field: "hr_max", codings: [], label: "Max Heart Rate", unit: "/min" },
  { field: "rr_average", codings: [], label: "Sleeping Respiratory Rate", unit: "/min", statistic: "average" },
  { field: "breathing_disturbances_intensity", codings: [], label: "Breathing Disturbances", unit: "{count}/h" },
  { field: "apnea_hypopnea_index", codings: [], label: "Apnea-hypopnea index (AHI)", unit: "{events}/h" },
  { field: "sleep_score", codings: [], label: "Sleep Score", unit: "{score}" },
];

/** Sleep v2 Get: maps keyed by Unix seconds. */
const SLEEP_SERIES: readonly { field: string; codings: SourceCoding[]; label?: string; unit: string }[] = [
  { field: "hr", codings: [HEART_RATE], unit: "/min" },
  { field: "rr", codings: [], label: "Sleeping Respiratory Rate", unit: "/min" },
  { field: "rmssd", codings: [], label: "RMSSD", unit: "ms" },
  {
    field: "sdnn_1",
    codings: [loinc("80404-7", "R-R interval.standard deviation (Heart rate variability)")],
    unit: "ms",
  },
];

const SLEEP_STATES: Readonly<Record<number, string>> = { 0: "awake", 1: "light", 2: "deep", 3: "rem", 4: "manual" };

export const isWithingsActivity = (doc: JsonObject) => isObject(doc.body) && isArray(doc.body.activities);
export const isWithingsSeriesList = (doc: JsonObject) =>
  isObject(doc.body) &&
  isArray(doc.body.series) &&
  doc.body.series.every((s) => isObject(s) && ("data" in s || "state" in s || "heart_rate" in s || "ecg" in s));

function* fields(
  fieldsOf: readonly Field[],
  source: JsonObject,
  base: string,
  at: string,
  span: { start_at: string; end_at?: string },
  metadata: Record<string, unknown>,
  run: VendorRun,
): Generator<MapEvent, number> {
  let mapped = 0;
  for (const f of fieldsOf) {
    const value = source[f.field];
    if (!isNumber(value)) continue;
    mapped++;
    yield* run.observation({
      codings: [...f.codings, withings(`${base}.${f.field}`)],
      ...(f.label === undefined ? {} : { label: f.label }),
      value: f.scale === undefined ? value : Math.round(value * f.scale * 1e6) / 1e6,
      unit: f.unit,
      ...span,
      metadata: f.statistic === undefined ? metadata : { ...metadata, statistic: f.statistic },
      location: path(at, f.field),
    });
  }
  return mapped;
}

export function* mapWithingsActivity(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const days = isObject(doc.body) && isArray(doc.body.activities) ? doc.body.activities : [];
  for (const [index, day] of indexed(days)) {
    const at = path("$.body.activities", index);
    if (!isObject(day) || typeof day.date !== "string") {
      yield* run.issue(at, "missing_time", "error", "activity day without a date");
      continue;
    }
    // The day is local to the activity's own `timezone`; without it, the context zone (or UTC, warned).
    const zone = typeof day.timezone === "string" ? day.timezone : undefined;
    const start = zone === undefined ? run.local(day.date) : (parseIsoTimestamp(day.date, zone)?.instant ?? null);
    const end = run.dayAfter(day.date, zone ?? run.context.timezone);
    if (!start || !end) {
      yield* run.issue(at, "missing_time", "error", `date ${day.date} is not a day (in ${zone ?? "UTC"})`);
      continue;
    }
    const metadata = { service: "getactivity", date: day.date, timezone: zone, deviceid: day.deviceid };
    const mapped = yield* fields(
      ACTIVITY_FIELDS,
      day,
      "getactivity",
      at,
      { start_at: start, end_at: end },
      metadata,
      run,
    );
    if (mapped === 0) yield* run.issue(at, "no_measurement", "info", "activity day without a measurement");
  }
}

export function* mapWithingsSeriesList(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const series = isObject(doc.body) && isArray(doc.body.series) ? doc.body.series : [];
  for (const [index, item] of indexed(series)) {
    const at = path("$.body.series", index);
    if (!isObject(item)) continue;
    if (isObject(item.data)) yield* sleepSummary(item, item.data, at, run);
    else if ("state" in item) yield* sleepState(item, at, run);
    else yield* heartReading(item, at, run);
  }
}

function* sleepSummary(night: JsonObject, data: JsonObject, at: string, run: VendorRun): Generator<MapEvent> {
  if (!isNumber(night.startdate) || !isNumber(night.enddate)) {
    yield* run.issue(at, "missing_time", "error", "sleep summary without startdate and enddate");
    return;
  }
  const span = { start_at: instant(night.startdate), end_at: instant(night.enddate) };
  const metadata = { service: "sleep getsummary", date: night.date, timezone: night.timezone, id: night.id };
  const mapped = yield* fields(SLEEP_SUMMARY_FIELDS, data, "sleep.getsummary", path(at, "data"), span, metadata, run);
  if (mapped === 0) yield* run.issue(at, "no_measurement", "info", "sleep summary without a measurement");
}

function* sleepState(item: JsonObject, at: string, run: VendorRun): Generator<MapEvent> {
  const state = isNumber(item.state) ? (SLEEP_STATES[item.state] ?? String(item.state)) : undefined;
  const metadata = { service: "sleep get", sleep_state: state };
  for (const s of SLEEP_SERIES) {
    const readings: Json | undefined = item[s.field];
    if (!isObject(readings)) continue;
    if (s.codings.length === 0 && s.label !== undefined && !run.context.lookup.byLabel(s.label)) continue;
    for (const [key, value] of Object.entries(readings)) {
      if (!/^\d+$/.test(key) || !isNumber(value)) {
        yield* run.issue(
          path(at, s.field, key),
          "invalid_value",
          "error",
          `${s.field} reading ${key} is not a timed number`,
        );
        continue;
      }
      yield* run.observation({
        codings: [...s.codings, withings(`sleep.get.${s.field}`)],
        ...(s.label === undefined ? {} : { label: s.label }),
        value,
        unit: s.unit,
        start_at: instant(Number(key)),
        metadata,
        location: path(at, s.field, key),
      });
    }
  }
}

function* heartReading(item: JsonObject, at: string, run: VendorRun): Generator<MapEvent> {
  if (!isNumber(item.timestamp)) {
    yield* run.issue(at, "missing_time", "error", "heart reading without a timestamp");
    return;
  }
  const span = { start_at: instant(item.timestamp) };
  const ecg = isObject(item.ecg) ? item.ecg : null;
  const metadata = {
    service: "heart list",
    model: item.model,
    deviceid: item.deviceid,
    ...(ecg ? { ecg_signalid: ecg.signalid, ecg_afib: ecg.afib } : {}),
  };
  let mapped = 0;
  if (isNumber(item.heart_rate)) {
    mapped++;
    yield* run.observation({
      codings: [HEART_RATE, withings("heart.list.heart_rate")],
      value: item.heart_rate,
      unit: "/min",
      ...span,
      metadata,
      location: path(at, "heart_rate"),
    });
  }
  const bp = isObject(item.bloodpressure) ? item.bloodpressure : null;
  for (const [field, coding] of [
    ["systole", loinc("8480-6", "Systolic blood pressure")],
    ["diastole", loinc("8462-4", "Diastolic blood pressure")],
  ] as const) {
    const value = bp?.[field];
    if (!isNumber(value)) continue;
    mapped++;
    yield* run.observation({
      codings: [coding, withings(`heart.list.bloodpressure.${field}`)],
      value,
      unit: "mm[Hg]",
      ...span,
      metadata,
      location: path(at, "bloodpressure", field),
    });
  }
  if (mapped === 0)
    yield* run.issue(at, "no_measurement", "info", "heart reading without heart rate or blood pressure");
}
