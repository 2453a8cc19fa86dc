/**
 * The ingest Worker. For each queued batch: resolve variables and sources, validate and normalize
 * (units to the canonical UCUM unit, types, ranges, timestamps, duplicates, outliers against the
 * user's own history), then hand the rows to the user's writer, which stores them in one transaction.
 *
 * Every message is acked or retried explicitly. A failure (the database down, a write that failed
 * mid-batch) retries with exponential backoff; nothing is half-stored, because the write is one
 * transaction, and nothing is stored twice, because a finished job is never written again. After the
 * last retry the message goes to the dead-letter queue, whose consumer marks the job failed.
 */

import { open } from "@dfda/auth";
import { exponentialBackoff, FileCommitMessage, gunzipJson, IngestMessage, ObservationInput } from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { claimJob, failDeadLetter } from "@dfda/db/repositories/jobs";
import { failUnreadableMessage, type PipelineSettings, prepareWrite, retryFailedAttempt } from "@dfda/ingest/pipeline";
import { UserWriter, userWriterName } from "@dfda/user-writer";
import { z } from "zod";

export { UserWriter };

export interface IngestEnv extends PipelineSettings {
  /** How many messages of a queue batch are processed at once (default 4; see wrangler.toml). */
  INGEST_CONCURRENCY?: string;
  HYPERDRIVE: Hyperdrive;
  INGEST_STAGING: R2Bucket;
  USER_WRITER: DurableObjectNamespace<UserWriter>;
  AUTH_MASTER_KEYS: string;
  AUTH_MASTER_KEY_ID: string;
}

/** Seconds to wait before attempt n+1: 5, 10, 20 … capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 5, 300);
}

async function loadObservations(env: IngestEnv, message: IngestMessage): Promise<ObservationInput[]> {
  if (message.payload.kind === "inline") return message.payload.observations;
  if (message.payload.kind === "gzip") return z.array(ObservationInput).parse(await gunzipJson(message.payload.data));
  const object = await env.INGEST_STAGING.get(message.payload.key);
  if (!object) throw new Error(`staged batch ${message.payload.key} is missing`);
  const keys = JSON.parse(env.AUTH_MASTER_KEYS) as Record<string, string>;
  const json = await open(await object.text(), { keys, aad: `ingest:${message.job_id}` });
  return z.array(ObservationInput).parse(JSON.parse(json));
}

/** Processes one message; throws to have it retried. */
export async function processMessage(env: IngestEnv, message: IngestMessage, db: Database): Promise<void> {
  if (!(await claimJob(db, message.tenant_id, message.job_id))) return; // gone or already finished
  const inputs = await loadObservations(env, message);

  const prepared = await prepareWrite(db, env, message, inputs, (i) => `observations[${i}]`);
  await userWriter(env, message).write({
    job_id: message.job_id,
    tenant_id: message.tenant_id,
    user_id: message.user_id,
    actor: { user_id: message.actor_user_id, client_id: message.client_id },
    ...prepared,
  });
  if (message.payload.kind === "r2") await env.INGEST_STAGING.delete(message.payload.key);
}

/** The person's writer (Durable Object), through which all of their writes pass. */
function userWriter(env: IngestEnv, target: { tenant_id: string; user_id: string }) {
  return env.USER_WRITER.get(env.USER_WRITER.idFromName(userWriterName(target.tenant_id, target.user_id)));
}

/** What the ingest queue carries: observation batches, and commits of mapped files. */
const QueuedMessage = z.union([IngestMessage, FileCommitMessage]);

/**
 * Parses a queued message against the shape it says it is (file commits carry `type`), so a malformed
 * one is reported by its own fields rather than as "matches neither".
 */
function parseQueued(
  body: unknown,
): { success: true; data: z.infer<typeof QueuedMessage> } | { success: false; error: z.ZodError } {
  const isFileCommit = typeof body === "object" && body !== null && "type" in body;
  return isFileCommit ? FileCommitMessage.safeParse(body) : IngestMessage.safeParse(body);
}

/** How an unreadable message is reported and, when the database is away, retried. */
function unreadable(env: IngestEnv, attempts: number) {
  return {
    event: "ingest_message_invalid",
    delaySeconds: backoffSeconds(attempts),
    withDb: (fn: (db: Database) => Promise<unknown>) => withDb(env, fn),
  };
}

async function withDb<T>(env: IngestEnv, fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = await connect(env.HYPERDRIVE.connectionString, { applicationName: "dfda-ingest" });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

export default {
  async queue(batch: MessageBatch<unknown>, env: IngestEnv): Promise<void> {
    if (batch.queue.endsWith("-dlq")) {
      // Dead letters: the job is failed for good, with the reason the attempts left behind.
      for (const msg of batch.messages) {
        const parsed = parseQueued(msg.body);
        if (!parsed.success) {
          await failUnreadableMessage(msg, parsed.error.issues, unreadable(env, msg.attempts));
          continue;
        }
        try {
          const { tenant_id: tenantId, job_id: jobId } = parsed.data;
          const fileId = "type" in parsed.data ? parsed.data.file_id : null;
          await withDb(env, (db) =>
            failDeadLetter(db, { tenantId, jobId, fileId }, msg.attempts, "its observations could not be stored"),
          );
        } catch (error) {
          console.error(
            JSON.stringify({
              level: "error",
              event: "dlq_mark_failed",
              job_id: parsed.data.job_id,
              error: safeErrorMessage(error),
            }),
          );
          msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
          continue;
        }
        msg.ack();
      }
      return;
    }
    // Messages are independent jobs: process them concurrently, INGEST_CONCURRENCY at a time. Two
    // jobs of one person still write one after the other, because both go through that person's writer.
    await forEachConcurrently(batch.messages, concurrency(env.INGEST_CONCURRENCY), async (msg) => {
      const parsed = parseQueued(msg.body);
      if (!parsed.success) {
        await failUnreadableMessage(msg, parsed.error.issues, unreadable(env, msg.attempts));
        return;
      }
      try {
        const message = parsed.data;
        if ("type" in message) await userWriter(env, message).commitFile(message);
        else await withDb(env, (db) => processMessage(env, message, db));
        msg.ack();
      } catch (error) {
        await retryFailedAttempt(msg, parsed.data, {
          event: "ingest_attempt_failed",
          error,
          delaySeconds: backoffSeconds(msg.attempts),
          withDb: (fn) => withDb(env, fn),
        });
      }
    });
  },
} satisfies ExportedHandler<IngestEnv>;

function concurrency(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 4;
}

/**
 * Runs `fn` over `items`, at most `limit` at a time. Unbounded, a batch of 100 messages put 100
 * validations and writes in flight at once: no faster (the writers and the database are the limit),
 * and everything else in the isolate waited behind that burst.
 */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
