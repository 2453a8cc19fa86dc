/**
 * The columns of one stored observation as the FHIR builder reads it (@dfda/core/fhir
 * `FhirObservationRow`), for every reader that hands rows to it: the exporter's FHIR NDJSON and the
 * FHIR R4 API's searches. One list, so both always build from the same columns. Queries using it join
 * `variables` (at the row's version), `variable_categories` and `sources`.
 */
import type { FhirObservationRow } from "@dfda/core/fhir";
import { type SQL, sql } from "drizzle-orm";
import { observations, sources, variableCategories, variables } from "../schema";

/** An instant as RFC 3339 in UTC with its microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`). */
export const utcText = (column: SQL | typeof observations.startAt) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const fhirRowColumns = {
  id: observations.id,
  variableSlug: variables.slug,
  variableName: variables.name,
  category: variableCategories.slug,
  startAt: utcText(observations.startAt),
  endAt: sql<string | null>`case when ${observations.endAt} is null then null else ${utcText(
    sql`${observations.endAt}`,
  )} end`,
  value: observations.value,
  valueText: observations.valueText,
  valueCode: observations.valueCode,
  valueBoolean: observations.valueBoolean,
  unit: observations.unit,
  originalValue: observations.originalValue,
  originalUnit: observations.originalUnit,
  comparator: observations.comparator,
  source: sources.slug,
  isValid: observations.isValid,
  isOutlier: observations.isOutlier,
  note: observations.note,
  fileId: observations.fileId,
  createdAt: utcText(sql`${observations.createdAt}`),
} satisfies Record<keyof FhirObservationRow, unknown>;
