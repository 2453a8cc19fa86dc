/**
 * One export job, start to end: claim it, count what it will hold, make its data key, stream the
 * plaintext through the vault's encryption into R2, and mark it completed with its size and the time
 * its download link expires. Running it again for the same message rebuilds the same export from the
 * start (a retry) or, once it is finished, does nothing.
 */
import { ExportFilters, type ExportMessage } from "@dfda/core";
import type { Database } from "@dfda/db";
import {
  claimExport,
  completeExport,
  countExportRows,
  exportAad,
  exportObjectKey,
  failExport,
  newExportKey,
  recordExportProgress,
  setExportObject,
} from "@dfda/db/repositories/exports";
import { parseMasterKeyring, putEncrypted, type R2Like } from "@dfda/vault";
import { type BuildOptions, type ExportProgress, exportContent, exportStream, type FileSource } from "./build";

export interface ExporterEnv {
  HYPERDRIVE: Hyperdrive;
  /** Raw files: the originals an export includes; the retention sweep deletes expired ones. */
  FILES: R2Bucket;
  /** Archived ranges of audit logs, written by the retention sweep (docs/retention.md). */
  ARCHIVE: R2Bucket;
  /** Finished exports, encrypted. */
  EXPORTS: R2Bucket;
  AUTH_MASTER_KEYS: string;
  AUTH_MASTER_KEY_ID: string;
  /** How long a finished export can be downloaded, in seconds (default 86,400: 24 hours). */
  EXPORT_LINK_TTL_SECONDS?: string;
}

export const DEFAULT_LINK_TTL_SECONDS = 86_400;

export function linkTtlSeconds(env: Pick<ExporterEnv, "EXPORT_LINK_TTL_SECONDS">): number {
  const parsed = Number(env.EXPORT_LINK_TTL_SECONDS ?? "");
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_LINK_TTL_SECONDS;
}

export interface RunOptions extends BuildOptions {
  /** R2 multipart part size (default the vault's 8 MiB; tests use R2's 5 MiB minimum). */
  partSize?: number;
  /** Stands in for the bucket the export is written to (tests observe the upload through it). */
  bucket?: R2Like;
  now?: () => Date;
}

export type RunOutcome =
  | { status: "completed"; rows: number; files: number; bytes: number; r2Key: string }
  | { status: "skipped"; reason: "not_runnable" | "erased" }
  | { status: "failed"; reason: string };

/** Builds the export a message names. Throws on a transient failure (the queue retries). */
export async function runExport(
  env: ExporterEnv,
  db: Database,
  message: ExportMessage,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const record = await claimExport(db, message.tenant_id, message.export_id);
  if (record === null || record.userId !== message.user_id) return { status: "skipped", reason: "not_runnable" };
  const filters = ExportFilters.safeParse(record.filters);
  if (!filters.success) {
    // Stored by the API after validation; a row that no longer parses will not parse on a retry either.
    await failExport(db, record.tenantId, record.id, "The export's filters are not valid.");
    return { status: "failed", reason: "invalid_filters" };
  }
  const scope = { tenantId: record.tenantId, userId: record.userId };
  await recordExportProgress(db, scope.tenantId, record.id, {
    totalRows: await countExportRows(db, scope, filters.data),
  });

  const keyring = parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID);
  const key = await newExportKey(db, keyring, { ...scope, exportId: record.id });
  const { extension } = exportContent(record.format, record.includeFiles);
  const r2Key = await exportObjectKey(scope.userId, record.id, extension);
  // Recorded before the upload, so an erasure that runs meanwhile finds (and deletes) the object.
  await setExportObject(db, scope.tenantId, record.id, r2Key);

  const progress: ExportProgress = { rows: 0, files: 0, bytes: 0 };
  const files: FileSource = { bucket: env.FILES, keyring };
  const plaintext = exportStream(
    db,
    {
      exportId: record.id,
      scope,
      format: record.format,
      filters: filters.data,
      includeFiles: record.includeFiles,
      baseUrl: message.base_url,
      exportedAt: now(),
    },
    files,
    progress,
    {
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      onRows: async (p) => {
        await recordExportProgress(db, scope.tenantId, record.id, { rowsWritten: p.rows });
        await options.onRows?.(p);
      },
      onFile: async (p) => {
        await recordExportProgress(db, scope.tenantId, record.id, { filesWritten: p.files });
        await options.onFile?.(p);
      },
    },
  );
  const bucket = options.bucket ?? env.EXPORTS;
  try {
    await putEncrypted(bucket, r2Key, plaintext, key.dataKey, exportAad(record.id), options.partSize);
  } finally {
    key.dataKey.fill(0);
  }
  const completed = await completeExport(db, scope.tenantId, record.id, {
    r2Key,
    sizeBytes: progress.bytes,
    rowsWritten: progress.rows,
    filesWritten: progress.files,
    keyVersion: key.keyVersion,
    wrappedKey: key.wrappedKey,
    expiresAt: new Date(now().getTime() + linkTtlSeconds(env) * 1000),
  });
  if (!completed) {
    // The export (and its owner) went away while it was written: leave nothing behind.
    await bucket.delete(r2Key);
    return { status: "skipped", reason: "erased" };
  }
  return { status: "completed", rows: progress.rows, files: progress.files, bytes: progress.bytes, r2Key };
}
