/**
 * Closed vocabularies of the reference data, shared by the database, the API schemas and the mappers.
 */

/** How a variable's values are typed (issue: value is a number, or a code/text/boolean). */
export const VALUE_TYPES = ["numeric", "code", "text", "boolean"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/**
 * How values of a variable combine over a time bucket: steps add up (`sum`), heart rate averages
 * (`mean`); `last` suits states such as weight read once a day, `max`/`min` suit peaks.
 */
export const COMBINATION_OPERATIONS = ["sum", "mean", "last", "max", "min"] as const;
export type CombinationOperation = (typeof COMBINATION_OPERATIONS)[number];

/** What validation does with a value outside a variable's valid range: log it, store it flagged, or reject it. */
export const RANGE_SEVERITIES = ["log", "flag", "reject"] as const;
export type RangeSeverity = (typeof RANGE_SEVERITIES)[number];

/** The seeded variable categories, in display order. Slugs are stable API values. */
export const VARIABLE_CATEGORIES = [
  {
    slug: "vital_signs",
    name: "Vital signs",
    description:
      "FHIR vital-signs profile measurements: heart rate, blood pressure, temperature, SpO2, respiration, height, weight, BMI.",
  },
  {
    slug: "laboratory",
    name: "Laboratory",
    description: "Results of laboratory tests on blood, urine and other specimens.",
  },
  {
    slug: "physical_activity",
    name: "Physical activity",
    description: "Steps, distance, energy expenditure, exercise minutes and workouts.",
  },
  { slug: "sleep", name: "Sleep", description: "Sleep duration, stages, efficiency and timing." },
  {
    slug: "body_composition",
    name: "Body composition",
    description: "Body fat, lean mass, waist circumference and other anthropometrics.",
  },
  {
    slug: "nutrition",
    name: "Nutrition",
    description: "Food and drink intake: energy, macronutrients, water, caffeine, alcohol.",
  },
  { slug: "symptoms", name: "Symptoms", description: "Self-reported symptom severity ratings." },
  { slug: "mood", name: "Mood", description: "Mood, emotions and mental-health ratings." },
  { slug: "treatments", name: "Treatments", description: "Drugs taken, with dose; RxNorm-coded where possible." },
  {
    slug: "supplements",
    name: "Supplements",
    description: "Vitamins, minerals and other supplements taken, with dose.",
  },
  { slug: "conditions", name: "Conditions", description: "Diagnoses and health conditions (ICD-10-CM, SNOMED CT)." },
  {
    slug: "environment",
    name: "Environment",
    description: "Air quality, temperature, light, noise and other exposures.",
  },
  {
    slug: "cardiovascular",
    name: "Cardiovascular",
    description: "Heart-rate variability, ECG-derived and other cardiac measures beyond the core vital signs.",
  },
  { slug: "respiratory", name: "Respiratory", description: "Lung function and breathing measures." },
  {
    slug: "reproductive_health",
    name: "Reproductive health",
    description: "Menstrual cycle, fertility and pregnancy observations.",
  },
  { slug: "cognitive", name: "Cognitive", description: "Cognitive performance, focus and memory measures." },
  {
    slug: "activities",
    name: "Activities",
    description: "Time spent in activities: meditation, screen time, social time.",
  },
  { slug: "immunizations", name: "Immunizations", description: "Vaccines received (CVX-coded)." },
] as const;
export type VariableCategorySlug = (typeof VARIABLE_CATEGORIES)[number]["slug"];
export const VARIABLE_CATEGORY_SLUGS = VARIABLE_CATEGORIES.map((c) => c.slug) as [
  VariableCategorySlug,
  ...VariableCategorySlug[],
];

/** Code system URIs as FHIR R4 names them (https://terminology.hl7.org/external_terminologies.html). */
export const CODE_SYSTEMS = {
  loinc: "http://loinc.org",
  snomed: "http://snomed.info/sct",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  mdc: "urn:iso:std:iso:11073:10101",
  cvx: "http://hl7.org/fhir/sid/cvx",
  ucum: "http://unitsofmeasure.org",
  openmhealth: "https://w3id.org/openmhealth/schemas/omh",
  appleHealth: "http://developer.apple.com/documentation/healthkit",
} as const;
export type CodeSystemKey = keyof typeof CODE_SYSTEMS;

/** The tenant that owns platform-wide reference data (units, categories, the seeded variables). */
export const SYSTEM_TENANT_ID = "00000000-0000-0000-0000-000000000000";
