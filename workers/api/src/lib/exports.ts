/**
 * What the export routes share: the response shape of an export, whose exports a caller may act on
 * (the owner, or a custodian linked to them), and the signed download link of a finished export, signed
 * for the user who reads it.
 */
import { ApiError, EXPORT_FORMAT_LIST, type Principal } from "@dfda/core";
import type { ExportRecord, ExportScope } from "@dfda/db/repositories/exports";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { askOwner } from "./access";
import { EXAMPLE_IDS } from "./examples";
import { signDownloadToken } from "./export-links";
import type { AppEnv } from "./types";

export const EXPORT_STATUSES = ["queued", "processing", "completed", "failed", "expired"] as const;

export const ExportFiltersSchema = z
  .object({
    variables: z.array(z.uuid()).optional().openapi({ description: "Variable ids." }),
    categories: z.array(z.string()).optional().openapi({ description: "Category slugs." }),
    from: z.string().optional().openapi({ description: "Earliest start_at (inclusive)." }),
    to: z.string().optional().openapi({ description: "Latest start_at (exclusive)." }),
    sources: z.array(z.string()).optional().openapi({ description: "Source slugs." }),
  })
  .openapi("ExportFilters", { description: "The filters as stored: variables resolved to their ids." });

export const ExportSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(EXPORT_STATUSES).openapi({
      description: "`expired`: completed, but the download link's time is over (ask for a new export).",
    }),
    format: z.enum(EXPORT_FORMAT_LIST),
    include_files: z.boolean(),
    filters: ExportFiltersSchema,
    progress: z.object({
      rows_written: z.number().int(),
      total_rows: z
        .number()
        .int()
        .nullable()
        .openapi({ description: "Observations matching the filters when the export started (an estimate)." }),
      files_written: z.number().int(),
    }),
    content_type: z
      .string()
      .openapi({ description: "The media type of the download.", example: "application/fhir+ndjson" }),
    size_bytes: z.number().int().nullable().openapi({ description: "Bytes of the download, once completed." }),
    error: z.string().nullable(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    completed_at: z.iso.datetime({ offset: true }).nullable(),
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .openapi({ description: "When the download link stops working." }),
    download_url: z
      .string()
      .nullable()
      .openapi({
        description:
          "While completed and unexpired: a signed link that downloads the export without a bearer token, until " +
          "`expires_at`. Treat it as a secret.",
      }),
    requested_by: z.uuid().nullable().openapi({ description: "Who asked: the owner, or their custodian." }),
  })
  .openapi("Export");
export type ExportResponse = z.infer<typeof ExportSchema>;

export const ExportIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.export }),
});

export const OwnerQuery = z
  .uuid()
  .optional()
  .openapi({ description: "Whose data (default: yours). A custodian names the dependent they are linked to." });

/** Download media types: the format's, or a ZIP archive with the originals. */
export function exportContentType(record: Pick<ExportRecord, "format" | "includeFiles">): string {
  if (record.includeFiles) return "application/zip";
  switch (record.format) {
    case "json":
      return "application/json";
    case "csv":
      return "text/csv; charset=utf-8; header=present";
    case "fhir-ndjson":
      return "application/fhir+ndjson";
  }
}

export function exportExtension(record: Pick<ExportRecord, "format" | "includeFiles">): string {
  if (record.includeFiles) return "zip";
  return record.format === "fhir-ndjson" ? "ndjson" : record.format;
}

/** Whether a completed export can still be downloaded at `now`. */
export function downloadable(record: ExportRecord, now: Date): boolean {
  return record.status === "completed" && record.r2Key !== null && record.expiresAt !== null && record.expiresAt > now;
}

function publicStatus(record: ExportRecord, now: Date): ExportResponse["status"] {
  if (record.status === "completed" && !downloadable(record, now)) return "expired";
  return record.status;
}

/** The export as the API shows it, with a fresh signed link while it can be downloaded. */
export async function exportResponse(c: Context<AppEnv>, record: ExportRecord): Promise<ExportResponse> {
  const now = new Date();
  let downloadUrl: string | null = null;
  const principal = c.var.principal;
  // The link is signed for the user who asked to see it, so the download can check they still may.
  if (downloadable(record, now) && record.expiresAt !== null && principal.kind === "user") {
    const token = await signDownloadToken(
      c.var.config.masterKeys,
      { tenantId: record.tenantId, userId: record.userId, exportId: record.id, holderId: principal.userId },
      record.expiresAt,
    );
    const url = new URL(`/v1/me/exports/${record.id}/download`, c.req.url);
    url.searchParams.set("token", token);
    downloadUrl = url.toString();
  }
  return {
    id: record.id,
    status: publicStatus(record, now),
    format: record.format,
    include_files: record.includeFiles,
    filters: record.filters as z.infer<typeof ExportFiltersSchema>,
    progress: { rows_written: record.rowsWritten, total_rows: record.totalRows, files_written: record.filesWritten },
    content_type: exportContentType(record),
    size_bytes: record.status === "completed" ? record.sizeBytes : null,
    error: record.error,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    completed_at: record.completedAt === null ? null : record.completedAt.toISOString(),
    expires_at: record.expiresAt === null ? null : record.expiresAt.toISOString(),
    download_url: downloadUrl,
    requested_by: record.requestedBy,
  };
}

/**
 * Whose exports the caller acts on: their own, or (with `user_id`) a dependent's when the caller is
 * that person's custodian (`actsForOwner`). Anyone else is refused, and the refusal is audited.
 */
export async function exportScope(
  c: Context<AppEnv>,
  userId: string | undefined,
): Promise<{ principal: Extract<Principal, { kind: "user" }>; scope: ExportScope; via: "owner" | "custodian" }> {
  const principal = c.var.principal;
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Exports belong to a person." });
  const ownerId = userId ?? principal.userId;
  if (ownerId === principal.userId)
    return { principal, scope: { tenantId: principal.tenantId, userId: ownerId }, via: "owner" };
  // Someone else's data: the owner's Durable Object decides (and logs the answer in their access log).
  // Only a custodian may export for them; a grant to read is not a licence to take a copy of everything.
  const answer = await askOwner(c, principal, { ownerId, action: "read", audit: "observations.export" });
  if (!answer.allow || answer.via !== "custodian") {
    throw new ApiError("forbidden", {
      detail: "You may only export your own data, or that of a person you are the custodian of.",
      extensions: { reason: answer.allow ? "not_custodian" : answer.reason },
    });
  }
  const via = "custodian" as const;
  return { principal, scope: { tenantId: principal.tenantId, userId: ownerId }, via };
}
