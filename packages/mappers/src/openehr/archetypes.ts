/**
 * The openEHR observation archetypes this mapper reads (CKM, https://ckm.openehr.org), the elements it
 * takes from each by archetype node id, and the LOINC code each element is. Node ids are the same in
 * every version of these archetypes and keep their meaning in specialisations (`at0004.1` specialises
 * `at0004`, ADL 1.4 §8.2.1), so any template built on them maps, whatever it calls its nodes.
 *
 * FLAT (simSDT) paths carry no node ids: a web template names each node after its archetype term
 * (openEHR ITS-REST "Simplified Data template", §"Web template": the term's English text in snake case),
 * so `flat` lists the ids the archetypes' English terms give (`Systolic` → `systolic`, `Height/Length`
 * → `height_length`, `SpO₂` → `spo`), plus the names templates commonly give them.
 */
import { CODE_SYSTEMS, type SourceCoding } from "@dfda/core";

const loinc = (code: string, display: string): SourceCoding => ({ system: CODE_SYSTEMS.loinc, code, display });

export interface ElementSpec {
  /** Archetype node id (ADL 1.4 at-code). */
  node: string;
  /** FLAT ids of the element. */
  flat: readonly string[];
  coding: SourceCoding;
  /** A DV_PROPORTION read as a percentage (SpO₂). */
  percent?: boolean;
}

export interface ArchetypeSpec {
  /** The concept part of `openEHR-EHR-OBSERVATION.<concept>.v<n>` (or the parent of a specialisation). */
  concept: string;
  /** FLAT ids of the observation. */
  flat: readonly string[];
  elements: readonly ElementSpec[];
}

export const ARCHETYPES: readonly ArchetypeSpec[] = [
  {
    // openEHR-EHR-OBSERVATION.blood_pressure.v2: data[at0001]/events[at0006]/data[at0003]/items[…]
    concept: "blood_pressure",
    flat: ["blood_pressure"],
    elements: [
      { node: "at0004", flat: ["systolic"], coding: loinc("8480-6", "Systolic blood pressure") },
      { node: "at0005", flat: ["diastolic"], coding: loinc("8462-4", "Diastolic blood pressure") },
      { node: "at1006", flat: ["mean_arterial_pressure"], coding: loinc("8478-0", "Mean blood pressure") },
    ],
  },
  {
    // openEHR-EHR-OBSERVATION.pulse.v2 (Pulse/Heart beat): data[at0002]/events[at0003]/data[at0001]/items[at0004] Rate
    concept: "pulse",
    flat: ["pulse_heart_beat", "pulse", "heart_rate", "pulse_rate"],
    elements: [{ node: "at0004", flat: ["rate", "heart_rate", "pulse_rate"], coding: loinc("8867-4", "Heart rate") }],
  },
  {
    // openEHR-EHR-OBSERVATION.heart_rate.v1 and its specialisation heart_rate-pulse (the older pulse archetype).
    concept: "heart_rate",
    flat: [],
    elements: [{ node: "at0004", flat: [], coding: loinc("8867-4", "Heart rate") }],
  },
  {
    // openEHR-EHR-OBSERVATION.body_weight.v2: data[at0002]/events[at0003]/data[at0001]/items[at0004] Weight
    concept: "body_weight",
    flat: ["body_weight"],
    elements: [{ node: "at0004", flat: ["weight", "body_weight"], coding: loinc("29463-7", "Body weight") }],
  },
  {
    // openEHR-EHR-OBSERVATION.height.v2: data[at0001]/events[at0002]/data[at0003]/items[at0004] Height/Length
    concept: "height",
    flat: ["height_length", "height", "body_height"],
    elements: [
      { node: "at0004", flat: ["height_length", "height", "body_height"], coding: loinc("8302-2", "Body height") },
    ],
  },
  {
    // openEHR-EHR-OBSERVATION.body_temperature.v2: data[at0002]/events[at0003]/data[at0001]/items[at0004] Temperature
    concept: "body_temperature",
    flat: ["body_temperature"],
    elements: [
      { node: "at0004", flat: ["temperature", "body_temperature"], coding: loinc("8310-5", "Body temperature") },
    ],
  },
  {
    // openEHR-EHR-OBSERVATION.pulse_oximetry.v1: data[at0001]/events[at0002]/data[at0003]/items[at0006] SpO₂ (DV_PROPORTION)
    concept: "pulse_oximetry",
    flat: ["pulse_oximetry"],
    elements: [
      {
        node: "at0006",
        flat: ["spo", "spo2", "spo₂"],
        coding: loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
        percent: true,
      },
    ],
  },
];

/** The laboratory result archetype: its analytes are CLUSTER.laboratory_test_analyte items. */
export const LAB_CONCEPT = "laboratory_test_result";
export const LAB_FLAT = ["laboratory_test_result"];
/** openEHR-EHR-CLUSTER.laboratory_test_analyte.v1: at0024 Analyte name, at0001 Analyte result. */
export const ANALYTE_ARCHETYPE = "openEHR-EHR-CLUSTER.laboratory_test_analyte";
export const ANALYTE_NAME = { node: "at0024", flat: ["analyte_name"] } as const;
export const ANALYTE_RESULT = { node: "at0001", flat: ["analyte_result", "result_value", "result"] } as const;

/** `openEHR-EHR-OBSERVATION.blood_pressure.v2` → `blood_pressure`; a specialisation gives its parent's concept. */
export function observationConcept(archetypeId: string): string | null {
  const m = /^openEHR-EHR-OBSERVATION\.([A-Za-z0-9_]+)(?:-[A-Za-z0-9_]+)*\.v\d+/.exec(archetypeId);
  return m?.[1] ?? null;
}

/** `at0004.1.2` → `at0004` (a specialised node means what its parent node means). */
export function baseNode(nodeId: string): string {
  return /^(at\d+)(?:\.\d+)*$/.exec(nodeId)?.[1] ?? nodeId;
}

export function archetypeByConcept(concept: string): ArchetypeSpec | undefined {
  return ARCHETYPES.find((a) => a.concept === concept);
}

export function archetypeByFlatId(id: string): ArchetypeSpec | undefined {
  return ARCHETYPES.find((a) => a.flat.includes(id));
}

/**
 * Units as openEHR data gives them, to UCUM. DV_QUANTITY.units is UCUM by the RM (Data Types IM
 * §6.2.6), but systems write display units (`°C`, `mmHg`, `bpm`); those are mapped, anything else kept.
 */
const UNIT_ALIASES: Record<string, string> = {
  "°C": "Cel",
  "℃": "Cel",
  "°c": "Cel",
  "°F": "[degF]",
  "℉": "[degF]",
  mmHg: "mm[Hg]",
  "mm Hg": "mm[Hg]",
  bpm: "/min",
  "beats/min": "/min",
  "1/min": "/min",
  "heart beats per minute": "/min",
  lb: "[lb_av]",
  lbs: "[lb_av]",
  in: "[in_i]",
  inch: "[in_i]",
};

export function ucumUnit(units: string): string {
  const trimmed = units.trim();
  return UNIT_ALIASES[trimmed] ?? trimmed;
}

/** A terminology id as openEHR writes it (`LOINC`, `SNOMED-CT`, a URI) → the coding system. */
export function terminologySystem(terminology: string): string | null {
  const t = terminology.trim();
  const upper = t.toUpperCase();
  if (upper === "LOINC" || t === CODE_SYSTEMS.loinc) return CODE_SYSTEMS.loinc;
  if (upper === "SNOMED-CT" || upper === "SNOMED CT" || upper === "SNOMEDCT" || t === CODE_SYSTEMS.snomed) {
    return CODE_SYSTEMS.snomed;
  }
  if (upper === "UCUM" || t === CODE_SYSTEMS.ucum) return CODE_SYSTEMS.ucum;
  if (/^[a-z][a-z0-9+.-]*:/i.test(t)) return t;
  return null;
}
