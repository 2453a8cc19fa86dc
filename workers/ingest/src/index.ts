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
import { gunzipJson, IngestMessage, ObservationInput, RANGE_SEVERITIES, type RangeSeverity } from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { findTenant } from "@dfda/db/repositories/identity";
import { getJob, markJobFailed, sourcesBySlug } from "@dfda/db/repositories/ingest";
import { historyStats, markJobProcessing } from "@dfda/db/repositories/observations";
import { codingKey, ReferenceRepository } from "@dfda/db/repositories/reference";
import { type Issue, markOutliers, normalizeBatch, type ObservationItem } from "@dfda/ingest";
import { UserWriter, userWriterName } from "@dfda/user-writer";
import { z } from "zod";

export { UserWriter };

export interface IngestEnv {
  /** Validation settings (wrangler.toml [vars]); defaults apply when unset. */
  MAX_FUTURE_SKEW_SECONDS?: string;
  OUTLIER_Z_THRESHOLD?: string;
  OUTLIER_IQR_MULTIPLIER?: string;
  OUTLIER_MIN_HISTORY?: string;
  HYPERDRIVE: Hyperdrive;
  INGEST_STAGING: R2Bucket;
  USER_WRITER: DurableObjectNamespace<UserWriter>;
  AUTH_MASTER_KEYS: string;
  AUTH_MASTER_KEY_ID: string;
}

function numberVar(value: string | undefined, fallback: number): number {
  const parsed = value === undefined || value === "" ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * Per-tenant overrides of a variable's range severity: `tenants.settings.range_severity` maps variable
 * ids to `log`, `flag` or `reject` (e.g. a clinical trial that rejects implausible values outright).
 */
function rangeOverrides(
  settings: Record<string, unknown> | undefined,
): (variableId: string) => RangeSeverity | undefined {
  const raw = settings?.range_severity;
  const map = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  return (variableId) => {
    const value = map[variableId];
    return RANGE_SEVERITIES.find((s) => s === value);
  };
}

/** Seconds to wait before attempt n+1: 5, 10, 20 … capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
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
  const job = await getJob(db, message.tenant_id, message.job_id);
  if (!job || (job.status !== "queued" && job.status !== "processing")) return; // gone or already finished
  await markJobProcessing(db, message.tenant_id, message.job_id);
  const inputs = await loadObservations(env, message);

  const repo = new ReferenceRepository(db, { tenantId: message.tenant_id });
  const ids = inputs.flatMap((o) => (typeof o.variable === "string" ? [o.variable] : []));
  const codings = inputs.flatMap((o) => (typeof o.variable === "string" ? [] : [o.variable]));
  const { byId, byCoding } = await repo.resolveVariables(ids, codings);
  const sourceIds = await sourcesBySlug(
    db,
    message.tenant_id,
    inputs.flatMap((o) => (o.source === undefined ? [] : [o.source])),
  );

  // Resolution issues are the consumer's own, beside the normalizer's closed set of codes.
  const unknown: Array<Omit<Issue, "code"> & { code: "unknown_variable" }> = [];
  const items: ObservationItem[] = [];
  inputs.forEach((o, index) => {
    const variable =
      typeof o.variable === "string"
        ? byId.get(o.variable)
        : byCoding.get(codingKey(o.variable.system, o.variable.code));
    if (!variable) {
      const name = typeof o.variable === "string" ? o.variable : `${o.variable.system}|${o.variable.code}`;
      unknown.push({ index, code: "unknown_variable", severity: "error", message: `No variable ${name} is known.` });
      return;
    }
    items.push({
      index,
      variable,
      value: o.value,
      unit: o.unit,
      startAt: new Date(o.start_at),
      endAt: o.end_at === undefined ? undefined : new Date(o.end_at),
      sourceId:
        o.source === undefined ? message.default_source_id : (sourceIds.get(o.source) ?? message.default_source_id),
    });
  });

  const tenant = await findTenant(db, message.tenant_id);
  const normalized = normalizeBatch(items, {
    now: new Date(),
    maxFutureSkewMs: numberVar(env.MAX_FUTURE_SKEW_SECONDS, 300) * 1000,
    rangeSeverityOverride: rangeOverrides(tenant?.settings),
  });
  const history = await historyStats(db, message.tenant_id, message.user_id, [
    ...new Set(normalized.accepted.map((a) => a.variableId)),
  ]);
  const outliers = markOutliers(normalized.accepted, history, {
    zThreshold: numberVar(env.OUTLIER_Z_THRESHOLD, 4),
    iqrMultiplier: numberVar(env.OUTLIER_IQR_MULTIPLIER, 3),
    minHistory: numberVar(env.OUTLIER_MIN_HISTORY, 20),
  });
  const issues: Array<Omit<Issue, "code"> & { code: string }> = [
    ...unknown,
    ...normalized.issues,
    ...outliers.issues,
  ].sort((a, b) => a.index - b.index);

  const writer = env.USER_WRITER.get(env.USER_WRITER.idFromName(userWriterName(message.tenant_id, message.user_id)));
  await writer.write({
    job_id: message.job_id,
    tenant_id: message.tenant_id,
    user_id: message.user_id,
    actor: { user_id: message.actor_user_id, client_id: message.client_id },
    rows: normalized.accepted.map((a) => {
      const input = inputs[a.index];
      return {
        index: a.index,
        variable_id: a.variableId,
        variable_version: a.variableVersion,
        start_at: a.startAt.toISOString(),
        end_at: a.endAt === null ? null : a.endAt.toISOString(),
        value: a.value,
        value_text: a.valueText,
        value_code: a.valueCode,
        value_boolean: a.valueBoolean,
        unit: a.unit,
        original_value: a.originalValue,
        original_unit: a.originalUnit,
        source_id: a.sourceId,
        is_valid: a.isValid,
        is_outlier: a.isOutlier,
        note: input?.note ?? null,
        metadata: input?.metadata ?? null,
      };
    }),
    issues: issues.map((i) => ({
      index: i.index,
      location: `observations[${i.index}]`,
      code: i.code,
      severity: i.severity,
      message: i.message,
    })),
    counts: {
      rejected: normalized.rejected + unknown.length,
      duplicates_in_batch: normalized.duplicates,
      flagged: normalized.flagged,
      outliers: outliers.outliers,
    },
  });
  if (message.payload.kind === "r2") await env.INGEST_STAGING.delete(message.payload.key);
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
        const parsed = IngestMessage.safeParse(msg.body);
        if (parsed.success) {
          try {
            await withDb(env, async (db) => {
              const job = await getJob(db, parsed.data.tenant_id, parsed.data.job_id);
              await markJobFailed(
                db,
                parsed.data.tenant_id,
                parsed.data.job_id,
                `gave up after ${msg.attempts} attempts${job?.error ? `: ${job.error}` : ""}`,
              );
            });
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
        }
        msg.ack();
      }
      return;
    }
    // Messages are independent jobs: process them concurrently. Two jobs of one person still write
    // one after the other, because both go through that person's writer.
    await Promise.all(
      batch.messages.map(async (msg) => {
        const parsed = IngestMessage.safeParse(msg.body);
        if (!parsed.success) {
          // A message that does not parse will never parse: retrying cannot help. Log and drop.
          console.error(
            JSON.stringify({
              level: "error",
              event: "ingest_message_invalid",
              id: msg.id,
              issues: parsed.error.issues.slice(0, 5),
            }),
          );
          msg.ack();
          return;
        }
        try {
          await withDb(env, (db) => processMessage(env, parsed.data, db));
          msg.ack();
        } catch (error) {
          const reason = safeErrorMessage(error);
          console.error(
            JSON.stringify({
              level: "error",
              event: "ingest_attempt_failed",
              job_id: parsed.data.job_id,
              attempt: msg.attempts,
              error: reason,
            }),
          );
          // Record why, for the job view, when the database is there to take it; retry either way.
          await withDb(env, (db) =>
            markJobProcessing(
              db,
              parsed.data.tenant_id,
              parsed.data.job_id,
              `attempt ${msg.attempts} failed: ${reason}`,
            ),
          ).catch(() => {});
          msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
        }
      }),
    );
  },
} satisfies ExportedHandler<IngestEnv>;
