/**
 * The exporter Worker. For each export asked for (queue `dfda-exports`): read the person's
 * observations in keyset pages, write them as JSON, CSV or FHIR R4 NDJSON (with their original files
 * in a ZIP archive when asked), and stream the result through the vault's encryption into the
 * `dfda-exports` bucket; the API's signed link serves it decrypted until it expires. An hourly Cron
 * deletes expired exports' objects and runs the retention sweep (./retention.ts, docs/retention.md).
 *
 * Each message is acked or retried on its own, with backoff; after the last retry the dead-letter
 * consumer marks the export failed. A message processed twice changes nothing the second time.
 */
import { ExportMessage, exponentialBackoff, settleUnreadable } from "@dfda/core";
import { connect, type Database, safeErrorMessage } from "@dfda/db";
import { clearExportObject, expiredExports, failExport } from "@dfda/db/repositories/exports";
import { z } from "zod";
import { sweepRetention } from "./retention";
import { type ExporterEnv, runExport } from "./run";

export { type ExporterEnv, runExport } from "./run";

/** Seconds to wait before attempt n+1: 30, 60, 120 … capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 30, 600);
}

/** The export a message names, read even when the rest of it does not parse. */
const NamedExport = z.object({ tenant_id: z.uuid(), export_id: z.uuid() });

function failForGood(env: ExporterEnv, ids: z.infer<typeof NamedExport>): Promise<void> {
  return withDb(env, (db) =>
    failExport(db, ids.tenant_id, ids.export_id, "The export could not be built. Ask for a new one."),
  );
}

async function withDb<T>(env: ExporterEnv, fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = await connect(env.HYPERDRIVE.connectionString, { applicationName: "dfda-exporter" });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** Deletes the objects of exports whose links expired; the rows stay as the record of each export. */
export async function deleteExpiredExports(env: ExporterEnv, now = new Date()): Promise<number> {
  return withDb(env, async (db) => {
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
    for (const msg of batch.messages) {
      const parsed = ExportMessage.safeParse(msg.body);
      if (!parsed.success) {
        const named = NamedExport.safeParse(msg.body);
        await settleUnreadable(msg, parsed.error.issues, {
          event: "export_message_invalid",
          delaySeconds: backoffSeconds(msg.attempts),
          fail: named.success ? () => failForGood(env, named.data) : null,
        });
        continue;
      }
      const message = parsed.data;
      if (batch.queue.endsWith("-dlq")) {
        try {
          await failForGood(env, message);
          msg.ack();
        } catch {
          msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
        }
        continue;
      }
      try {
        const outcome = await withDb(env, (db) => runExport(env, db, message));
        console.log(JSON.stringify({ level: "info", event: "export_done", export_id: message.export_id, ...outcome }));
        msg.ack();
      } catch (error) {
        console.error(
          JSON.stringify({
            level: "error",
            event: "export_attempt_failed",
            export_id: message.export_id,
            attempt: msg.attempts,
            error: safeErrorMessage(error),
          }),
        );
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }
  },

  async scheduled(controller: ScheduledController, env: ExporterEnv): Promise<void> {
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
      // Per tenant, the sweep logs what it removed (event retention_swept) and audits it.
      await withDb(env, (db) => sweepRetention(db, env, now));
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", event: "retention_sweep_failed", error: safeErrorMessage(error) }),
      );
    }
  },
} satisfies ExportedHandler<ExporterEnv>;
