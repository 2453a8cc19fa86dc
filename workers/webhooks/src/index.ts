/**
 * The webhooks Worker (issue 18, docs/webhooks.md): a Cron that relays the event outbox into queued
 * deliveries every minute, and the `dfda-webhooks` consumer that delivers them on the shared consumer
 * skeleton (`@dfda/consumer`): an attempt that must be retried throws, and `consume` retries the
 * message with exponential backoff (30 s doubling to 1 h); the dead-letter queue ends a delivery for good.
 */
import { consume, databaseOf, exponentialBackoff, type WithDb } from "@dfda/consumer";
import { parseConfig } from "@dfda/core";
import { finishDelivery } from "@dfda/db/repositories/webhooks";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import { BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, WebhookDeliveryMessage } from "@dfda/webhooks";
import type { WebhooksEnv } from "../worker-configuration";
import { deliverOnce, relay } from "./deliver";

const WORKER = "dfda-webhooks";

const ConfigSchema = MasterKeysEnv.transform((env, ctx) => ({ masterKeys: masterKeysOf(env, ctx) }));

/** An attempt that failed but may succeed later: thrown so the consumer retries the message. */
class RetryDelivery extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RetryDelivery";
  }
}

export async function handleBatch(batch: MessageBatch<unknown>, env: WebhooksEnv, now: () => Date = () => new Date()) {
  const config = parseConfig(WORKER, ConfigSchema, env);
  const withDb: WithDb = databaseOf(env.HYPERDRIVE, WORKER);
  await consume(batch, {
    schema: WebhookDeliveryMessage,
    concurrency: 5,
    handle: async (message) => {
      const outcome = await withDb((db) =>
        deliverOnce({ db, masterKeys: config.masterKeys, now, fetch: (r) => fetch(r) }, message),
      );
      console.log(
        JSON.stringify({ level: "info", event: "webhook_attempt", delivery_id: message.delivery_id, ...outcome }),
      );
      if (outcome.kind === "retry") throw new RetryDelivery(outcome.reason);
    },
    policy: {
      events: {
        unreadable: "webhook_message_invalid",
        attemptFailed: "webhook_attempt_failed",
        deadLetterFailed: "webhook_dlq_mark_failed",
      },
      backoff: (attempts) => exponentialBackoff(attempts, BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS),
      logIds: (m) => ({ tenant_id: m.tenant_id, delivery_id: m.delivery_id }),
      // A message that does not parse names no delivery it could end; the relay never writes one.
      failUnreadable: () => null,
      deadLetter: (m) => withDb((db) => finishDelivery(db, m.delivery_id, "failed", "retries exhausted", now())),
    },
  });
}

export default {
  async queue(batch, env) {
    await handleBatch(batch, env);
  },
  async scheduled(_controller, env) {
    const withDb = databaseOf(env.HYPERDRIVE, WORKER);
    const result = await withDb((db) =>
      relay(
        db,
        async (messages) => {
          await env.WEBHOOKS_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
        },
        new Date(),
      ),
    );
    console.log(JSON.stringify({ level: "info", event: "webhooks_relayed", ...result }));
  },
} satisfies ExportedHandler<WebhooksEnv>;
