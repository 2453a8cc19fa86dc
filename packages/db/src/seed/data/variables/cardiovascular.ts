/**
 * Cardiac measures beyond the core vital signs: resting and walking heart rate, heart-rate
 * variability, ECG intervals, fitness and rhythm notifications. LOINC (40443-4, 80404-7, 8636-3),
 * Apple HealthKit and Open mHealth (rr-interval) codes.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc, omh } from "./codes";

interface CardioSpec {
  slug: string;
  name: string;
  unit: string;
  min: number;
  max: number;
  combine: "sum" | "mean" | "max" | "min" | "last";
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
}

function cardio(spec: CardioSpec): VariableSeed {
  return {
    slug: spec.slug,
    name: spec.name,
    category: "cardiovascular",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: spec.min,
    validMax: spec.max,
    isInputFactor: false,
    isOutcome: true,
    combinationOperation: spec.combine,
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
}

function rhythmEvent(
  slug: string,
  name: string,
  codes: CodingSeed[],
  synonyms: string[],
  description: string,
): VariableSeed {
  return {
    slug,
    name,
    category: "cardiovascular",
    valueType: "boolean",
    canonicalUnit: null,
    isInputFactor: false,
    isOutcome: true,
    combinationOperation: "last",
    codes,
    synonyms,
    description,
  };
}

export const cardiovascularVariables: readonly VariableSeed[] = [
  cardio({
    slug: "resting-heart-rate",
    name: "Resting heart rate",
    unit: "/min",
    min: 20,
    max: 200,
    combine: "mean",
    codes: [loinc("40443-4", "Heart rate --resting"), hk("HKQuantityTypeIdentifierRestingHeartRate")],
    synonyms: ["Resting Heart Rate", "RHR", "Resting HR", "restingHeartRate", "resting_heartrate", "Resting pulse"],
    description: "Heart rate at rest, usually a daily value computed by a wearable.",
  }),
  cardio({
    slug: "walking-heart-rate",
    name: "Walking heart rate average",
    unit: "/min",
    min: 30,
    max: 250,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierWalkingHeartRateAverage")],
    synonyms: ["Walking Heart Rate Average", "Walking HR", "Walking heart rate"],
    description: "Average heart rate while walking.",
  }),
  cardio({
    slug: "max-heart-rate",
    name: "Maximum heart rate",
    unit: "/min",
    min: 40,
    max: 300,
    combine: "max",
    codes: [],
    synonyms: ["Max Heart Rate", "Peak heart rate", "Max HR", "HRmax"],
    description: "Highest heart rate of a period or workout.",
  }),
  cardio({
    slug: "heart-rate-variability-sdnn",
    name: "Heart rate variability (SDNN)",
    unit: "ms",
    min: 1,
    max: 500,
    combine: "mean",
    codes: [
      loinc("80404-7", "R-R interval.standard deviation (Heart rate variability)"),
      hk("HKQuantityTypeIdentifierHeartRateVariabilitySDNN"),
    ],
    synonyms: ["HRV", "HRV SDNN", "SDNN", "Heart Rate Variability", "heartRateVariabilitySDNN"],
    description: "Standard deviation of normal-to-normal beat intervals (Apple Watch and ECG).",
  }),
  cardio({
    slug: "heart-rate-variability-rmssd",
    name: "Heart rate variability (RMSSD)",
    unit: "ms",
    min: 1,
    max: 500,
    combine: "mean",
    codes: [],
    synonyms: ["RMSSD", "HRV RMSSD", "Nightly HRV", "Average HRV"],
    description: "Root mean square of successive beat-interval differences (Oura, Whoop, Fitbit, Garmin nightly HRV).",
  }),
  cardio({
    slug: "rr-interval",
    name: "R-R interval",
    unit: "ms",
    min: 200,
    max: 3000,
    combine: "mean",
    codes: [omh("rr-interval")],
    synonyms: ["RR Interval", "R-R interval", "Inter-beat interval", "IBI", "NN interval"],
    description: "Time between successive R waves (beat-to-beat interval).",
  }),
  cardio({
    slug: "heart-rate-recovery",
    name: "Heart rate recovery (1 minute)",
    unit: "/min",
    min: 0,
    max: 150,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierHeartRateRecoveryOneMinute")],
    synonyms: ["Heart Rate Recovery", "HRR", "Cardio Recovery"],
    description: "Drop in heart rate one minute after stopping exercise.",
  }),
  cardio({
    slug: "vo2-max",
    name: "VO2 max",
    unit: "mL/min/kg",
    min: 5,
    max: 100,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierVO2Max")],
    synonyms: ["VO2 Max", "VO2max", "Cardio Fitness", "Maximal oxygen uptake"],
    description: "Maximal oxygen uptake per kilogram of body weight (measured or estimated by a wearable).",
  }),
  cardio({
    slug: "atrial-fibrillation-burden",
    name: "Atrial fibrillation burden",
    unit: "%",
    min: 0,
    max: 100,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierAtrialFibrillationBurden")],
    synonyms: ["AFib History", "AFib Burden", "Atrial Fibrillation Burden"],
    description: "Share of time in atrial fibrillation, as Apple Watch AFib History estimates it weekly.",
  }),
  cardio({
    slug: "qtc-interval",
    name: "QTc interval",
    unit: "ms",
    min: 200,
    max: 800,
    combine: "mean",
    codes: [loinc("8636-3", "Q-T interval corrected")],
    synonyms: ["QTc", "Corrected QT", "QTc interval"],
    description: "Heart-rate-corrected QT interval from an ECG.",
  }),
  cardio({
    slug: "peripheral-perfusion-index",
    name: "Peripheral perfusion index",
    unit: "%",
    min: 0,
    max: 30,
    combine: "mean",
    codes: [hk("HKQuantityTypeIdentifierPeripheralPerfusionIndex")],
    synonyms: ["Perfusion Index", "PI", "Peripheral Perfusion Index"],
    description: "Pulsatile to non-pulsatile blood flow ratio at the sensor site (pulse oximeter).",
  }),
  cardio({
    slug: "pulse-wave-velocity",
    name: "Pulse wave velocity",
    unit: "m/s",
    min: 2,
    max: 30,
    combine: "mean",
    codes: [],
    synonyms: ["Pulse Wave Velocity", "PWV", "Arterial stiffness"],
    description: "Speed of the arterial pulse wave, a measure of arterial stiffness (e.g. Withings scales).",
  }),
  rhythmEvent(
    "irregular-rhythm-notification",
    "Irregular rhythm notification",
    [hk("HKCategoryTypeIdentifierIrregularHeartRhythmEvent")],
    ["Irregular Rhythm Notification", "Irregular heart rhythm event"],
    "A wearable flagged an irregular rhythm suggestive of atrial fibrillation (true when notified).",
  ),
  rhythmEvent(
    "high-heart-rate-notification",
    "High heart rate notification",
    [hk("HKCategoryTypeIdentifierHighHeartRateEvent")],
    ["High Heart Rate Notification", "High heart rate event"],
    "A wearable flagged a high heart rate while inactive (true when notified).",
  ),
  rhythmEvent(
    "low-heart-rate-notification",
    "Low heart rate notification",
    [hk("HKCategoryTypeIdentifierLowHeartRateEvent")],
    ["Low Heart Rate Notification", "Low heart rate event"],
    "A wearable flagged a low heart rate (true when notified).",
  ),
];
