/**
 * Apple Health elements → observations: `Record`, `Workout` and `ActivitySummary` as attribute maps
 * (export.xml, HealthKit Export Version 3+ DTD), shared by the XML mapper and by the CSV mapper for
 * the CSV files derived from export.xml (one row per element, the attributes as columns), so both map
 * the same data identically.
 */
import type { MapEvent, MappedObservation, MappingIssue, SourceCoding, VariableLookup } from "@dfda/core";
import type { ReadTime, TimeReader } from "../csv/time";
import { MAX_DISTINCT_NAMES, nameKey } from "../util/limits";
import {
  ACTIVE_ENERGY,
  CATEGORY_PREFIX,
  COUNTED_EVENT_TYPES,
  EXERCISE_TIME,
  hkCoding,
  loincCoding,
  MOVE_TIME,
  QUANTITY_PREFIX,
  quantityCodings,
  SESSION_TYPES,
  SEVERITY_SCORE,
  SLEEP_ANALYSIS,
  SLEEP_DURATION_LOINC,
  SLEEP_STAGE_LOINC,
  SLEEP_VALUES,
  STAND_HOUR,
  UNRATED_PRESENT,
  WORKOUT_TYPE,
  workoutDistanceType,
} from "./hk";
import { appleUnitToUcum } from "./units";

/** An element's attributes by name (a missing attribute is undefined; an empty one counts as missing). */
export type Attributes = Readonly<Record<string, string | undefined>>;

/** Where something is: the element (`attribute` null) or one of its attributes. */
export type Locate = (attribute: string | null) => string;

/** What mapping one file needs across elements. */
export interface AppleContext {
  lookup: VariableLookup;
  times: TimeReader;
  /**
   * Settings Record types already reported as not measurements (one info issue per type and file), at
   * most MAX_DISTINCT_NAMES, each cut to MAX_NAME_CHARS (`nameKey`). Kept by `skipSettings` alone.
   */
  skippedTypes: Set<string>;
  /** Settings Records of types past the first MAX_DISTINCT_NAMES: not remembered, only counted. */
  skippedMore: number;
  /**
   * How the settings types past the cap are said: `named`, in one issue where the first of them stands
   * (the CSV mapper, which hands over rows as it reads them and has no end-of-file summary); `counted`,
   * in one summary at the end (`moreSettingsIssue`, the XML mapper).
   */
  moreSettings: "named" | "counted";
}

/** Non-empty trimmed attribute value, or undefined. */
function attr(attributes: Attributes, name: string): string | undefined {
  const value = attributes[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

/** A decimal as HealthKit writes it, or null. */
function number(text: string | undefined): number | null {
  if (text === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The source attributes every element carries, as observation metadata. */
function sourceMetadata(attributes: Attributes): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const copy = (from: string, to: string) => {
    const value = attr(attributes, from);
    if (value !== undefined) metadata[to] = value;
  };
  copy("sourceName", "source_name");
  copy("sourceVersion", "source_version");
  copy("device", "device");
  copy("creationDate", "creation_date");
  return metadata;
}

/** A period read from `startDate`/`endDate`; pushes issues and returns null when the start is unusable. */
function period(
  attributes: Attributes,
  locate: Locate,
  context: AppleContext,
  out: MapEvent[],
): { start: ReadTime; end: ReadTime | null } | null {
  const startText = attr(attributes, "startDate");
  if (startText === undefined) {
    out.push(issue(locate(null), "missing_time", "error", "The element has no startDate."));
    return null;
  }
  const start = context.times.read(startText, out);
  if (start === null) {
    out.push(issue(locate("startDate"), "invalid_time", "error", `"${startText}" is not a timestamp.`));
    return null;
  }
  const endText = attr(attributes, "endDate");
  const end = endText === undefined ? null : context.times.read(endText, out);
  if (endText !== undefined && end === null) {
    out.push(
      issue(locate("endDate"), "invalid_time", "warning", `"${endText}" is not a timestamp; the end was left out.`),
    );
  }
  return { start, end };
}

function observation(
  codings: SourceCoding[],
  value: number | string | boolean,
  unit: string | undefined,
  when: { start: ReadTime; end: ReadTime | null },
  location: string,
  metadata: Record<string, unknown>,
  variableId?: string,
): MapEvent {
  const o: MappedObservation = { codings, value, start_at: when.start.instant, location };
  if (variableId !== undefined) o.variable_id = variableId;
  if (unit !== undefined) o.unit = unit;
  // An instantaneous sample (endDate = startDate) is a point in time, not a period.
  const end = when.end?.instant ?? when.start.dayEnd ?? undefined;
  if (end !== undefined && end !== when.start.instant) o.end_at = end;
  if (Object.keys(metadata).length > 0) o.metadata = metadata;
  return { kind: "observation", observation: o };
}

function minutesBetween(start: string, end: string): number {
  return (Date.parse(end) - Date.parse(start)) / 60_000;
}

/**
 * Skips a settings Record, reporting its type once per file. Bounded whatever the file (issue 12): the
 * first MAX_DISTINCT_NAMES types are named (cut to MAX_NAME_CHARS), the Records of any further type are
 * only counted and said once, as `context.moreSettings` asks.
 */
function skipSettings(type: string, locate: Locate, context: AppleContext, out: MapEvent[]): void {
  const name = nameKey(type);
  if (context.skippedTypes.has(name)) return;
  if (context.skippedTypes.size < MAX_DISTINCT_NAMES) {
    context.skippedTypes.add(name);
    out.push(
      issue(locate(null), "not_a_measurement", "info", `${name} Records are settings, not measurements; skipped.`),
    );
    return;
  }
  context.skippedMore += 1;
  if (context.moreSettings === "named" && context.skippedMore === 1) {
    out.push(
      issue(
        locate(null),
        "not_a_measurement",
        "info",
        `${name} and more Record types are settings, not measurements; skipped (past ${MAX_DISTINCT_NAMES.toLocaleString("en")} distinct types, the rest are not listed).`,
      ),
    );
  }
}

/** The end-of-file summary of the settings Records past the named types (`moreSettings: "counted"`). */
export function moreSettingsIssue(context: AppleContext): MapEvent | null {
  if (context.moreSettings !== "counted" || context.skippedMore === 0) return null;
  return issue(
    null,
    "not_a_measurement",
    "info",
    `… and ${context.skippedMore.toLocaleString("en")} more settings Records of other types (past ${MAX_DISTINCT_NAMES.toLocaleString("en")} types, not listed); skipped.`,
  );
}

/**
 * One `Record` (a HealthKit quantity or category sample): `type`, `unit`, `value`, `startDate`,
 * `endDate`, source attributes, and its `MetadataEntry` children as `metadata.hk_metadata`.
 * Quantity samples: value and unit (UCUM) as recorded, codings the HealthKit type then LOINC.
 * Category samples: see `mapCategory`.
 */
export function mapRecord(
  attributes: Attributes,
  entries: Readonly<Record<string, string>>,
  locate: Locate,
  context: AppleContext,
  out: MapEvent[],
  extra: Record<string, unknown> = {},
): void {
  const type = attr(attributes, "type");
  if (type === undefined) {
    out.push(issue(locate(null), "missing_type", "error", "The Record has no type."));
    return;
  }
  // `HKDataType…` Records are the user's settings (HKDataTypeSleepDurationGoal: the sleep goal), not
  // measurements.
  if (type.startsWith("HKDataType")) {
    skipSettings(type, locate, context, out);
    return;
  }
  const when = period(attributes, locate, context, out);
  if (when === null) return;
  const metadata = { ...sourceMetadata(attributes), ...extra };
  if (Object.keys(entries).length > 0) metadata.hk_metadata = { ...entries };
  const raw = attr(attributes, "value");
  if (type.startsWith(CATEGORY_PREFIX)) {
    mapCategory(type, raw, when, locate, context, metadata, out);
    return;
  }
  const value = number(raw);
  if (value === null) {
    out.push(
      raw === undefined
        ? issue(locate(null), "missing_value", "error", `The ${type} Record has no value.`)
        : issue(locate("value"), "invalid_value", "error", `"${raw}" is not a number (${type}).`),
    );
    return;
  }
  const sourceUnit = attr(attributes, "unit");
  const unit = sourceUnit === undefined ? undefined : appleUnitToUcum(sourceUnit, type);
  if (sourceUnit !== undefined && unit !== sourceUnit) metadata.source_unit = sourceUnit;
  out.push(observation(quantityCodings(type, unit), value, unit, when, locate(null), metadata));
}

/**
 * Category samples (`HKCategoryTypeIdentifier…`, value an `HKCategoryValue…` name):
 * - SleepAnalysis: the sample's duration in minutes (endDate − startDate). Asleep stages count to
 *   sleep duration (HealthKit SleepAnalysis, LOINC 93832-4); Core, Deep and REM also to their stage
 *   (LOINC 93830-8, 93831-6, 93829-0). InBed and Awake are their own measurements (coded with their
 *   HKCategoryValue name; `variable_id` from the lookup of "Time in bed" / "Awake time during sleep").
 * - AppleStandHour: 1 h when Stood, 0 h when Idle.
 * - Symptom severities: on the 0–10 symptom scale (`SEVERITY_SCORE`); present-but-unrated is reported.
 * - NotApplicable samples: mindful sessions as minutes, toothbrushing/handwashing as one `{count}`,
 *   other events (rhythm notifications, spotting, sexual activity …) as `true`.
 * - Anything else: the value's name, with `metadata.value_coding`.
 */
function mapCategory(
  type: string,
  raw: string | undefined,
  when: { start: ReadTime; end: ReadTime | null },
  locate: Locate,
  context: AppleContext,
  metadata: Record<string, unknown>,
  out: MapEvent[],
): void {
  const location = locate(null);
  if (raw === undefined) {
    out.push(issue(location, "missing_value", "error", `The ${type} Record has no value.`));
    return;
  }
  const durationMinutes = (): number | null => {
    const end = when.end?.instant;
    if (end === undefined) {
      out.push(issue(location, "missing_time", "error", `The ${type} Record has no endDate, so no duration.`));
      return null;
    }
    return minutesBetween(when.start.instant, end);
  };

  if (type === SLEEP_ANALYSIS) {
    // Early exports write the raw value (0 = InBed, 1 = Asleep …) instead of the name.
    const name = /^\d$/.test(raw) ? (SLEEP_VALUES[Number(raw)] ?? raw) : raw;
    const stage =
      name === "HKCategoryValueSleepAnalysisAsleep" ? "HKCategoryValueSleepAnalysisAsleepUnspecified" : name;
    if (!SLEEP_VALUES.includes(stage)) {
      out.push(issue(location, "unknown_category_value", "warning", `Unknown sleep analysis value "${raw}".`));
      return;
    }
    const minutes = durationMinutes();
    if (minutes === null) return;
    const withStage = { ...metadata, sleep_value: raw };
    if (stage === "HKCategoryValueSleepAnalysisInBed" || stage === "HKCategoryValueSleepAnalysisAwake") {
      const label = stage.endsWith("InBed") ? "Time in bed" : "Awake time during sleep";
      const variableId = context.lookup.byLabel(label)?.id;
      out.push(observation([hkCoding(stage)], minutes, "min", when, location, withStage, variableId));
      return;
    }
    out.push(
      observation(
        [hkCoding(SLEEP_ANALYSIS), loincCoding(SLEEP_DURATION_LOINC)],
        minutes,
        "min",
        when,
        location,
        withStage,
      ),
    );
    const stageLoinc = SLEEP_STAGE_LOINC[stage];
    if (stageLoinc !== undefined) {
      out.push(observation([loincCoding(stageLoinc), hkCoding(stage)], minutes, "min", when, location, withStage));
    }
    return;
  }
  if (type === STAND_HOUR) {
    const stood = raw === "HKCategoryValueAppleStandHourStood" || raw === "0";
    const idle = raw === "HKCategoryValueAppleStandHourIdle" || raw === "1";
    if (!stood && !idle) {
      out.push(issue(location, "unknown_category_value", "warning", `Unknown stand hour value "${raw}".`));
      return;
    }
    out.push(observation([hkCoding(type)], stood ? 1 : 0, "h", when, location, { ...metadata, stand_value: raw }));
    return;
  }
  const score = SEVERITY_SCORE[raw];
  if (score !== undefined) {
    out.push(observation([hkCoding(type)], score, "{score}", when, location, { ...metadata, severity_value: raw }));
    return;
  }
  if (UNRATED_PRESENT.has(raw)) {
    out.push(
      issue(
        location,
        "unrated_symptom",
        "info",
        `${type} was recorded as ${raw}: present without a severity, which the 0-10 symptom scale cannot hold.`,
      ),
    );
    return;
  }
  if (raw === "HKCategoryValueNotApplicable" || raw === "0") {
    if (SESSION_TYPES.has(type)) {
      const minutes = durationMinutes();
      if (minutes !== null) out.push(observation([hkCoding(type)], minutes, "min", when, location, metadata));
      return;
    }
    if (COUNTED_EVENT_TYPES.has(type)) {
      out.push(observation([hkCoding(type)], 1, "{count}", when, location, metadata));
      return;
    }
    out.push(observation([hkCoding(type)], true, undefined, when, location, metadata));
    return;
  }
  out.push(
    observation([hkCoding(type)], raw, undefined, when, location, { ...metadata, value_coding: [hkCoding(raw)] }),
  );
}

/** A `WorkoutStatistics` child (iOS 16+ exports): a total or average of one quantity over the workout. */
export interface WorkoutStatistic {
  attributes: Attributes;
  location: string;
}

/**
 * One `Workout`: its duration (HKWorkoutTypeIdentifier), total distance (the distance type of its
 * activity) and total energy (ActiveEnergyBurned) as three observations over the workout's period,
 * each with `metadata.activity_type` (the `HKWorkoutActivityType…` name) and `metadata.summary =
 * "workout"`: these totals also exist as the Records sampled during the workout. Newer exports give
 * the totals as `WorkoutStatistics` children (`sum`) instead of attributes; those are read when the
 * attribute is absent.
 */
export function mapWorkout(
  attributes: Attributes,
  entries: Readonly<Record<string, string>>,
  statistics: readonly WorkoutStatistic[],
  locate: Locate,
  context: AppleContext,
  out: MapEvent[],
  extra: Record<string, unknown> = {},
): void {
  const when = period(attributes, locate, context, out);
  if (when === null) return;
  const activity = attr(attributes, "workoutActivityType");
  const metadata: Record<string, unknown> = { ...sourceMetadata(attributes), ...extra, summary: "workout" };
  if (activity !== undefined) metadata.activity_type = activity;
  if (Object.keys(entries).length > 0) metadata.hk_metadata = { ...entries };

  const total = (valueAttribute: string, unitAttribute: string, codings: SourceCoding[], defaultUnit?: string) => {
    const raw = attr(attributes, valueAttribute);
    if (raw === undefined) return false;
    const value = number(raw);
    if (value === null) {
      out.push(issue(locate(valueAttribute), "invalid_value", "error", `"${raw}" is not a number.`));
      return true;
    }
    const sourceUnit = attr(attributes, unitAttribute) ?? defaultUnit;
    const unit = sourceUnit === undefined ? undefined : appleUnitToUcum(sourceUnit);
    out.push(observation(codings, value, unit, when, locate(valueAttribute), metadata));
    return true;
  };

  const durationGiven = total("duration", "durationUnit", [hkCoding(WORKOUT_TYPE)], "min");
  if (!durationGiven && when.end !== null) {
    // The duration is the workout's period when the element does not state it.
    const minutes = minutesBetween(when.start.instant, when.end.instant);
    out.push(
      observation([hkCoding(WORKOUT_TYPE)], minutes, "min", when, locate(null), {
        ...metadata,
        duration_derived: true,
      }),
    );
  }
  const distanceType = workoutDistanceType(activity);
  const distanceGiven = total("totalDistance", "totalDistanceUnit", [hkCoding(distanceType)]);
  const energyGiven = total("totalEnergyBurned", "totalEnergyBurnedUnit", quantityCodings(ACTIVE_ENERGY, "kcal"));

  for (const statistic of statistics) {
    const type = attr(statistic.attributes, "type");
    const sum = attr(statistic.attributes, "sum");
    if (type === undefined || sum === undefined) continue;
    const isDistance = type.startsWith(`${QUANTITY_PREFIX}Distance`);
    if (!(type === ACTIVE_ENERGY && !energyGiven) && !(isDistance && !distanceGiven)) continue;
    const value = number(sum);
    if (value === null) {
      out.push(issue(statistic.location, "invalid_value", "error", `"${sum}" is not a number.`));
      continue;
    }
    const sourceUnit = attr(statistic.attributes, "unit");
    const unit = sourceUnit === undefined ? undefined : appleUnitToUcum(sourceUnit, type);
    out.push(observation(quantityCodings(type, unit), value, unit, when, statistic.location, metadata));
  }
}

/** ActivitySummary attributes (the Activity rings) and what each is. */
const RINGS: readonly { attribute: string; codings: SourceCoding[]; unitAttribute?: string; unit: string }[] = [
  {
    attribute: "activeEnergyBurned",
    codings: quantityCodings(ACTIVE_ENERGY, "kcal"),
    unitAttribute: "activeEnergyBurnedUnit",
    unit: "kcal",
  },
  { attribute: "appleMoveTime", codings: quantityCodings(MOVE_TIME, "min"), unit: "min" },
  { attribute: "appleExerciseTime", codings: quantityCodings(EXERCISE_TIME, "min"), unit: "min" },
  { attribute: "appleStandHours", codings: [hkCoding(STAND_HOUR)], unit: "h" },
];

/**
 * One `ActivitySummary` (a day's Activity rings): active energy, move time, exercise minutes and stand
 * hours, each an observation over the day `dateComponents` names (a date without a zone: the
 * file's timezone rule applies), with the ring's goal as `metadata.goal` and `metadata.summary =
 * "activity_summary"` (the same energy and minutes exist as the day's Records).
 */
export function mapActivitySummary(
  attributes: Attributes,
  locate: Locate,
  context: AppleContext,
  out: MapEvent[],
  extra: Record<string, unknown> = {},
): void {
  const date = attr(attributes, "dateComponents");
  if (date === undefined) {
    out.push(issue(locate(null), "missing_time", "error", "The ActivitySummary has no dateComponents."));
    return;
  }
  const start = context.times.read(date, out);
  if (start === null) {
    out.push(issue(locate("dateComponents"), "invalid_time", "error", `"${date}" is not a date.`));
    return;
  }
  for (const ring of RINGS) {
    const raw = attr(attributes, ring.attribute);
    if (raw === undefined) continue;
    const value = number(raw);
    if (value === null) {
      out.push(issue(locate(ring.attribute), "invalid_value", "error", `"${raw}" is not a number.`));
      continue;
    }
    const metadata: Record<string, unknown> = { ...extra, summary: "activity_summary" };
    const goal = number(attr(attributes, `${ring.attribute}Goal`));
    if (goal !== null) metadata.goal = goal;
    const sourceUnit = ring.unitAttribute === undefined ? undefined : attr(attributes, ring.unitAttribute);
    const unit = sourceUnit === undefined ? ring.unit : appleUnitToUcum(sourceUnit);
    out.push(observation(ring.codings, value, unit, { start, end: null }, locate(ring.attribute), metadata));
  }
}
