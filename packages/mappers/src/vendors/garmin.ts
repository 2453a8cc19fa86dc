/**
 * Garmin Health API summaries (Garmin Connect Developer Program, "Health API" specification §5 Push
 * Service and §7 Summary Endpoints; field names as the Push Service delivers them and as Garmin's
 * partners document them): one JSON object keyed by summary type, each an array of summaries,
 * `{"dailies": [{summaryId, startTimeInSeconds, …}], "sleeps": […], …}`.
 *
 * Time (§6.2): every `…TimeInSeconds` is UTC epoch seconds; `…OffsetInSeconds` is the device's display
 * offset at the time (not a zone), kept in metadata. `timeOffset…` maps are keyed by seconds after the
 * summary's `startTimeInSeconds`. Units are the ones in the field names (grams, meters, seconds) and, for
 * the rest, Garmin's documented ones (beats per minute, breaths per minute, SpO2 and body fat in percent,
 * blood pressure in mmHg, HRV in milliseconds).
 *
 * A Ping notification (`{"dailies": [{userId, callbackURL}]}`, §4) carries no data and is refused with
 * a clear issue; the summaries are fetched from its callback URL (packages/connectors does that). What that
 * pull answers, a bare array of one type's summaries, is read too (`garminTypeOf` tells the type).
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { fromEpoch } from "../util/time";
import { isArray, isNumber, isObject, type Json, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const GARMIN_SYSTEM = "https://developer.garmin.com/gc-developer-program/health-api";
const garmin = (code: string): SourceCoding => ({ system: GARMIN_SYSTEM, code });

const instant = (seconds: number) => fromEpoch(seconds, "s").replace(".000Z", "Z");

/** One numeric field of a summary and what it measures. */
interface Field {
  field: string;
  codings: SourceCoding[];
  label?: string;
  unit: string;
  /** Multiply the value by this before storing it in `unit` (grams → kilograms: 0.001). */
  scale?: number;
  /** The statistic a summary value is over its span (`average`, `minimum`, `maximum`). */
  statistic?: string;
}

/** A `timeOffset…` map of samples taken at `startTimeInSeconds + offset`. */
interface Samples {
  field: string;
  codings: SourceCoding[];
  label?: string;
  unit: string;
  /** Sample values below this are Garmin's "no value" sentinels (stress: -1 too little data, -2 motion). */
  min?: number;
  /** Each sample spans this many seconds after its offset (epoch lengths Garmin documents), if known. */
  span?: number;
}

/** How a summary type is timed, and what it holds. */
interface SummaryType {
  /** `start`: startTimeInSeconds + durationInSeconds; `measurement`: measurementTimeInSeconds (an instant). */
  time: "start" | "measurement";
  fields: readonly Field[];
  samples?: readonly Samples[];
  /** Summary fields kept in metadata (activity type, source, validation …). */
  metadata?: readonly string[];
}

const STEPS_DAY = loinc("41950-7", "Number of steps in 24 hour Measured");
const STEPS = loinc("55423-8", "Number of steps in unspecified time Pedometer");
const HEART_RATE = loinc("8867-4", "Heart rate");
const SPO2 = loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry");
const RESPIRATION = loinc("9279-1", "Respiratory rate");
const ACTIVE_ENERGY = loinc("41981-2", "Calories burned");

/** Summary types by their Push Service key (§5.1, §7). */
export const GARMIN_SUMMARIES: Readonly<Record<string, SummaryType>> = {
  // §7.1 Daily summaries: one per day (durationInSeconds reaches 86400 once the day is complete).
  dailies: {
    time: "start",
    fields: [
      { field: "steps", codings: [STEPS_DAY], unit: "{steps}" },
      { field: "distanceInMeters", codings: [], label: "Distance", unit: "m" },
      { field: "activeKilocalories", codings: [ACTIVE_ENERGY], unit: "kcal" },
      { field: "bmrKilocalories", codings: [], label: "Basal Energy Burned", unit: "kcal" },
      { field: "floorsClimbed", codings: [], label: "Floors", unit: "{flights}" },
      { field: "restingHeartRateInBeatsPerMinute", codings: [loinc("40443-4", "Heart rate --resting")], unit: "/min" },
      { field: "minHeartRateInBeatsPerMinute", codings: [HEART_RATE], unit: "/min", statistic: "minimum" },
      { field: "averageHeartRateInBeatsPerMinute", codings: [HEART_RATE], unit: "/min", statistic: "average" },
      { field: "maxHeartRateInBeatsPerMinute", codings: [], label: "Max Heart Rate", unit: "/min" },
      { field: "moderateIntensityDurationInSeconds", codings: [], label: "Moderate Activity", unit: "s" },
      { field: "vigorousIntensityDurationInSeconds", codings: [], label: "Vigorous activity", unit: "s" },
    ],
    samples: [{ field: "timeOffsetHeartRateSamples", codings: [HEART_RATE], unit: "/min" }],
    metadata: ["calendarDate", "activityType"],
  },
  // §7.2 Epoch summaries: 15-minute slices of the day, one per activity type.
  epochs: {
    time: "start",
    fields: [
      { field: "steps", codings: [STEPS], unit: "{steps}" },
      { field: "distanceInMeters", codings: [], label: "Distance", unit: "m" },
      { field: "activeKilocalories", codings: [ACTIVE_ENERGY], unit: "kcal" },
    ],
    metadata: ["activityType", "intensity", "met", "meanMotionIntensity"],
  },
  // §7.3 Sleep summaries: durationInSeconds is the time asleep; awake time is separate.
  sleeps: {
    time: "start",
    fields: [
      { field: "durationInSeconds", codings: [loinc("93832-4", "Sleep duration")], unit: "s" },
      { field: "deepSleepDurationInSeconds", codings: [loinc("93831-6", "Deep sleep duration")], unit: "s" },
      { field: "lightSleepDurationInSeconds", codings: [loinc("93830-8", "Light sleep duration")], unit: "s" },
      { field: "remSleepInSeconds", codings: [loinc("93829-0", "REM sleep duration")], unit: "s" },
      { field: "awakeDurationInSeconds", codings: [], label: "Awake", unit: "s" },
    ],
    samples: [
      { field: "timeOffsetSleepSpo2", codings: [SPO2], unit: "%" },
      { field: "timeOffsetSleepRespiration", codings: [], label: "Sleeping Respiratory Rate", unit: "/min" },
    ],
    metadata: ["calendarDate", "validation"],
  },
  // §7.4 Body composition: one weighing (an Index scale or a manual entry).
  bodyComps: {
    time: "measurement",
    fields: [
      { field: "weightInGrams", codings: [loinc("29463-7", "Body weight")], unit: "kg", scale: 0.001 },
      { field: "bodyFatInPercent", codings: [loinc("41982-0", "Percentage of body fat Measured")], unit: "%" },
      { field: "bodyMassIndex", codings: [loinc("39156-5", "Body mass index (BMI) [Ratio]")], unit: "kg/m2" },
      { field: "muscleMassInGrams", codings: [], label: "Muscle Mass", unit: "kg", scale: 0.001 },
      { field: "boneMassInGrams", codings: [], label: "Bone Mass", unit: "kg", scale: 0.001 },
      { field: "bodyWaterInPercent", codings: [], label: "Body Water", unit: "%" },
    ],
  },
  // Stress details: 3-minute stress levels 1–100 (-1: too little data, -2: too much motion).
  stressDetails: {
    time: "start",
    fields: [],
    samples: [{ field: "timeOffsetStressLevelValues", codings: [], label: "Stress level", unit: "{score}", min: 0 }],
    metadata: ["calendarDate"],
  },
  // User metrics: one a day, VO2 max estimated by the device.
  userMetrics: {
    time: "start",
    fields: [{ field: "vo2Max", codings: [], label: "VO2 Max", unit: "mL/min/kg" }],
    metadata: ["calendarDate", "fitnessAge"],
  },
  // §7.7 Pulse ox: SpO2 samples (all-day acclimation or on-demand spot checks, `onDemand`).
  pulseox: {
    time: "start",
    fields: [],
    samples: [{ field: "timeOffsetSpo2Values", codings: [SPO2], unit: "%" }],
    metadata: ["calendarDate", "onDemand"],
  },
  // Respiration: breaths per minute, keyed by the epoch's offset.
  allDayRespiration: {
    time: "start",
    fields: [],
    samples: [{ field: "timeOffsetEpochToBreaths", codings: [RESPIRATION], unit: "/min" }],
  },
  // Blood pressure: an Index BPM reading or a manual entry (`sourceType` MANUAL or DEVICE).
  bloodPressures: {
    time: "measurement",
    fields: [
      { field: "systolic", codings: [loinc("8480-6", "Systolic blood pressure")], unit: "mm[Hg]" },
      { field: "diastolic", codings: [loinc("8462-4", "Diastolic blood pressure")], unit: "mm[Hg]" },
      { field: "pulse", codings: [HEART_RATE], unit: "/min" },
    ],
    metadata: ["sourceType"],
  },
  // HRV: the night's RMSSD average and its 5-minute values (ms).
  hrv: {
    time: "start",
    fields: [
      { field: "lastNightAvg", codings: [], label: "RMSSD", unit: "ms", statistic: "average" },
      { field: "lastNight5MinHigh", codings: [], label: "RMSSD", unit: "ms", statistic: "maximum of 5 minutes" },
    ],
    samples: [{ field: "hrvValues", codings: [], label: "RMSSD", unit: "ms", span: 300 }],
    metadata: ["calendarDate"],
  },
  // §7.6 Activity summaries: one per recorded activity (workout).
  activities: {
    time: "start",
    fields: [
      { field: "durationInSeconds", codings: [], label: "Workout Duration", unit: "s" },
      { field: "distanceInMeters", codings: [], label: "Distance", unit: "m" },
      { field: "activeKilocalories", codings: [ACTIVE_ENERGY], unit: "kcal" },
      { field: "steps", codings: [STEPS], unit: "{steps}" },
      { field: "averageHeartRateInBeatsPerMinute", codings: [HEART_RATE], unit: "/min", statistic: "average" },
      { field: "maxHeartRateInBeatsPerMinute", codings: [], label: "Max Heart Rate", unit: "/min" },
    ],
    metadata: ["activityType", "activityName", "deviceName"],
  },
};

const SUPPORTED = Object.keys(GARMIN_SUMMARIES).join(", ");

const isSummaryList = (v: unknown) =>
  isArray(v) &&
  v.length > 0 &&
  v.every(
    (s) =>
      isObject(s) && (isNumber(s.startTimeInSeconds) || isNumber(s.measurementTimeInSeconds) || "callbackURL" in s),
  );

/** A Push (or Ping) notification: at least one key is a summary type holding timed summaries. */
export function isGarmin(doc: JsonObject): boolean {
  return Object.keys(doc).some((k) => GARMIN_SUMMARIES[k] !== undefined && isSummaryList(doc[k]));
}

/**
 * The summary type of one summary of a pull response (a bare JSON array, `GET /wellness-api/rest/{type}`),
 * by the fields only that type's summaries have (Health API §7); null when none says.
 */
export function garminTypeOf(summary: JsonObject): string | null {
  const has = (...fields: string[]) => fields.some((f) => f in summary);
  if (has("timeOffsetSpo2Values")) return "pulseox";
  if (has("timeOffsetEpochToBreaths")) return "allDayRespiration";
  if (has("timeOffsetStressLevelValues", "timeOffsetBodyBatteryValues")) return "stressDetails";
  if (has("lastNightAvg", "hrvValues")) return "hrv";
  if (has("vo2Max", "fitnessAge")) return "userMetrics";
  if (has("systolic", "diastolic")) return "bloodPressures";
  if (has("weightInGrams", "bodyFatInPercent", "muscleMassInGrams", "boneMassInGrams")) return "bodyComps";
  if (has("deepSleepDurationInSeconds", "lightSleepDurationInSeconds", "sleepLevelsMap")) return "sleeps";
  if (has("activityId", "activityName")) return "activities";
  if (has("meanMotionIntensity", "met", "intensity")) return "epochs";
  if (has("calendarDate") && has("steps", "bmrKilocalories", "restingHeartRateInBeatsPerMinute")) return "dailies";
  return null;
}

/** A pull response: a bare array of summaries of one type. */
export const isGarminPull = (doc: Json[]) =>
  doc.length > 0 && doc.every((s) => isObject(s) && "summaryId" in s && garminTypeOf(s) !== null);

export function* mapGarminPull(doc: Json[], run: VendorRun): Generator<MapEvent> {
  for (const [index, summary] of indexed(doc)) {
    const type = isObject(summary) ? garminTypeOf(summary) : null;
    const kind = type === null ? undefined : GARMIN_SUMMARIES[type];
    if (type === null || !kind) continue; // isGarminPull has checked every entry
    yield* mapSummary(type, kind, summary, path("$", index), run);
  }
}

export function* mapGarmin(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  for (const [key, list] of Object.entries(doc)) {
    const kind = GARMIN_SUMMARIES[key];
    if (!kind) {
      yield* run.issue(
        path("$", key),
        "unsupported_summary",
        "warning",
        `Garmin summary type ${key} is not mapped (mapped: ${SUPPORTED})`,
      );
      continue;
    }
    if (!isArray(list)) {
      yield* run.issue(path("$", key), "invalid_value", "error", `${key} is not a list of summaries`);
      continue;
    }
    for (const [index, summary] of indexed(list)) {
      yield* mapSummary(key, kind, summary, path("$", key, index), run);
    }
  }
}

function* mapSummary(
  key: string,
  kind: SummaryType,
  summary: unknown,
  at: string,
  run: VendorRun,
): Generator<MapEvent> {
  if (!isObject(summary)) {
    yield* run.issue(at, "invalid_value", "error", `a ${key} entry is not a summary object`);
    return;
  }
  if (typeof summary.callbackURL === "string") {
    yield* run.issue(
      at,
      "ping_notification",
      "error",
      "a Ping notification holds no data: the summaries are pulled from its callbackURL",
    );
    return;
  }
  const startField = kind.time === "start" ? "startTimeInSeconds" : "measurementTimeInSeconds";
  const start = summary[startField];
  if (!isNumber(start)) {
    yield* run.issue(at, "missing_time", "error", `${key} summary without ${startField}`);
    return;
  }
  const duration = kind.time === "start" && isNumber(summary.durationInSeconds) ? summary.durationInSeconds : 0;
  // A sleep's span is the time asleep plus the time awake and unmeasurable within it (§7.3).
  const extra =
    key === "sleeps"
      ? (isNumber(summary.awakeDurationInSeconds) ? summary.awakeDurationInSeconds : 0) +
        (isNumber(summary.unmeasurableSleepInSeconds) ? summary.unmeasurableSleepInSeconds : 0)
      : 0;
  const span = {
    start_at: instant(start),
    ...(duration + extra > 0 ? { end_at: instant(start + duration + extra) } : {}),
  };
  const offset = summary.startTimeOffsetInSeconds ?? summary.measurementTimeOffsetInSeconds;
  const metadata: Record<string, unknown> = {
    summary_type: key,
    summary_id: summary.summaryId,
    ...(isNumber(offset) ? { time_offset_seconds: offset } : {}),
  };
  for (const name of kind.metadata ?? []) if (summary[name] !== undefined) metadata[name] = summary[name];

  let mapped = 0;
  for (const f of kind.fields) {
    const value = summary[f.field];
    if (!isNumber(value)) continue;
    mapped++;
    yield* run.observation({
      codings: [...f.codings, garmin(`${key}.${f.field}`)],
      ...(f.label === undefined ? {} : { label: f.label }),
      value: f.scale === undefined ? value : Math.round(value * f.scale * 1e6) / 1e6,
      unit: f.unit,
      ...span,
      metadata: f.statistic === undefined ? metadata : { ...metadata, statistic: f.statistic },
      location: path(at, f.field),
    });
  }
  for (const s of kind.samples ?? []) {
    const map = summary[s.field];
    if (!isObject(map)) continue;
    // A label-only measure the seed has no variable for: one warning for the whole map, not one a sample.
    if (s.codings.length === 0 && s.label !== undefined && !run.context.lookup.byLabel(s.label)) {
      yield* run.issue(
        path(at, s.field),
        "unmatched_measure",
        "warning",
        `no variable matches ${s.label}: ${Object.keys(map).length} samples not mapped`,
      );
      continue;
    }
    let skipped = 0;
    for (const [offsetKey, value] of Object.entries(map)) {
      const seconds = /^\d+$/.test(offsetKey) ? Number(offsetKey) : Number.NaN;
      if (!Number.isFinite(seconds)) {
        yield* run.issue(path(at, s.field, offsetKey), "missing_time", "error", `offset ${offsetKey} is not seconds`);
        continue;
      }
      if (!isNumber(value) || (s.min !== undefined && value < s.min)) {
        skipped++;
        continue;
      }
      mapped++;
      yield* run.observation({
        codings: [...s.codings, garmin(`${key}.${s.field}`)],
        ...(s.label === undefined ? {} : { label: s.label }),
        value,
        unit: s.unit,
        start_at: instant(start + seconds),
        ...(s.span === undefined ? {} : { end_at: instant(start + seconds + s.span) }),
        metadata,
        location: path(at, s.field, offsetKey),
      });
    }
    if (skipped > 0) {
      yield* run.issue(
        path(at, s.field),
        "no_value",
        "info",
        `${skipped} samples hold Garmin's no-value markers (negative or not numbers) and were skipped`,
      );
    }
  }
  if (mapped === 0) yield* run.issue(at, "no_measurement", "info", `${key} summary without a measurement`);
}
