/**
 * The platform's stored observations as FHIR R4 resources: the one builder the FHIR NDJSON export
 * (workers/exporter) and the FHIR R4 API (workers/api/src/fhir) both use, so a client reading
 * `/fhir/R4/Observation` and one reading an export file get the same resource for the same row.
 * Pure functions of a row (no I/O).
 */

import { trimEndChar } from "./encoding";
import type { Comparator } from "./observations";
import { CODE_SYSTEMS } from "./reference";

/** What the builder reads of one stored observation (instants as RFC 3339 UTC, microseconds kept). */
export interface FhirObservationRow {
  id: string;
  variableSlug: string;
  variableName: string;
  category: string;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  startAt: string;
  endAt: string | null;
  value: number | null;
  valueText: string | null;
  valueCode: string | null;
  valueBoolean: boolean | null;
  unit: string | null;
  originalValue: number | null;
  originalUnit: string | null;
  /** A censored value's comparator (R4 Quantity.comparator): `value` is then the bound. */
  comparator: Comparator | null;
  /** The source's slug. */
  source: string;
  isValid: boolean;
  isOutlier: boolean;
  note: string | null;
  /** The uploaded file the row was mapped from, if any. */
  fileId: string | null;
  /** When it was stored. */
  createdAt: string;
}

/** A coding of a variable in an external system (LOINC, SNOMED CT, …), preferred first. */
export interface FhirCoding {
  system: string;
  code: string;
  display: string | null;
}

export interface FhirRowContext {
  /** The API's origin: the base of the platform's own FHIR URIs. */
  baseUrl: string;
  /** The `Patient` id the observation is about (the owner's user id, or a pseudonym). */
  userId: string;
  /** The codings of the row's variable (LOINC, SNOMED CT, …), preferred first. */
  codings: readonly FhirCoding[];
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

/** FHIR R4 observation-category (terminology.hl7.org/CodeSystem/observation-category). */
export const OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";

/** The R4 vital-signs profile (hl7.org/fhir/R4/vitalsigns.html). */
export const VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

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

/** The platform's own FHIR URIs under the API's origin: code systems, extensions, naming systems (FHIR R4 §2.6). */
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
    /** valueBoolean true: held under a local code no mapping resolves yet (issue 15); see the exporter's `fhirPending`. */
    pending: `${base}/fhir/StructureDefinition/observation-pending`,
    /** `meta.source` of a row: the source system it came from, by slug (R4 Meta.source is a uri). */
    sourceSystem: (slug: string) => `${base}/fhir/source/${encodeURIComponent(slug)}`,
    /** Identifiers of uploaded files (the original a row was mapped from: `derivedFrom`). */
    file: `${base}/fhir/NamingSystem/file`,
    /** The stable codes of the platform's errors, in OperationOutcome.issue.details. */
    problem: `${base}/fhir/CodeSystem/problem`,
  };
}

/** A FHIR Quantity with a UCUM code (FHIR R4 qty-3: a code needs a system). */
function quantity(value: number, unit: string | null): Record<string, unknown> {
  return unit === null ? { value } : { value, unit, system: CODE_SYSTEMS.ucum, code: unit };
}

/**
 * Whether the row meets the R4 vital-signs profile (vitalsigns.html): the `vital-signs` category, a
 * LOINC code, a subject, an effective time, and a Quantity value in UCUM (vs-2/vs-3: a value or a
 * dataAbsentReason; every stored numeric row has a value). Only such rows claim it in `meta.profile`.
 */
function meetsVitalSigns(row: FhirObservationRow, codings: readonly FhirCoding[]): boolean {
  return (
    row.category === "vital_signs" &&
    row.value !== null &&
    row.unit !== null &&
    codings.some((c) => c.system === CODE_SYSTEMS.loinc)
  );
}

/**
 * One FHIR R4 Observation (hl7.org/fhir/R4/observation.html): `status` final; `category` the
 * observation-category where one fits plus the platform's category; `code` the variable's LOINC and
 * other codings plus the platform's variable coding, `text` its name; `subject` `Patient/<user id>`;
 * `effectiveDateTime`, or `effectivePeriod` for a period; `issued` when it was stored; the value as
 * `valueQuantity` (UCUM), `valueCodeableConcept`, `valueString` or `valueBoolean`; `note`; and
 * extensions for what R4 has no element for: the source, the original value and unit, and the
 * validation flags (written only when set: valid = false, outlier = true). Provenance also in R4's
 * own elements: `meta.source` names the source system, `derivedFrom` the uploaded file by identifier
 * (R4 Reference.identifier: the file is not a FHIR resource the server serves), `meta.lastUpdated` when
 * it was stored (rows are never updated in place: a reprocess replaces them).
 */
export function fhirObservation(row: FhirObservationRow, context: FhirRowContext): Record<string, unknown> {
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

  const lastUpdated = compactInstant(row.createdAt);
  return {
    resourceType: "Observation",
    id: row.id,
    meta: {
      lastUpdated,
      source: uris.sourceSystem(row.source),
      ...(meetsVitalSigns(row, context.codings) && { profile: [VITAL_SIGNS_PROFILE] }),
    },
    extension,
    status: "final",
    category,
    code: { coding, text: row.variableName },
    subject: { reference: `Patient/${context.userId}` },
    ...effective,
    issued: lastUpdated,
    ...value,
    ...(row.note === null ? {} : { note: [{ text: row.note }] }),
    ...(row.fileId === null
      ? {}
      : { derivedFrom: [{ type: "DocumentReference", identifier: { system: uris.file, value: row.fileId } }] }),
  };
}

/**
 * A person as an R4 Patient (patient.html): the platform keeps no names, birth dates or addresses for
 * its people, only an account, so the resource is its id (the user id, or a study's pseudonym) and
 * `active`. Nothing identifying is ever written.
 */
export function fhirPatient(id: string): Record<string, unknown> {
  return { resourceType: "Patient", id, active: true };
}

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * An Observation as a study sees it: the subject its pseudonym, the id a per-study hash of the
 * observation id (stable across exports of the study, meaningless outside it), and without the
 * platform's source, file and free-text elements (docs/consent.md, "Research": what leaves). The study's
 * Group export (workers/exporter) and FHIR Observation search for a study's researchers both use it.
 */
export async function pseudonymousObservation(
  resource: Record<string, unknown>,
  studyId: string,
  subjectId: string,
): Promise<Record<string, unknown>> {
  const { id, meta, extension, note: _note, derivedFrom: _derived, valueString: _text, ...rest } = resource;
  const { source: _source, ...keptMeta } = (meta ?? {}) as Record<string, unknown>;
  // Only the validity and outlier flags stay among the extensions (no source, no value as sent).
  const flags = ((extension ?? []) as Array<{ url: string }>).filter(
    (e) => e.url.endsWith("/valid") || e.url.endsWith("/outlier"),
  );
  return {
    ...rest,
    id: (await sha256Hex(`${studyId}:${String(id)}`)).slice(0, 64),
    meta: keptMeta,
    ...(flags.length > 0 && { extension: flags }),
    subject: { reference: `Patient/${subjectId}` },
  };
}
