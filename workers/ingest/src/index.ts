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
import {
  consume,
  databaseOf,
  exponentialBackoff,
  jobFailurePolicy,
  type MessageSchema,
  type WithDb,
} from "@dfda/consumer";
import { type PipelineSettings, prepareWrite } from "@dfda/consumer/prepare";
import { FileCommitMessage, gunzipJson, IngestMessage, ObservationInput } from "@dfda/core";
import type { Database } from "@dfda/db";
import { claimJob } from "@dfda/db/repositories/jobs";
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
type QueuedMessage = IngestMessage | FileCommitMessage;

/**
 * Parses a queued message against the shape it says it is (file commits carry `type`), so a malformed
 * one is reported by its own fields rather than as "matches neither".
 */
const QueuedMessage: MessageSchema<QueuedMessage> = {
  safeParse: (body) => {
    const isFileCommit = typeof body === "object" && body !== null && "type" in body;
    return isFileCommit ? FileCommitMessage.safeParse(body) : IngestMessage.safeParse(body);
  },
};

/** Observation batches are stored, file commits committed, both through the person's writer. */
async function handle(env: IngestEnv, withDb: WithDb, message: QueuedMessage): Promise<void> {
  if ("type" in message) await userWriter(env, message).commitFile(message);
  else await withDb((db) => processMessage(env, message, db));
}

export default {
  async queue(batch: MessageBatch<unknown>, env: IngestEnv): Promise<void> {
    const withDb = databaseOf(env.HYPERDRIVE, "dfda-ingest");
    await consume(batch, {
      schema: QueuedMessage,
      handle: (message) => handle(env, withDb, message),
      // Dead letters: the job is failed for good, with the reason the attempts left behind.
      policy: jobFailurePolicy<QueuedMessage>({
        events: {
          unreadable: "ingest_message_invalid",
          attemptFailed: "ingest_attempt_failed",
          deadLetterFailed: "dlq_mark_failed",
        },
        backoff: backoffSeconds,
        withDb,
        fileError: "its observations could not be stored",
      }),
      // Messages are independent jobs: process them concurrently, INGEST_CONCURRENCY at a time. Two
      // jobs of one person still write one after the other, because both go through that person's writer.
      concurrency: concurrency(env.INGEST_CONCURRENCY),
    });
  },
} satisfies ExportedHandler<IngestEnv>;

function concurrency(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 4;
}
