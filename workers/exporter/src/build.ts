/**
 * The plaintext of an export, produced as it is read: the observations in keyset pages (variable by
 * variable, each in time order), then the values held as pending under a local code no mapping
 * resolves yet (issue 15: everything the platform accepted is the person's to take with them),
 * formatted row by row; with `include_files`, a ZIP archive of that
 * document, the person's original files (decrypted as they stream out of R2) and a manifest. Nothing
 * is produced before the consumer (the encrypting upload) asks for it, so memory holds one page of
 * rows (or one chunk of a file) at a time, whatever the export's size.
 */
import type { ExportFilters, ExportFormat } from "@dfda/core";
import type { Database } from "@dfda/db";
import {
  type ExportKey,
  type ExportScope,
  exportFilesPage,
  exportPendingPage,
  exportRowsPage,
  exportVariableIds,
  type PendingExportKey,
  variableCodings,
} from "@dfda/db/repositories/exports";
import { DataKeyError, fileDataKey } from "@dfda/db/repositories/file-keys";
import type { FileRecord } from "@dfda/db/repositories/files";
import { getDecrypted, type MasterKeyring, type R2Like } from "@dfda/vault";
import { type ExportMeta, FORMATS } from "./formats";
import { iterableStream, type ZipEntry, zipStream } from "./zip";

/** Rows read per query: one page is what the exporter holds in memory. */
export const DEFAULT_PAGE_SIZE = 1_000;

export interface ExportJob {
  exportId: string;
  scope: ExportScope;
  format: ExportFormat;
  filters: ExportFilters;
  includeFiles: boolean;
  /** The API's origin (base of the platform's FHIR URIs). */
  baseUrl: string;
  exportedAt: Date;
}

/** What the export has written so far (shared with the caller, which reports it as progress). */
export interface ExportProgress {
  /** Rows written: observations and pending values. */
  rows: number;
  /** Of `rows`, the pending values. */
  pending: number;
  files: number;
  /** Plaintext bytes produced. */
  bytes: number;
}

export interface BuildOptions {
  pageSize?: number;
  /** Called after each page of rows is handed on (the job's progress is written here). */
  onRows?: (progress: ExportProgress) => Promise<void> | void;
  /** Called after each original file is written into the archive. */
  onFile?: (progress: ExportProgress) => Promise<void> | void;
}

/** Where originals come from: the files bucket and the keys to open them. */
export interface FileSource {
  bucket: R2Like & { head(key: string): Promise<unknown> };
  keyring: MasterKeyring;
}

const encoder = new TextEncoder();

function isEmpty(filters: ExportFilters): boolean {
  return Object.values(filters).every((v) => v === undefined);
}

/** The observations document, chunk by chunk (one chunk per page). */
async function* documentChunks(
  db: Database,
  job: ExportJob,
  progress: ExportProgress,
  fileIds: Set<string>,
  options: BuildOptions,
): AsyncGenerator<Uint8Array> {
  const format = FORMATS[job.format];
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const meta: ExportMeta = {
    exportId: job.exportId,
    userId: job.scope.userId,
    format: job.format,
    filters: job.filters,
    exportedAt: job.exportedAt.toISOString(),
  };
  yield encoder.encode(format.head(meta));
  let first = true;
  for (const variableId of await exportVariableIds(db, job.scope, job.filters)) {
    const codings = job.format === "fhir-ndjson" ? await variableCodings(db, job.scope.tenantId, variableId) : [];
    const context = { baseUrl: job.baseUrl, userId: job.scope.userId, codings };
    let after: ExportKey | null = null;
    for (;;) {
      const rows = await exportRowsPage(db, job.scope, job.filters, variableId, after, pageSize);
      if (rows.length === 0) break;
      let text = "";
      for (const row of rows) {
        text += format.row(row, first, context);
        first = false;
        if (row.fileId !== null) fileIds.add(row.fileId);
      }
      progress.rows += rows.length;
      yield encoder.encode(text);
      await options.onRows?.(progress);
      const last = rows[rows.length - 1];
      if (rows.length < pageSize || last === undefined) break;
      after = { startAt: last.startAt, id: last.id };
    }
  }
  yield encoder.encode(format.between(meta));
  const context = { baseUrl: job.baseUrl, userId: job.scope.userId };
  let firstPending = true;
  let after: PendingExportKey | null = null;
  for (;;) {
    const rows = await exportPendingPage(db, job.scope, job.filters, after, pageSize);
    if (rows.length === 0) break;
    let text = "";
    for (const row of rows) {
      text += format.pending(row, firstPending, context);
      firstPending = false;
      if (row.fileId !== null) fileIds.add(row.fileId);
    }
    progress.rows += rows.length;
    progress.pending += rows.length;
    yield encoder.encode(text);
    await options.onRows?.(progress);
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || last === undefined) break;
    after = { system: last.system, code: last.code, startAt: last.startAt, id: last.id };
  }
  yield encoder.encode(format.tail(meta));
}

/** A file name safe inside an archive: no path separators or control characters, at most 150 characters. */
export function archiveName(file: Pick<FileRecord, "id" | "originalName">): string {
  const cleaned = Array.from(file.originalName ?? "", (ch) =>
    (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f" || '/\\:*?"<>|'.includes(ch) ? "_" : ch,
  )
    .join("")
    .replace(/^\.+/, "_")
    .slice(0, 150);
  return cleaned === "" ? `files/${file.id}` : `files/${file.id}-${cleaned}`;
}

interface ManifestFile {
  id: string;
  path: string;
  name: string | null;
  content_type: string | null;
  format: string | null;
  size_bytes: number;
  sha256: string;
  uploaded_at: string;
}

/**
 * The archive: the observations document, the originals, and `manifest.json` last (it lists what the
 * archive holds, which is known only at the end). With filters, only the files that exported
 * observations were mapped from; without, every live file of the person (also those no mapper read).
 */
function archiveEntries(
  db: Database,
  job: ExportJob,
  source: FileSource,
  progress: ExportProgress,
  options: BuildOptions,
): AsyncIterable<ZipEntry> {
  const format = FORMATS[job.format];
  const fileIds = new Set<string>();
  const documentName = `observations.${format.extension}`;
  return (async function* () {
    yield {
      name: documentName,
      modified: job.exportedAt,
      body: () => iterableStream(documentChunks(db, job, progress, fileIds, options)),
    };
    const onlyMapped = !isEmpty(job.filters);
    const included: ManifestFile[] = [];
    const skipped: Array<{ id: string; name: string | null; reason: string }> = [];
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const page = await exportFilesPage(db, job.scope, after, 100);
      for (const file of page) {
        if (onlyMapped && !fileIds.has(file.id)) continue;
        let dataKey: Uint8Array;
        try {
          dataKey = await fileDataKey(db, source.keyring, file);
        } catch (error) {
          if (!(error instanceof DataKeyError)) throw error;
          skipped.push({ id: file.id, name: file.originalName, reason: error.message });
          continue;
        }
        if ((await source.bucket.head(file.r2Key)) === null) {
          skipped.push({ id: file.id, name: file.originalName, reason: "the stored object is missing" });
          continue;
        }
        const size = file.sizeBytes ?? 0;
        const path = archiveName(file);
        yield {
          name: path,
          modified: file.createdAt,
          size,
          body: () => getDecrypted(source.bucket, file.r2Key, dataKey, file.id, size),
        };
        // Back here once the archive asks for the next entry: this file is written.
        progress.files += 1;
        await options.onFile?.(progress);
        included.push({
          id: file.id,
          path,
          name: file.originalName,
          content_type: file.contentType,
          format: file.format,
          size_bytes: size,
          sha256: file.sha256,
          uploaded_at: file.createdAt.toISOString(),
        });
      }
      const last = page[page.length - 1];
      if (page.length < 100 || last === undefined) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    const manifest = {
      export: {
        id: job.exportId,
        format: job.format,
        exported_at: job.exportedAt.toISOString(),
        filters: job.filters,
        include_files: true,
      },
      person: { id: job.scope.userId },
      observations: {
        path: documentName,
        content_type: format.contentType,
        count: progress.rows,
        pending: progress.pending,
      },
      files: included,
      skipped_files: skipped,
    };
    yield {
      name: "manifest.json",
      modified: job.exportedAt,
      body: () => new Blob([`${JSON.stringify(manifest, null, 2)}\n`]).stream(),
    };
  })();
}

/** Counts the bytes passing through. */
async function* counted(chunks: AsyncIterable<Uint8Array>, progress: ExportProgress): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    progress.bytes += chunk.length;
    yield chunk;
  }
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The export's plaintext as a pull stream: the document alone, or (with `includeFiles`) the archive.
 * `progress` is updated as the stream is read.
 *
 * @example
 * const progress = { rows: 0, pending: 0, files: 0, bytes: 0 };
 * await putEncrypted(env.EXPORTS, key, exportStream(db, job, files, progress), dataKey, exportAad(id));
 */
export function exportStream(
  db: Database,
  job: ExportJob,
  files: FileSource,
  progress: ExportProgress,
  options: BuildOptions = {},
): ReadableStream<Uint8Array> {
  const source = job.includeFiles
    ? streamChunks(zipStream(archiveEntries(db, job, files, progress, options)))
    : documentChunks(db, job, progress, new Set(), options);
  return iterableStream(counted(source, progress));
}

/** File name extension and media type of what `exportStream` produces for a job. */
export function exportContent(format: ExportFormat, includeFiles: boolean): { extension: string; contentType: string } {
  if (includeFiles) return { extension: "zip", contentType: "application/zip" };
  const { extension, contentType } = FORMATS[format];
  return { extension, contentType };
}
