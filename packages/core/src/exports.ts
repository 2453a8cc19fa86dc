/**
 * Exports of a person's data: the formats, the filters an export was asked with (as stored, resolved
 * to ids), and the queue message that hands an export job to the exporter Worker. Parsed at every
 * boundary (the API stores the filters, the exporter parses the message and the filters again).
 */
import { z } from "zod";
import { WireGrantScope } from "./policy";

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

/**
 * API → exporter Worker (queue `dfda-exports`): build the FHIR Bulk Data export `bulk_exports.id`
 * (docs/fhir.md, "Bulk Data"). Whose records and under which grants is in the row, written at kick-off;
 * processing it twice changes nothing.
 */
export const BulkExportMessage = z.object({
  v: z.literal(1),
  type: z.literal("bulk-export"),
  export_id: z.uuid(),
  tenant_id: z.uuid(),
  /** The API's origin at kick-off: the base of the platform's FHIR URIs in the NDJSON. */
  base_url: z.url(),
});
export type BulkExportMessage = z.infer<typeof BulkExportMessage>;

/** Every message of the `dfda-exports` queue. */
export const ExporterMessage = z.discriminatedUnion("type", [ExportMessage, BulkExportMessage]);
export type ExporterMessage = z.infer<typeof ExporterMessage>;

/** The resource types a Bulk Data export writes (one NDJSON file each). */
export const BULK_EXPORT_TYPES = ["Patient", "Observation"] as const;
export type BulkExportType = (typeof BULK_EXPORT_TYPES)[number];

/**
 * One person a Bulk Data export covers, as decided at kick-off by their Durable Object: the grants that
 * allowed it (checked again when the exporter runs: a grant revoked or expired since no longer counts, and a person left with none is excluded),
 * what they open (`"all"` for the person themselves), and for a study's Group the study's pseudonym.
 */
export const BulkParticipant = z.object({
  user_id: z.uuid(),
  subject_id: z.uuid().nullable(),
  /** "all" for the person themselves; else one scope per grant (each names its grant). */
  scope: z.union([z.literal("all"), z.array(WireGrantScope)]),
});
export type BulkParticipant = z.infer<typeof BulkParticipant>;
