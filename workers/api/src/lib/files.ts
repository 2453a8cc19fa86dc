/**
 * What the file routes share: whose files a request may touch (`fileOwner`, `ownFile`), the response
 * shape of a file, a stored file's data key, and the message that sends a file to the mapper Worker.
 */
import { ApiError, type FileMessage, type Principal, type Requirement } from "@dfda/core";
import type { Database } from "@dfda/db";
import { DataKeyError, fileDataKey } from "@dfda/db/repositories/file-keys";
import { type FileRecord, getFile } from "@dfda/db/repositories/files";
import { createJob, markJobFailed } from "@dfda/db/repositories/jobs";
import { peek } from "@dfda/mappers";
import { getDecrypted } from "@dfda/vault";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { apiConfig } from "./config";
import { EXAMPLE_IDS } from "./examples";
import type { AppEnv } from "./types";

/**
 * The per-request part of every file route's requirement: a person's files are their own data, so the
 * policy checks the caller against themselves as owner (a client acting for itself has no files).
 */
export function ownFilesRequirement(c: Context<AppEnv>): Partial<Requirement> {
  return c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {};
}

/** The person a file route serves: files belong to people, so a client acting for itself is refused (403). */
export function fileOwner(c: Context<AppEnv>): Extract<Principal, { kind: "user" }> {
  const principal = c.var.principal;
  if (principal.kind !== "user") throw new ApiError("forbidden", { detail: "Files belong to a person." });
  return principal;
}

/** What a file route needs of the file besides being the caller's. */
export interface FileNeeds {
  /** It came from a source (every upload does): a mapping job can be started for it. */
  source?: boolean;
  /** It is a CSV or TSV file, whose columns can be matched. */
  tabular?: boolean;
}

type OwnFile<F extends FileRecord> = { principal: Extract<Principal, { kind: "user" }>; db: Database; file: F };

/**
 * The ownership prologue of every `/v1/files/{id}` route: the caller is a person and file `id` is
 * theirs (the query is scoped by their tenant and user), else 404. Another person's file is answered
 * exactly like a missing one, so its existence does not leak (OWASP API1:2023, BOLA).
 */
export async function ownFile(
  c: Context<AppEnv>,
  id: string,
  needs: FileNeeds & { source: true },
): Promise<OwnFile<FileRecord & { sourceId: string }>>;
export async function ownFile(c: Context<AppEnv>, id: string, needs?: FileNeeds): Promise<OwnFile<FileRecord>>;
export async function ownFile(c: Context<AppEnv>, id: string, needs: FileNeeds = {}): Promise<OwnFile<FileRecord>> {
  const principal = fileOwner(c);
  const db = await c.var.db();
  const file = await getFile(db, principal.tenantId, principal.userId, id);
  if (file === null || (needs.source === true && file.sourceId === null)) {
    throw new ApiError("not_found", { detail: `No file ${id}.` });
  }
  if (needs.tabular === true && file.format !== "csv") {
    throw new ApiError("not_found", { detail: `File ${id} is not a CSV or TSV file.` });
  }
  return { principal, db, file };
}

export const FileSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable().openapi({ description: "The name it was uploaded with." }),
    content_type: z.string().nullable(),
    format: z.string().openapi({ description: "The detected format (a mapper id such as `fhir-r4`), or `unknown`." }),
    size_bytes: z.number().int(),
    sha256: z.string().openapi({ description: "Hex SHA-256 of the original bytes." }),
    status: z.enum(["stored", "processing", "mapped", "unsupported_format", "failed"]),
    mapper: z
      .object({ id: z.string(), version: z.string() })
      .nullable()
      .openapi({ description: "The mapper of the latest mapping run." }),
    key_version: z.number().int(),
    error: z.string().nullable(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    content_url: z.string(),
  })
  .openapi("File");
export type FileResponse = z.infer<typeof FileSchema>;

export function fileResponse(file: FileRecord, requestUrl: string): FileResponse {
  return {
    id: file.id,
    name: file.originalName,
    content_type: file.contentType,
    format: file.format ?? "unknown",
    size_bytes: file.sizeBytes ?? 0,
    sha256: file.sha256,
    status: file.status,
    mapper: file.mapperId === null ? null : { id: file.mapperId, version: file.mapperVersion ?? "" },
    key_version: file.keyVersion,
    error: file.error,
    created_at: file.createdAt.toISOString(),
    updated_at: file.updatedAt.toISOString(),
    content_url: new URL(`/v1/files/${file.id}/content`, requestUrl).toString(),
  };
}

/** A CSV/TSV file's column mapping, as saved (PUT /v1/files/{id}/columns) or sent with an upload. */
export const ColumnMappingSchema = z
  .record(
    z.string().max(256),
    z
      .object({
        variable_id: z.uuid().nullable().openapi({ description: "The variable the column holds; null ignores it." }),
        unit: z.string().min(1).max(64).optional().openapi({ description: "UCUM unit of the values." }),
      })
      .strict(),
  )
  .openapi("ColumnMapping", { description: "Column header → what its values are." });

export const FileIdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: EXAMPLE_IDS.file }),
});

/** A stored file's data key; 410 when its owner's key was shredded. */
export async function openFileKey(env: AppEnv["Bindings"], db: Database, file: FileRecord): Promise<Uint8Array> {
  try {
    return await fileDataKey(db, apiConfig(env).masterKeys, file);
  } catch (error) {
    if (error instanceof DataKeyError) {
      throw new ApiError("gone", { detail: `File ${file.id} can no longer be decrypted: ${error.message}.` });
    }
    throw error;
  }
}

/** The first `bytes` of a stored file, decrypted. */
export async function readFileHead(env: AppEnv["Bindings"], db: Database, file: FileRecord, bytes: number) {
  const dataKey = await openFileKey(env, db, file);
  const plain = await getDecrypted(env.FILES, file.r2Key, dataKey, file.id, file.sizeBytes ?? undefined);
  const { head, stream } = await peek(plain, bytes);
  await stream.cancel().catch(() => {});
  return head;
}

/**
 * Starts a mapping job for a stored file (an upload, a reprocess, or a confirmed column mapping): the
 * job row, then the message to the mapper Worker. If the message cannot be queued the job is marked
 * failed and the caller gets a 503; the file itself is untouched and a reprocess maps it.
 */
export async function queueFileMapping(
  env: AppEnv["Bindings"],
  db: Database,
  principal: { tenantId: string; userId: string; clientId: string },
  file: FileRecord & { sourceId: string },
): Promise<{ jobId: string }> {
  const { job } = await createJob(db, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    clientId: principal.clientId,
    actorUserId: principal.userId,
    sourceId: file.sourceId,
    kind: "file",
    fileId: file.id,
    idempotencyKey: null,
    requestHash: file.sha256,
    received: 0,
  });
  try {
    await enqueueFile(env, {
      v: 1,
      type: "map_file",
      job_id: job.id,
      tenant_id: principal.tenantId,
      user_id: principal.userId,
      actor_user_id: principal.userId,
      client_id: principal.clientId,
      file_id: file.id,
      source_id: file.sourceId,
    });
  } catch (cause) {
    await markJobFailed(db, principal.tenantId, job.id, "enqueue_failed");
    throw new ApiError("service_unavailable", {
      detail: `The file is stored (${file.id}) but could not be queued for mapping. Reprocess it to retry.`,
      headers: { "Retry-After": "5" },
      cause,
    });
  }
  return { jobId: job.id };
}

/** Sends a file to the mapper Worker. */
async function enqueueFile(env: AppEnv["Bindings"], message: FileMessage): Promise<void> {
  await env.FILES_QUEUE.send(message, { contentType: "json" });
}
