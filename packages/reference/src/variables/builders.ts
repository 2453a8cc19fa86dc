/**
 * The one constructor the variable seed files build their entries with: each file calls
 * `variableBuilder` once with what its category's variables share, then writes every variable as a
 * compact spec (`unit`, `min`, `max`, `combine` …) instead of a whole `VariableSeed`.
 */
import type { CombinationOperation, ValueType, VariableCategorySlug } from "@dfda/core";
import type { CodingSeed, VariableSeed } from "../types";

/** One variable as a seed file writes it; `variableBuilder` turns it into a `VariableSeed`. */
export interface VariableSpec {
  slug: string;
  name: string;
  /** Default `numeric`. */
  valueType?: ValueType;
  /** `canonicalUnit`: a UCUM unit, or `null` for code, text and boolean variables. */
  unit: string | null;
  /** `validMin`. */
  min?: number;
  /** `validMax`. */
  max?: number;
  /** `combinationOperation`. */
  combine: CombinationOperation;
  isInputFactor: boolean;
  isOutcome: boolean;
  codes: CodingSeed[];
  synonyms: string[];
  description: string;
  molecularWeight?: number;
}

/** What all variables of a builder share: the category, and spec fields a spec may then leave out or override. */
export type VariableDefaults = { category: VariableCategorySlug } & Partial<
  Omit<VariableSpec, "slug" | "name" | "codes" | "synonyms" | "description" | "molecularWeight">
>;

/** A spec in which the fields the defaults `D` give are optional. */
export type SpecWith<D> = Omit<VariableSpec, keyof D> &
  Partial<Pick<VariableSpec, Extract<keyof D, keyof VariableSpec>>>;

/**
 * Returns a function that builds a `VariableSeed` from a spec, filling in `defaults` for what the spec
 * leaves out. Optional keys (`validMin`, `validMax`, `molecularWeight`) are set only when given.
 *
 * @example
 * const lab = variableBuilder({ category: "laboratory", isInputFactor: false, isOutcome: true, combine: "mean" });
 * lab({ slug: "hemoglobin", name: "Hemoglobin", unit: "g/dL", min: 1, max: 25, codes: [], synonyms: [], description: "…" });
 */
export function variableBuilder<D extends VariableDefaults>(defaults: D): (spec: SpecWith<D>) => VariableSeed {
  const { category, ...shared } = defaults;
  return (spec) => {
    // A spec lacks only fields the defaults give, so together they make a whole `VariableSpec`
    // (which TypeScript cannot follow through the generic `D`).
    const s = { ...shared, ...spec } as unknown as VariableSpec;
    return {
      slug: s.slug,
      name: s.name,
      category,
      valueType: s.valueType ?? "numeric",
      canonicalUnit: s.unit,
      ...(s.min === undefined ? {} : { validMin: s.min }),
      ...(s.max === undefined ? {} : { validMax: s.max }),
      isInputFactor: s.isInputFactor,
      isOutcome: s.isOutcome,
      combinationOperation: s.combine,
      codes: s.codes,
      synonyms: s.synonyms,
      description: s.description,
      ...(s.molecularWeight === undefined ? {} : { molecularWeight: s.molecularWeight }),
    };
  };
}

/**
 * A positional builder for a dose taken (treatments.ts, supplements.ts): a cause, summed within a time
 * bucket, from 0 to `maxDaily` in `unit` (default mg); the description is `note` plus the unit in words.
 *
 * @example
 * const drug = doseBuilder("treatments");
 * drug("metformin", "Metformin", [rxnorm("6809", "metformin")], ["Metformin"], 6000, "Biguanide for type 2 diabetes.");
 */
export function doseBuilder(
  category: VariableCategorySlug,
): (
  slug: string,
  name: string,
  codes: CodingSeed[],
  synonyms: string[],
  maxDaily: number,
  note: string,
  unit?: string,
) => VariableSeed {
  const dose = variableBuilder({ category, min: 0, isInputFactor: true, isOutcome: false, combine: "sum" });
  return (slug, name, codes, synonyms, maxDaily, note, unit = "mg") => {
    const words = unit === "mg" ? "milligrams" : unit === "[iU]" ? "international units" : unit;
    return dose({ slug, name, unit, max: maxDaily, codes, synonyms, description: `${note} Dose taken, in ${words}.` });
  };
}
