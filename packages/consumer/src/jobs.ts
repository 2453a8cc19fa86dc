/**
 * The failure policy of a consumer of ingestion jobs (the ingest and mapper Workers, and the
 * connectors'): every failure ends up on the job the message names (`@dfda/db/repositories/jobs`),
 * and on its file when it has one, so the person sees why.
 */
import { isUuid } from "@dfda/core";
import { failDeadLetter, failJobAndFile, type NamedJob, recordJobAttempt } from "@dfda/db/repositories/jobs";
import type { FailurePolicy } from "./consume";
import type { WithDb } from "./db";

/** What a job's queued message carries of its job (`file_id` for a file's messages). */
export interface JobMessage {
  tenant_id: string;
  job_id: string;
  file_id?: string;
}

/** The job a queued message names, read even when the rest of it does not parse. */
export function namedJob(body: unknown): NamedJob | null {
  if (typeof body !== "object" || body === null) return null;
  const { tenant_id: tenantId, job_id: jobId, file_id: fileId } = body as Record<string, unknown>;
  if (typeof tenantId !== "string" || typeof jobId !== "string" || !isUuid(tenantId) || !isUuid(jobId)) return null;
  return { tenantId, jobId, fileId: typeof fileId === "string" && isUuid(fileId) ? fileId : null };
}

/**
 * - A message that does not parse: the job it still names is failed with the fields at fault, and its
 *   file with it, so the person sees `failed` and can send the data again instead of a job left
 *   `queued` for ever.
 * - A failed attempt is recorded on the job (`attempt n failed: <the database's reason>`).
 * - A dead letter fails the job, and then its file (`fileError`), with the reason the last attempt
 *   recorded; a job already finished, and its file, are left as they are.
 * - A PermanentFailure (the input is refused, e.g. past a size limit) fails the job and its file at
 *   once with its reason, instead of after every retry.
 */
export function jobFailurePolicy<M extends JobMessage>(options: {
  events: FailurePolicy<M>["events"];
  backoff: (attempts: number) => number;
  withDb: WithDb;
  /** What a file shows when its job gives up (`mapping failed`). */
  fileError: string;
}): FailurePolicy<M> {
  const { withDb } = options;
  return {
    events: options.events,
    backoff: options.backoff,
    logIds: (message) => ({ job_id: message.job_id }),
    failUnreadable: (body) => {
      const job = namedJob(body);
      return (
        job &&
        ((where) =>
          withDb((db) =>
            failJobAndFile(
              db,
              job,
              `its queued message could not be read (${where})`,
              "its queued message could not be read",
            ),
          ))
      );
    },
    deadLetter: (message, attempts) => {
      const job = { tenantId: message.tenant_id, jobId: message.job_id, fileId: message.file_id ?? null };
      return withDb((db) => failDeadLetter(db, job, attempts, options.fileError));
    },
    fail: (message, reason) => {
      const job = { tenantId: message.tenant_id, jobId: message.job_id, fileId: message.file_id ?? null };
      return withDb((db) => failJobAndFile(db, job, reason, `${options.fileError}: ${reason}`));
    },
    recordAttempt: (message, attempts, reason) =>
      withDb((db) => recordJobAttempt(db, message.tenant_id, message.job_id, `attempt ${attempts} failed: ${reason}`)),
  };
}
