/**
 * Raw files: the queue message that hands an uploaded file to the mapper Worker, and the message that
 * asks the person's writer to commit what the mapper staged. Parsed at every boundary.
 */
import { z } from "zod";

/** API → mapper Worker (queue `dfda-files`): map this file (again, for a reprocess). */
export const FileMessage = z.object({
  v: z.literal(1),
  type: z.literal("map_file"),
  job_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  actor_user_id: z.uuid().nullable(),
  client_id: z.string().nullable(),
  file_id: z.uuid(),
  /** The source (device, app) the file's observations are attributed to. */
  source_id: z.uuid(),
});
export type FileMessage = z.infer<typeof FileMessage>;

/** Mapper Worker → ingest Worker (queue `dfda-ingest`): the file job is staged, store it. */
export const FileCommitMessage = z.object({
  v: z.literal(1),
  type: z.literal("commit_file"),
  job_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  actor_user_id: z.uuid().nullable(),
  client_id: z.string().nullable(),
  file_id: z.uuid(),
  mapper_id: z.string(),
  mapper_version: z.string(),
  received: z.number().int().nonnegative(),
  counts: z.object({
    rejected: z.number().int(),
    duplicates_in_batch: z.number().int(),
    flagged: z.number().int(),
    outliers: z.number().int(),
  }),
  has_issues: z.boolean(),
});
export type FileCommitMessage = z.infer<typeof FileCommitMessage>;

/** Where a file's encrypted bytes live in R2 (see docs/storage.md). */
export function fileObjectKey(f: {
  userHashPrefix: string;
  userId: string;
  sourceType: string;
  uploadedAt: Date;
  fileId: string;
  ext: string;
}): string {
  const d = f.uploadedAt;
  const yyyy = String(d.getUTCFullYear()).padStart(4, "0");
  const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(d.getUTCDate()).padStart(2, "0");
  return `${f.userHashPrefix}/${f.userId}/${f.sourceType}/${yyyy}/${mm}/${dd}/${f.fileId}.${f.ext}`;
}
