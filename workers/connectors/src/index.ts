/**
 * The connectors Worker (issue 13, docs/connectors.md). Hono-free: a Cron Trigger (`scheduled`) and a
 * queue consumer (`queue`).
 *
 * - Cron: claims the connections whose next sync is due (`claimDueConnections`: `syncing`, next sync
 *   pushed out by a lease so a lost message is found again later, never twice now) and queues one
 *   `sync` message per connection on `dfda-connectors`.
 * - Queue: settles each message with `@dfda/consumer`'s `consume` (./sync.ts does the work): retried
 *   with backoff when the vendor or the database is unavailable; on the dead-letter queue the
 *   connection is marked `error`, with the reason in plain words.
 */
import { boundedHttp, ConnectorMessage, connectorOf } from "@dfda/connectors";
import {
  type Consumer,
  consume,
  databaseOf,
  exponentialBackoff,
  type FailurePolicy,
  type WithDb,
} from "@dfda/consumer";
import { parseConfigLogged, queueConfig } from "@dfda/core";
import {
  claimDueConnections,
  getConnection,
  SYNC_LEASE_MS,
  setConnectionStatus,
} from "@dfda/db/repositories/connections";
import { z } from "zod";
import type { ConnectorsEnv } from "../worker-configuration";
import { type ConnectorsConfig, ConnectorsConfigSchema, WORKER } from "./config";
import { handleMessage, PLAIN_ERRORS, type SyncDeps } from "./sync";

/** Hosted here: each vendor application's quota (docs/connectors.md, "Quotas"). */
export { VendorQuota } from "@dfda/vendor-quota";
export type { ConnectorsEnv };

/** Seconds to wait before attempt n+1 of a failed sync: 30, 60, 120 … capped at 30 minutes. */
export function backoffSeconds(attempts: number): number {
  return exponentialBackoff(attempts, 30, 1_800);
}

/** The connection a message names, read even when the rest of it does not parse. */
const NamedConnection = z.object({ tenant_id: z.uuid(), user_id: z.uuid(), connection_id: z.uuid() });

/**
 * A message that does not parse, or a sync that gave up after its retries, leaves its connection
 * `error` (the next scheduled sync tries again); failed attempts are only logged.
 */
function failurePolicy(config: ConnectorsConfig, withDb: WithDb, now: () => Date): FailurePolicy<ConnectorMessage> {
  const fail = (ids: z.infer<typeof NamedConnection>) =>
    withDb(async (db) => {
      const connection = await getConnection(db, ids.tenant_id, ids.user_id, ids.connection_id);
      if (connection === null) return;
      const at = now();
      await setConnectionStatus(
        db,
        connection,
        "error",
        PLAIN_ERRORS.unavailable(connectorOf(connection.connector)?.definition.name ?? connection.connector),
        new Date(at.getTime() + config.syncIntervalMs),
        at,
      );
    });
  return {
    events: {
      unreadable: "connector_message_invalid",
      attemptFailed: "connector_attempt_failed",
      deadLetterFailed: "connector_dlq_mark_failed",
    },
    backoff: backoffSeconds,
    logIds: (message) => ({ connection_id: message.connection_id, type: message.type }),
    failUnreadable: (body) => {
      const named = NamedConnection.safeParse(body);
      return named.success ? () => fail(named.data) : null;
    },
    // A revocation that never got through: the tokens here are gone already; nothing to mark.
    deadLetter: (message) => (message.type === "revoke" ? Promise.resolve() : fail(message)),
  };
}

/** The consumer of the connectors queue, with the vendor and the clock it is given (tests pass a fake). */
export function connectorsConsumer(
  env: ConnectorsEnv,
  config: ConnectorsConfig,
  deps: SyncDeps,
): Consumer<ConnectorMessage> {
  const withDb = databaseOf(env.HYPERDRIVE, WORKER);
  return {
    schema: ConnectorMessage,
    handle: (message) => handleMessage(env, config, withDb, message, deps),
    policy: failurePolicy(config, withDb, deps.now),
    // Each message is one person's sync, written through that person's writer: a few at once.
    concurrency: 4,
  };
}

/** The Cron: queues one `sync` message per due connection; returns how many it queued. */
export async function queueDueSyncs(env: ConnectorsEnv, config: ConnectorsConfig, now: Date): Promise<number> {
  const due = await databaseOf(
    env.HYPERDRIVE,
    WORKER,
  )((db) => claimDueConnections(db, now, config.syncBatch, SYNC_LEASE_MS));
  // Queues takes at most 100 messages per sendBatch.
  for (let i = 0; i < due.length; i += 100) {
    await env.CONNECTORS_QUEUE.sendBatch(
      due.slice(i, i + 100).map((c) => ({
        body: {
          v: 1,
          type: "sync",
          tenant_id: c.tenant_id,
          user_id: c.user_id,
          connection_id: c.id,
          reason: "scheduled",
        } satisfies ConnectorMessage,
        contentType: "json" as const,
      })),
    );
  }
  return due.length;
}

export default {
  async scheduled(controller: ScheduledController, env: ConnectorsEnv): Promise<void> {
    const config = parseConfigLogged(WORKER, ConnectorsConfigSchema, env);
    const queued = await queueDueSyncs(env, config, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: "info", event: "connector_syncs_queued", queued }));
  },
  async queue(batch: MessageBatch<unknown>, env: ConnectorsEnv): Promise<void> {
    const config = queueConfig(WORKER, ConnectorsConfigSchema, env, batch);
    if (config === null) return;
    await consume(
      batch,
      connectorsConsumer(env, config, { http: boundedHttp((request) => fetch(request)), now: () => new Date() }),
    );
  },
} satisfies ExportedHandler<ConnectorsEnv>;
