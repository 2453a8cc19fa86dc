/**
 * The analysis Worker (issue 14). For each analysis asked for (queue `dfda-analyses`): run it with the
 * plugin the tenant registered, on the data the person granted that plugin (./run.ts). Every 15 minutes a
 * Cron sweep queues the next run of the analyses marked `recompute` whose person has newer data.
 *
 * Each message is acked or retried on its own, with backoff (@dfda/consumer); after the last retry the
 * dead-letter consumer marks the analysis failed. A message processed twice changes nothing the second
 * time (runs are numbered).
 */
import { consume, databaseOf, exponentialBackoff, type FailurePolicy, type WithDb } from "@dfda/consumer";
import { AnalysisMessage } from "@dfda/core";
import { safeErrorMessage } from "@dfda/db";
import { failRun, queueStaleAnalyses, unqueue } from "@dfda/db/repositories/analyses";
import { z } from "zod";
import type { AnalysisEnv } from "../worker-configuration";
import { runAnalysis, storedProblem } from "./run";

export { type RunOutcome, runAnalysis } from "./run";
export type { AnalysisEnv };

const WORKER = "dfda-analysis";

/** Seconds to wait before attempt n+1: 30, 60, 120 … capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 30, 600);
}

/**
 * At most this many stale analyses are queued per sweep; the next sweep takes the rest. Not exported:
 * workerd reads every named export of a main module as an entrypoint and refuses a number.
 */
const SWEEP_LIMIT = 500;

/** The analysis a message names, read even when the rest of it does not parse. */
const NamedAnalysis = z.object({ tenant_id: z.uuid(), analysis_id: z.uuid() });

function analysisFailurePolicy(withDb: WithDb): FailurePolicy<AnalysisMessage> {
  const failForGood = (ids: z.infer<typeof NamedAnalysis>, run: number | null) =>
    withDb((db) =>
      failRun(db, {
        tenantId: ids.tenant_id,
        id: ids.analysis_id,
        run,
        problem: storedProblem("internal_error", "The analysis could not be run. Ask for it again."),
        now: new Date(),
      }),
    );
  return {
    events: {
      unreadable: "analysis_message_invalid",
      attemptFailed: "analysis_attempt_failed",
      deadLetterFailed: "analysis_dlq_mark_failed",
    },
    backoff: backoffSeconds,
    logIds: (message) => ({ analysis_id: message.analysis_id }),
    failUnreadable: (body) => {
      const named = NamedAnalysis.safeParse(body);
      return named.success ? () => failForGood(named.data, null) : null;
    },
    deadLetter: (message) => failForGood(message, message.run),
  };
}

/**
 * Queues the next run of every stale `recompute` analysis (at most SWEEP_LIMIT). One that cannot be sent
 * is set back, so the next sweep finds it again.
 */
export async function sweepStaleAnalyses(env: AnalysisEnv, now = new Date()): Promise<number> {
  const withDb = databaseOf(env.HYPERDRIVE, WORKER);
  return withDb(async (db) => {
    const stale = await queueStaleAnalyses(db, SWEEP_LIMIT, now);
    let queued = 0;
    for (const a of stale) {
      const message: AnalysisMessage = {
        v: 1,
        type: "analysis",
        analysis_id: a.id,
        tenant_id: a.tenantId,
        user_id: a.userId,
        run: a.run,
      };
      try {
        await env.ANALYSES_QUEUE.send(message, { contentType: "json" });
        queued++;
      } catch (error) {
        console.error(
          JSON.stringify({ level: "error", event: "analysis_requeue_failed", analysis_id: a.id, error: String(error) }),
        );
        await unqueue(db, { tenantId: a.tenantId, id: a.id });
      }
    }
    return queued;
  });
}

export default {
  async queue(batch: MessageBatch<unknown>, env: AnalysisEnv): Promise<void> {
    const withDb = databaseOf(env.HYPERDRIVE, WORKER);
    await consume(batch, {
      schema: AnalysisMessage,
      handle: async (message) => {
        const outcome = await withDb((db) => runAnalysis(env, db, message));
        console.log(
          JSON.stringify({ level: "info", event: "analysis_done", analysis_id: message.analysis_id, ...outcome }),
        );
      },
      policy: analysisFailurePolicy(withDb),
    });
  },

  async scheduled(controller: ScheduledController, env: AnalysisEnv): Promise<void> {
    try {
      const queued = await sweepStaleAnalyses(env, new Date(controller.scheduledTime));
      console.log(JSON.stringify({ level: "info", event: "stale_analyses_queued", queued }));
    } catch (error) {
      // Logged; the next sweep (15 minutes on) tries again.
      console.error(JSON.stringify({ level: "error", event: "analysis_sweep_failed", error: safeErrorMessage(error) }));
    }
  },
} satisfies ExportedHandler<AnalysisEnv>;
