/**
 * What each column of a CSV header means: the time, end, note, variable/value/unit (long format),
 * measurements (wide format), companions (`<column>Unit`, `<column>Goal`) and metadata. The mapper and
 * the API that lets a user confirm a mapping (`suggestColumns`, `headerSignature`) share this.
 */
import type { ColumnMapping, VariableLookup, VariableMatch } from "@dfda/core";
import { splitHeaderUnit } from "./units";

/** Header text → comparison key: case, accents, spaces and punctuation do not count (`Start_At` = `startat`). */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, "");
}

/** `sourceName` → `source_name`, `Blood Type` → `blood_type`: metadata keys from headers. */
export function metadataKey(header: string): string {
  return header
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Start-time headers, most specific first (the first present wins; others become metadata). */
const TIME_KEYS = [
  "start",
  "startat",
  "startdate",
  "starttime",
  "startdatetime",
  "timestamp",
  "datetime",
  "date",
  "time",
  "datecomponents",
  "day",
  "effectivedatetime",
  "measuredat",
  "recordedat",
];
const END_KEYS = ["end", "endat", "enddate", "endtime", "enddatetime"];
const VARIABLE_KEYS = ["variable", "variablename", "measure", "metric", "name", "type", "code", "measurement"];
const VALUE_KEYS = ["value", "result", "reading"];
const UNIT_KEYS = ["unit", "units", "uom", "unitofmeasure"];
const NOTE_KEYS = ["note", "notes", "comment", "comments"];
/** Columns that describe the row rather than measure anything (Apple Health exports, device CSVs). */
const METADATA_KEYS: Readonly<Record<string, string>> = {
  sourcename: "source_name",
  sourceversion: "source_version",
  source: "source",
  device: "device",
  creationdate: "creation_date",
  workoutactivitytype: "activity_type",
  id: "id",
};

export type ColumnRole =
  | "time"
  | "date"
  | "clock"
  | "end"
  | "note"
  | "variable"
  | "value"
  | "unit"
  | "unit_of"
  | "goal_of"
  | "metadata"
  | "measurement"
  | "ignored"
  | "unmatched";

/** What mapping does with one column. */
export interface ColumnSuggestion {
  /** The header as written. */
  header: string;
  /** 0-based column index. */
  index: number;
  role: ColumnRole;
  /** `measurement`: the label matched (the header without its unit, `Weight` of `Weight (kg)`). */
  label?: string;
  /** `measurement`: the variable the label (or explicit mapping) names; null = explicitly ignored. */
  variable?: VariableMatch | null;
  /** `measurement`: the explicit mapping's variable id (when `variable` is not known by lookup). */
  variable_id?: string;
  /** `measurement`: the column's unit (UCUM) from the header or the explicit mapping. */
  unit?: string;
  /** `unit_of` / `goal_of`: the index of the column described. */
  of?: number;
  /** `metadata`: the key its values get. */
  key?: string;
  /** `measurement`: matched through `MapContext.columns` rather than by name. */
  explicit?: boolean;
}

/** The file's layout: one measurement per row (long), or one time per row with a column per variable (wide). */
export type Layout = "long" | "wide";

export interface ColumnPlan {
  layout: Layout | null;
  columns: ColumnSuggestion[];
}

function firstIndex(keys: string[], candidates: readonly string[], taken: Set<number>): number {
  for (const candidate of candidates) {
    const at = keys.findIndex((k, i) => k === candidate && !taken.has(i));
    if (at !== -1) return at;
  }
  return -1;
}

/**
 * The roles of a header's columns, without looking variables up: the time columns, long-format
 * columns, companions and metadata. Measurement columns are left `unmatched` for `planColumns`.
 */
function structuralRoles(headers: readonly string[]): { layout: Layout | null; roles: ColumnSuggestion[] } {
  const keys = headers.map(headerKey);
  const roles: ColumnSuggestion[] = headers.map((header, index) => ({ header, index, role: "unmatched" }));
  const taken = new Set<number>();
  const assign = (index: number, role: ColumnRole, extra: Partial<ColumnSuggestion> = {}) => {
    const current = roles[index];
    if (index < 0 || current === undefined) return;
    roles[index] = { ...current, role, ...extra };
    taken.add(index);
  };

  // Separate date and clock-time columns (`Date`, `Time`) are read together.
  const dateAt = keys.indexOf("date");
  const clockAt = keys.indexOf("time");
  const startAt = firstIndex(keys, TIME_KEYS.slice(0, 7), taken);
  if (startAt === -1 && dateAt !== -1 && clockAt !== -1) {
    assign(dateAt, "date");
    assign(clockAt, "clock");
  } else {
    assign(firstIndex(keys, TIME_KEYS, taken), "time");
  }
  assign(firstIndex(keys, END_KEYS, taken), "end");
  assign(firstIndex(keys, NOTE_KEYS, taken), "note");

  const valueAt = firstIndex(keys, VALUE_KEYS, taken);
  const variableAt = valueAt === -1 ? -1 : firstIndex(keys, VARIABLE_KEYS, taken);
  const layout: Layout | null = !roles.some((r) => r.role === "time" || r.role === "date")
    ? null
    : valueAt !== -1 && variableAt !== -1
      ? "long"
      : "wide";
  if (layout === "long") {
    assign(valueAt, "value");
    assign(variableAt, "variable");
    assign(firstIndex(keys, UNIT_KEYS, taken), "unit");
  }
  keys.forEach((key, index) => {
    if (taken.has(index)) return;
    const metadata = METADATA_KEYS[key];
    if (metadata !== undefined) {
      assign(index, "metadata", { key: metadata });
      return;
    }
    // `<column>Unit` / `<column>_units` and `<column>Goal` describe another column (Apple Health exports).
    const companion = /^(.+?)(unit|units|goal)$/.exec(key);
    if (companion?.[1] !== undefined && companion[2] !== undefined) {
      const of = keys.indexOf(companion[1]);
      if (of !== -1 && of !== index) {
        assign(index, companion[2] === "goal" ? "goal_of" : "unit_of", { of });
        return;
      }
    }
    // Leftover time-like columns (a second date column) and, in long format, every other column are
    // context of the row.
    if (layout === "long" || TIME_KEYS.includes(key) || END_KEYS.includes(key)) {
      assign(index, "metadata", { key: metadataKey(headers[index] ?? "") });
    }
  });
  return { layout, roles };
}

/** The layout a header implies (null when it has no time column), without looking anything up. */
export function csvLayout(headers: readonly string[]): Layout | null {
  return structuralRoles(headers).layout;
}

/**
 * The full plan for a header: structural roles, then each remaining (wide-format) column matched to a
 * variable, an explicit mapping in `columns` first (keyed by the header as written, or its
 * normalized form), else by name through `lookup` with the unit split out of the header. In the long
 * layout the variable is named per row, so explicit column mappings do not apply.
 */
export function planColumns(
  headers: readonly string[],
  lookup: VariableLookup,
  columns?: Readonly<Record<string, ColumnMapping>>,
): ColumnPlan {
  const { layout, roles } = structuralRoles(headers);
  const explicitByKey = new Map<string, ColumnMapping>();
  for (const [header, mapping] of Object.entries(columns ?? {})) explicitByKey.set(headerKey(header), mapping);

  const planned = roles.map((column): ColumnSuggestion => {
    const explicit = columns?.[column.header] ?? explicitByKey.get(headerKey(column.header));
    // An explicit mapping wins over matching by name; the time columns and the long format's own
    // columns keep their roles (without them no row could be read).
    const structural = ["time", "date", "clock", "end"].includes(column.role);
    if (explicit !== undefined && layout !== "long" && !structural) {
      if (explicit.variable_id === null) return { ...column, role: "ignored", variable: null, explicit: true };
      const split = splitHeaderUnit(column.header);
      // The header's own unit wins; the mapping's unit is for headers that do not say (ColumnMapping.unit).
      const unit = split.unit ?? explicit.unit;
      return {
        header: column.header,
        index: column.index,
        role: "measurement",
        label: split.label,
        variable_id: explicit.variable_id,
        explicit: true,
        ...(unit === undefined ? {} : { unit }),
      };
    }
    if (column.role !== "unmatched" || layout === "long") return column;
    const split = splitHeaderUnit(column.header);
    let match = lookup.byLabel(split.label);
    if (match === null && split.label !== column.header.trim()) {
      match = lookup.byLabel(column.header);
    }
    if (match === null) return column;
    return {
      ...column,
      role: "measurement",
      label: split.label,
      variable: match,
      variable_id: match.id,
      ...(split.unit === null ? {} : { unit: split.unit }),
    };
  });
  // A companion of a column that is not mapped describes nothing; the column itself is reported (or
  // was ignored on purpose), so the companion is ignored quietly.
  for (const column of planned) {
    if ((column.role === "unit_of" || column.role === "goal_of") && column.of !== undefined) {
      if (planned[column.of]?.role !== "measurement") column.role = "ignored";
    }
  }
  return { layout, columns: planned };
}

/**
 * What mapping would do with each column of a header, for a UI or API to show and let the user
 * confirm (the confirmed result is passed back as `MapContext.columns`). The CSVs derived from Apple
 * Health exports are mapped by their own rules (as export.xml) unless explicit mappings are given;
 * what is suggested for them is what the explicit (generic) path would do.
 *
 * @example
 * suggestColumns(["Date", "Weight (kg)", "Mood"], lookup);
 * // [{ header: "Date", role: "time", … }, { header: "Weight (kg)", role: "measurement", unit: "kg", variable: {…} }, { header: "Mood", role: "unmatched", … }]
 */
export function suggestColumns(headers: readonly string[], lookup: VariableLookup): ColumnSuggestion[] {
  return planColumns(headers, lookup).columns;
}

/** FNV-1a, 64 bit (http://www.isthe.com/chongo/tech/comp/fnv/): a stable, fast, non-cryptographic hash. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * A stable signature of a header, for saving a confirmed column mapping and reusing it for the next
 * file with the same columns: the headers normalized (case, accents, spacing and punctuation do not
 * count), sorted (order does not count), hashed. `csv1:` versions the recipe.
 *
 * @example
 * headerSignature(["Date", "Weight (kg)"]) === headerSignature(["weight_kg", "DATE"]); // true
 * headerSignature(["Date", "Weight (kg)"]) === headerSignature(["Date", "Weight (lb)"]); // false: the unit differs
 */
export function headerSignature(headers: string[]): string {
  const normalized = headers.map((h) => headerKey(h)).sort();
  return `csv1:${normalized.length}:${fnv1a64(normalized.join("\u001f"))}`;
}
