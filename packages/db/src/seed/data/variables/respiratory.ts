/**
 * Lung function and breathing measures: spirometry, peak flow, supplemental oxygen (the US Core pulse
 * oximetry profile's flow-rate and concentration components), breath CO and inhaler use. LOINC,
 * Apple HealthKit and Open mHealth codes.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc, omh } from "./codes";

interface RespSpec {
  slug: string;
  name: string;
  unit: string;
  min: number;
  max: number;
  combine: "sum" | "mean" | "max" | "last";
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
  isInputFactor?: boolean;
}

function respiratory(spec: RespSpec): VariableSeed {
  return {
    slug: spec.slug,
    name: spec.name,
    category: "respiratory",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: spec.min,
    validMax: spec.max,
    isInputFactor: spec.isInputFactor ?? false,
    isOutcome: true,
    combinationOperation: spec.combine,
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
}

export const respiratoryVariables: readonly VariableSeed[] = [
  respiratory({
    slug: "fev1",
    name: "Forced expiratory volume in 1 second (FEV1)",
    unit: "L",
    min: 0.1,
    max: 10,
    combine: "mean",
    codes: [loinc("20150-9", "FEV1"), hk("HKQuantityTypeIdentifierForcedExpiratoryVolume1")],
    synonyms: ["FEV1", "Forced Expiratory Volume", "FEV 1"],
    description: "Volume exhaled in the first second of a forced breath (spirometry).",
  }),
  respiratory({
    slug: "fvc",
    name: "Forced vital capacity (FVC)",
    unit: "L",
    min: 0.1,
    max: 12,
    combine: "mean",
    codes: [loinc("19868-9", "FVC"), hk("HKQuantityTypeIdentifierForcedVitalCapacity")],
    synonyms: ["FVC", "Forced Vital Capacity"],
    description: "Total volume exhaled in a forced breath (spirometry).",
  }),
  respiratory({
    slug: "fev1-fvc-ratio",
    name: "FEV1/FVC ratio",
    unit: "%",
    min: 10,
    max: 100,
    combine: "mean",
    codes: [loinc("19926-5", "FEV1/FVC")],
    synonyms: ["FEV1/FVC", "Tiffeneau index", "FEV1 FVC ratio"],
    description: "FEV1 as a percentage of FVC.",
  }),
  respiratory({
    slug: "peak-expiratory-flow",
    name: "Peak expiratory flow (PEF)",
    unit: "L/min",
    min: 20,
    max: 1000,
    combine: "mean",
    codes: [
      loinc("19935-6", "Maximum expiratory gas flow Respiratory system airway by Peak flow meter"),
      hk("HKQuantityTypeIdentifierPeakExpiratoryFlowRate"),
    ],
    synonyms: ["Peak Flow", "PEF", "PEFR", "Peak Expiratory Flow Rate"],
    description: "Peak expiratory flow from a peak-flow meter.",
  }),
  respiratory({
    slug: "inhaled-oxygen-flow-rate",
    name: "Inhaled oxygen flow rate",
    unit: "L/min",
    min: 0,
    max: 100,
    combine: "mean",
    isInputFactor: true,
    codes: [loinc("3151-8", "Inhaled oxygen flow rate")],
    synonyms: ["O2 Flow Rate", "Oxygen flow", "Supplemental oxygen flow", "Inhaled oxygen flow rate"],
    description: "Flow of supplemental oxygen (a component of the US Core pulse-oximetry profile).",
  }),
  respiratory({
    slug: "inhaled-oxygen-concentration",
    name: "Inhaled oxygen concentration (FiO2)",
    unit: "%",
    min: 21,
    max: 100,
    combine: "mean",
    isInputFactor: true,
    codes: [loinc("3150-0", "Inhaled oxygen concentration")],
    synonyms: ["FiO2", "Inhaled oxygen concentration", "Oxygen concentration"],
    description: "Oxygen fraction of inspired gas (a component of the US Core pulse-oximetry profile).",
  }),
  respiratory({
    slug: "minute-ventilation",
    name: "Minute ventilation",
    unit: "L/min",
    min: 0.5,
    max: 250,
    combine: "mean",
    codes: [omh("minute-volume")],
    synonyms: ["Minute Volume", "Minute Ventilation", "VE"],
    description: "Volume of air breathed in or out per minute.",
  }),
  respiratory({
    slug: "breath-carbon-monoxide",
    name: "Exhaled carbon monoxide",
    unit: "[ppm]",
    min: 0,
    max: 500,
    combine: "mean",
    codes: [omh("breath-carbon-monoxide")],
    synonyms: ["Breath CO", "Exhaled CO", "eCO", "Carbon monoxide (breath)"],
    description: "Carbon monoxide in exhaled breath, parts per million (a smoking-exposure marker).",
  }),
  respiratory({
    slug: "inhaler-usage",
    name: "Inhaler uses",
    unit: "{puffs}",
    min: 0,
    max: 200,
    combine: "sum",
    isInputFactor: true,
    codes: [hk("HKQuantityTypeIdentifierInhalerUsage")],
    synonyms: ["Inhaler Usage", "Inhaler puffs", "Rescue inhaler uses", "Puffs"],
    description: "Number of inhaler actuations (puffs); the drug itself is recorded as a treatment.",
  }),
];
