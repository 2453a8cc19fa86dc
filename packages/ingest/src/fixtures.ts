/**
 * Variable definitions and item builders for this package's tests, modelled on the seeded variables
 * (packages/reference/src/variables): units, ranges and molecular weights as seeded.
 */
import type { VariableDefinition } from "./types";

function variable(id: string, fields: Partial<VariableDefinition>): VariableDefinition {
  return {
    id,
    version: 1,
    valueType: "numeric",
    canonicalUnit: null,
    validMin: null,
    validMax: null,
    rangeSeverity: "flag",
    molecularWeight: null,
    ...fields,
  };
}

/** Glucose is stored in mmol/L; the molecular weight of glucose (C6H12O6) bridges mg/dL. */
export const GLUCOSE = variable("00000000-0000-4000-8000-000000000001", {
  canonicalUnit: "mmol/L",
  validMin: 0.5,
  validMax: 60,
  molecularWeight: 180.156,
});
/** The same substance with a mass canonical unit, for the molar → mass direction. */
export const GLUCOSE_MG_DL = variable("00000000-0000-4000-8000-000000000002", {
  canonicalUnit: "mg/dL",
  validMin: 9,
  validMax: 1081,
  molecularWeight: 180.156,
});
/** A mass concentration without a molecular weight: molar units cannot convert to it. */
export const CHOLESTEROL = variable("00000000-0000-4000-8000-000000000003", {
  canonicalUnit: "mg/dL",
  validMin: 20,
  validMax: 1000,
});
export const BODY_WEIGHT = variable("00000000-0000-4000-8000-000000000004", {
  canonicalUnit: "kg",
  validMin: 0.2,
  validMax: 650,
});
export const BODY_HEIGHT = variable("00000000-0000-4000-8000-000000000005", {
  canonicalUnit: "cm",
  validMin: 20,
  validMax: 275,
});
export const BODY_TEMPERATURE = variable("00000000-0000-4000-8000-000000000006", {
  canonicalUnit: "Cel",
  validMin: 25,
  validMax: 45,
});
export const HEART_RATE = variable("00000000-0000-4000-8000-000000000007", {
  canonicalUnit: "/min",
  validMin: 20,
  validMax: 300,
});
export const STEPS = variable("00000000-0000-4000-8000-000000000008", {
  canonicalUnit: "{steps}",
  validMin: 0,
  validMax: 200_000,
});
export const MOOD = variable("00000000-0000-4000-8000-000000000009", {
  canonicalUnit: "{score}",
  validMin: 1,
  validMax: 5,
});
export const OXYGEN_SATURATION = variable("00000000-0000-4000-8000-00000000000a", {
  canonicalUnit: "%",
  validMin: 50,
  validMax: 100,
});
export const INR = variable("00000000-0000-4000-8000-00000000000b", {
  canonicalUnit: "1",
  validMin: 0.5,
  validMax: 10,
});
export const BLOOD_GROUP = variable("00000000-0000-4000-8000-00000000000c", { valueType: "code" });
export const NOTE = variable("00000000-0000-4000-8000-00000000000d", { valueType: "text" });
export const SMOKED = variable("00000000-0000-4000-8000-00000000000e", { valueType: "boolean" });

export const SOURCE_A = "00000000-0000-4000-9000-00000000000a";
export const SOURCE_B = "00000000-0000-4000-9000-00000000000b";
