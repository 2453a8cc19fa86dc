/**
 * UCUM units for the `units` table: every unit ucum-lhc defines (atoms, with UCUM's name, property and
 * synonyms) plus the ~1,360 units of FHIR's `ucum-common` value set that people actually send
 * (composites such as `mg/dL`, `mmol/L`, `10*3/uL`), each validated and dimensioned by ucum-lhc.
 */
import ucum from "@lhncbc/ucum-lhc";
// Imported, not read from disk, so the package does no I/O and the list travels with whatever bundles it.
import ucumCommon from "./fhir/ValueSet-ucum-common.json" with { type: "json" };

export interface UnitSeed {
  code: string;
  name: string;
  property: string | null;
  dimension: string | null;
  isCommon: boolean;
  isBase: boolean;
  synonyms: string[];
}

/** ucum-lhc's dimension vector order (ucum-lhc `config.js` `dimVecIndexToBaseUnit_`). */
const DIMENSION_SYMBOLS = ["L", "T", "M", "A", "C", "Q", "F"] as const;

/** Dimension as text, e.g. `L-3.M1` for mass concentration, `mol1.L-3` for substance concentration. */
export function formatDimension(dimVec: readonly number[] | null | undefined, moleExp: number): string | null {
  const parts: string[] = [];
  if (moleExp !== 0) parts.push(`mol${moleExp}`);
  (dimVec ?? []).forEach((exp, i) => {
    if (exp !== 0) parts.push(`${DIMENSION_SYMBOLS[i] ?? `D${i}`}${exp}`);
  });
  return parts.length === 0 ? null : parts.join(".");
}

/**
 * Names the kind of quantity for the dimensions clinical data uses most, so a composite like
 * `mmol/L` gets a property even though UCUM only names properties of atoms.
 */
const PROPERTY_BY_DIMENSION: Record<string, string> = {
  L1: "length",
  L2: "area",
  L3: "volume",
  M1: "mass",
  T1: "time",
  "T-1": "frequency",
  C1: "temperature",
  "L-3.M1": "mass concentration",
  "mol1.L-3": "substance concentration",
  "L-3": "number concentration",
  mol1: "amount of substance",
  "mol1.M-1": "substance content",
  "L-1.T-2.M1": "pressure",
  "L2.T-2.M1": "energy",
  "L2.T-3.M1": "power",
  "L-2.M1": "areal mass",
  "L1.T-1": "velocity",
  "L3.T-1": "volumetric flow rate",
  "M1.T-1": "mass rate",
  "mol1.T-1": "catalytic activity",
  "mol1.L-3.T-1": "catalytic concentration",
};

function propertyOf(dimension: string | null): string | null {
  return dimension === null ? null : (PROPERTY_BY_DIMENSION[dimension] ?? null);
}

export function loadUnitSeeds(): UnitSeed[] {
  const utils = ucum.UcumLhcUtils.getInstance();
  const tables = ucum.UnitTables.getInstance();
  const byCode = new Map<string, UnitSeed>();

  for (const code of tables.getAllUnitCodes()) {
    const unit = tables.getUnitByCode(code);
    if (!unit) continue;
    const dimension = formatDimension(unit.dim_?.dimVec_, unit.moleExp_ ?? 0);
    byCode.set(code, {
      code,
      name: unit.name_,
      // Prefer the dimension's name: ucum-lhc's property for composites comes from LOINC and can be
      // coarse (it calls mg/dL "mass").
      property: propertyOf(dimension) ?? (unit.property_ || (dimension === null ? "dimensionless" : null)),
      dimension,
      isCommon: false,
      isBase: Boolean(unit.isBase_),
      synonyms: (unit.synonyms_ ?? "")
        .split(";")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    });
  }

  const valueSet: {
    compose: { include: ReadonlyArray<{ concept?: ReadonlyArray<{ code: string; display?: string }> }> };
  } = ucumCommon;
  for (const concept of valueSet.compose.include.flatMap((inc) => inc.concept ?? [])) {
    const existing = byCode.get(concept.code);
    if (existing) {
      existing.isCommon = true;
      if (existing.name === "" && concept.display) existing.name = concept.display;
      continue;
    }
    const validation = utils.validateUnitString(concept.code, false);
    if (validation.status !== "valid") continue;
    // getSpecifiedUnit parses the composite into one unit with its dimension and mole exponent.
    const parsed = utils.getSpecifiedUnit(concept.code, "validate", false);
    const dimension = parsed.unit ? formatDimension(parsed.unit.dim_?.dimVec_, parsed.unit.moleExp_ ?? 0) : null;
    byCode.set(concept.code, {
      code: concept.code,
      name: concept.display ?? parsed.unit?.name_ ?? concept.code,
      property: propertyOf(dimension) ?? (dimension === null ? "dimensionless" : null),
      dimension,
      isCommon: true,
      isBase: false,
      synonyms: [],
    });
  }
  return [...byCode.values()];
}
