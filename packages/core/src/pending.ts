/**
 * Pending values of local codes (issue 15): the queue message that re-maps them once an administrator
 * maps their code, and the per-user writer's argument that stores them. Parsed at every boundary.
 */
import { z } from "zod";
import { WriteRequest } from "./observations";

/** Values per re-map message: 2,000 ids keep a message far below the 128 KB queue limit. */
export const REMAP_MESSAGE_IDS = 2_000;

/**
 * API → ingest Worker (queue `dfda-ingest`): store these pending values of one person, now that
 * `{system, code}` maps to a variable. One job per message (kind `remap`), created with it.
 */
export const RemapPendingMessage = z.object({
  v: z.literal(1),
  type: z.literal("remap_pending"),
  job_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  /** The writer of the file job that held them: the re-mapped write is theirs (consent applies). */
  actor_user_id: z.uuid().nullable(),
  client_id: z.string().nullable(),
  source_id: z.uuid(),
  /** The file the values came from (the stored observations keep it); not the job's file. */
  pending_file_id: z.uuid().nullable(),
  system: z.string().min(1),
  code: z.string().min(1),
  pending_ids: z.array(z.uuid()).min(1).max(REMAP_MESSAGE_IDS),
});
export type RemapPendingMessage = z.infer<typeof RemapPendingMessage>;

/** The per-user writer's re-map argument: the normalized rows and which pending value each input was. */
export const PendingWriteRequest = WriteRequest.extend({
  file_id: z.uuid().nullable(),
  received: z.number().int().nonnegative(),
  /** `pending_ids[i]` is the pending value input i came from. */
  pending_ids: z.array(z.uuid()),
  /** Inputs the pipeline rejected: they stay pending. */
  rejected_indexes: z.array(z.number().int().nonnegative()),
});
export type PendingWriteRequest = z.infer<typeof PendingWriteRequest>;
