/**
 * Time spent in activities and behaviours that may affect health: meditation, screens, social time,
 * outdoors, work, hygiene and tobacco. Apple HealthKit codes where HealthKit records them (mindful
 * sessions, toothbrushing, handwashing); LOINC 72166-2 for tobacco smoking status.
 */
import type { CodingSeed, VariableSeed } from "../../types";
import { hk, loinc } from "./codes";

interface ActivitySpec {
  slug: string;
  name: string;
  unit: string;
  max: number;
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
}

/** Time or count of an activity: a cause (input factor), summed within a time bucket. */
function timeSpent(spec: ActivitySpec): VariableSeed {
  return {
    slug: spec.slug,
    name: spec.name,
    category: "activities",
    valueType: "numeric",
    canonicalUnit: spec.unit,
    validMin: 0,
    validMax: spec.max,
    isInputFactor: true,
    isOutcome: false,
    combinationOperation: "sum",
    codes: spec.codes,
    synonyms: spec.synonyms,
    description: spec.description,
  };
}

export const activitiesVariables: readonly VariableSeed[] = [
  timeSpent({
    slug: "meditation",
    name: "Meditation / mindful minutes",
    unit: "min",
    max: 1440,
    codes: [hk("HKCategoryTypeIdentifierMindfulSession")],
    synonyms: ["Meditation", "Mindful Minutes", "Mindfulness", "Mindful Session", "Breathing exercise"],
    description: "Minutes of meditation or mindfulness practice.",
  }),
  timeSpent({
    slug: "screen-time",
    name: "Screen time",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Screen Time", "Phone usage", "Device time"],
    description: "Minutes spent looking at phone, computer or TV screens.",
  }),
  timeSpent({
    slug: "social-media-time",
    name: "Social media time",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Social Media", "Social media use"],
    description: "Minutes spent on social media.",
  }),
  timeSpent({
    slug: "social-time",
    name: "Time with others",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Social Time", "Time with friends", "Socializing"],
    description: "Minutes spent socialising in person.",
  }),
  timeSpent({
    slug: "time-outdoors",
    name: "Time outdoors",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Time Outdoors", "Time outside", "Outdoor time", "Nature time"],
    description: "Minutes spent outdoors.",
  }),
  timeSpent({
    slug: "work-hours",
    name: "Work hours",
    unit: "h",
    max: 24,
    codes: [],
    synonyms: ["Work Hours", "Hours worked", "Working time"],
    description: "Hours worked.",
  }),
  timeSpent({
    slug: "commute-time",
    name: "Commute time",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Commute", "Commute Time", "Travel time"],
    description: "Minutes spent commuting.",
  }),
  timeSpent({
    slug: "reading-time",
    name: "Reading time",
    unit: "min",
    max: 1440,
    codes: [],
    synonyms: ["Reading", "Reading time"],
    description: "Minutes spent reading.",
  }),
  timeSpent({
    slug: "sauna",
    name: "Sauna",
    unit: "min",
    max: 600,
    codes: [],
    synonyms: ["Sauna", "Sauna session", "Heat exposure"],
    description: "Minutes in a sauna.",
  }),
  timeSpent({
    slug: "cold-exposure",
    name: "Cold exposure",
    unit: "min",
    max: 600,
    codes: [],
    synonyms: ["Cold Exposure", "Cold plunge", "Ice bath", "Cold shower"],
    description: "Minutes of deliberate cold exposure.",
  }),
  timeSpent({
    slug: "toothbrushing",
    name: "Toothbrushing",
    unit: "{count}",
    max: 50,
    codes: [hk("HKCategoryTypeIdentifierToothbrushingEvent")],
    synonyms: ["Toothbrushing", "Brushing teeth"],
    description: "Number of toothbrushing sessions.",
  }),
  timeSpent({
    slug: "handwashing",
    name: "Handwashing",
    unit: "{count}",
    max: 200,
    codes: [hk("HKCategoryTypeIdentifierHandwashingEvent")],
    synonyms: ["Handwashing", "Hand washing"],
    description: "Number of handwashing events.",
  }),
  timeSpent({
    slug: "cigarettes-smoked",
    name: "Cigarettes smoked",
    unit: "{cigarettes}",
    max: 200,
    codes: [],
    synonyms: ["Cigarettes", "Cigarettes smoked", "Smoking"],
    description: "Number of cigarettes smoked.",
  }),
  {
    slug: "tobacco-smoking-status",
    name: "Tobacco smoking status",
    category: "activities",
    valueType: "code",
    canonicalUnit: null,
    isInputFactor: true,
    isOutcome: false,
    combinationOperation: "last",
    codes: [loinc("72166-2", "Tobacco smoking status")],
    synonyms: ["Smoking Status", "Tobacco use", "Smoker"],
    description: "Smoking status as a SNOMED CT finding (e.g. never smoker, former smoker, current every-day smoker).",
  },
];
