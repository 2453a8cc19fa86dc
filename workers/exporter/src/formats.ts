/**
 * How one observation becomes one piece of an export file, for each format. Pure functions of a row
 * (no I/O), so the Workers-runtime export and the Node-side FHIR validation run the very same code.
 *
 * - `json`: one JSON document (RFC 8259) `{export, person, observations: [...], pending: [...]}`, written
 *   as text row by row; each observation has the shape `GET /v1/observations` returns, plus `value_type`;
 *   `pending` holds the values kept under a local code no mapping resolves yet (issue 15), each with
 *   `status: "pending"`, its local `code` and the value as received. The array is there even when empty.
 * - `csv`: RFC 4180: a header row, CRLF line ends, fields with a comma, quote, CR or LF quoted and
 *   their quotes doubled; empty for null. Media type `text/csv; header=present` (RFC 4180 §3). One
 *   table: the observations (`status` `stored`), then the pending values (`status` `pending`, their
 *   local coding in `code_system`, `code`, `code_display`, no variable), so a spreadsheet holds all.
 *   A text field that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
 *   or a CR) gets a leading `'`, as OWASP's CSV-injection guidance advises: notes and text values are
 *   typed by people and apps, and the file is meant to be opened in Excel or LibreOffice. Numbers are
 *   written as numbers (a negative value stays `-3.5`); the JSON and FHIR formats keep text verbatim.
 * - `fhir-ndjson`: one FHIR R4 Observation per line (NDJSON, as a FHIR Bulk Data export file:
 *   hl7.org/fhir/uv/bulkdata/export.html#file-format), media type `application/fhir+ndjson`; a
 *   pending value is an Observation with status `preliminary` coded by its local coding alone.
 */
import { CODE_SYSTEMS, type ExportFilters, type ExportFormat, trimEndChar } from "@dfda/core";
import type { ExportRow, PendingExportRow, VariableCoding } from "@dfda/db/repositories/exports";

/** What a format writes around and between rows. */
export interface DocumentFormat {
  /** File name extension. */
  extension: string;
  contentType: string;
  /** Text before the first row. */
  head(meta: ExportMeta): string;
  /** One row; `first` for the first row of the whole document. */
  row(row: ExportRow, first: boolean, context: RowContext): string;
  /** Text after the last observation, before the pending values. */
  between(meta: ExportMeta): string;
  /** One pending value; `first` for the first pending value of the document. */
  pending(row: PendingExportRow, first: boolean, context: PendingContext): string;
  /** Text after the last pending value. */
  tail(meta: ExportMeta): string;
}

/** What formatting a pending value needs: it has no variable, so no codings. */
export type PendingContext = Omit<RowContext, "codings">;

export interface ExportMeta {
  exportId: string;
  userId: string;
  format: ExportFormat;
  filters: ExportFilters;
  /** RFC 3339. */
  exportedAt: string;
}

export interface RowContext {
  /** The API's origin: the base of the platform's own FHIR URIs. */
  baseUrl: string;
  userId: string;
  /** The codings of the row's variable (LOINC, SNOMED CT, …), preferred first. */
  codings: readonly VariableCoding[];
}

/**
 * An instant as RFC 3339 in UTC with no needless zeros: `…T08:00:00Z`, `…T08:00:00.25Z`,
 * `…T08:00:00.123456Z` (Postgres keeps microseconds; FHIR dateTime and instant allow them).
 *
 * @example
 * compactInstant("2026-03-01T08:00:00.250000Z") // "2026-03-01T08:00:00.25Z"
 */
export function compactInstant(exact: string): string {
  return exact.replace(/\.(\d*?)0+Z$/, (_m, digits: string) => (digits === "" ? "Z" : `.${digits}Z`));
}

// ---- JSON -------------------------------------------------------------------------------------

/** The JSON form of one observation (the `GET /v1/observations` shape, plus `value_type`). */
export function jsonObservation(row: ExportRow): Record<string, unknown> {
  return {
    id: row.id,
    variable: {
      id: row.variableId,
      version: row.variableVersion,
      slug: row.variableSlug,
      name: row.variableName,
      category: row.category,
    },
    start_at: compactInstant(row.startAt),
    end_at: row.endAt === null ? null : compactInstant(row.endAt),
    value_type: row.valueType,
    value: row.value,
    comparator: row.comparator,
    value_code: row.valueCode,
    value_text: row.valueText,
    value_boolean: row.valueBoolean,
    unit: row.unit,
    original: { value: row.originalValue, unit: row.originalUnit },
    source: row.source,
    flags: { valid: row.isValid, outlier: row.isOutlier },
    note: row.note,
    file_id: row.fileId,
    created_at: compactInstant(row.createdAt),
  };
}

/**
 * The JSON form of one pending value: its local coding and the value exactly as received (not
 * converted: no variable says into what), with `status: "pending"`.
 */
export function jsonPending(row: PendingExportRow): Record<string, unknown> {
  return {
    id: row.id,
    status: "pending",
    code: { system: row.system, code: row.code, display: row.display },
    start_at: compactInstant(row.startAt),
    end_at: row.endAt === null ? null : compactInstant(row.endAt),
    value: row.value,
    comparator: row.comparator,
    unit: row.unit,
    source: row.source,
    note: row.note,
    file_id: row.fileId,
    received_at: compactInstant(row.receivedAt),
  };
}

const json: DocumentFormat = {
  extension: "json",
  contentType: "application/json",
  head: (meta) => {
    const header = JSON.stringify({
      export: { id: meta.exportId, format: meta.format, exported_at: meta.exportedAt, filters: meta.filters },
      person: { id: meta.userId },
    });
    // The header object, reopened to add the array the rows stream into.
    return `${header.slice(0, -1)},"observations":[`;
  },
  row: (row, first) => `${first ? "\n" : ",\n"}${JSON.stringify(jsonObservation(row))}`,
  between: () => '\n],"pending":[',
  pending: (row, first) => `${first ? "\n" : ",\n"}${JSON.stringify(jsonPending(row))}`,
  tail: () => "\n]}\n",
};

// ---- CSV --------------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  "id",
  "start_at",
  "end_at",
  "variable",
  "variable_name",
  "category",
  "value_type",
  "value",
  "comparator",
  "unit",
  "original_value",
  "original_unit",
  "source",
  "is_valid",
  "is_outlier",
  "note",
  "file_id",
  "status",
  "code_system",
  "code",
  "code_display",
] as const;

/** The first characters that make Excel, LibreOffice and Google Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 §2.5–2.7: quote a field holding a comma, a quote or a line break; double its quotes.
 * Text that would start a formula is prefixed with `'` first (OWASP "CSV Injection"); numbers and
 * booleans are never text, so `-3.5` is written as it is.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The value column: the number, code, text or `true`/`false`, whichever the variable takes. */
function csvValue(row: ExportRow): string | number | boolean | null {
  return row.value ?? row.valueCode ?? row.valueText ?? row.valueBoolean;
}

export function csvRow(row: ExportRow): string {
  const fields: Array<string | number | boolean | null> = [
    row.id,
    compactInstant(row.startAt),
    row.endAt === null ? null : compactInstant(row.endAt),
    row.variableSlug,
    row.variableName,
    row.category,
    row.valueType,
    csvValue(row),
    row.comparator,
    row.unit,
    row.originalValue,
    row.originalUnit,
    row.source,
    row.isValid,
    row.isOutlier,
    row.note,
    row.fileId,
    "stored",
    null,
    null,
    null,
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

/**
 * A pending value as a CSV record: no variable, category, value type or validation flags (none is
 * known before its code is mapped); the value and unit as received, also as `original_*` since nothing
 * was converted; `status` `pending` and the local coding.
 */
export function csvPendingRow(row: PendingExportRow): string {
  const original = typeof row.value === "number" ? row.value : null;
  const fields: Array<string | number | boolean | null> = [
    row.id,
    compactInstant(row.startAt),
    row.endAt === null ? null : compactInstant(row.endAt),
    null,
    null,
    null,
    null,
    row.value,
    row.comparator,
    row.unit,
    original,
    original === null ? null : row.unit,
    row.source,
    null,
    null,
    row.note,
    row.fileId,
    "pending",
    row.system,
    row.code,
    row.display,
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

const csv: DocumentFormat = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8; header=present",
  head: () => `${CSV_COLUMNS.join(",")}\r\n`,
  row: (row) => csvRow(row),
  between: () => "",
  pending: (row) => csvPendingRow(row),
  tail: () => "",
};

// ---- FHIR R4 NDJSON ---------------------------------------------------------------------------

/** FHIR R4 observation-category (terminology.hl7.org/CodeSystem/observation-category). */
export const OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";

/**
 * The platform's categories that have an obvious FHIR observation-category: vital signs and
 * laboratory by name, measured physical activity as `activity`, self-reported ratings (symptoms, mood)
 * as `survey`. The others (sleep, nutrition, treatments, …) have no clear match and carry only the
 * platform's own category coding.
 */
export const FHIR_CATEGORY: Readonly<Record<string, { code: string; display: string }>> = {
  vital_signs: { code: "vital-signs", display: "Vital Signs" },
  laboratory: { code: "laboratory", display: "Laboratory" },
  physical_activity: { code: "activity", display: "Activity" },
  symptoms: { code: "survey", display: "Survey" },
  mood: { code: "survey", display: "Survey" },
};

/** The platform's own FHIR URIs under the API's origin: code systems and extensions (FHIR R4 §2.6). */
export function platformUris(baseUrl: string) {
  const base = trimEndChar(baseUrl, "/");
  return {
    /** Variables by slug. */
    variable: `${base}/fhir/CodeSystem/variable`,
    /** Variable categories by slug. */
    category: `${base}/fhir/CodeSystem/variable-category`,
    /** valueString: the source's slug (device, app, file import). */
    source: `${base}/fhir/StructureDefinition/observation-source`,
    /** valueQuantity: the value and unit as received, before conversion to the canonical unit. */
    original: `${base}/fhir/StructureDefinition/observation-original-value`,
    /** valueBoolean false: outside the variable's plausible range (stored, flagged). */
    valid: `${base}/fhir/StructureDefinition/observation-valid`,
    /** valueBoolean true: unusual against the person's own history. */
    outlier: `${base}/fhir/StructureDefinition/observation-outlier`,
    /** valueBoolean true: held under a local code no mapping resolves yet (issue 15); see `fhirPending`. */
    pending: `${base}/fhir/StructureDefinition/observation-pending`,
  };
}

/** A FHIR Quantity with a UCUM code (FHIR R4 qty-3: a code needs a system). */
function quantity(value: number, unit: string | null): Record<string, unknown> {
  return unit === null ? { value } : { value, unit, system: CODE_SYSTEMS.ucum, code: unit };
}

/**
 * One FHIR R4 Observation (hl7.org/fhir/R4/observation.html): `status` final; `category` the
 * observation-category where one fits plus the platform's category; `code` the variable's LOINC and
 * other codings plus the platform's variable coding, `text` its name; `subject` `Patient/<user id>`;
 * `effectiveDateTime`, or `effectivePeriod` for a period; `issued` when it was stored; the value as
 * `valueQuantity` (UCUM), `valueCodeableConcept`, `valueString` or `valueBoolean`; `note`; and
 * extensions for what R4 has no element for: the source, the original value and unit, and the
 * validation flags (written only when set: valid = false, outlier = true).
 */
export function fhirObservation(row: ExportRow, context: RowContext): Record<string, unknown> {
  const uris = platformUris(context.baseUrl);
  const extension: Array<Record<string, unknown>> = [{ url: uris.source, valueString: row.source }];
  if (row.originalValue !== null) {
    const original = quantity(row.originalValue, row.originalUnit);
    extension.push({
      url: uris.original,
      valueQuantity: row.comparator === null ? original : { ...original, comparator: row.comparator },
    });
  }
  if (!row.isValid) extension.push({ url: uris.valid, valueBoolean: false });
  if (row.isOutlier) extension.push({ url: uris.outlier, valueBoolean: true });

  const fhirCategory = FHIR_CATEGORY[row.category];
  const category = [
    ...(fhirCategory === undefined
      ? []
      : [
          { coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: fhirCategory.code, display: fhirCategory.display }] },
        ]),
    { coding: [{ system: uris.category, code: row.category }] },
  ];
  const coding = [
    ...context.codings.map((c) => ({
      system: c.system,
      code: c.code,
      ...(c.display === null ? {} : { display: c.display }),
    })),
    { system: uris.variable, code: row.variableSlug, display: row.variableName },
  ];
  const start = compactInstant(row.startAt);
  const effective =
    row.endAt === null ? { effectiveDateTime: start } : { effectivePeriod: { start, end: compactInstant(row.endAt) } };

  let value: Record<string, unknown> = {};
  if (row.value !== null) {
    // A censored value is its bound with Quantity.comparator (R4 datatypes.html#Quantity: "<5" is
    // value 5, comparator "<"); the original value the source sent is bounded the same way.
    const q = quantity(row.value, row.unit);
    value = { valueQuantity: row.comparator === null ? q : { ...q, comparator: row.comparator } };
  } else if (row.valueCode !== null)
    value = { valueCodeableConcept: { coding: [{ code: row.valueCode }], text: row.valueCode } };
  else if (row.valueText !== null) value = { valueString: row.valueText };
  else if (row.valueBoolean !== null) value = { valueBoolean: row.valueBoolean };

  return {
    resourceType: "Observation",
    id: row.id,
    extension,
    status: "final",
    category,
    code: { coding, text: row.variableName },
    subject: { reference: `Patient/${context.userId}` },
    ...effective,
    issued: compactInstant(row.createdAt),
    ...value,
    ...(row.note === null ? {} : { note: [{ text: row.note }] }),
  };
}

/**
 * A pending value as a FHIR R4 Observation. `status` is `preliminary` (R4 ObservationStatus,
 * hl7.org/fhir/R4/valueset-observation-status.html: "data may be incomplete or unverified"): the
 * platform holds the result but has not yet resolved what it measures, so it is neither validated nor
 * converted; `registered` would say that no result is available yet, which is not so. `code` is the
 * local coding as received (its system the local system URI, e.g. `urn:dfda:local:hl7v2:LAB^HOSP`),
 * with no LOINC or platform coding since none is known. A number is `valueQuantity` with the unit as
 * received in `unit` only: it is not checked against UCUM, and R4 qty-3 wants a `system` beside any
 * `code`. A string is `valueString` (a coded result cannot be told from text without the mapping), a
 * boolean `valueBoolean`. The extension `observation-pending` marks it for consumers that read status
 * alone as the result's own.
 */
export function fhirPending(row: PendingExportRow, context: PendingContext): Record<string, unknown> {
  const uris = platformUris(context.baseUrl);
  const start = compactInstant(row.startAt);
  const effective =
    row.endAt === null ? { effectiveDateTime: start } : { effectivePeriod: { start, end: compactInstant(row.endAt) } };
  let value: Record<string, unknown> = {};
  if (typeof row.value === "number") {
    value = {
      valueQuantity: {
        value: row.value,
        ...(row.comparator === null ? {} : { comparator: row.comparator }),
        ...(row.unit === null ? {} : { unit: row.unit }),
      },
    };
  } else if (typeof row.value === "string") value = { valueString: row.value };
  else if (typeof row.value === "boolean") value = { valueBoolean: row.value };
  return {
    resourceType: "Observation",
    id: row.id,
    extension: [
      { url: uris.source, valueString: row.source },
      { url: uris.pending, valueBoolean: true },
    ],
    status: "preliminary",
    code: {
      coding: [{ system: row.system, code: row.code, ...(row.display === null ? {} : { display: row.display }) }],
      text: row.display ?? row.code,
    },
    subject: { reference: `Patient/${context.userId}` },
    ...effective,
    issued: compactInstant(row.receivedAt),
    ...value,
    ...(row.note === null ? {} : { note: [{ text: row.note }] }),
  };
}

const fhirNdjson: DocumentFormat = {
  extension: "ndjson",
  contentType: "application/fhir+ndjson",
  head: () => "",
  row: (row, _first, context) => `${JSON.stringify(fhirObservation(row, context))}\n`,
  between: () => "",
  pending: (row, _first, context) => `${JSON.stringify(fhirPending(row, context))}\n`,
  tail: () => "",
};

export const FORMATS: Readonly<Record<ExportFormat, DocumentFormat>> = { json, csv, "fhir-ndjson": fhirNdjson };
