/**
 * HealthKit identifiers as Apple Health's export.xml writes them (HealthKit Export Version 3+ DTD:
 * `Record@type`, `Workout@workoutActivityType`, `ActivitySummary` attributes), and how they become
 * codings and UCUM units.
 *
 * Identifiers: https://developer.apple.com/documentation/healthkit/data_types (HKQuantityTypeIdentifier,
 * HKCategoryTypeIdentifier, HKCategoryValue…, HKWorkoutActivityType).
 */
import type { SourceCoding } from "@dfda/core";
import { CODE_SYSTEMS } from "@dfda/core";

export const QUANTITY_PREFIX = "HKQuantityTypeIdentifier";
export const CATEGORY_PREFIX = "HKCategoryTypeIdentifier";

/** A HealthKit identifier as a coding. */
export function hkCoding(code: string): SourceCoding {
  return { system: CODE_SYSTEMS.appleHealth, code };
}

/** A LOINC code as a coding. */
export function loincCoding(code: string): SourceCoding {
  return { system: CODE_SYSTEMS.loinc, code };
}

/**
 * LOINC codes for HealthKit types whose meaning LOINC names one to one (the FHIR R4 vital-signs
 * profile codes and the LOINC codes the seeded variables carry), emitted as a second coding.
 */
const LOINC_BY_TYPE: Readonly<Record<string, string>> = {
  HKQuantityTypeIdentifierHeartRate: "8867-4",
  HKQuantityTypeIdentifierRespiratoryRate: "9279-1",
  HKQuantityTypeIdentifierOxygenSaturation: "59408-5",
  HKQuantityTypeIdentifierBodyTemperature: "8310-5",
  HKQuantityTypeIdentifierHeight: "8302-2",
  HKQuantityTypeIdentifierBodyMass: "29463-7",
  HKQuantityTypeIdentifierBodyMassIndex: "39156-5",
  HKQuantityTypeIdentifierBloodPressureSystolic: "8480-6",
  HKQuantityTypeIdentifierBloodPressureDiastolic: "8462-4",
  HKQuantityTypeIdentifierStepCount: "55423-8",
  HKQuantityTypeIdentifierActiveEnergyBurned: "41981-2",
  HKQuantityTypeIdentifierAppleExerciseTime: "55411-3",
  HKQuantityTypeIdentifierBodyFatPercentage: "41982-0",
  HKQuantityTypeIdentifierWaistCircumference: "8280-0",
  HKQuantityTypeIdentifierDietaryEnergyConsumed: "9052-2",
  HKQuantityTypeIdentifierRestingHeartRate: "40443-4",
  HKQuantityTypeIdentifierHeartRateVariabilitySDNN: "80404-7",
  HKQuantityTypeIdentifierForcedExpiratoryVolume1: "20150-9",
  HKQuantityTypeIdentifierForcedVitalCapacity: "19868-9",
  HKQuantityTypeIdentifierPeakExpiratoryFlowRate: "19935-6",
};

/**
 * The codings of a quantity type: the HealthKit identifier, then LOINC where it maps. Blood glucose
 * is LOINC 2339-0 (mass/volume) or 15074-8 (moles/volume) by the unit it was recorded in.
 */
export function quantityCodings(type: string, ucumUnit: string | undefined): SourceCoding[] {
  const codings = [hkCoding(type)];
  if (type === "HKQuantityTypeIdentifierBloodGlucose") {
    codings.push(loincCoding(ucumUnit?.startsWith("mmol") ? "15074-8" : "2339-0"));
    return codings;
  }
  const loinc = LOINC_BY_TYPE[type];
  if (loinc !== undefined) codings.push(loincCoding(loinc));
  return codings;
}

/**
 * Apple writes counted quantities with the unit `count`; UCUM's annotations (§2.1: `{steps}` is the
 * unity 1 with a label) name what is counted, as the seeded variables' canonical units do.
 */
export const COUNT_UNIT_BY_TYPE: Readonly<Record<string, string>> = {
  HKQuantityTypeIdentifierStepCount: "{steps}",
  HKQuantityTypeIdentifierFlightsClimbed: "{flights}",
  HKQuantityTypeIdentifierSwimmingStrokeCount: "{strokes}",
  HKQuantityTypeIdentifierPushCount: "{pushes}",
  HKQuantityTypeIdentifierNumberOfTimesFallen: "{falls}",
  HKQuantityTypeIdentifierNumberOfAlcoholicBeverages: "{drink}",
  HKQuantityTypeIdentifierInhalerUsage: "{puffs}",
  HKQuantityTypeIdentifierUVExposure: "{index}",
  // Apple writes the nightly rate (disturbances per hour) with the unit `count`.
  HKQuantityTypeIdentifierAppleSleepingBreathingDisturbances: "{count}/h",
};

/** Workout totals name the distance type HealthKit samples for the activity (HKWorkoutActivityType). */
export function workoutDistanceType(activityType: string | undefined): string {
  const activity = (activityType ?? "").replace(/^HKWorkoutActivityType/, "");
  if (activity === "Cycling" || activity === "HandCycling") return "HKQuantityTypeIdentifierDistanceCycling";
  if (activity === "Swimming") return "HKQuantityTypeIdentifierDistanceSwimming";
  if (activity === "WheelchairWalkPace" || activity === "WheelchairRunPace") {
    return "HKQuantityTypeIdentifierDistanceWheelchair";
  }
  if (activity === "DownhillSkiing" || activity === "Snowboarding" || activity === "SnowSports") {
    return "HKQuantityTypeIdentifierDistanceDownhillSnowSports";
  }
  return "HKQuantityTypeIdentifierDistanceWalkingRunning";
}

/** The identifier of a workout as a whole (the seeded `workout-duration` variable's code). */
export const WORKOUT_TYPE = "HKWorkoutTypeIdentifier";
export const ACTIVE_ENERGY = "HKQuantityTypeIdentifierActiveEnergyBurned";
export const EXERCISE_TIME = "HKQuantityTypeIdentifierAppleExerciseTime";
export const MOVE_TIME = "HKQuantityTypeIdentifierAppleMoveTime";
export const STAND_HOUR = "HKCategoryTypeIdentifierAppleStandHour";
export const SLEEP_ANALYSIS = "HKCategoryTypeIdentifierSleepAnalysis";

/**
 * `HKCategoryValueSleepAnalysis` (https://developer.apple.com/documentation/healthkit/hkcategoryvaluesleepanalysis)
 * by raw value, for exports that write the number instead of the name.
 */
export const SLEEP_VALUES: readonly string[] = [
  "HKCategoryValueSleepAnalysisInBed",
  "HKCategoryValueSleepAnalysisAsleepUnspecified",
  "HKCategoryValueSleepAnalysisAwake",
  "HKCategoryValueSleepAnalysisAsleepCore",
  "HKCategoryValueSleepAnalysisAsleepDeep",
  "HKCategoryValueSleepAnalysisAsleepREM",
];

/** LOINC sleep-stage duration codes (93831-6 deep, 93830-8 light, 93829-0 REM) for Apple's stages. */
export const SLEEP_STAGE_LOINC: Readonly<Record<string, string>> = {
  HKCategoryValueSleepAnalysisAsleepCore: "93830-8",
  HKCategoryValueSleepAnalysisAsleepDeep: "93831-6",
  HKCategoryValueSleepAnalysisAsleepREM: "93829-0",
};

/** LOINC 93832-4 Sleep duration. */
export const SLEEP_DURATION_LOINC = "93832-4";

/**
 * `HKCategoryValueSeverity` placed on the seeded symptoms' 0–10 scale (0 not present, 1–3 mild,
 * 4–6 moderate, 7–10 severe): the middle of each band. `Unspecified` (present, severity not given)
 * has no place on it.
 */
export const SEVERITY_SCORE: Readonly<Record<string, number>> = {
  HKCategoryValueSeverityNotPresent: 0,
  HKCategoryValueSeverityMild: 2,
  HKCategoryValueSeverityModerate: 5,
  HKCategoryValueSeveritySevere: 8,
  // HKCategoryValuePresence (mood and sleep changes) and HKCategoryValueAppetiteChanges: only "none" scores.
  HKCategoryValuePresenceNotPresent: 0,
  HKCategoryValueAppetiteChangesNoChange: 0,
};

/** Category values that say a symptom was present without saying how strongly. */
export const UNRATED_PRESENT = new Set([
  "HKCategoryValueSeverityUnspecified",
  "HKCategoryValuePresencePresent",
  "HKCategoryValueAppetiteChangesUnspecified",
  "HKCategoryValueAppetiteChangesDecreased",
  "HKCategoryValueAppetiteChangesIncreased",
]);

/** `HKCategoryValueNotApplicable` types whose samples are timed sessions (minutes). */
export const SESSION_TYPES = new Set(["HKCategoryTypeIdentifierMindfulSession"]);
/** `HKCategoryValueNotApplicable` types whose samples are counted events (`{count}` 1 each). */
export const COUNTED_EVENT_TYPES = new Set([
  "HKCategoryTypeIdentifierToothbrushingEvent",
  "HKCategoryTypeIdentifierHandwashingEvent",
]);

/** Types that HealthKit correlations (`HKCorrelationTypeIdentifierBloodPressure`, `…Food`) group. */
export function correlatable(type: string): boolean {
  return type.startsWith("HKQuantityTypeIdentifierBloodPressure") || type.startsWith("HKQuantityTypeIdentifierDietary");
}
