/**
 * Unit spellings people write in spreadsheet headers and unit columns, turned into UCUM codes
 * (The Unified Code for Units of Measure, https://ucum.org/ucum). Only the spelling changes: values
 * are never converted here (the ingestion pipeline converts with UCUM).
 */

/**
 * Common non-UCUM spellings → UCUM, keyed by the spelling in lower case with white space removed.
 * Spellings that differ only by case in UCUM (`Cal` vs `cal`) are handled in `toUcum`.
 */
const SPELLINGS: Readonly<Record<string, string>> = {
  // Rates per minute (UCUM §5.4: `/min` is 1 per minute; "beats" is not a unit).
  bpm: "/min",
  "beats/min": "/min",
  beatsperminute: "/min",
  "/min": "/min",
  "1/min": "/min",
  permin: "/min",
  perminute: "/min",
  "breaths/min": "/min",
  brpm: "/min",
  rpm: "/min",
  "count/min": "/min",
  // Mass (UCUM §4.4 customary units: [lb_av] avoirdupois pound, [oz_av], [stone_av]).
  kg: "kg",
  kgs: "kg",
  kilogram: "kg",
  kilograms: "kg",
  g: "g",
  gram: "g",
  grams: "g",
  mg: "mg",
  mcg: "ug",
  µg: "ug",
  μg: "ug",
  ug: "ug",
  lb: "[lb_av]",
  lbs: "[lb_av]",
  pound: "[lb_av]",
  pounds: "[lb_av]",
  oz: "[oz_av]",
  st: "[stone_av]",
  stone: "[stone_av]",
  // Temperature (UCUM: Cel and [degF] are special units on interval scales).
  "°c": "Cel",
  ºc: "Cel",
  degc: "Cel",
  "deg c": "Cel",
  celsius: "Cel",
  cel: "Cel",
  "°f": "[degF]",
  ºf: "[degF]",
  degf: "[degF]",
  fahrenheit: "[degF]",
  // Pressure.
  mmhg: "mm[Hg]",
  "mm[hg]": "mm[Hg]",
  // Concentrations.
  "mg/dl": "mg/dL",
  "mmol/l": "mmol/L",
  "g/dl": "g/dL",
  "mg/l": "mg/L",
  "ng/ml": "ng/mL",
  "pg/ml": "pg/mL",
  "µmol/l": "umol/L",
  "umol/l": "umol/L",
  // Ratios.
  "%": "%",
  percent: "%",
  pct: "%",
  // Length (UCUM §4.4: [in_i], [ft_i], [mi_i] international inch, foot, mile).
  mm: "mm",
  cm: "cm",
  m: "m",
  km: "km",
  in: "[in_i]",
  inch: "[in_i]",
  inches: "[in_i]",
  ft: "[ft_i]",
  feet: "[ft_i]",
  foot: "[ft_i]",
  mi: "[mi_i]",
  mile: "[mi_i]",
  miles: "[mi_i]",
  // Energy.
  kcal: "kcal",
  kj: "kJ",
  // Time.
  ms: "ms",
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  min: "min",
  mins: "min",
  minute: "min",
  minutes: "min",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  // Volume.
  l: "L",
  ml: "mL",
  dl: "dL",
  "fl oz": "[foz_us]",
  floz: "[foz_us]",
  // Counts (UCUM §2.1 annotations: {steps} is the unity 1 with a label).
  steps: "{steps}",
  step: "{steps}",
  // Speed, power, fitness.
  "m/s": "m/s",
  "km/h": "km/h",
  kph: "km/h",
  "km/hr": "km/h",
  mph: "[mi_i]/h",
  "ml/kg/min": "mL/kg/min",
  w: "W",
  iu: "[iU]",
  "kg/m2": "kg/m2",
  "kg/m²": "kg/m2",
};

/**
 * One-letter spellings that are units inside parentheses or brackets (`Temp (C)`) but too ambiguous
 * as a trailing word of a header (`Vitamin D`, `Grade A`).
 */
const BRACKET_ONLY: Readonly<Record<string, string>> = { c: "Cel", f: "[degF]" };

function spellingKey(unit: string): string {
  return unit.trim().toLowerCase().replace(/\s+/g, " ");
}

/** The UCUM code for a known spelling, or null. */
export function knownUcum(unit: string): string | null {
  const trimmed = unit.trim();
  // UCUM distinguishes the nutrition Calorie ([Cal], a kilocalorie) from the small calorie (cal).
  if (trimmed === "Cal" || trimmed === "Cals" || trimmed === "Calories") return "[Cal]";
  if (trimmed === "cal") return "cal";
  const key = spellingKey(trimmed);
  return SPELLINGS[key] ?? SPELLINGS[key.replace(/ /g, "")] ?? null;
}

/**
 * A unit as written → its UCUM code when the spelling is a known one (`bpm` → `/min`, `lbs` →
 * `[lb_av]`, `°C` → `Cel`), else the text as written (already UCUM, or for the pipeline to report).
 *
 * @example
 * toUcum("bpm"); // "/min"
 * toUcum("mg/dL"); // "mg/dL"
 */
export function toUcum(unit: string): string {
  return knownUcum(unit) ?? unit.trim();
}

/** Whether the text inside parentheses or brackets of a header reads as a unit, not a remark. */
function unitLike(text: string): boolean {
  if (knownUcum(text) !== null || BRACKET_ONLY[spellingKey(text)] !== undefined) return true;
  if (/\s/.test(text) || text.length > 20) return false;
  // UCUM-looking: a division, an annotation or bracketed atom, a percent, or a short symbol like mEq, m2.
  return /[/{[%^]/.test(text) || /^[A-Za-zµμ]{1,3}\d?$/.test(text);
}

/**
 * Words that are units when they end a header (`Weight kg`, `Exercise minutes`). Words that also read
 * as something else there are left out: `min` (minimum), `in`, `day`, `steps` (`Daily steps`), `h`.
 */
const TRAILING_WORDS = new Set([
  "kg",
  "kgs",
  "lb",
  "lbs",
  "mg",
  "mcg",
  "ug",
  "µg",
  "oz",
  "mm",
  "cm",
  "km",
  "ft",
  "mi",
  "miles",
  "kcal",
  "kj",
  "bpm",
  "mmhg",
  "ml",
  "ms",
  "sec",
  "secs",
  "seconds",
  "mins",
  "minutes",
  "hrs",
  "hours",
  "degc",
  "degf",
  "celsius",
  "fahrenheit",
  "pct",
  "percent",
]);

function trailingUnit(word: string): boolean {
  return /[/%°º[]/.test(word) || TRAILING_WORDS.has(word.toLowerCase());
}

/** A header split into the label to match and the unit it states. */
export interface HeaderUnit {
  label: string;
  /** UCUM code (or the unit as written), or null when the header states none. */
  unit: string | null;
}

/**
 * Splits the unit out of a column header: `Weight (kg)`, `Heart rate [bpm]`, `Glucose mg/dL`,
 * `height_cm`, `Body fat %`.
 *
 * @example
 * splitHeaderUnit("Heart rate [bpm]"); // { label: "Heart rate", unit: "/min" }
 * splitHeaderUnit("Steps"); // { label: "Steps", unit: null }
 */
export function splitHeaderUnit(header: string): HeaderUnit {
  const text = header.trim();
  const bracketed = bracketedUnit(text);
  if (bracketed !== null && unitLike(bracketed.inner)) {
    const inner = bracketed.inner;
    return { label: bracketed.label, unit: BRACKET_ONLY[spellingKey(inner)] ?? toUcum(inner) };
  }
  // A trailing word (`Glucose mg/dL`) or `_unit` suffix (`height_cm`) that is a known spelling.
  const trailing = trailingWord(text);
  if (trailing !== null && trailingUnit(trailing.word)) {
    const unit = knownUcum(trailing.word);
    if (unit !== null) return { label: trailing.label, unit };
  }
  return { label: text, unit: null };
}

/*
 * The two splits below are hand-written scans rather than regexes: the regexes they replace
 * (`^(.*?)\s*[([]\s*([^()[\]]+?)\s*[)\]]\s*$` and `^(.*?[^\s_])[\s_]+([^\s_]+)$`) had
 * overlapping quantifiers, so a crafted 4,000-character header backtracked for tens of seconds in
 * the API isolate (ReDoS, CWE-1333; issue 12). Each scan is one pass from the end, and returns what
 * the regex's groups held, for every input.
 */

/** What `.` does not match (ECMA-262 LineTerminator): a label holding one did not split. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const BRACKET = /[()[\]]/;

/** `Label (inner)` / `Label [inner]` of a trimmed header: the last bracket pair, inner trimmed. */
function bracketedUnit(text: string): { label: string; inner: string } | null {
  const close = text.at(-1);
  if (close !== ")" && close !== "]") return null;
  let open = text.length - 2;
  while (open >= 0 && !BRACKET.test(text.charAt(open))) open--;
  if (open < 0 || (text.charAt(open) !== "(" && text.charAt(open) !== "[")) return null;
  const segment = text.slice(open + 1, -1);
  // The regex needed one character inside; an all-space inside gave a space, never a unit.
  if (segment.length === 0) return null;
  const inner = segment.trim() === "" ? segment.charAt(segment.length - 1) : segment.trim();
  const label = text.slice(0, open).trimEnd();
  if (label === "" || LINE_TERMINATOR.test(label)) return null;
  return { label, inner };
}

const SEPARATOR = /[\s_]/;

/** `Label word` / `label_word`: the last run of non-separators, and the text before its separators. */
function trailingWord(text: string): { label: string; word: string } | null {
  let start = text.length;
  while (start > 0 && !SEPARATOR.test(text.charAt(start - 1))) start--;
  if (start === text.length) return null;
  let end = start;
  while (end > 0 && SEPARATOR.test(text.charAt(end - 1))) end--;
  if (end === start || end === 0) return null;
  const label = text.slice(0, end);
  if (LINE_TERMINATOR.test(label)) return null;
  return { label, word: text.slice(start) };
}
