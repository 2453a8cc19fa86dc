/**
 * HealthKit unit strings (HKUnit `unitString`, as export.xml writes them) → UCUM codes. Only the
 * spelling changes, never the value, with one exception of meaning rather than spelling: HealthKit's
 * `%` (HKUnit.percent()) holds a fraction (0.97 = 97 %), so it is UCUM `1`, not `%`.
 */
import { COUNT_UNIT_BY_TYPE } from "./hk";

/** HKUnit atoms that UCUM spells differently. Atoms UCUM shares (kg, mL, kcal, km, s, ms, W) pass through. */
const ATOMS: Readonly<Record<string, string>> = {
  lb: "[lb_av]",
  oz: "[oz_av]",
  st: "[stone_av]",
  mi: "[mi_i]",
  ft: "[ft_i]",
  in: "[in_i]",
  yd: "[yd_i]",
  degF: "[degF]",
  degC: "Cel",
  mmHg: "mm[Hg]",
  cmAq: "cm[H2O]",
  inHg: "[in_i'Hg]",
  hr: "h",
  mcg: "ug",
  mcS: "uS",
  mcL: "uL",
  IU: "[iU]",
  // HealthKit's large (food) calorie is a kilocalorie: UCUM's nutrition-label Calorie [Cal].
  Cal: "[Cal]",
  fl_oz_us: "[foz_us]",
  fl_oz_imp: "[foz_br]",
  cup_us: "[cup_us]",
  cup_imp: "[cup_br]",
  pt_us: "[pt_us]",
  pt_imp: "[pt_br]",
  dBASPL: "dB[SPL]",
  count: "{count}",
};

function atoms(expression: string): string {
  return expression.replace(/[A-Za-z_]+/g, (atom) => ATOMS[atom] ?? atom).replace(/[·*]/g, ".");
}

/**
 * A HealthKit unit → UCUM: `count/min` → `/min`, `lb` → `[lb_av]`, `degC` → `Cel`, `mmHg` →
 * `mm[Hg]`, `hr` → `h`, `mmol<180.15588>/L` → `mmol/L`, `mL/(kg*min)` → `mL/(kg.min)`, `count` →
 * the counted thing's annotation for `type` (`{steps}` for HKQuantityTypeIdentifierStepCount).
 *
 * @example
 * appleUnitToUcum("count/min"); // "/min"
 * appleUnitToUcum("count", "HKQuantityTypeIdentifierStepCount"); // "{steps}"
 */
export function appleUnitToUcum(unit: string, type?: string): string {
  // Molar units carry the molar mass in angle brackets (`mmol<180.1558800000541>/L`), which UCUM lacks.
  const text = unit.trim().replace(/<[^<>]*>/g, "");
  if (text === "") return text;
  if (text === "%") return "1";
  if (text === "count") return (type === undefined ? undefined : COUNT_UNIT_BY_TYPE[type]) ?? "{count}";
  // `count/min`: a count per time is UCUM's `/min` (the unity over minutes).
  if (text.startsWith("count/")) return `/${atoms(text.slice("count/".length))}`;
  const slash = text.indexOf("/");
  if (slash === -1) return atoms(text);
  // UCUM reads `a/b.c` as (a/b)·c (§2.2 operators, left to right), HealthKit's `kcal/hr·kg` as a/(b·c).
  const numerator = atoms(text.slice(0, slash));
  const denominator = atoms(text.slice(slash + 1));
  const grouped = /[.]/.test(denominator) && !/^\(.*\)$/.test(denominator) ? `(${denominator})` : denominator;
  return `${numerator}/${grouped}`;
}
