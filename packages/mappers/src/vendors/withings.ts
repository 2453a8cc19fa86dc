/**
 * Withings API responses (https://developer.withings.com/api-reference/):
 * - Measure - Getmeas (`body.measuregrps[]`): each group has a `date` (Unix seconds), `attrib` (how it
 *   was captured), `category` (1 real measurement, 2 user objective) and `measures[]` whose value is
 *   `value × 10^unit` in the unit of its `type`;
 * - Measure v2 - Getintradayactivity (`body.series`, keyed by the Unix second each interval starts,
 *   with `duration` in seconds and `steps`, `distance` (m), `calories` (kcal), `elevation` (m)).
 */
import type { MapEvent, SourceCoding } from "@dfda/core";
import { fromEpoch } from "../util/time";
import { isArray, isNumber, isObject, type JsonObject, loinc, path, type VendorRun } from "./common";
import { indexed } from "./stream";

export const WITHINGS_MEASURE_SYSTEM = "https://developer.withings.com/api-reference/#tag/measure/meastype";
export const WITHINGS_INTRADAY_SYSTEM = "https://developer.withings.com/api-reference/#tag/measure/getintradayactivity";

/** Measure types (`meastype`) with their unit; codings LOINC where one names the measure, else a label. */
const MEASURE_TYPES: Readonly<Record<number, { name: string; unit: string; codings: SourceCoding[]; label?: string }>> =
  {
    1: { name: "Weight", unit: "kg", codings: [loinc("29463-7", "Body weight")] },
    4: { name: "Height", unit: "m", codings: [loinc("8302-2", "Body height")] },
    5: { name: "Fat Free Mass", unit: "kg", codings: [], label: "Fat Free Mass" },
    6: { name: "Fat Ratio", unit: "%", codings: [loinc("41982-0", "Percentage of body fat Measured")] },
    8: { name: "Fat Mass Weight", unit: "kg", codings: [], label: "Fat Mass" },
    9: { name: "Diastolic Blood Pressure", unit: "mm[Hg]", codings: [loinc("8462-4", "Diastolic blood pressure")] },
    10: { name: "Systolic Blood Pressure", unit: "mm[Hg]", codings: [loinc("8480-6", "Systolic blood pressure")] },
    11: { name: "Heart Pulse", unit: "/min", codings: [loinc("8867-4", "Heart rate")] },
    12: { name: "Temperature", unit: "Cel", codings: [loinc("8310-5", "Body temperature")] },
    54: {
      name: "SpO2",
      unit: "%",
      codings: [loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")],
    },
    71: { name: "Body Temperature", unit: "Cel", codings: [loinc("8310-5", "Body temperature")] },
    73: { name: "Skin Temperature", unit: "Cel", codings: [] },
    76: { name: "Muscle Mass", unit: "kg", codings: [], label: "Muscle Mass" },
    77: { name: "Hydration", unit: "kg", codings: [] },
    88: { name: "Bone Mass", unit: "kg", codings: [], label: "Bone Mass" },
    91: { name: "Pulse Wave Velocity", unit: "m/s", codings: [], label: "Pulse Wave Velocity" },
    123: { name: "VO2 max", unit: "mL/min/kg", codings: [], label: "VO2 Max" },
    130: { name: "Atrial fibrillation result", unit: "{class}", codings: [], label: "Atrial fibrillation" },
    135: { name: "QRS interval duration based on ECG signal", unit: "ms", codings: [loinc("8633-0", "QRS duration")] },
    136: { name: "PR interval duration based on ECG signal", unit: "ms", codings: [loinc("8625-6", "P-R Interval")] },
    137: { name: "QT interval duration based on ECG signal", unit: "ms", codings: [loinc("8634-8", "Q-T interval")] },
    138: { name: "Corrected QT interval", unit: "ms", codings: [loinc("8636-3", "Q-T interval corrected")] },
    139: { name: "Atrial fibrillation result from PPG", unit: "{class}", codings: [], label: "Atrial fibrillation" },
    155: { name: "Vascular age", unit: "a", codings: [], label: "Vascular Age" },
    167: { name: "Nerve Health Score Conductance 2 electrodes Feet", unit: "{score}", codings: [] },
    168: { name: "Extracellular Water", unit: "kg", codings: [], label: "Extracellular Water" },
    169: { name: "Intracellular Water", unit: "kg", codings: [], label: "Intracellular Water" },
    170: { name: "Visceral Fat", unit: "{index}", codings: [], label: "Visceral Fat" },
    226: { name: "Basal Metabolic Rate", unit: "kcal/d", codings: [], label: "BMR" },
    227: { name: "Metabolic Age", unit: "a", codings: [], label: "Metabolic Age" },
    229: {
      name: "Electrochemical Skin Conductance",
      unit: "uS",
      codings: [],
      label: "Electrochemical Skin Conductance",
    },
  };

/** `attrib` of a measure group: how it was captured. */
const ATTRIB: Readonly<Record<number, string>> = {
  0: "device",
  1: "device, ambiguous user",
  2: "manual",
  4: "manual at user creation",
  5: "device, auto",
  7: "device, confirmed",
  8: "device",
};

export const isWithingsMeasures = (doc: JsonObject) => isObject(doc.body) && isArray(doc.body.measuregrps);
export const isWithingsIntraday = (doc: JsonObject) => isObject(doc.body) && isObject(doc.body.series);

/** `value × 10^unit`, computed by division for negative exponents so that 74126 × 10^-3 is exactly 74.126. */
export function scaled(value: number, exponent: number): number {
  return exponent < 0 ? value / 10 ** -exponent : value * 10 ** exponent;
}

const instant = (seconds: number) => fromEpoch(seconds, "s").replace(".000Z", "Z");

export function* mapWithingsMeasures(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const body = isObject(doc.body) ? doc.body : {};
  const groups = isArray(body.measuregrps) ? body.measuregrps : [];
  for (const [g, group] of indexed(groups)) {
    const at = path("$.body.measuregrps", g);
    if (!isObject(group) || !isNumber(group.date)) {
      yield* run.issue(at, "missing_time", "error", "measure group without a date");
      continue;
    }
    if (group.category === 2) {
      yield* run.issue(at, "not_a_measurement", "info", "category 2 is a user objective, not a measurement");
      continue;
    }
    if (group.attrib === 1) {
      yield* run.issue(
        at,
        "ambiguous_user",
        "warning",
        "attrib 1: the device could not tell whether this user was measured",
      );
    }
    const metadata = {
      grpid: group.grpid,
      attrib: group.attrib,
      ...(isNumber(group.attrib) && ATTRIB[group.attrib] ? { captured: ATTRIB[group.attrib] } : {}),
      category: group.category,
      ...(typeof body.timezone === "string" ? { timezone: body.timezone } : {}),
    };
    const note = typeof group.comment === "string" && group.comment !== "" ? { note: group.comment } : {};
    const measures = isArray(group.measures) ? group.measures : [];
    for (const [m, measure] of measures.entries()) {
      const mAt = path(at, "measures", m);
      if (!isObject(measure) || !isNumber(measure.type) || !isNumber(measure.value) || !isNumber(measure.unit)) {
        yield* run.issue(mAt, "invalid_value", "error", "measure without numeric type, value and unit");
        continue;
      }
      const kind = MEASURE_TYPES[measure.type];
      if (!kind) {
        yield* run.issue(
          mAt,
          "unknown_measure_type",
          "warning",
          `Withings measure type ${measure.type} is not a documented type`,
        );
        continue;
      }
      yield* run.observation({
        codings: [...kind.codings, { system: WITHINGS_MEASURE_SYSTEM, code: String(measure.type), display: kind.name }],
        ...(kind.label === undefined ? {} : { label: kind.label }),
        value: scaled(measure.value, measure.unit),
        unit: kind.unit,
        start_at: instant(group.date),
        ...note,
        metadata,
        location: mAt,
      });
    }
  }
}

/** Intraday fields and what they measure (`elevation`, metres climbed, has no variable). */
const INTRADAY_FIELDS: readonly { field: string; codings: SourceCoding[]; label?: string; unit: string }[] = [
  { field: "steps", codings: [loinc("55423-8", "Number of steps in unspecified time Pedometer")], unit: "{steps}" },
  { field: "distance", codings: [], label: "Distance", unit: "m" },
  { field: "calories", codings: [loinc("41981-2", "Calories burned")], unit: "kcal" },
];

export function* mapWithingsIntraday(doc: JsonObject, run: VendorRun): Generator<MapEvent> {
  const series = isObject(doc.body) && isObject(doc.body.series) ? doc.body.series : {};
  // Integer-like keys enumerate in ascending order (ECMA-262 OrdinaryOwnPropertyKeys): time order.
  for (const [key, entry] of Object.entries(series)) {
    const at = path("$.body.series", key);
    const start = /^\d+$/.test(key) ? Number(key) : Number.NaN;
    if (!Number.isFinite(start) || !isObject(entry)) {
      yield* run.issue(at, "missing_time", "error", `series key ${key} is not a Unix time`);
      continue;
    }
    const span = {
      start_at: instant(start),
      ...(isNumber(entry.duration) && entry.duration > 0 ? { end_at: instant(start + entry.duration) } : {}),
    };
    let mapped = false;
    for (const f of INTRADAY_FIELDS) {
      const value = entry[f.field];
      if (!isNumber(value)) continue;
      mapped = true;
      yield* run.observation({
        codings: [...f.codings, { system: WITHINGS_INTRADAY_SYSTEM, code: f.field }],
        ...(f.label === undefined ? {} : { label: f.label }),
        value,
        unit: f.unit,
        ...span,
        location: path(at, f.field),
      });
    }
    if (!mapped) yield* run.issue(at, "no_measurement", "info", "interval without steps, distance or calories");
  }
}
