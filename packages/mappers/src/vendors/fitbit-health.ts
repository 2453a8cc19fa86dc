/**
 * Fitbit Web API health endpoints beyond the activity time series (https://dev.fitbit.com/build/reference/web-api/):
 * - Body: weight log `GET /1/user/-/body/log/weight/date/{date}[/{period}|/{end}].json`
 *   (`{weight: [{bmi, date, fat, logId, source, time, weight}]}`) and body fat log `…/body/log/fat/…`
 *   (`{fat: [{date, fat, logId, source, time}]}`); weight in kg without Accept-Language (metric);
 * - Heart rate time series `GET /1/user/-/activities/heart/date/{date}/{period}.json`
 *   (`{"activities-heart": [{dateTime, value: {restingHeartRate, heartRateZones}}]}`) with its intraday
 *   dataset `activities-heart-intraday: {dataset: [{time, value}], datasetInterval, datasetType}`;
 * - SpO2 summary `GET /1/user/-/spo2/date/{date}.json` (`{dateTime, value: {avg, min, max}}`, or an array
 *   of them for a range) and intraday `…/spo2/date/{date}/all.json` (`{dateTime, minutes: [{minute, value}]}`);
 * - HRV summary `GET /1/user/-/hrv/date/{date}.json` (`{hrv: [{dateTime, value: {dailyRmssd, deepRmssd}}]}`)
 *   and intraday `…/all.json` (`{hrv: [{dateTime, minutes: [{minute, value: {rmssd, coverage, hf, lf}}]}]}`);
 * - Breathing rate summary `GET /1/user/-/br/date/{date}.json` (`{br: [{dateTime, value: {breathingRate}}]}`)
 *   and intraday `…/all.json` (`value: {deepSleepSummary, remSleepSummary, lightSleepSummary, fullSleepSummary}`,
 *   each `{breathingRate}`);
 * - Temperature: core `GET /1/user/-/temp/core/date/{date}.json` (`{tempCore: [{dateTime, value}]}`, °C) and
 *   skin `…/temp/skin/…` (`{tempSkin: [{dateTime, value: {nightlyRelative}, logType}]}`, a deviation from
 *   the person's baseline: no absolute temperature, so not mapped);
 * - Cardio fitness score (VO2 max) `GET /1/user/-/cardioscore/date/{date}.json`
 *   (`{cardioScore: [{dateTime, value: {vo2Max}}]}`, a number or a range "44-48").
 * SpO2, HRV and breathing rate are computed during the main sleep and dated by the day the sleep ended;
 * a summary is placed on that local day. Times are the person's local wall-clock time without an offset.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { shiftInstant } from "../openmhealth/time-frame";
import { isArray, isNumber, isObject, type Json, type JsonObject, loinc, path, type VendorRun } from "./common";
import { FITBIT_SYSTEM } from "./fitbit";
import { indexed } from "./stream";

const fitbit = (code: string): SourceCoding => ({ system: FITBIT_SYSTEM, code });
const HEART_RATE = loinc("8867-4", "Heart rate");
const SPO2 = loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry");
const WEIGHT = loinc("29463-7", "Body weight");
const BMI = loinc("39156-5", "Body mass index (BMI) [Ratio]");
const FAT = loinc("41982-0", "Percentage of body fat Measured");

const isLog = (v: Json | undefined, field: string) =>
  isArray(v) && v.length > 0 && v.every((e) => isObject(e) && "logId" in e && field in e);
const isDaySeries = (v: Json | undefined) =>
  isArray(v) && v.length > 0 && v.every((e) => isObject(e) && typeof e.dateTime === "string");
const isSpo2Day = (v: unknown): boolean =>
  isObject(v) && typeof v.dateTime === "string" && (isObject(v.value) || isArray(v.minutes));

/** The health endpoints' response keys (a document of the activity time series is read by fitbit.ts). */
export function isFitbitHealth(doc: JsonObject): boolean {
  return (
    isLog(doc.weight, "weight") ||
    isLog(doc.fat, "fat") ||
    isArray(doc["activities-heart"]) ||
    isSpo2Day(doc) ||
    isDaySeries(doc.hrv) ||
    isDaySeries(doc.br) ||
    isDaySeries(doc.tempCore) ||
    isDaySeries(doc.tempSkin) ||
    isDaySeries(doc.cardioScore)
  );
}

/** A top-level array: the SpO2 summary over a date range (`[{dateTime, value: {avg, min, max}}]`). */
export const isFitbitSpo2Range = (doc: Json[]) => doc.length > 0 && doc.every(isSpo2Day);

export function* mapFitbitHealth(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  if (isLog(doc.weight, "weight") && isArray(doc.weight)) yield* bodyLog("weight", doc.weight, run);
  if (isLog(doc.fat, "fat") && isArray(doc.fat)) yield* bodyLog("fat", doc.fat, run);
  if (isArray(doc["activities-heart"])) yield* heart(doc, doc["activities-heart"], run);
  if (isSpo2Day(doc)) yield* spo2(doc, "$", run);
  if (isArray(doc.hrv)) yield* daySeries("hrv", doc.hrv, run);
  if (isArray(doc.br)) yield* daySeries("br", doc.br, run);
  if (isArray(doc.tempCore)) yield* daySeries("tempCore", doc.tempCore, run);
  if (isArray(doc.tempSkin)) {
    yield* run.issue(
      "$.tempSkin",
      "not_a_measurement",
      "info",
      "skin temperature is a nightly deviation from the person's baseline (nightlyRelative), not a temperature",
    );
  }
  if (isArray(doc.cardioScore)) yield* daySeries("cardioScore", doc.cardioScore, run);
}

export function* mapFitbitSpo2Range(doc: Json[], run: VendorRun): Generator<MapEvent> {
  for (const [index, day] of indexed(doc)) if (isObject(day) && isSpo2Day(day)) yield* spo2(day, path("$", index), run);
}

/** The local day `date` as a span (a day-long observation). */
function day(date: string, run: VendorRun): { start_at: string; end_at: string } | null {
  const start = run.local(date);
  const end = run.dayAfter(date);
  return start && end ? { start_at: start, end_at: end } : null;
}

function* bodyLog(kind: "weight" | "fat", logs: Json[], run: VendorRun): Generator<MapEvent> {
  for (const [index, log] of indexed(logs)) {
    const at = path("$", kind, index);
    if (!isObject(log) || typeof log.date !== "string") {
      yield* run.issue(at, "missing_time", "error", `${kind} log without a date`);
      continue;
    }
    const start = run.local(typeof log.time === "string" ? `${log.date}T${log.time}` : log.date);
    if (!start) {
      yield* run.issue(at, "missing_time", "error", `${kind} log date ${log.date} is not a date`);
      continue;
    }
    const metadata = { log_id: log.logId, source: log.source };
    // The weight log repeats the fat of the same weighing that the fat log holds: only the fat log's is mapped.
    const fields: [string, SourceCoding, string][] =
      kind === "weight"
        ? [
            ["weight", WEIGHT, "kg"],
            ["bmi", BMI, "kg/m2"],
          ]
        : [["fat", FAT, "%"]];
    for (const [field, coding, unit] of fields) {
      const value = log[field];
      if (!isNumber(value)) continue;
      yield* run.observation({
        codings: [coding, fitbit(`body.log.${kind}.${field}`)],
        value,
        unit,
        start_at: start,
        metadata,
        location: path(at, field),
      });
    }
  }
}

function* heart(doc: JsonObject, series: Json[], run: VendorRun): Generator<MapEvent> {
  const intraday = doc["activities-heart-intraday"];
  const dataset = isObject(intraday) && isArray(intraday.dataset) ? intraday.dataset : null;
  for (const [index, entry] of series.entries()) {
    const at = path("$", "activities-heart", index);
    if (!isObject(entry) || typeof entry.dateTime !== "string") {
      yield* run.issue(at, "missing_time", "error", "heart rate entry without dateTime");
      continue;
    }
    const span = day(entry.dateTime, run);
    const value = isObject(entry.value) ? entry.value : null;
    if (!span) {
      yield* run.issue(at, "missing_time", "error", `dateTime ${entry.dateTime} is not a date`);
      continue;
    }
    if (value && isNumber(value.restingHeartRate)) {
      yield* run.observation({
        codings: [loinc("40443-4", "Heart rate --resting"), fitbit("activities-heart.restingHeartRate")],
        value: value.restingHeartRate,
        unit: "/min",
        ...span,
        location: path(at, "value", "restingHeartRate"),
      });
    }
    // heartRateZones are minutes spent in ranges of heart rate (the zones are definitions, not readings).
  }
  if (!dataset || !isObject(intraday)) return;
  const first = series[0];
  const date = series.length === 1 && isObject(first) && typeof first.dateTime === "string" ? first.dateTime : null;
  if (date === null) {
    yield* run.issue(
      '$["activities-heart-intraday"]',
      "missing_time",
      "error",
      "the intraday dataset's date is not given by exactly one daily entry",
    );
    return;
  }
  const interval = isNumber(intraday.datasetInterval) ? intraday.datasetInterval : 1;
  const unitMs = intraday.datasetType === "second" ? 1000 : 60_000;
  for (const [index, entry] of indexed(dataset)) {
    const at = path("$", "activities-heart-intraday", "dataset", index);
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
      codings: [HEART_RATE, fitbit("activities-heart-intraday")],
      value: entry.value,
      unit: "/min",
      start_at: start,
      end_at: shiftInstant(start, interval * unitMs) ?? start,
      location: at,
    });
  }
}

function* spo2(doc: JsonObject, at: string, run: VendorRun): Generator<MapEvent> {
  const date = String(doc.dateTime);
  if (isObject(doc.value)) {
    const span = day(date, run);
    if (!span) {
      yield* run.issue(at, "missing_time", "error", `dateTime ${date} is not a date`);
      return;
    }
    for (const [field, statistic] of [
      ["avg", "average"],
      ["min", "minimum"],
      ["max", "maximum"],
    ] as const) {
      const value = doc.value[field];
      if (!isNumber(value)) continue;
      yield* run.observation({
        codings: [SPO2, fitbit(`spo2.${field}`)],
        value,
        unit: "%",
        ...span,
        metadata: { statistic, sleep_ended_on: date },
        location: path(at, "value", field),
      });
    }
  }
  if (isArray(doc.minutes)) {
    for (const [index, sample] of indexed(doc.minutes)) {
      const sAt = path(at, "minutes", index);
      const start = isObject(sample) && typeof sample.minute === "string" ? run.local(sample.minute) : null;
      if (!isObject(sample) || !start || !isNumber(sample.value)) {
        yield* run.issue(sAt, "invalid_value", "error", "SpO2 minute without a minute or numeric value");
        continue;
      }
      yield* run.observation({
        codings: [SPO2, fitbit("spo2.minutes")],
        value: sample.value,
        unit: "%",
        start_at: start,
        end_at: shiftInstant(start, 60_000) ?? start,
        location: path(sAt, "value"),
      });
    }
  }
}

/** What a summary's `value` holds, per resource: field, codings or label, unit, metadata. */
const DAY_VALUES: Readonly<
  Record<
    string,
    readonly {
      field: string | null;
      codings: SourceCoding[];
      label?: string;
      unit: string;
      meta?: Record<string, string>;
    }[]
  >
> = {
  hrv: [
    { field: "dailyRmssd", codings: [], label: "RMSSD", unit: "ms", meta: { period: "main sleep" } },
    { field: "deepRmssd", codings: [], label: "RMSSD", unit: "ms", meta: { period: "deep sleep" } },
  ],
  br: [
    { field: "breathingRate", codings: [], label: "Sleeping Respiratory Rate", unit: "/min" },
    ...["deepSleepSummary", "remSleepSummary", "lightSleepSummary", "fullSleepSummary"].map((s) => ({
      field: `${s}.breathingRate`,
      codings: [],
      label: "Sleeping Respiratory Rate",
      unit: "/min",
      meta: { sleep_stage: s.replace("SleepSummary", "") },
    })),
  ],
  tempCore: [{ field: null, codings: [loinc("8310-5", "Body temperature")], unit: "Cel" }],
  cardioScore: [{ field: "vo2Max", codings: [], label: "VO2 Max", unit: "mL/min/kg" }],
};

function read(value: Json | undefined, field: string | null): Json | undefined {
  if (field === null) return value;
  let v: Json | undefined = value;
  for (const part of field.split(".")) v = isObject(v) ? v[part] : undefined;
  return v;
}

function* daySeries(key: string, series: Json[], run: VendorRun): Generator<MapEvent> {
  const values = DAY_VALUES[key] ?? [];
  for (const [index, entry] of series.entries()) {
    const at = path("$", key, index);
    if (!isObject(entry) || typeof entry.dateTime !== "string") {
      yield* run.issue(at, "missing_time", "error", `${key} entry without dateTime`);
      continue;
    }
    // Core temperature logs have a time of day (`2021-10-04T06:22`); the summaries are a day.
    const timed = entry.dateTime.includes("T");
    const instant = timed ? run.local(entry.dateTime) : null;
    const span = timed ? (instant ? { start_at: instant } : null) : day(entry.dateTime, run);
    if (!span) {
      yield* run.issue(at, "missing_time", "error", `dateTime ${entry.dateTime} is not a date`);
      continue;
    }
    let mapped = 0;
    for (const v of values) {
      const raw = read(entry.value, v.field);
      // cardioScore's vo2Max is a number or, without a recent run with GPS, a range ("44-48"): a range is not a value.
      const value = typeof raw === "string" && /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : raw;
      if (!isNumber(value)) continue;
      mapped++;
      yield* run.observation({
        codings: [...v.codings, fitbit(`${key}.${v.field ?? "value"}`)],
        ...(v.label === undefined ? {} : { label: v.label }),
        value,
        unit: v.unit,
        ...span,
        ...(v.meta === undefined ? {} : { metadata: v.meta }),
        location: v.field === null ? path(at, "value") : path(at, "value", ...v.field.split(".")),
      });
    }
    for (const [m, minute] of (isArray(entry.minutes) ? entry.minutes : []).entries()) {
      // HRV intraday: 5-minute RMSSD during sleep.
      if (key !== "hrv") break;
      const mAt = path(at, "minutes", m);
      const start = isObject(minute) && typeof minute.minute === "string" ? run.local(minute.minute) : null;
      const rmssd = isObject(minute) && isObject(minute.value) ? minute.value.rmssd : undefined;
      if (!start || !isNumber(rmssd)) {
        yield* run.issue(mAt, "invalid_value", "error", "HRV minute without a minute or numeric rmssd");
        continue;
      }
      mapped++;
      const value = isObject(minute) && isObject(minute.value) ? minute.value : {};
      yield* run.observation({
        codings: [fitbit("hrv.minutes.rmssd")],
        label: "RMSSD",
        value: rmssd,
        unit: "ms",
        start_at: start,
        end_at: shiftInstant(start, 300_000) ?? start,
        metadata: { coverage: value.coverage, hf: value.hf, lf: value.lf },
        location: path(mAt, "value", "rmssd"),
      });
    }
    if (mapped === 0) yield* run.issue(at, "no_measurement", "info", `${key} entry without a value mapped here`);
  }
}
