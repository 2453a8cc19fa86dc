/**
 * Shapes of the reference data the platform seeds into every database.
 *
 * Seed files are plain TypeScript data so that `tsc` checks every entry against these types and the
 * seed script needs no parser. Each list names where its codes come from (`CODE_SOURCES`).
 */
import type { CombinationOperation, ValueType, VariableCategorySlug } from "@dfda/core";

/** A coding as FHIR R4 `Coding` carries it: a code system URI and a code in it. */
export interface CodingSeed {
  /** Code system URI, e.g. `http://loinc.org` (see `CODE_SYSTEMS` in @dfda/core). */
  system: string;
  code: string;
  /** The code system's own display text for the code. */
  display?: string;
}

export interface VariableSeed {
  /** Stable, human-readable key (kebab-case). It never changes once released: ids derive from it. */
  slug: string;
  name: string;
  category: VariableCategorySlug;
  valueType: ValueType;
  /**
   * Canonical UCUM unit (case-sensitive UCUM code, e.g. `/min`, `mmol/L`, `kg`, `{score}`, `1`) for
   * numeric variables; `null` for code, text and boolean variables.
   */
  canonicalUnit: string | null;
  /** Physiologically plausible range, in the canonical unit; values outside it are flagged by validation. */
  validMin?: number;
  validMax?: number;
  /** g/mol, for analytes where mass ↔ molar conversion is common (glucose 180.156, cholesterol 386.65 …). */
  molecularWeight?: number;
  /** Whether the variable can be a cause (a treatment, a behaviour) in an analysis. */
  isInputFactor: boolean;
  /** Whether the variable can be an effect (a symptom, a lab result) in an analysis. */
  isOutcome: boolean;
  /** How values combine over a time bucket: `sum` for steps, `mean` for heart rate. */
  combinationOperation: CombinationOperation;
  /** Codes that identify this variable; the first is the preferred one. */
  codes: CodingSeed[];
  /** Other names people and exports use (CSV headers, app labels). */
  synonyms?: string[];
  description?: string;
}
