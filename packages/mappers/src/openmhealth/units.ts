/**
 * Open mHealth unit strings → UCUM codes. Open mHealth unit-value schemas take their units from the
 * "common synonyms (non-UCUM)" column of the UCUM subset (`mass-unit-value-1.x`, `length-unit-value-1.x`,
 * `duration-unit-value-1.x`, `temperature-unit-value-1.x`, …); the pipeline converts UCUM, so each is
 * renamed to its UCUM code here (a rename, not a conversion). Units not listed pass through as written.
 */
const OMH_TO_UCUM: Readonly<Record<string, string>> = {
  // mass-unit-value-1.x
  fg: "fg",
  pg: "pg",
  ng: "ng",
  ug: "ug",
  mg: "mg",
  g: "g",
  kg: "kg",
  "Metric Ton": "t",
  gr: "[gr]",
  oz: "[oz_av]",
  lb: "[lb_av]",
  Ton: "[ston_av]",
  // length-unit-value-1.x
  fm: "fm",
  pm: "pm",
  nm: "nm",
  um: "um",
  mm: "mm",
  cm: "cm",
  m: "m",
  km: "km",
  in: "[in_i]",
  ft: "[ft_i]",
  yd: "[yd_i]",
  mi: "[mi_i]",
  // duration-unit-value-1.x (UCUM: second is `s`, month `mo`, year `a`)
  ps: "ps",
  ns: "ns",
  us: "us",
  ms: "ms",
  sec: "s",
  min: "min",
  h: "h",
  d: "d",
  wk: "wk",
  Mo: "mo",
  yr: "a",
  // temperature-unit-value-1.x
  K: "K",
  F: "[degF]",
  C: "Cel",
  // the unit enums of individual body schemas
  "beats/min": "/min",
  "breaths/min": "/min",
  "%": "%",
  "mg/dL": "mg/dL",
  "mmol/L": "mmol/L",
  "kg/m2": "kg/m2",
  "kg/m^2": "kg/m2",
  kcal: "kcal",
  steps: "{steps}",
  ppm: "[ppm]",
  "mL/min": "mL/min",
  "L/min": "L/min",
  mmHg: "mm[Hg]",
};

/** The UCUM code of an Open mHealth unit, or the unit as written when it has no known equivalent. */
export function omhUnitToUcum(unit: string): string {
  return OMH_TO_UCUM[unit] ?? unit;
}

/**
 * HealthKit unit strings (`HKUnit` unitString, as granola's hk-quantity-sample carries them) whose
 * spelling differs from UCUM; the others (`g`, `kg`, `cm`, `mg/dL`, `kcal`, `%`) already are UCUM.
 */
const HK_TO_UCUM: Readonly<Record<string, string>> = {
  "count/min": "/min",
  degC: "Cel",
  degF: "[degF]",
  lb: "[lb_av]",
  oz: "[oz_av]",
  in: "[in_i]",
  ft: "[ft_i]",
  mi: "[mi_i]",
  yd: "[yd_i]",
  fl_oz_us: "[foz_us]",
  mmHg: "mm[Hg]",
  Cal: "[Cal]",
};

/** The UCUM code of a HealthKit unit string, or the unit as written. */
export function hkUnitToUcum(unit: string): string {
  return HK_TO_UCUM[unit] ?? unit;
}
