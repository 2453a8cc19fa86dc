/**
 * The webhooks queue's message (`dfda-webhooks`): one delivery, by id. Everything else (the endpoint,
 * its secrets, the event) is read from Postgres when it is delivered, so a message never carries health
 * data or a secret, and a disabled endpoint or a revoked grant is seen at the attempt.
 */
import { z } from "zod";

export const WebhookDeliveryMessage = z.object({
  v: z.literal(1),
  tenant_id: z.uuid(),
  delivery_id: z.uuid(),
});
export type WebhookDeliveryMessage = z.infer<typeof WebhookDeliveryMessage>;

/** How long a delivery is retried, from its first attempt (issue 18: "retried with backoff for a day"). */
export const RETRY_WINDOW_SECONDS = 24 * 60 * 60;
/** Backoff base and cap (seconds): 30 s, 1 min, 2 min … then every hour; about 30 attempts in a day. */
export const BACKOFF_BASE_SECONDS = 30;
export const BACKOFF_CAP_SECONDS = 60 * 60;
/** How long an attempt waits for the receiver's answer. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** How long the previous secret keeps signing after a rotation. */
export const PREVIOUS_SECRET_SECONDS = 24 * 60 * 60;
