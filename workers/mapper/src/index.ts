/**
 * The mapper Worker. For each uploaded file (queue `dfda-files`): decrypt it as it streams from R2,
 * detect its format again (a reprocess may find a mapper that did not exist at upload), map it, and
 * run every mapped observation through the same validation pipeline as the JSON API
 * (`prepareWrite`), staging the rows batch by batch. Then it asks the person's writer, through the
 * ingest queue, to commit: the file's earlier observations are replaced by the staged ones at once.
 *
 * A failure retries the whole file with backoff (staging is cleared first, so nothing is staged twice);
 * after the last retry the dead-letter consumer marks the job and the file failed.
 */
import {
  DETECT_HEAD_BYTES,
  exponentialBackoff,
  type FileCommitMessage,
  FileMessage,
  type IngestIssue,
  type MapContext,
  type MappedObservation,
  ObservationInput,
} from "@dfda/core";
import { connect, type Database } from "@dfda/db";
import { DataKeyError, fileDataKey } from "@dfda/db/repositories/file-keys";
import {
  clearStaged,
  findColumnMapping,
  getFile,
  insertIssues,
  setFileStatus,
  stageRows,
} from "@dfda/db/repositories/files";
import { getJob, markJobFailed, markJobUnsupported } from "@dfda/db/repositories/ingest";
import { markJobProcessing } from "@dfda/db/repositories/observations";
import { codingKey, ReferenceRepository } from "@dfda/db/repositories/reference";
import {
  failDeadLetter,
  failUnreadableMessage,
  type PipelineSettings,
  prepareWrite,
  retryFailedAttempt,
} from "@dfda/ingest/pipeline";
import { detectFormat, headerSignature, peek, pluginMappersFor, readHeaders } from "@dfda/mappers";
import { getDecrypted, parseMasterKeyring } from "@dfda/vault";

export interface MapperEnv extends PipelineSettings {
  HYPERDRIVE: Hyperdrive;
  FILES: R2Bucket;
  INGEST_QUEUE: Queue;
  AUTH_MASTER_KEYS: string;
  AUTH_MASTER_KEY_ID: string;
  /** Comma-separated names of the mapper plugins' service bindings (docs/plugins.md). */
  MAPPER_PLUGINS?: string;
}

/** Mapped observations validated and staged per step. */
const BATCH = 2_000;

/** Seconds to wait before attempt n+1: 10, 20, 40 … capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 10, 600);
}

/** The canonical input for a mapped observation: the first of its codings the reference data knows. */
function toInput(o: MappedObservation, known: ReadonlySet<string>): { input: ObservationInput } | { issue: string } {
  const coding = o.codings.find((c) => known.has(codingKey(c.system, c.code))) ?? o.codings[0];
  const variable = o.variable_id ?? (coding ? { system: coding.system, code: coding.code } : undefined);
  if (variable === undefined) return { issue: "The measurement has no code and no matching variable." };
  const candidate = {
    variable,
    value: o.value,
    ...(o.unit === undefined ? {} : { unit: o.unit }),
    start_at: o.start_at,
    ...(o.end_at === undefined ? {} : { end_at: o.end_at }),
    ...(o.note === undefined ? {} : { note: o.note.slice(0, 2_000) }),
    metadata: { ...(o.metadata ?? {}), location: o.location },
  };
  const parsed = ObservationInput.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { issue: `Not a valid observation: ${first?.path.join(".") ?? ""} ${first?.message ?? ""}`.trim() };
  }
  return { input: parsed.data };
}

interface Totals {
  received: number;
  counts: FileCommitMessage["counts"];
  hasIssues: boolean;
}

/** Maps one file and stages its rows; returns the commit message, or null when nothing is to commit. */
export async function mapFile(env: MapperEnv, message: FileMessage, db: Database): Promise<FileCommitMessage | null> {
  const job = await getJob(db, message.tenant_id, message.job_id);
  if (!job || (job.status !== "queued" && job.status !== "processing")) return null;
  const file = await getFile(db, message.tenant_id, message.user_id, message.file_id);
  if (!file) {
    await markJobFailed(db, message.tenant_id, message.job_id, "the file was deleted");
    return null;
  }
  await markJobProcessing(db, message.tenant_id, message.job_id);
  await clearStaged(db, message.tenant_id, message.job_id);

  let dataKey: Uint8Array;
  try {
    dataKey = await fileDataKey(db, parseMasterKeyring(env.AUTH_MASTER_KEYS, env.AUTH_MASTER_KEY_ID), file);
  } catch (error) {
    if (!(error instanceof DataKeyError)) throw error;
    await markJobFailed(db, message.tenant_id, message.job_id, error.message);
    await setFileStatus(db, message.tenant_id, file.id, "failed", { error: error.message });
    return null;
  }
  const plain = await getDecrypted(env.FILES, file.r2Key, dataKey, file.id, file.sizeBytes ?? undefined);
  const { head, stream } = await peek(plain, DETECT_HEAD_BYTES);
  // Plugin mappers (service bindings) score the file too; core mappers win ties.
  const plugins = await pluginMappersFor(env, head, file.originalName, file.contentType);
  const { mapper, format } = detectFormat(
    head,
    file.originalName,
    file.contentType,
    plugins.map((p) => p.mapper),
  );
  if (mapper === null) {
    await stream.cancel().catch(() => {});
    await insertIssues(db, message.tenant_id, message.job_id, [
      {
        index: null,
        location: null,
        code: "unsupported_format",
        severity: "warning",
        message: "No mapper understands this file. It is kept; reprocess it when a mapper for its format exists.",
      },
    ]);
    await markJobUnsupported(db, message.tenant_id, message.job_id);
    await setFileStatus(db, message.tenant_id, file.id, "unsupported_format", { format: "unknown" });
    return null;
  }
  await setFileStatus(db, message.tenant_id, file.id, "processing", { format });

  // An explicit mapping sent with the file, else the one the person confirmed for this header row.
  let columns = file.mapping as MapContext["columns"] | null;
  if (columns === null && mapper.id === "csv") {
    const headers = readHeaders(new TextDecoder().decode(head));
    if (headers !== null) {
      const saved = await findColumnMapping(db, message.tenant_id, message.user_id, headerSignature(headers));
      columns = saved as MapContext["columns"] | null;
    }
  }
  const repo = new ReferenceRepository(db, { tenantId: message.tenant_id });
  const context: MapContext = { lookup: await repo.labelLookup(), ...(columns ? { columns } : {}) };
  const target = { tenant_id: message.tenant_id, user_id: message.user_id, default_source_id: message.source_id };
  const totals: Totals = {
    received: 0,
    counts: { rejected: 0, duplicates_in_batch: 0, flagged: 0, outliers: 0 },
    hasIssues: false,
  };
  let seq = 0;
  let pending: MappedObservation[] = [];
  let mappingIssues: IngestIssue[] = [];

  const flush = async () => {
    const batch = pending;
    const issues = mappingIssues;
    pending = [];
    mappingIssues = [];
    const codings = [...new Map(batch.flatMap((o) => o.codings).map((c) => [codingKey(c.system, c.code), c])).values()];
    const { byCoding } = await repo.resolveVariables([], codings);
    const known = new Set(byCoding.keys());
    const inputs: ObservationInput[] = [];
    const locations: string[] = [];
    for (const [i, o] of batch.entries()) {
      const converted = toInput(o, known);
      if ("issue" in converted) {
        issues.push({
          index: totals.received + i,
          location: o.location,
          code: "invalid_observation",
          severity: "error",
          message: converted.issue,
        });
        totals.counts.rejected += 1;
      } else {
        inputs.push(converted.input);
        locations.push(o.location);
      }
    }
    const prepared = await prepareWrite(db, env, target, inputs, (i) => locations[i] ?? `item ${i}`, seq);
    const all = [...issues, ...prepared.issues];
    if (all.some((i) => i.severity !== "info")) totals.hasIssues = true;
    await stageRows(db, message.tenant_id, message.job_id, seq, prepared.rows, all);
    seq += inputs.length;
    totals.received += batch.length;
    totals.counts.rejected += prepared.counts.rejected;
    totals.counts.duplicates_in_batch += prepared.counts.duplicates_in_batch;
    totals.counts.flagged += prepared.counts.flagged;
    totals.counts.outliers += prepared.counts.outliers;
  };

  for await (const event of mapper.map(stream, context)) {
    if (event.kind === "observation") {
      pending.push(event.observation);
      if (pending.length >= BATCH) await flush();
    } else {
      mappingIssues.push({ index: null, ...event.issue });
      if (mappingIssues.length >= BATCH) await flush();
    }
  }
  await flush();
  return {
    v: 1,
    type: "commit_file",
    job_id: message.job_id,
    tenant_id: message.tenant_id,
    user_id: message.user_id,
    actor_user_id: message.actor_user_id,
    client_id: message.client_id,
    file_id: file.id,
    mapper_id: mapper.id,
    mapper_version: mapper.version,
    received: totals.received,
    counts: totals.counts,
    has_issues: totals.hasIssues,
  };
}

async function withDb<T>(env: MapperEnv, fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = await connect(env.HYPERDRIVE.connectionString, { applicationName: "dfda-mapper" });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

export default {
  async queue(batch: MessageBatch<unknown>, env: MapperEnv): Promise<void> {
    for (const msg of batch.messages) {
      const parsed = FileMessage.safeParse(msg.body);
      if (!parsed.success) {
        await failUnreadableMessage(msg, parsed.error.issues, {
          event: "file_message_invalid",
          delaySeconds: backoffSeconds(msg.attempts),
          withDb: (fn) => withDb(env, fn),
        });
        continue;
      }
      const message = parsed.data;
      if (batch.queue.endsWith("-dlq")) {
        try {
          const job = { tenantId: message.tenant_id, jobId: message.job_id, fileId: message.file_id };
          await withDb(env, (db) => failDeadLetter(db, job, msg.attempts, "mapping failed"));
          msg.ack();
        } catch {
          msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
        }
        continue;
      }
      try {
        const commit = await withDb(env, (db) => mapFile(env, message, db));
        if (commit !== null) await env.INGEST_QUEUE.send(commit, { contentType: "json" });
        msg.ack();
      } catch (error) {
        await retryFailedAttempt(msg, message, {
          event: "map_attempt_failed",
          error,
          delaySeconds: backoffSeconds(msg.attempts),
          withDb: (fn) => withDb(env, fn),
        });
      }
    }
  },
} satisfies ExportedHandler<MapperEnv>;
