/**
 * Body composition and anthropometrics beyond the FHIR vital signs (weight, height and BMI live in
 * vital-signs.ts): smart-scale and DEXA/BIA measures and tape measurements. LOINC, IEEE 11073 MDC
 * (MDC_BODY_FAT), Apple HealthKit and Open mHealth codes; synonyms include iHealth and Withings fields.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc, mdc, omh } from "./codes";

interface BodySpec {
  slug: string;
  name: string;
  unit: string;
  min: number;
  max: number;
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
}

/** A body measurement: an outcome, read as a state (the latest value of a bucket). */
function body(spec: BodySpec): VariableSeed {
  return {
    slug: spec.slug,
    name: spec.name,
    category: "body_composition",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: spec.min,
    validMax: spec.max,
    isInputFactor: false,
    isOutcome: true,
    combinationOperation: "last",
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
}

export const bodyCompositionVariables: readonly VariableSeed[] = [
  body({
    slug: "body-fat-percentage",
    name: "Body fat percentage",
    unit: "%",
    min: 1,
    max: 80,
    codes: [
      loinc("41982-0", "Percentage of body fat Measured"),
      mdc("188748", "MDC_BODY_FAT"),
      hk("HKQuantityTypeIdentifierBodyFatPercentage"),
      omh("body-fat-percentage"),
    ],
    synonyms: [
      "Body Fat",
      "Body Fat %",
      "Fat Percentage",
      "Fat ratio",
      "FatValue",
      "body_fat_percentage",
      "com.google.body.fat.percentage",
    ],
    description: "Fat mass as a percentage of body weight.",
  }),
  body({
    slug: "lean-body-mass",
    name: "Lean body mass",
    unit: "kg",
    min: 5,
    max: 250,
    codes: [hk("HKQuantityTypeIdentifierLeanBodyMass")],
    synonyms: ["Lean Body Mass", "Fat-free mass", "Fat Free Mass", "LBM", "FFM"],
    description: "Body weight minus fat mass.",
  }),
  body({
    slug: "fat-mass",
    name: "Fat mass",
    unit: "kg",
    min: 0.5,
    max: 400,
    codes: [],
    synonyms: ["Fat Mass", "Fat mass weight", "Body fat mass"],
    description: "Mass of body fat.",
  }),
  body({
    slug: "muscle-mass",
    name: "Muscle mass",
    unit: "kg",
    min: 5,
    max: 200,
    codes: [],
    synonyms: ["Muscle Mass", "MuscaleValue", "MuscleValue", "Skeletal muscle mass", "SMM"],
    description: "Muscle mass as a smart scale (bioimpedance) or DEXA reports it.",
  }),
  body({
    slug: "bone-mass",
    name: "Bone mass",
    unit: "kg",
    min: 0.2,
    max: 10,
    codes: [],
    synonyms: ["Bone Mass", "BoneValue", "Bone mineral content"],
    description: "Estimated bone mineral mass.",
  }),
  body({
    slug: "body-water-percentage",
    name: "Body water percentage",
    unit: "%",
    min: 20,
    max: 80,
    codes: [],
    synonyms: ["Body Water", "Hydration", "WaterValue", "Total body water %", "TBW"],
    description: "Total body water as a percentage of body weight.",
  }),
  body({
    slug: "visceral-fat-rating",
    name: "Visceral fat rating",
    unit: "{index}",
    min: 1,
    max: 60,
    codes: [],
    synonyms: ["Visceral Fat", "Visceral fat level", "Visceral fat index"],
    description: "A smart scale's visceral-fat level on its own dimensionless scale (typically 1-59).",
  }),
  body({
    slug: "waist-circumference",
    name: "Waist circumference",
    unit: "cm",
    min: 30,
    max: 300,
    codes: [
      loinc("8280-0", "Waist Circumference at umbilicus by Tape measure"),
      hk("HKQuantityTypeIdentifierWaistCircumference"),
    ],
    synonyms: ["Waist", "Waist Circumference", "Waist size"],
    description: "Waist circumference ([in_i] converts).",
  }),
  body({
    slug: "hip-circumference",
    name: "Hip circumference",
    unit: "cm",
    min: 40,
    max: 300,
    codes: [],
    synonyms: ["Hip", "Hips", "Hip Circumference"],
    description: "Hip circumference at the widest point.",
  }),
  body({
    slug: "waist-to-hip-ratio",
    name: "Waist-to-hip ratio",
    unit: "{ratio}",
    min: 0.4,
    max: 2,
    codes: [],
    synonyms: ["Waist-to-Hip Ratio", "WHR", "Waist/hip ratio"],
    description: "Waist circumference divided by hip circumference.",
  }),
  body({
    slug: "neck-circumference",
    name: "Neck circumference",
    unit: "cm",
    min: 15,
    max: 80,
    codes: [],
    synonyms: ["Neck", "Neck Circumference"],
    description: "Neck circumference.",
  }),
  body({
    slug: "body-surface-area",
    name: "Body surface area",
    unit: "m2",
    min: 0.1,
    max: 4,
    codes: [],
    synonyms: ["BSA", "Body Surface Area"],
    description: "Body surface area, usually derived from height and weight (Mosteller or DuBois formula).",
  }),
  body({
    slug: "basal-metabolic-rate",
    name: "Basal metabolic rate (estimated)",
    unit: "kcal/d",
    min: 300,
    max: 6000,
    codes: [],
    synonyms: ["BMR", "Basal Metabolic Rate", "Resting metabolic rate", "RMR"],
    description: "Estimated resting energy expenditure per day, as smart scales and metabolic tests report it.",
  }),
];
