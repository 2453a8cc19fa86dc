/**
 * Validation and normalization of one batch: per item, decide whether it is stored and in which
 * columns, and report what was wrong or noteworthy. Pure: no database, no network, no clock (the
 * caller passes `now`), so the same batch gives the same answer in the queue consumer, in an import
 * preview and in tests.
 *
 * Per item, in this order (the first error rejects the item and ends its checks):
 *   1. duplicate of an item of this batch already stored → skipped, `info`
 *   2. timestamps: end before start, or start/end beyond now + skew → `error`
 *   3. value type → `error`
 *   4. unit: required, valid UCUM, convertible to the canonical unit → `error`
 *   5. valid range, after conversion → `info` / `warning` (stored, flagged) / `error` by severity
 *
 * A censored value (`comparator` set: "<5" is `<` with 5) is a measurement whose `value` is a bound.
 * Only numeric variables take one (FHIR R4 allows `comparator` on Quantity alone); the bound converts
 * like any value, and the comparator would turn round were a conversion to decrease (a logarithmic unit
 * such as [pH] against mol/L). It is out of range only when no value it admits is within the range.
 */
import type { Comparator, RangeSeverity } from "@dfda/core";
import type { Issue, IssueCode, IssueSeverity, NormalizedObservation, ObservationItem } from "./types";
import { convertToCanonical, isDimensionlessDefault } from "./units";

/** Default tolerance for clocks of devices and clients that run slightly ahead of ours. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Longest code value (a coded answer such as a LOINC answer or SNOMED CT code, never prose). */
export const MAX_CODE_LENGTH = 256;

/** Longest free-text value. */
export const MAX_TEXT_LENGTH = 10_000;

export interface NormalizeOptions {
  /** The instant "now" for the future check; passed in so the core stays deterministic. */
  now: Date;
  /** How far beyond `now` a timestamp may lie before it counts as in the future; default 5 minutes. */
  maxFutureSkewMs?: number | undefined;
  /** The tenant's range severity for a variable, where it differs from the variable's own. */
  rangeSeverityOverride?: ((variableId: string) => RangeSeverity | undefined) | undefined;
}

export interface NormalizeResult {
  /** Rows to store, in batch order. */
  accepted: NormalizedObservation[];
  issues: Issue[];
  /** Items not stored because of an error. */
  rejected: number;
  /** Items skipped as repeats of an earlier stored item of the batch (same variable, start and source). */
  duplicates: number;
  /** Stored items with `isValid = false` (out of range under severity `flag`). */
  flagged: number;
}

/** A check that fails an item: it is not stored, and this becomes its `error` issue. */
interface Rejection {
  code: IssueCode;
  message: string;
}

/** The value columns of a stored row. */
type ValueColumns = Pick<
  NormalizedObservation,
  "value" | "valueText" | "valueCode" | "valueBoolean" | "unit" | "originalValue" | "originalUnit" | "comparator"
>;

const NO_VALUE: ValueColumns = {
  value: null,
  valueText: null,
  valueCode: null,
  valueBoolean: null,
  unit: null,
  originalValue: null,
  originalUnit: null,
  comparator: null,
};

/** The comparator that says the same of the converted bound when the conversion decreases. */
const REVERSED: Record<Comparator, Comparator> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/**
 * Length in Unicode code points, so a limit means characters as people count them rather than
 * UTF-16 units; only strings whose UTF-16 length exceeds the limit need counting.
 */
function exceedsLength(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) {
    if (++count > max) return true;
  }
  return false;
}

function checkTimestamps(item: ObservationItem, latest: number): Rejection | null {
  const start = item.startAt.getTime();
  const end = item.endAt?.getTime();
  if (end !== undefined && end < start) {
    return {
      code: "end_before_start",
      message: `end_at ${item.endAt?.toISOString()} is before start_at ${item.startAt.toISOString()}.`,
    };
  }
  // Exactly now + skew is still accepted: the limit is inclusive.
  if (start > latest || (end !== undefined && end > latest)) {
    const which = start > latest ? "start_at" : "end_at";
    const at = start > latest ? item.startAt : item.endAt;
    return {
      code: "in_future",
      message: `${which} ${at?.toISOString()} is later than the server time plus the allowed clock skew (${new Date(latest).toISOString()}).`,
    };
  }
  return null;
}

/** The numeric value in the canonical unit, with what was sent beside it. */
function numericColumns(item: ObservationItem, value: number): ValueColumns | Rejection {
  if (!Number.isFinite(value)) {
    return { code: "value_type", message: `The variable is numeric and ${value} is not a finite number.` };
  }
  const canonical = item.variable.canonicalUnit;
  const sent = item.unit;
  const comparator = item.comparator ?? null;
  const columns = { ...NO_VALUE, originalValue: value, originalUnit: sent ?? null, comparator };

  if (sent === undefined) {
    if (canonical === null) return { ...columns, value };
    if (isDimensionlessDefault(canonical)) return { ...columns, value, unit: canonical };
    return { code: "unit_required", message: `The variable is measured in "${canonical}"; send the value's unit.` };
  }
  if (sent === canonical) return { ...columns, value, unit: canonical };
  const converted = convertToCanonical(value, sent, item.variable);
  if (!converted.ok) return { code: converted.code, message: converted.message };
  if (comparator !== null) {
    // UCUM's ratio and interval scales convert increasingly; a special unit on a non-ratio scale need
    // not (pH against mol/L decreases; ucum-lhc converts none such today, so this guards an upgrade).
    // A second, larger point shows the direction (it converts through the same cached plan).
    const probe = convertToCanonical(value + Math.max(1, Math.abs(value)), sent, item.variable);
    if (probe.ok && probe.value < converted.value) {
      return { ...columns, value: converted.value, unit: canonical, comparator: REVERSED[comparator] };
    }
  }
  return { ...columns, value: converted.value, unit: canonical };
}

/**
 * Whether a value is outside [min, max]: an exact value when it lies outside, a censored one only when
 * every value it admits does (`<5` is out of a range starting at 5; `>200` is not out of one ending at 300).
 */
function outOfRange(value: number, comparator: Comparator | null, min: number | null, max: number | null): boolean {
  switch (comparator) {
    case null:
      return (min !== null && value < min) || (max !== null && value > max);
    case "<":
      return min !== null && value <= min;
    case "<=":
      return min !== null && value < min;
    case ">":
      return max !== null && value >= max;
    case ">=":
      return max !== null && value > max;
  }
}

/** Maps the item's value to its column by the variable's value type; units of non-numeric values are ignored. */
function valueColumns(item: ObservationItem): ValueColumns | Rejection {
  const { value, variable } = item;
  if (item.comparator !== undefined && variable.valueType !== "numeric") {
    return {
      code: "value_type",
      message: `A comparator (${item.comparator}) marks the bound of a numeric measurement; the variable takes a ${variable.valueType}.`,
    };
  }
  switch (variable.valueType) {
    case "numeric":
      if (typeof value !== "number") {
        return { code: "value_type", message: `The variable is numeric; got a ${typeof value}.` };
      }
      return numericColumns(item, value);
    case "code":
      if (typeof value !== "string" || value.trim() === "") {
        return { code: "value_type", message: "The variable takes a code: a non-empty string." };
      }
      if (exceedsLength(value, MAX_CODE_LENGTH)) {
        return { code: "value_type", message: `A code is at most ${MAX_CODE_LENGTH} characters.` };
      }
      return { ...NO_VALUE, valueCode: value };
    case "text":
      if (typeof value !== "string") {
        return { code: "value_type", message: `The variable takes text; got a ${typeof value}.` };
      }
      if (exceedsLength(value, MAX_TEXT_LENGTH)) {
        return { code: "value_type", message: `A text value is at most ${MAX_TEXT_LENGTH} characters.` };
      }
      return { ...NO_VALUE, valueText: value };
    case "boolean":
      if (typeof value !== "boolean") {
        return { code: "value_type", message: `The variable takes true or false; got a ${typeof value}.` };
      }
      return { ...NO_VALUE, valueBoolean: value };
  }
}

function isRejection(x: ValueColumns | Rejection): x is Rejection {
  return "code" in x;
}

/** Issue severity and validity of a stored row for a value outside the valid range. */
const RANGE_OUTCOME: Record<RangeSeverity, { severity: IssueSeverity; stored: boolean; isValid: boolean }> = {
  log: { severity: "info", stored: true, isValid: true },
  flag: { severity: "warning", stored: true, isValid: false },
  reject: { severity: "error", stored: false, isValid: false },
};

function rangeMessage(
  value: number,
  comparator: Comparator | null,
  unit: string | null,
  min: number | null,
  max: number | null,
): string {
  const u = unit === null ? "" : ` ${unit}`;
  const below = comparator === "<" || comparator === "<=" || (comparator === null && min !== null && value < min);
  const bound = below ? `below the minimum ${min}${u}` : `above the maximum ${max}${u}`;
  return `${comparator ?? ""}${value}${u} is ${bound}.`;
}

/**
 * Validates and normalizes a batch. Items are expected shape-valid and resolved to a variable
 * version; everything this function decides is in its result, nothing is thrown for bad data.
 */
export function normalizeBatch(items: readonly ObservationItem[], options: NormalizeOptions): NormalizeResult {
  const latest = options.now.getTime() + (options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS);
  const accepted: NormalizedObservation[] = [];
  const issues: Issue[] = [];
  // The storage key of `observations` within one user: (variable, start, source); see its primary key.
  const stored = new Set<string>();
  let rejected = 0;
  let duplicates = 0;
  let flagged = 0;

  const reject = (index: number, rejection: Rejection) => {
    rejected++;
    issues.push({ index, code: rejection.code, severity: "error", message: rejection.message });
  };

  for (const item of items) {
    const { variable, index } = item;
    // Compared as instants: two Dates for the same millisecond are the same start.
    const key = `${variable.id}\u0000${item.startAt.getTime()}\u0000${item.sourceId}`;
    if (stored.has(key)) {
      duplicates++;
      issues.push({
        index,
        code: "duplicate_in_batch",
        severity: "info",
        message: `An earlier item of this batch has the same variable, start_at ${item.startAt.toISOString()} and source; this one was skipped.`,
      });
      continue;
    }

    const timing = checkTimestamps(item, latest);
    if (timing !== null) {
      reject(index, timing);
      continue;
    }

    const columns = valueColumns(item);
    if (isRejection(columns)) {
      reject(index, columns);
      continue;
    }

    let isValid = true;
    const { value } = columns;
    if (value !== null && outOfRange(value, columns.comparator, variable.validMin, variable.validMax)) {
      const severity = options.rangeSeverityOverride?.(variable.id) ?? variable.rangeSeverity;
      const outcome = RANGE_OUTCOME[severity];
      const message = rangeMessage(value, columns.comparator, columns.unit, variable.validMin, variable.validMax);
      if (!outcome.stored) {
        reject(index, { code: "out_of_range", message });
        continue;
      }
      issues.push({ index, code: "out_of_range", severity: outcome.severity, message });
      isValid = outcome.isValid;
    }

    stored.add(key);
    if (!isValid) flagged++;
    accepted.push({
      index,
      variableId: variable.id,
      variableVersion: variable.version,
      startAt: item.startAt,
      endAt: item.endAt ?? null,
      ...columns,
      isValid,
      isOutlier: false,
      sourceId: item.sourceId,
    });
  }

  return { accepted, issues, rejected, duplicates, flagged };
}
