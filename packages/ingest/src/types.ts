/**
 * The shapes the validation and normalization core works on. Items arrive shape-valid (the
 * `ObservationInput` schema of @dfda/core) and already resolved to one version of a variable; what
 * leaves is one row of the `observations` table per stored item (packages/db/src/schema.ts) and a
 * list of issues for the `ingest_issues` table.
 */
import type { Comparator, VariableDefinition } from "@dfda/core";

export type { VariableDefinition } from "@dfda/core";

/** One item after shape validation and variable resolution. */
export interface ObservationItem {
  /** Position in the original batch, so issues point at what the client sent. */
  index: number;
  variable: VariableDefinition;
  /** A number for numeric variables; a string for code and text; a boolean for boolean. */
  value: number | string | boolean;
  /** UCUM code as sent (case-sensitive); required where the variable has a canonical unit, except dimensionless ones. */
  unit?: string | undefined;
  /** Set when `value` is the bound of a censored measurement (`<` 5 for "<5"); numeric variables only. */
  comparator?: Comparator | undefined;
  startAt: Date;
  endAt?: Date | undefined;
  sourceId: string;
}

/** One row to store, in the columns of the `observations` table. */
export interface NormalizedObservation {
  index: number;
  variableId: string;
  variableVersion: number;
  startAt: Date;
  endAt: Date | null;
  /** Numeric value in the variable's canonical unit. */
  value: number | null;
  valueText: string | null;
  valueCode: string | null;
  valueBoolean: boolean | null;
  /** The variable's canonical unit at `variableVersion` (numeric only). */
  unit: string | null;
  /** The number as sent (numeric only), before any conversion. */
  originalValue: number | null;
  /** The unit as sent (numeric only); NULL when the client omitted a dimensionless unit. */
  originalUnit: string | null;
  /**
   * A censored value's comparator; `value` and `originalValue` are then its bound (in the canonical and
   * the sent unit). Null for an exact value.
   */
  comparator: Comparator | null;
  /** False when the value is outside the variable's valid range and the range severity is `flag`. */
  isValid: boolean;
  isOutlier: boolean;
  sourceId: string;
}

export const ISSUE_CODES = [
  "unit_required",
  "unit_invalid",
  "unit_incommensurable",
  "value_type",
  "out_of_range",
  "end_before_start",
  "in_future",
  "duplicate_in_batch",
  "outlier",
  "unit_conversion_needs_molecular_weight",
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** Severities as the `ingest_issues` table constrains them: `error` means the item was not stored. */
export type IssueSeverity = "info" | "warning" | "error";

export interface Issue {
  /** Position of the item in the original batch. */
  index: number;
  code: IssueCode;
  severity: IssueSeverity;
  message: string;
}
