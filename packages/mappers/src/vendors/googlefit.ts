/**
 * Google Fit REST API datasets (`GET …/dataSources/{dataSourceId}/datasets/{datasetId}`,
 * https://developers.google.com/fit/rest/v1/reference/users/dataSources/datasets): `point[]` with
 * `startTimeNanos`/`endTimeNanos` (nanoseconds since the Unix epoch, as strings), `dataTypeName` and
 * `value[]` (`fpVal`, `intVal`). Data types and their fields and units:
 * https://developers.google.com/fit/datatypes (weight kg, height m, distance m, calories kcal…).
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { fromEpoch } from "../util/time";
import { isArray, isNumber, isObject, type Json, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const GOOGLE_FIT_SYSTEM = "https://developers.google.com/fit/datatypes";
const fit = (code: string): SourceCoding => ({ system: GOOGLE_FIT_SYSTEM, code });

/** A single-value data type: its field (`fpVal`/`intVal`), codings (LOINC first), label and unit. */
interface ValueType {
  field: "fpVal" | "intVal";
  codings: SourceCoding[];
  label?: string;
  unit: string;
}

const VALUE_TYPES: Readonly<Record<string, ValueType>> = {
  "com.google.weight": { field: "fpVal", codings: [loinc("29463-7", "Body weight")], unit: "kg" },
  "com.google.height": { field: "fpVal", codings: [loinc("8302-2", "Body height")], unit: "m" },
  "com.google.body.fat.percentage": {
    field: "fpVal",
    codings: [loinc("41982-0", "Percentage of body fat Measured")],
    unit: "%",
  },
  "com.google.heart_rate.bpm": { field: "fpVal", codings: [loinc("8867-4", "Heart rate")], unit: "/min" },
  "com.google.step_count.delta": {
    field: "intVal",
    codings: [loinc("55423-8", "Number of steps in unspecified time Pedometer")],
    unit: "{steps}",
  },
  "com.google.calories.expended": { field: "fpVal", codings: [], label: "com.google.calories.expended", unit: "kcal" },
  "com.google.distance.delta": { field: "fpVal", codings: [], label: "com.google.distance.delta", unit: "m" },
  "com.google.oxygen_saturation": {
    field: "fpVal",
    codings: [loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")],
    unit: "%",
  },
  "com.google.body.temperature": { field: "fpVal", codings: [loinc("8310-5", "Body temperature")], unit: "Cel" },
  "com.google.blood_glucose": {
    field: "fpVal",
    codings: [loinc("15074-8", "Glucose [Moles/volume] in Blood")],
    unit: "mmol/L",
  },
};

/**
 * Activity types of `com.google.activity.segment` (https://developers.google.com/fit/rest/v1/reference/activity-types).
 * Not activities: 0 in vehicle, 3 still, 4 unknown, 5 tilting, 117 elevator, 118 escalator. Sleep stages:
 * 72 sleeping, 109 light, 110 deep, 111 REM, 112 awake during sleep.
 */
export const ACTIVITY_TYPES: Readonly<Record<number, string>> = {
  0: "In vehicle",
  1: "Biking",
  2: "On foot",
  3: "Still (not moving)",
  4: "Unknown",
  5: "Tilting",
  7: "Walking",
  8: "Running",
  9: "Aerobics",
  10: "Badminton",
  11: "Baseball",
  12: "Basketball",
  13: "Biathlon",
  14: "Handbiking",
  15: "Mountain biking",
  16: "Road biking",
  17: "Spinning",
  18: "Stationary biking",
  19: "Utility biking",
  20: "Boxing",
  21: "Calisthenics",
  22: "Circuit training",
  23: "Cricket",
  24: "Dancing",
  25: "Elliptical",
  26: "Fencing",
  27: "Football (American)",
  28: "Football (Australian)",
  29: "Football (Soccer)",
  30: "Frisbee",
  31: "Gardening",
  32: "Golf",
  33: "Gymnastics",
  34: "Handball",
  35: "Hiking",
  36: "Hockey",
  37: "Horseback riding",
  38: "Housework",
  39: "Jumping rope",
  40: "Kayaking",
  41: "Kettlebell training",
  42: "Kickboxing",
  43: "Kitesurfing",
  44: "Martial arts",
  45: "Meditation",
  46: "Mixed martial arts",
  47: "P90X exercises",
  48: "Paragliding",
  49: "Pilates",
  50: "Polo",
  51: "Racquetball",
  52: "Rock climbing",
  53: "Rowing",
  54: "Rowing machine",
  55: "Rugby",
  56: "Jogging",
  57: "Running on sand",
  58: "Running (treadmill)",
  59: "Sailing",
  60: "Scuba diving",
  61: "Skateboarding",
  62: "Skating",
  63: "Cross skating",
  64: "Inline skating",
  65: "Skiing",
  66: "Back-country skiing",
  67: "Cross-country skiing",
  68: "Downhill skiing",
  69: "Kite skiing",
  70: "Roller skiing",
  71: "Sledding",
  72: "Sleeping",
  73: "Snowboarding",
  74: "Snowmobile",
  75: "Snowshoeing",
  76: "Squash",
  77: "Stair climbing",
  78: "Stair-climbing machine",
  79: "Stand-up paddleboarding",
  80: "Strength training",
  81: "Surfing",
  82: "Swimming",
  83: "Swimming (pool)",
  84: "Swimming (open water)",
  85: "Table tennis",
  86: "Team sports",
  87: "Tennis",
  88: "Treadmill (walking or running)",
  89: "Volleyball",
  90: "Volleyball (beach)",
  91: "Volleyball (indoor)",
  92: "Wakeboarding",
  93: "Walking (fitness)",
  94: "Nordic walking",
  95: "Walking (treadmill)",
  96: "Water polo",
  97: "Weightlifting",
  98: "Wheelchair",
  99: "Windsurfing",
  100: "Yoga",
  101: "Zumba",
  102: "Diving",
  103: "Ergometer",
  104: "Ice skating",
  105: "Indoor skating",
  106: "Curling",
  108: "Other (unclassified fitness activity)",
  109: "Light sleep",
  110: "Deep sleep",
  111: "REM sleep",
  112: "Awake (during sleep cycle)",
  113: "CrossFit",
  114: "HIIT",
  115: "Interval training",
  116: "Walking (stroller)",
  117: "Elevator",
  118: "Escalator",
  119: "Archery",
  120: "Softball",
  122: "Guided breathing",
};

const NOT_ACTIVITIES = new Set([0, 3, 4, 5, 117, 118]);

/** Sleep segments: the sleep variable each names. */
const SLEEP_SEGMENTS: Readonly<Record<number, { codings: SourceCoding[]; label?: string }>> = {
  72: { codings: [loinc("93832-4", "Sleep duration")] },
  109: { codings: [loinc("93830-8", "Light sleep duration")] },
  110: { codings: [loinc("93831-6", "Deep sleep duration")] },
  111: { codings: [loinc("93829-0", "REM sleep duration")] },
  112: { codings: [], label: "Awake" },
};

export function isGoogleFit(doc: JsonObject): boolean {
  return isArray(doc.point) && (typeof doc.dataSourceId === "string" || typeof doc.minStartTimeNs === "string");
}

/** Nanoseconds since the epoch (a decimal string or number) → milliseconds; null if unreadable. */
function nanosToMillis(value: Json | undefined): number | null {
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(BigInt(value) / 1_000_000n);
  if (isNumber(value)) return Math.floor(value / 1_000_000);
  return null;
}

/** RFC 3339 without the `.000` of whole seconds. */
const instant = (ms: number) => fromEpoch(ms, "ms").replace(".000Z", "Z");

export function* mapGoogleFit(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const points = isArray(doc.point) ? doc.point : [];
  for (const [index, point] of indexed(points)) {
    const at = path("$", "point", index);
    if (!isObject(point)) {
      yield* run.issue(at, "invalid_value", "error", "data point is not an object");
      continue;
    }
    const startMs = nanosToMillis(point.startTimeNanos);
    const endMs = nanosToMillis(point.endTimeNanos);
    if (startMs === null) {
      yield* run.issue(at, "missing_time", "error", "data point without startTimeNanos");
      continue;
    }
    const type = typeof point.dataTypeName === "string" ? point.dataTypeName : "";
    const values = isArray(point.value) ? point.value : [];
    const span = {
      start_at: instant(startMs),
      ...(endMs !== null && endMs !== startMs ? { end_at: instant(endMs) } : {}),
    };
    const metadata = {
      data_type: type,
      data_source_id: typeof point.originDataSourceId === "string" ? point.originDataSourceId : doc.dataSourceId,
    };

    const kind = VALUE_TYPES[type];
    if (kind) {
      const first = values[0];
      const value = isObject(first) ? first[kind.field] : undefined;
      if (!isNumber(value)) {
        yield* run.issue(path(at, "value", 0), "invalid_value", "error", `${type} without a numeric ${kind.field}`);
        continue;
      }
      yield* run.observation({
        codings: [...kind.codings, fit(type)],
        ...(kind.label === undefined ? {} : { label: kind.label }),
        value,
        unit: kind.unit,
        ...span,
        metadata,
        location: path(at, "value", 0, kind.field),
      });
      continue;
    }

    if (type === "com.google.blood_pressure") {
      // Fields: systolic, diastolic (mmHg), then optional body position and measurement location.
      const parts = [
        { index: 0, codings: [loinc("8480-6", "Systolic blood pressure")] },
        { index: 1, codings: [loinc("8462-4", "Diastolic blood pressure")] },
      ];
      for (const part of parts) {
        const v = values[part.index];
        if (!isObject(v) || !isNumber(v.fpVal)) continue;
        yield* run.observation({
          codings: [...part.codings, fit(type)],
          value: v.fpVal,
          unit: "mm[Hg]",
          ...span,
          metadata,
          location: path(at, "value", part.index, "fpVal"),
        });
      }
      continue;
    }

    if (type === "com.google.activity.segment") {
      const first = values[0];
      const activity = isObject(first) ? first.intVal : undefined;
      if (!isNumber(activity) || endMs === null) {
        yield* run.issue(at, "invalid_value", "error", "activity segment without an activity type or an end time");
        continue;
      }
      const activityMeta = { ...metadata, activity_type: activity, activity_name: ACTIVITY_TYPES[activity] };
      if (NOT_ACTIVITIES.has(activity)) {
        yield* run.issue(
          at,
          "not_a_measurement",
          "info",
          `activity type ${activity} (${ACTIVITY_TYPES[activity]}) is not an activity`,
        );
        continue;
      }
      const sleep = SLEEP_SEGMENTS[activity];
      const label = sleep ? sleep.label : "com.google.activity.segment";
      // The segment's length is the measurement: the duration of the activity (or sleep stage).
      yield* run.observation({
        codings: [...(sleep?.codings ?? []), fit(type)],
        ...(label === undefined ? {} : { label }),
        value: (endMs - startMs) / 1000,
        unit: "s",
        ...span,
        metadata: activityMeta,
        location: path(at, "value", 0, "intVal"),
      });
      continue;
    }
    yield* run.issue(at, "unsupported_data_type", "warning", `Google Fit data type ${type || "(none)"} is not mapped`);
  }
}
