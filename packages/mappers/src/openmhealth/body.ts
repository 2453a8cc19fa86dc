/**
 * What each Open mHealth body schema measures: the body properties that become observations, with the
 * coding that names them. Codings use the Open mHealth schema name (`CODE_SYSTEMS.openmhealth`, code =
 * schema id `name` without version, as the seed names them); measures no schema names (a physical
 * activity's distance, a sleep episode's latency) carry a label for `MapContext.lookup` instead.
 */
import { CODE_SYSTEMS, type SourceCoding } from "@dfda/core";
import type { ResolvedTimeFrame } from "./time-frame";
import { hkUnitToUcum, omhUnitToUcum } from "./units";

/** One measure read from a body. */
export interface BodyMeasure {
  codings: SourceCoding[];
  value: number | string | boolean;
  unit?: string;
  /** JSON path below the body (`.systolic_blood_pressure`). */
  path: string;
  /** A variable label to resolve through `MapContext.lookup` (a name, synonym or slug of the seed). */
  label?: string;
  metadata?: Record<string, unknown>;
}

export interface BodyMapping {
  /** Body properties read as measures; the others (but `effective_time_frame`) go to metadata. */
  measured: readonly string[];
  measures(body: Record<string, unknown>, frame: ResolvedTimeFrame): BodyMeasure[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const omh = (code: string): SourceCoding => ({ system: CODE_SYSTEMS.openmhealth, code });

/** A unit-value property (`{value, unit}`, omh unit-value-1.x / IEEE unit-value-1.0) named by `code`. */
function unitValue(
  body: Record<string, unknown>,
  property: string,
  codings: SourceCoding[],
  label?: string,
): BodyMeasure[] {
  const uv = body[property];
  if (!isRecord(uv) || typeof uv.value !== "number") return [];
  return [
    {
      codings,
      value: uv.value,
      ...(typeof uv.unit === "string" ? { unit: omhUnitToUcum(uv.unit) } : {}),
      path: `.${property}`,
      ...(label === undefined ? {} : { label }),
    },
  ];
}

/** A body schema whose one measure is the unit-value property `property`, coded by the schema name. */
function single(schema: string, property: string): BodyMapping {
  return { measured: [property], measures: (body) => unitValue(body, property, [omh(schema)]) };
}

/**
 * omh physical-activity-1.x: one activity episode. Its distance, energy and duration (the length of
 * the effective time interval) are separate observations, each with `metadata.activity_name`.
 */
const physicalActivity: BodyMapping = {
  measured: ["distance", "kcal_burned"],
  measures(body, frame) {
    const out: BodyMeasure[] = [];
    const activity = typeof body.activity_name === "string" ? body.activity_name : undefined;
    // The seed has no Open mHealth or LOINC code for an activity's distance; the label picks the
    // distance variable for the kind of activity, and other activities stay unmatched.
    const distanceLabel =
      activity === undefined
        ? undefined
        : /cycl|bik/i.test(activity)
          ? "Cycling Distance"
          : /swim/i.test(activity)
            ? "Swimming Distance"
            : /walk|run|jog|hik|step|trek/i.test(activity)
              ? "Walking + Running Distance"
              : undefined;
    out.push(...unitValue(body, "distance", [], distanceLabel));
    // calories-burned is the schema for energy burned (also by an activity: its `activity_name`).
    out.push(...unitValue(body, "kcal_burned", [omh("calories-burned")]));
    if (frame.duration) {
      out.push({
        codings: [omh("physical-activity")],
        value: frame.duration.value,
        unit: omhUnitToUcum(frame.duration.unit),
        path: ".effective_time_frame.time_interval",
      });
    }
    const common = activity === undefined ? {} : { activity_name: activity };
    return out.map((m) => ({ ...m, metadata: { ...common, ...m.metadata } }));
  },
};

/**
 * omh sleep-episode-1.x: one sleep episode with its component measures. Total sleep time is the
 * total-sleep-time schema's measure; the others have no Open mHealth code of their own in the seed.
 */
const sleepEpisode: BodyMapping = {
  measured: [
    "total_sleep_time",
    "latency_to_sleep_onset",
    "latency_to_arising",
    "wake_after_sleep_onset",
    "number_of_awakenings",
    "sleep_maintenance_efficiency_percentage",
  ],
  measures(body) {
    const out: BodyMeasure[] = [
      ...unitValue(body, "total_sleep_time", [omh("total-sleep-time")]),
      ...unitValue(body, "latency_to_sleep_onset", [], "Sleep Latency"),
      ...unitValue(body, "latency_to_arising", [], "minutesAfterWakeup"),
      ...unitValue(body, "wake_after_sleep_onset", [], "Wake after sleep onset"),
      ...unitValue(body, "sleep_maintenance_efficiency_percentage", [], "Sleep Efficiency"),
    ];
    if (typeof body.number_of_awakenings === "number") {
      out.push({ codings: [], value: body.number_of_awakenings, path: ".number_of_awakenings", label: "Awakenings" });
    }
    return out;
  },
};

/** omh step-count: a bare number in 1.0 and 2.0, a unit-value with unit `steps` from 3.0. */
const stepCount: BodyMapping = {
  measured: ["step_count"],
  measures(body) {
    if (typeof body.step_count === "number") {
      return [{ codings: [omh("step-count")], value: body.step_count, unit: "{steps}", path: ".step_count" }];
    }
    return unitValue(body, "step_count", [omh("step-count")]);
  },
};

/** omh blood-pressure: systolic and diastolic as two observations, coded by their own schema names. */
const bloodPressure: BodyMapping = {
  measured: ["systolic_blood_pressure", "diastolic_blood_pressure"],
  measures: (body) => [
    ...unitValue(body, "systolic_blood_pressure", [omh("systolic-blood-pressure")]),
    ...unitValue(body, "diastolic_blood_pressure", [omh("diastolic-blood-pressure")]),
  ],
};

/**
 * granola hk-quantity-sample-1.0: an Apple HealthKit quantity sample, named by its quantity type
 * identifier; the quantity is a unit-value or, for count units (HKUnit countUnit), a bare `count`.
 */
const hkQuantitySample: BodyMapping = {
  measured: ["quantity_type", "unit_value", "count"],
  measures(body) {
    if (typeof body.quantity_type !== "string") return [];
    const codings = [{ system: CODE_SYSTEMS.appleHealth, code: body.quantity_type }];
    if (typeof body.count === "number") return [{ codings, value: body.count, path: ".count" }];
    const uv = body.unit_value;
    if (!isRecord(uv) || typeof uv.value !== "number") return [];
    return [
      {
        codings,
        value: uv.value,
        ...(typeof uv.unit === "string" ? { unit: hkUnitToUcum(uv.unit) } : {}),
        path: ".unit_value",
      },
    ];
  },
};

/** Mappings by `namespace:name` (every schema `generate.ts` exports but the data point envelope). */
export const BODY_MAPPINGS: Readonly<Record<string, BodyMapping>> = {
  "omh:ambient-temperature": single("ambient-temperature", "ambient_temperature"),
  "omh:blood-glucose": single("blood-glucose", "blood_glucose"),
  "omh:blood-pressure": bloodPressure,
  "omh:body-fat-percentage": single("body-fat-percentage", "body_fat_percentage"),
  "omh:body-height": single("body-height", "body_height"),
  "omh:body-mass-index": single("body-mass-index", "body_mass_index"),
  "omh:body-temperature": single("body-temperature", "body_temperature"),
  "omh:body-weight": single("body-weight", "body_weight"),
  "omh:breath-carbon-monoxide": single("breath-carbon-monoxide", "breath_carbon_monoxide"),
  "omh:calories-burned": single("calories-burned", "kcal_burned"),
  "omh:heart-rate": single("heart-rate", "heart_rate"),
  "omh:minute-volume": single("minute-volume", "minute_volume"),
  "omh:minutes-moderate-activity": single("minutes-moderate-activity", "minutes_moderate_activity"),
  "omh:oxygen-saturation": single("oxygen-saturation", "oxygen_saturation"),
  "omh:physical-activity": physicalActivity,
  "omh:respiratory-rate": single("respiratory-rate", "respiratory_rate"),
  "omh:rr-interval": single("rr-interval", "rr_interval"),
  "omh:sleep-duration": single("sleep-duration", "sleep_duration"),
  "omh:sleep-episode": sleepEpisode,
  "omh:step-count": stepCount,
  "omh:total-sleep-time": single("total-sleep-time", "total_sleep_time"),
  "granola:hk-quantity-sample": hkQuantitySample,
};
