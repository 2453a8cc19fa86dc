/**
 * CSV and TSV files (RFC 4180; delimiter comma, tab or semicolon, detected), streamed (see parse.ts).
 *
 * Layouts (columns.ts decides from the header row):
 * - long: one measurement per row, with variable (name or code), value, unit, time, end, note columns;
 * - wide: a time column and one column per variable (`Weight (kg)`, `Heart rate [bpm]`, `Steps`),
 *   matched by name through `MapContext.lookup` unless `MapContext.columns` maps the header;
 * - the CSVs derived from Apple Health's export.xml (one file per Record type, Workout.csv,
 *   ActivitySummary.csv; recognised by their attribute-named headers) are mapped exactly as the
 *   export.xml elements they come from (../apple-health/records.ts).
 */
import type {
  Comparator,
  DetectInput,
  MapContext,
  MapEvent,
  MappedObservation,
  Mapper,
  MappingIssue,
  SourceCoding,
} from "@dfda/core";
import { CODE_SYSTEMS, DETECT_HEAD_BYTES } from "@dfda/core";
import { CATEGORY_PREFIX, QUANTITY_PREFIX } from "../apple-health/hk";
import { type AppleContext, type Attributes, mapActivitySummary, mapRecord, mapWorkout } from "../apple-health/records";
import { type ColumnSuggestion, csvLayout, headerKey, metadataKey, planColumns } from "./columns";
import { csvRecords, type Delimiter, detectDelimiter } from "./parse";
import { type ReadTime, TimeReader } from "./time";
import { toUcum } from "./units";

export { type ColumnSuggestion, headerSignature, suggestColumns } from "./columns";
export { readHeaders } from "./headers";

type Severity = MappingIssue["severity"];

function issue(location: string | null, code: string, severity: Severity, message: string): MapEvent {
  return { kind: "issue", issue: { location, code, severity, message } };
}

const cellAt = (line: number, header: string) => `line ${line}, column "${header}"`;

/** A decimal number; with `decimalComma` (semicolon- and tab-separated files) `72,5` too. */
function parseNumber(text: string, decimalComma: boolean): number | null {
  let t = text.trim();
  if (decimalComma && /^[+-]?\d+,\d+$/.test(t)) t = t.replace(",", ".");
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}

function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === "true" || t === "yes") return true;
  if (t === "false" || t === "no") return false;
  return null;
}

/** How a cell's value is read: a number required, or a number, boolean or text as it comes. */
type ValueKind = "numeric" | "any" | "text";

/** A cell's value, with the comparator of a censored number (`<5`). */
interface Cell {
  value: number | string | boolean;
  comparator?: Comparator;
}

/** Comparators as lab exports write them before a number; `≤` / `≥` are the same as `<=` / `>=`. */
const CELL_COMPARATORS: Record<string, Comparator> = {
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  "≤": "<=",
  "≥": ">=",
};

/**
 * A censored number written in one cell (`<5`, `<= 5`, `>200`, `≥ 10`, `<0,5` with a decimal comma): the
 * bound and its comparator (FHIR R4 Quantity.comparator), or null when the cell is not one.
 */
function parseCensored(text: string, decimalComma: boolean): Cell | null {
  // The spaces after the comparator are left to parseNumber's trim (no `\s*` before a greedy group,
  // which would backtrack quadratically, CWE-1333).
  const match = /^(<=|>=|<|>|≤|≥)([\s\S]*)$/.exec(text.trim());
  const comparator = match?.[1] === undefined ? undefined : CELL_COMPARATORS[match[1]];
  if (comparator === undefined) return null;
  const value = parseNumber(match?.[2] ?? "", decimalComma);
  return value === null ? null : { value, comparator };
}

/**
 * A cell's value. `numeric`: a number (or a censored one, `<5`) or null (the caller reports it);
 * `text` (variables without a unit: codes, text, booleans): true/false/yes/no as booleans, else the
 * text; `any`: number (or censored number) if it reads as one, else as `text`.
 */
function cellValue(text: string, kind: ValueKind, decimalComma: boolean): Cell | null {
  if (kind !== "text") {
    const n = parseNumber(text, decimalComma);
    if (n !== null) return { value: n };
    const censored = parseCensored(text, decimalComma);
    if (censored !== null || kind === "numeric") return censored;
  }
  return { value: parseBoolean(text) ?? text.trim() };
}

// ————————————————————————————————————————— Apple Health derived CSVs

/** export.xml attribute names, by header key, for the CSVs that write one element per row. */
const APPLE_ATTRIBUTES = [
  "type",
  "unit",
  "value",
  "sourceName",
  "sourceVersion",
  "device",
  "creationDate",
  "startDate",
  "endDate",
  "workoutActivityType",
  "duration",
  "durationUnit",
  "totalDistance",
  "totalDistanceUnit",
  "totalEnergyBurned",
  "totalEnergyBurnedUnit",
  "dateComponents",
  "activeEnergyBurned",
  "activeEnergyBurnedGoal",
  "activeEnergyBurnedUnit",
  "appleMoveTime",
  "appleMoveTimeGoal",
  "appleExerciseTime",
  "appleExerciseTimeGoal",
  "appleStandHours",
  "appleStandHoursGoal",
];
const APPLE_BY_KEY = new Map(APPLE_ATTRIBUTES.map((name) => [headerKey(name), name]));

type AppleElement = "Record" | "Workout" | "ActivitySummary";

/** Which export.xml element a header's rows are, if the header is one of those CSVs. */
function appleElement(headers: readonly string[]): AppleElement | null {
  const keys = new Set(headers.map(headerKey));
  const has = (...names: string[]) => names.every((n) => keys.has(headerKey(n)));
  if (has("workoutActivityType", "startDate", "endDate")) return "Workout";
  if (
    has("dateComponents") &&
    ["activeEnergyBurned", "appleExerciseTime", "appleStandHours", "appleMoveTime"].some((n) => has(n))
  ) {
    return "ActivitySummary";
  }
  // sourceName is required on every export.xml Record (DTD: `sourceName CDATA #REQUIRED`).
  if (has("type", "value", "startDate", "endDate", "sourceName")) return "Record";
  return null;
}

// ————————————————————————————————————————— file plan

interface Shared {
  context: MapContext;
  times: TimeReader;
  decimalComma: boolean;
  headerLine: number;
  headers: string[];
}

/** Maps one data row (its fields and line) to events. */
type RowMapper = (fields: string[], line: number, out: MapEvent[]) => void;

function appleRowMapper(element: AppleElement, shared: Shared): RowMapper {
  // Settings Records (`HKDataType…`) are skipped and capped by records.ts, as in export.xml; rows are
  // handed over as they are read, so the types past the cap are named where the first of them stands.
  const apple: AppleContext = {
    lookup: shared.context.lookup,
    times: shared.times,
    skippedTypes: new Set(),
    skippedMore: 0,
    moreSettings: "named",
  };
  const { headers } = shared;
  const names = headers.map((h) => APPLE_BY_KEY.get(headerKey(h)) ?? null);
  return (fields, line, out) => {
    const attributes: Record<string, string> = {};
    const extra: Record<string, unknown> = {};
    fields.forEach((cell, i) => {
      const name = names[i];
      const value = cell.trim();
      if (value === "") return;
      if (name !== null && name !== undefined) attributes[name] = value;
      else if (headers[i]) extra[metadataKey(headers[i] ?? "")] = value;
    });
    const locate = (attribute: string | null) => {
      if (attribute === null) return `line ${line}`;
      const at = names.indexOf(attribute);
      return cellAt(line, at === -1 ? attribute : (headers[at] ?? attribute));
    };
    if (element === "Workout") {
      mapWorkout(attributes, {}, [], locate, apple, out, extra);
    } else if (element === "ActivitySummary") {
      mapActivitySummary(attributes, locate, apple, out, extra);
    } else {
      // These files abbreviate the type (`DistanceWalkingRunning`); a number value is a quantity sample.
      const type = attributes.type;
      if (type !== undefined && !type.startsWith("HK")) {
        const numeric = parseNumber(attributes.value ?? "", false) !== null;
        attributes.type = `${numeric ? QUANTITY_PREFIX : CATEGORY_PREFIX}${type}`;
      }
      mapRecord(attributes as Attributes, {}, locate, apple, out, extra);
    }
  };
}

/** Reads the row's start (and end) time; pushes the row's issue and returns null when it has none. */
function rowTime(
  fields: string[],
  line: number,
  columns: readonly ColumnSuggestion[],
  shared: Shared,
  out: MapEvent[],
): { start: ReadTime; end: ReadTime | null } | null {
  const cell = (role: ColumnSuggestion["role"]) => {
    const column = columns.find((c) => c.role === role);
    return column === undefined ? undefined : { header: column.header, text: (fields[column.index] ?? "").trim() };
  };
  const time = cell("time");
  const date = cell("date");
  const clock = cell("clock");
  let text = time?.text ?? "";
  let header = time?.header ?? date?.header ?? "time";
  if (time === undefined && date !== undefined) {
    const hm = /^(\d{1,2}):(\d{2})(:\d{2}(\.\d+)?)?$/.exec(clock?.text ?? "");
    text = hm ? `${date.text}T${(hm[1] ?? "").padStart(2, "0")}:${hm[2]}${hm[3] ?? ""}` : date.text;
    if (clock !== undefined && clock.text !== "" && hm === null) {
      header = clock.header;
      text = `${date.text} ${clock.text}`;
    }
  }
  if (text === "") {
    out.push(issue(`line ${line}`, "missing_time", "error", `Line ${line} has no time; its values were not mapped.`));
    return null;
  }
  const start = shared.times.read(text, out);
  if (start === null) {
    out.push(
      issue(
        cellAt(line, header),
        "invalid_time",
        "error",
        `"${text}" is not a timestamp; line ${line} was not mapped.`,
      ),
    );
    return null;
  }
  const endCell = cell("end");
  let end: ReadTime | null = null;
  if (endCell !== undefined && endCell.text !== "") {
    end = shared.times.read(endCell.text, out);
    if (end === null) {
      out.push(
        issue(
          cellAt(line, endCell.header),
          "invalid_time",
          "warning",
          `"${endCell.text}" is not a timestamp; the end was left out.`,
        ),
      );
    }
  }
  return { start, end };
}

/** The observation's end: the end column (a date there means through that day), else the start day's end. */
function endOf(when: { start: ReadTime; end: ReadTime | null }): string | undefined {
  const end = when.end === null ? when.start.dayEnd : (when.end.dayEnd ?? when.end.instant);
  return end === null || end === when.start.instant ? undefined : end;
}

function build(
  base: Omit<MappedObservation, "start_at" | "end_at" | "metadata" | "note">,
  when: { start: ReadTime; end: ReadTime | null },
  metadata: Record<string, unknown>,
  note: string | undefined,
): MapEvent {
  const o: MappedObservation = { ...base, start_at: when.start.instant };
  const end = endOf(when);
  if (end !== undefined) o.end_at = end;
  if (note !== undefined && note !== "") o.note = note;
  if (Object.keys(metadata).length > 0) o.metadata = metadata;
  return { kind: "observation", observation: o };
}

/** Row metadata (metadata-role columns) and note. */
function rowContext(fields: string[], columns: readonly ColumnSuggestion[]) {
  const metadata: Record<string, unknown> = {};
  let note: string | undefined;
  for (const column of columns) {
    const text = (fields[column.index] ?? "").trim();
    if (text === "") continue;
    if (column.role === "metadata" && column.key !== undefined && column.key !== "") metadata[column.key] = text;
    if (column.role === "note") note = text;
  }
  return { metadata, note };
}

/** The most distinct variable names a long file remembers how it resolved (beyond it: resolved per row). */
const MAX_CACHED_NAMES = 10_000;

interface ResolvedName {
  variableId: string | undefined;
  codings: SourceCoding[];
  kind: ValueKind;
}

function longRowMapper(columns: readonly ColumnSuggestion[], shared: Shared): RowMapper {
  const at = (role: ColumnSuggestion["role"]) => columns.find((c) => c.role === role);
  const variable = at("variable");
  const value = at("value");
  const unitColumn = at("unit");
  const names = new Map<string, ResolvedName | null>();

  const resolve = (name: string, line: number, out: MapEvent[]): ResolvedName | null => {
    const cached = names.get(name);
    if (cached !== undefined) return cached;
    const match = shared.context.lookup.byLabel(name);
    const codings: SourceCoding[] = [];
    // A LOINC code (`8867-4`) or a HealthKit identifier names the variable even when the lookup does not.
    if (/^\d{1,7}-\d$/.test(name)) codings.push({ system: CODE_SYSTEMS.loinc, code: name });
    if (/^HK[A-Za-z]+Identifier/.test(name)) codings.push({ system: CODE_SYSTEMS.appleHealth, code: name });
    let resolved: ResolvedName | null = null;
    if (match !== null || codings.length > 0) {
      resolved = {
        variableId: match?.id,
        codings,
        kind: match === null ? "any" : match.canonicalUnit === null ? "text" : "numeric",
      };
    } else {
      out.push(
        issue(
          cellAt(line, variable?.header ?? "variable"),
          "unmatched_variable",
          "warning",
          `No variable is named "${name}"; its rows were not mapped.`,
        ),
      );
    }
    if (names.size < MAX_CACHED_NAMES) names.set(name, resolved);
    return resolved;
  };

  return (fields, line, out) => {
    if (variable === undefined || value === undefined) return;
    const name = (fields[variable.index] ?? "").trim();
    if (name === "") {
      out.push(issue(cellAt(line, variable.header), "missing_variable", "error", `Line ${line} names no variable.`));
      return;
    }
    const text = (fields[value.index] ?? "").trim();
    if (text === "") {
      out.push(issue(cellAt(line, value.header), "missing_value", "warning", `Line ${line} has no value.`));
      return;
    }
    const resolved = resolve(name, line, out);
    if (resolved === null) return;
    const parsed = cellValue(text, resolved.kind, shared.decimalComma);
    if (parsed === null) {
      out.push(issue(cellAt(line, value.header), "invalid_number", "error", `"${text}" is not a number (${name}).`));
      return;
    }
    const when = rowTime(fields, line, columns, shared, out);
    if (when === null) return;
    const { metadata, note } = rowContext(fields, columns);
    const unitText = unitColumn === undefined ? "" : (fields[unitColumn.index] ?? "").trim();
    const base: Omit<MappedObservation, "start_at" | "end_at" | "metadata" | "note"> = {
      codings: resolved.codings,
      value: parsed.value,
      location: `line ${line}`,
    };
    if (parsed.comparator !== undefined) base.comparator = parsed.comparator;
    if (resolved.variableId !== undefined) base.variable_id = resolved.variableId;
    if (unitText !== "") base.unit = toUcum(unitText);
    out.push(build(base, when, metadata, note));
  };
}

function wideRowMapper(columns: readonly ColumnSuggestion[], shared: Shared): RowMapper {
  const measurements = columns.filter((c) => c.role === "measurement");
  const unitOf = new Map<number, ColumnSuggestion>();
  const goalOf = new Map<number, ColumnSuggestion>();
  for (const c of columns) {
    if (c.role === "unit_of" && c.of !== undefined) unitOf.set(c.of, c);
    if (c.role === "goal_of" && c.of !== undefined) goalOf.set(c.of, c);
  }
  const kinds = measurements.map((c): ValueKind => {
    if (c.variable === undefined || c.variable === null) return c.unit === undefined ? "any" : "numeric";
    return c.variable.canonicalUnit === null ? "text" : "numeric";
  });

  return (fields, line, out) => {
    const cells = measurements
      .map((column, i) => ({ column, kind: kinds[i] ?? "any", text: (fields[column.index] ?? "").trim() }))
      .filter((c) => c.text !== "");
    // Empty cells are no measurement; a row with none needs no time either.
    if (cells.length === 0) return;
    const when = rowTime(fields, line, columns, shared, out);
    if (when === null) return;
    const row = rowContext(fields, columns);
    for (const { column, kind, text } of cells) {
      const value = cellValue(text, kind, shared.decimalComma);
      if (value === null) {
        out.push(
          issue(
            cellAt(line, column.header),
            "invalid_number",
            "error",
            `"${text}" in column "${column.header}" is not a number.`,
          ),
        );
        continue;
      }
      const companion = unitOf.get(column.index);
      const unitText = companion === undefined ? "" : (fields[companion.index] ?? "").trim();
      const unit = unitText !== "" ? toUcum(unitText) : column.unit;
      const metadata = { ...row.metadata };
      const goal = goalOf.get(column.index);
      const goalText = goal === undefined ? "" : (fields[goal.index] ?? "").trim();
      if (goalText !== "") metadata.goal = parseNumber(goalText, shared.decimalComma) ?? goalText;
      const base: Omit<MappedObservation, "start_at" | "end_at" | "metadata" | "note"> = {
        codings: [],
        value: value.value,
        location: cellAt(line, column.header),
      };
      if (value.comparator !== undefined) base.comparator = value.comparator;
      if (column.variable_id !== undefined) base.variable_id = column.variable_id;
      if (unit !== undefined) base.unit = unit;
      out.push(build(base, when, metadata, row.note));
    }
  };
}

/** Reads the header row: the row mapper, plus the header's issues; null mapper when nothing can be mapped. */
function planFile(shared: Shared, out: MapEvent[]): RowMapper | null {
  const { headers, context, headerLine } = shared;
  const explicit = Object.keys(context.columns ?? {}).length > 0;
  const element = appleElement(headers);
  if (element !== null && !explicit) return appleRowMapper(element, shared);

  const plan = planColumns(headers, context.lookup, context.columns);
  if (plan.layout === null) {
    out.push(
      issue(
        `line ${headerLine}`,
        "missing_time_column",
        "error",
        "No column holds the time (expected a header such as date, time, timestamp, start or startDate); nothing was mapped.",
      ),
    );
    return null;
  }
  if (plan.layout === "wide") {
    for (const column of plan.columns) {
      if (column.role === "unmatched" && column.header.trim() !== "") {
        out.push(
          issue(
            cellAt(headerLine, column.header),
            "unmatched_column",
            "warning",
            `No variable matches the column "${column.header}"; its values were not mapped. Map it explicitly to include it.`,
          ),
        );
      }
    }
    if (!plan.columns.some((c) => c.role === "measurement")) {
      out.push(issue(`line ${headerLine}`, "no_measurements", "warning", "No column of the file names a variable."));
    }
  }
  return plan.layout === "long" ? longRowMapper(plan.columns, shared) : wideRowMapper(plan.columns, shared);
}

async function* map(source: AsyncIterable<Uint8Array>, context: MapContext): AsyncIterable<MapEvent> {
  const times = new TimeReader(context.timezone);
  let delimiter: Delimiter = ",";
  let shared: Shared | null = null;
  let mapRow: RowMapper | null = null;
  const out: MapEvent[] = [];
  for await (const event of csvRecords(source, (format) => {
    delimiter = format.delimiter;
  })) {
    if (event.kind === "problem") {
      yield issue(`line ${event.line}`, event.code, event.fatal ? "error" : "warning", event.message);
      continue;
    }
    const { fields, line } = event;
    if (fields.every((f) => f.trim() === "")) continue;
    if (shared === null) {
      shared = {
        context,
        times,
        decimalComma: delimiter !== ",",
        headerLine: line,
        headers: fields.map((f) => f.replace(/^\uFEFF/, "").trim()),
      };
      mapRow = planFile(shared, out);
      yield* out.splice(0);
      if (mapRow === null) return;
      continue;
    }
    if (fields.length > shared.headers.length && fields.slice(shared.headers.length).some((f) => f.trim() !== "")) {
      out.push(
        issue(
          `line ${line}`,
          "extra_fields",
          "warning",
          `Line ${line} has ${fields.length} fields, the header ${shared.headers.length}; the extra fields were ignored.`,
        ),
      );
    }
    mapRow?.(fields, line, out);
    yield* out.splice(0);
  }
  if (shared === null) yield issue(null, "empty_file", "error", "The file has no header row.");
}

// ————————————————————————————————————————— detect

const TEXT_TYPES = /^(text\/(csv|tab-separated-values|plain)|application\/(csv|vnd\.ms-excel))\b/i;

/** Splits one line on `delimiter` outside double quotes (for detect's structure check). */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Scores a file as CSV/TSV: rows with the same number of delimited fields (2 or more) make it
 * tabular; a header with a recognisable time column (or an Apple Health export header) plus a
 * `.csv`/`.tsv` name or CSV media type make it certain. JSON, XML and HL7 v2 (`MSH|`) score 0.
 */
function detect(input: DetectInput): number {
  const text = input.headText.replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed === "" || /^[{[<]/.test(trimmed) || /^(MSH|FHS|BHS)\|/.test(trimmed)) return 0;
  const hinted =
    (input.name !== null && /\.(csv|tsv|tab)$/i.test(input.name)) ||
    (input.contentType !== null && TEXT_TYPES.test(input.contentType));
  let lines = trimmed.split(/\r\n|\r|\n/);
  // The head may end inside a line.
  if (input.head.length >= DETECT_HEAD_BYTES) lines = lines.slice(0, -1);
  lines = lines.filter((l) => l.trim() !== "").slice(0, 50);
  const header = lines[0];
  if (header === undefined) return 0;
  const delimiter = detectDelimiter(header);
  const width = splitLine(header, delimiter).length;
  const rows = lines.slice(1);
  const consistent = width >= 2 && rows.every((l) => splitLine(l, delimiter).length === width);
  if (!consistent) return hinted ? 0.3 : 0;
  const headers = splitLine(header, delimiter).map((h) => h.trim());
  const known = appleElement(headers) !== null || csvLayout(headers) !== null;
  if (rows.length === 0) return hinted ? 0.6 : 0.2;
  if (hinted) return known ? 0.98 : 0.9;
  return known ? 0.9 : 0.5;
}

/**
 * CSV/TSV mapper (long, wide and Apple Health derived layouts).
 *
 * @example
 * const events = csvMapper.map(fromBytes(bytes), { lookup, timezone: "Europe/Berlin" });
 */
export const csvMapper: Mapper = {
  id: "csv",
  version: "1.0.0",
  description:
    "CSV and TSV (comma, tab or semicolon; quoted fields; BOM; CRLF): long (variable, value, unit, time) and wide (a time column and a column per variable, units in the headers) layouts, and the CSVs derived from Apple Health exports.",
  detect,
  map,
};
