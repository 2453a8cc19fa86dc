/**
 * Exports of a person's data: the formats, the filters an export was asked with (as stored, resolved
 * to ids), and the queue message that hands an export job to the exporter Worker. Parsed at every
 * boundary (the API stores the filters, the exporter parses the message and the filters again).
 */
import { z } from "zod";

/**
 * What an export is written as: one JSON document, RFC 4180 CSV, or FHIR R4 Observation resources as
 * NDJSON (one resource per line, as a FHIR Bulk Data export file is: hl7.org/fhir/uv/bulkdata).
 */
export const EXPORT_FORMAT_LIST = ["json", "csv", "fhir-ndjson"] as const;
export const ExportFormat = z.enum(EXPORT_FORMAT_LIST);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** The filters of an export as stored in `exports.filters`: variables by id, sources by slug. */
export const ExportFilters = z.object({
  /** Variable ids (the API resolves codings such as `http://loinc.org|8867-4` before storing). */
  variables: z.array(z.uuid()).max(100).optional(),
  /** Category slugs (`vital_signs`). */
  categories: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** Earliest `start_at`, inclusive (RFC 3339). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Latest `start_at`, exclusive (RFC 3339). */
  to: z.iso.datetime({ offset: true }).optional(),
  /** Source slugs. */
  sources: z.array(z.string().min(1).max(64)).max(50).optional(),
});
export type ExportFilters = z.infer<typeof ExportFilters>;

/** API → exporter Worker (queue `dfda-exports`): build this export. Processing it twice changes nothing. */
export const ExportMessage = z.object({
  v: z.literal(1),
  type: z.literal("export"),
  export_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  /**
   * The API's origin when the export was asked for: the base of the platform's own code-system and
   * extension URIs in the FHIR output (`<base>/fhir/...`).
   */
  base_url: z.url(),
});
export type ExportMessage = z.infer<typeof ExportMessage>;
