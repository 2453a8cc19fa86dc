/**
 * Oura API v2 responses (https://cloud.ouraring.com/v2/docs, "Data Access" routes under
 * `/v2/usercollection/…`): every list is `{data: [...], next_token}`. Each document is recognised by the
 * fields its route's model defines (a response holds one route's documents, but this reads them one by one):
 * - `heartrate`: `{bpm, source, timestamp}` (5-minute or live samples, UTC timestamps);
 * - `daily_activity`: `{day, steps, active_calories, total_calories, equivalent_walking_distance (m),
 *   high/medium/low_activity_time, sedentary_time (s), class_5_min, …}`;
 * - `daily_spo2`: `{day, spo2_percentage: {average}, breathing_disturbance_index}`;
 * - `sleep`: one sleep period `{day, bedtime_start, bedtime_end, total_sleep_duration, deep/light/rem_sleep_duration,
 *   awake_time, time_in_bed, latency (s), efficiency (%), average_heart_rate, lowest_heart_rate (bpm),
 *   average_hrv (ms, RMSSD), average_breath (breaths per minute), heart_rate/hrv: {interval, items, timestamp}}`;
 * - `daily_sleep`, `daily_readiness`: `{day, score, contributors}` (Oura's scores; readiness also
 *   `temperature_deviation`, a deviation from the person's baseline, kept in metadata);
 * - `vO2_max`: `{day, timestamp, vo2_max}`;
 * - `workout`: `{activity, calories (kcal), distance (m), start_datetime, end_datetime, intensity}`.
 * `day` is the person's local date without an offset (read in the context zone, or UTC with a warning);
 * date-times carry their offset.
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { shiftInstant } from "../openmhealth/time-frame";
import { isArray, isNumber, isObject, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const OURA_SYSTEM = "https://cloud.ouraring.com/v2/docs";
const oura = (code: string): SourceCoding => ({ system: OURA_SYSTEM, code });

interface Field {
  field: string;
  codings: SourceCoding[];
  label?: string;
  unit: string;
  statistic?: string;
}

/** A route's model: how to recognise its documents and what they measure. */
interface Model {
  route: string;
  test(doc: JsonObject): boolean;
  fields: readonly Field[];
  metadata?: readonly string[];
}

const HEART_RATE = loinc("8867-4", "Heart rate");

const MODELS: readonly Model[] = [
  {
    route: "heartrate",
    test: (d) => "bpm" in d && typeof d.timestamp === "string",
    fields: [{ field: "bpm", codings: [HEART_RATE], unit: "/min" }],
    metadata: ["source"],
  },
  {
    route: "sleep",
    test: (d) => typeof d.bedtime_start === "string",
    fields: [
      { field: "total_sleep_duration", codings: [loinc("93832-4", "Sleep duration")], unit: "s" },
      { field: "deep_sleep_duration", codings: [loinc("93831-6", "Deep sleep duration")], unit: "s" },
      { field: "light_sleep_duration", codings: [loinc("93830-8", "Light sleep duration")], unit: "s" },
      { field: "rem_sleep_duration", codings: [loinc("93829-0", "REM sleep duration")], unit: "s" },
      { field: "awake_time", codings: [], label: "Awake", unit: "s" },
      { field: "time_in_bed", codings: [], label: "Time in Bed", unit: "s" },
      { field: "latency", codings: [], label: "Sleep Latency", unit: "s" },
      { field: "efficiency", codings: [], label: "Sleep Efficiency", unit: "%" },
      { field: "average_heart_rate", codings: [HEART_RATE], unit: "/min", statistic: "average" },
      { field: "lowest_heart_rate", codings: [HEART_RATE], unit: "/min", statistic: "minimum" },
      { field: "average_hrv", codings: [], label: "RMSSD", unit: "ms", statistic: "average" },
      { field: "average_breath", codings: [], label: "Sleeping Respiratory Rate", unit: "/min", statistic: "average" },
    ],
    metadata: ["day", "type", "period"],
  },
  {
    route: "daily_activity",
    test: (d) => typeof d.day === "string" && ("steps" in d || "active_calories" in d),
    fields: [
      { field: "steps", codings: [loinc("41950-7", "Number of steps in 24 hour Measured")], unit: "{steps}" },
      { field: "active_calories", codings: [loinc("41981-2", "Calories burned")], unit: "kcal" },
      { field: "total_calories", codings: [], label: "Total Calories", unit: "kcal" },
      { field: "equivalent_walking_distance", codings: [], label: "Distance", unit: "m" },
      { field: "high_activity_time", codings: [], label: "Vigorous activity", unit: "s" },
      { field: "medium_activity_time", codings: [], label: "Moderate Activity", unit: "s" },
      { field: "low_activity_time", codings: [], label: "Light activity", unit: "s" },
      { field: "sedentary_time", codings: [], label: "Sedentary Minutes", unit: "s" },
    ],
  },
  {
    route: "daily_spo2",
    test: (d) => typeof d.day === "string" && "spo2_percentage" in d,
    fields: [
      {
        field: "spo2_percentage.average",
        codings: [loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")],
        unit: "%",
        statistic: "average",
      },
      { field: "breathing_disturbance_index", codings: [], label: "Breathing Disturbances", unit: "{count}/h" },
    ],
  },
  {
    route: "vO2_max",
    test: (d) => "vo2_max" in d,
    fields: [{ field: "vo2_max", codings: [], label: "VO2 Max", unit: "mL/min/kg" }],
  },
  {
    route: "workout",
    test: (d) => typeof d.start_datetime === "string" && "activity" in d,
    fields: [
      { field: "calories", codings: [loinc("41981-2", "Calories burned")], unit: "kcal" },
      { field: "distance", codings: [], label: "Distance", unit: "m" },
    ],
    metadata: ["activity", "intensity", "label", "source"],
  },
  {
    // daily_readiness: a score, and the temperature deviation from the person's own baseline (°C).
    route: "daily_readiness",
    test: (d) => typeof d.day === "string" && "temperature_deviation" in d,
    fields: [],
    metadata: ["score", "temperature_deviation", "temperature_trend_deviation"],
  },
  {
    route: "daily_sleep",
    test: (d) => typeof d.day === "string" && "score" in d && isObject(d.contributors),
    fields: [{ field: "score", codings: [], label: "Sleep Score", unit: "{score}" }],
  },
];

const ROUTES = MODELS.map((m) => m.route).join(", ");

/** `{data: [...], next_token}`: the envelope of every Oura v2 list. */
export const isOura = (doc: JsonObject) => isArray(doc.data) && "next_token" in doc;

/**
 * The same envelope while it is still being read: `next_token` follows `data` (Oura writes it last), so
 * past the look-ahead window the response is known by its documents, `data` items of a route's model.
 */
export const isOuraOpen = (doc: JsonObject) =>
  isOura(doc) || (isArray(doc.data) && doc.data.some((item) => isObject(item) && MODELS.some((m) => m.test(item))));

function read(doc: JsonObject, field: string): unknown {
  let value: unknown = doc;
  for (const part of field.split(".")) value = isObject(value) ? value[part] : undefined;
  return value;
}

export function* mapOura(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const data = isArray(doc.data) ? doc.data : [];
  for (const [index, item] of indexed(data)) {
    const at = path("$.data", index);
    const model = isObject(item) ? MODELS.find((m) => m.test(item)) : undefined;
    if (!model || !isObject(item)) {
      yield* run.issue(at, "unrecognized_document", "error", `not an Oura v2 document this mapper reads (${ROUTES})`);
      continue;
    }
    yield* mapDocument(model, item, at, run);
  }
}

function* mapDocument(model: Model, doc: JsonObject, at: string, run: VendorRun): Generator<MapEvent> {
  const span = timeOf(model.route, doc, run);
  if (!span) {
    yield* run.issue(at, "missing_time", "error", `${model.route} document without a usable time`);
    return;
  }
  const metadata: Record<string, unknown> = { route: model.route, id: doc.id };
  for (const name of model.metadata ?? []) if (doc[name] !== undefined) metadata[name] = doc[name];
  let mapped = 0;
  for (const f of model.fields) {
    const value = read(doc, f.field);
    if (!isNumber(value)) continue;
    mapped++;
    yield* run.observation({
      codings: [...f.codings, oura(`${model.route}.${f.field}`)],
      ...(f.label === undefined ? {} : { label: f.label }),
      value,
      unit: f.unit,
      ...span,
      metadata: f.statistic === undefined ? metadata : { ...metadata, statistic: f.statistic },
      location: path(at, ...f.field.split(".")),
    });
  }
  if (model.route === "workout") {
    // The workout's own length (its time span), as a workout duration with the activity named.
    const start = Date.parse(String(doc.start_datetime));
    const end = Date.parse(String(doc.end_datetime));
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) {
      mapped++;
      yield* run.observation({
        codings: [oura("workout.duration")],
        label: "Workout Duration",
        value: (end - start) / 1000,
        unit: "s",
        ...span,
        metadata,
        location: path(at, "end_datetime"),
      });
    }
  }
  if (model.route === "sleep") {
    for (const [field, codings, label, unit] of [
      ["heart_rate", [HEART_RATE], undefined, "/min"],
      ["hrv", [], "RMSSD", "ms"],
    ] as const) {
      for (const event of sampleSeries(doc, field, [...codings], label, unit, at, metadata, run)) {
        if (event.kind === "observation") mapped++;
        yield event;
      }
    }
  }
  if (mapped === 0) {
    yield* run.issue(at, "no_measurement", "info", `the ${model.route} document holds no measurement mapped here`);
  }
}

/** The time a document covers: a timestamp, a bedtime or workout span, or the whole local `day`. */
function timeOf(route: string, doc: JsonObject, run: VendorRun): { start_at: string; end_at?: string } | null {
  if (route === "heartrate" && typeof doc.timestamp === "string") {
    const start = run.local(doc.timestamp);
    return start ? { start_at: start } : null;
  }
  const startText = route === "sleep" ? doc.bedtime_start : route === "workout" ? doc.start_datetime : undefined;
  const endText = route === "sleep" ? doc.bedtime_end : route === "workout" ? doc.end_datetime : undefined;
  if (typeof startText === "string") {
    const start = run.local(startText);
    const end = typeof endText === "string" ? run.local(endText) : null;
    return start ? { start_at: start, ...(end ? { end_at: end } : {}) } : null;
  }
  if (typeof doc.day === "string") {
    const start = run.local(doc.day);
    const end = run.dayAfter(doc.day);
    return start && end ? { start_at: start, end_at: end } : null;
  }
  return null;
}

/** Oura's SampleModel `{interval (s), items: (number|null)[], timestamp}`: one value per interval. */
function* sampleSeries(
  doc: JsonObject,
  field: string,
  codings: SourceCoding[],
  label: string | undefined,
  unit: string,
  at: string,
  metadata: Record<string, unknown>,
  run: VendorRun,
): Generator<MapEvent> {
  const series = doc[field];
  if (!isObject(series) || !isArray(series.items) || !isNumber(series.interval) || typeof series.timestamp !== "string")
    return;
  const first = run.local(series.timestamp);
  if (!first) return;
  if (codings.length === 0 && label !== undefined && !run.context.lookup.byLabel(label)) return;
  const interval = series.interval * 1000;
  for (const [i, value] of series.items.entries()) {
    if (!isNumber(value)) continue; // null: no reading in that interval
    const start = shiftInstant(first, i * interval);
    const end = shiftInstant(first, (i + 1) * interval);
    if (!start || !end) continue;
    yield* run.observation({
      codings: [...codings, oura(`sleep.${field}.items`)],
      ...(label === undefined ? {} : { label }),
      value,
      unit,
      start_at: start,
      end_at: end,
      metadata: { ...metadata, sample_of: field },
      location: path(at, field, "items", i),
    });
  }
}
