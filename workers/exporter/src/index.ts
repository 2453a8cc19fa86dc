/**
 * The exporter Worker. For each export asked for (queue `dfda-exports`): read the person's
 * observations in keyset pages, write them as JSON, CSV or FHIR R4 NDJSON (with their original files
 * in a ZIP archive when asked), and stream the result through the vault's encryption into the
 * `dfda-exports` bucket; the API's signed link serves it decrypted until it expires. An hourly Cron
 * deletes expired exports' objects, aborts abandoned resumable uploads (./uploads.ts) and runs the
 * retention sweep (./retention.ts, docs/retention.md).
 *
 * Each message is acked or retried on its own, with backoff; after the last retry the dead-letter
 * consumer marks the export failed. A message processed twice changes nothing the second time.
 */
import { consume, databaseOf, exponentialBackoff, type FailurePolicy, type WithDb } from "@dfda/consumer";
import { ExporterMessage, parseConfigLogged, queueConfig } from "@dfda/core";
import { safeErrorMessage } from "@dfda/db";
import { failBulkExport } from "@dfda/db/repositories/bulk-exports";
import { clearExportObject, expiredExports, failExport } from "@dfda/db/repositories/exports";
import { z } from "zod";
import { type BulkRunOutcome, runBulkExport } from "./bulk";
import { ExporterConfigSchema, WORKER } from "./config";
import { sweepRetention } from "./retention";
import { type ExporterEnv, type RunOutcome, runExport } from "./run";
import { sweepExpiredUploads } from "./uploads";

export { runBulkExport } from "./bulk";
export { type ExporterEnv, runExport } from "./run";

/** Seconds to wait before attempt n+1: 30, 60, 120 … capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 30, 600);
}

/** The export a message names, read even when the rest of it does not parse. */
const NamedExport = z.object({ tenant_id: z.uuid(), export_id: z.uuid(), type: z.string().optional() });

/**
 * An export whose message does not parse, or that gave up after its attempts, is failed for good; the
 * person asks for a new one. Failed attempts are only logged (the export's view shows its progress).
 */
function exportFailurePolicy(withDb: WithDb): FailurePolicy<ExporterMessage> {
  const failForGood = (ids: z.infer<typeof NamedExport>) =>
    withDb((db) =>
      ids.type === "bulk-export"
        ? failBulkExport(db, ids.tenant_id, ids.export_id, "The export could not be built. Start a new one.")
        : failExport(db, ids.tenant_id, ids.export_id, "The export could not be built. Ask for a new one."),
    );
  return {
    events: {
      unreadable: "export_message_invalid",
      attemptFailed: "export_attempt_failed",
      deadLetterFailed: "export_dlq_mark_failed",
    },
    backoff: backoffSeconds,
    logIds: (message) => ({ export_id: message.export_id }),
    failUnreadable: (body) => {
      const named = NamedExport.safeParse(body);
      return named.success ? () => failForGood(named.data) : null;
    },
    deadLetter: (message) => failForGood(message),
  };
}

/** Deletes the objects of exports whose links expired; the rows stay as the record of each export. */
export async function deleteExpiredExports(env: ExporterEnv, now = new Date()): Promise<number> {
  return databaseOf(
    env.HYPERDRIVE,
    "dfda-exporter",
  )(async (db) => {
    let deleted = 0;
    for (;;) {
      const expired = await expiredExports(db, now, 500);
      if (expired.length === 0) return deleted;
      await env.EXPORTS.delete(expired.map((e) => e.r2Key));
      for (const e of expired) await clearExportObject(db, e.tenantId, e.id);
      deleted += expired.length;
    }
  });
}

export default {
  async queue(batch: MessageBatch<unknown>, env: ExporterEnv): Promise<void> {
    if (queueConfig(WORKER, ExporterConfigSchema, env, batch) === null) return;
    const withDb = databaseOf(env.HYPERDRIVE, "dfda-exporter");
    await consume(batch, {
      schema: ExporterMessage,
      handle: async (message) => {
        const outcome = await withDb<RunOutcome | BulkRunOutcome>((db) =>
          message.type === "bulk-export" ? runBulkExport(env, db, message) : runExport(env, db, message),
        );
        console.log(JSON.stringify({ level: "info", event: "export_done", export_id: message.export_id, ...outcome }));
      },
      policy: exportFailurePolicy(withDb),
    });
  },

  async scheduled(controller: ScheduledController, env: ExporterEnv): Promise<void> {
    // A bad setting ends the run here, logged by name (the next hour's run tries again).
    parseConfigLogged(WORKER, ExporterConfigSchema, env);
    const now = new Date(controller.scheduledTime);
    // Each job's failure is logged and does not hold back the other; the next hour retries it.
    try {
      const deleted = await deleteExpiredExports(env, now);
      console.log(JSON.stringify({ level: "info", event: "expired_exports_deleted", deleted }));
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", event: "expired_exports_failed", error: safeErrorMessage(error) }),
      );
    }
    try {
      // Resumable uploads abandoned past their Upload-Expires: parts aborted, checkpoints deleted.
      const expired = await databaseOf(
        env.HYPERDRIVE,
        "dfda-exporter",
      )((db) => sweepExpiredUploads(db, env.FILES, now));
      console.log(JSON.stringify({ level: "info", event: "expired_uploads_swept", expired }));
    } catch (error) {
      console.error(JSON.stringify({ level: "error", event: "upload_sweep_failed", error: safeErrorMessage(error) }));
    }
    try {
      // Per tenant, the sweep logs what it removed (event retention_swept) and audits it.
      await databaseOf(env.HYPERDRIVE, "dfda-exporter")((db) => sweepRetention(db, env, now));
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", event: "retention_sweep_failed", error: safeErrorMessage(error) }),
      );
    }
  },
} satisfies ExportedHandler<ExporterEnv>;
