/**
 * Cognitive performance, focus and memory: self-ratings on a 0-10 scale, reaction-time tests and the
 * total scores of validated screening instruments (LOINC MoCA 72172-0, MMSE 72106-8).
 */
import type { VariableSeed } from "../types";
import { variableBuilder } from "./builders";
import { loinc } from "./codes";

const cognitive = variableBuilder({ category: "cognitive", isInputFactor: false, isOutcome: true, combine: "mean" });

export const cognitiveVariables: readonly VariableSeed[] = [
  cognitive({
    slug: "focus-rating",
    name: "Focus",
    unit: "{score}",
    min: 0,
    max: 10,
    codes: [],
    synonyms: ["Focus", "Concentration", "Attention"],
    description: "Self-rated ability to focus on a 0-10 scale: 0 = cannot concentrate at all, 10 = fully focused.",
  }),
  cognitive({
    slug: "memory-rating",
    name: "Memory",
    unit: "{score}",
    min: 0,
    max: 10,
    codes: [],
    synonyms: ["Memory", "Recall"],
    description: "Self-rated memory on a 0-10 scale: 0 = very poor, 10 = excellent.",
  }),
  cognitive({
    slug: "mental-clarity",
    name: "Mental clarity",
    unit: "{score}",
    min: 0,
    max: 10,
    codes: [],
    synonyms: ["Mental Clarity", "Clarity", "Sharpness"],
    description: "Self-rated clarity of thinking on a 0-10 scale: 0 = very foggy, 10 = perfectly clear.",
  }),
  cognitive({
    slug: "productivity-rating",
    name: "Productivity",
    unit: "{score}",
    min: 0,
    max: 10,
    codes: [],
    synonyms: ["Productivity", "Work performance"],
    description: "Self-rated productivity on a 0-10 scale: 0 = got nothing done, 10 = highly productive.",
  }),
  cognitive({
    slug: "reaction-time",
    name: "Reaction time",
    unit: "ms",
    min: 100,
    max: 5000,
    codes: [],
    synonyms: ["Reaction Time", "Response time", "Psychomotor vigilance", "PVT"],
    description: "Mean simple reaction time in a reaction-time or psychomotor-vigilance test.",
  }),
  cognitive({
    slug: "moca-total",
    name: "MoCA total score",
    unit: "{score}",
    min: 0,
    max: 30,
    codes: [loinc("72172-0", "Total score [MoCA]")],
    synonyms: ["MoCA", "Montreal Cognitive Assessment", "MoCA score"],
    description: "Montreal Cognitive Assessment total, 0-30 (26 or more is usually considered normal).",
  }),
  cognitive({
    slug: "mmse-total",
    name: "MMSE total score",
    unit: "{score}",
    min: 0,
    max: 30,
    codes: [loinc("72106-8", "Total score [MMSE]")],
    synonyms: ["MMSE", "Mini-Mental State Examination", "MMSE score"],
    description: "Mini-Mental State Examination total, 0-30.",
  }),
];
