/**
 * One delivery attempt and the Cron's relay (docs/webhooks.md). Everything the attempt needs is read
 * from Postgres now (the endpoint as it is, its secrets, the event), and whether the subscriber may
 * still see the data is decided now, with the API's own consent code (`loadAccessFacts` and
 * `evaluateAccess`, the same facts and decision the owner's Durable Object uses for a read): consent is
 * checked at delivery, not at subscription, so a grant revoked after the event stops it.
 *
 * The clock and the HTTP client are passed in, so tests control the day of retries and use a real
 * receiver.
 */
import { open } from "@dfda/auth";
import { type AccessQuestion, evaluateAccess, type Principal } from "@dfda/core";
import { consents, type Database } from "@dfda/db";
import { loadAccessFacts, variableCategoriesOf } from "@dfda/db/repositories/access";
import {
  type DeliveryContext,
  disableFailingEndpoint,
  finishDelivery,
  loadDelivery,
  markDeliveriesQueued,
  recordDeliveryAttempt,
  relayWebhookEvents,
  unqueuedDeliveries,
} from "@dfda/db/repositories/webhooks";
import type { MasterKeyring } from "@dfda/vault";
import {
  DELIVERY_TIMEOUT_MS,
  RETRY_WINDOW_SECONDS,
  type WebhookDeliveryMessage,
  webhookHeaders,
  webhookSecretAad,
} from "@dfda/webhooks";
import { and, eq } from "drizzle-orm";

export interface DeliveryDeps {
  db: Database;
  masterKeys: MasterKeyring;
  now: () => Date;
  /** The HTTP client (the Worker's `fetch`). */
  fetch: (request: Request) => Promise<Response>;
}

/**
 * What became of an attempt: `retry` means the queue should deliver the message again later; every
 * other outcome is final and the message is acked.
 */
export type DeliveryOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; reason: string }
  | { kind: "failed"; reason: string }
  | { kind: "skipped"; reason: string }
  | { kind: "nothing"; reason: string };

/** The secrets to sign with now: the current one, and the previous one until it expires. */
async function signingSecrets(ctx: DeliveryContext, keys: MasterKeyring, now: Date): Promise<string[]> {
  const ring = { keys: { ...keys.keys } };
  const aad = webhookSecretAad(ctx.endpoint.id);
  const secrets = [await open(ctx.endpoint.sealedSecret, { ...ring, aad })];
  const previous = ctx.endpoint.sealedPreviousSecret;
  const until = ctx.endpoint.previousSecretExpiresAt;
  if (previous !== null && until !== null && until.getTime() > now.getTime()) {
    secrets.push(await open(previous, { ...ring, aad }));
  }
  return secrets;
}

/**
 * Whether the endpoint's owner may be told about this event now. A person's endpoint: events about
 * that person only (they own the data). An app's endpoint: a consent event when the grant names this
 * app (it learns of its own grant, revoked or not); any other event when a live grant of the data's
 * owner opens to the app, for an event about variables every one of them (an event never tells of a
 * variable the app may not read).
 */
export async function mayReceive(
  db: Database,
  ctx: DeliveryContext,
  now: Date,
): Promise<{ allow: boolean; reason: string }> {
  const { endpoint, event } = ctx;
  if (endpoint.tenantId !== event.tenantId) return { allow: false, reason: "wrong_tenant" };
  if (endpoint.userId !== null) {
    return endpoint.userId === event.userId ? { allow: true, reason: "owner" } : { allow: false, reason: "not_owner" };
  }
  if (event.consentId !== null) {
    const [grant] = await db
      .select({ granteeType: consents.granteeType, granteeId: consents.granteeId })
      .from(consents)
      .where(and(eq(consents.tenantId, event.tenantId), eq(consents.id, event.consentId)));
    const named = grant?.granteeType === "client" && grant.granteeId === endpoint.clientId;
    return named ? { allow: true, reason: "grantee" } : { allow: false, reason: "not_grantee" };
  }
  const principal: Extract<Principal, { kind: "client" }> = {
    kind: "client",
    tenantId: endpoint.tenantId,
    clientId: endpoint.clientId,
    scopes: new Set(),
    tokenId: `webhook:${endpoint.id}`,
  };
  const facts = { ...(await loadAccessFacts(db, { tenantId: event.tenantId, ownerId: event.userId, principal })), now };
  const question: AccessQuestion = { principal, tenantId: event.tenantId, ownerId: event.userId, action: "read" };
  if (event.variableIds.length === 0) {
    const decision = evaluateAccess(question, facts);
    return { allow: decision.allow, reason: decision.allow ? "grant" : decision.reason };
  }
  const categories = await variableCategoriesOf(db, event.tenantId, event.variableIds);
  for (const id of event.variableIds) {
    const category = categories.get(id);
    if (category === undefined) return { allow: false, reason: "unknown_variable" };
    const decision = evaluateAccess({ ...question, data: { variable: { id, category } } }, facts);
    if (!decision.allow) return { allow: false, reason: decision.reason };
  }
  return { allow: true, reason: "grant" };
}

/** The body every delivery of an event carries (Standard Webhooks' recommended `{type, timestamp, data}`). */
export function payloadOf(ctx: DeliveryContext): string {
  return JSON.stringify({ type: ctx.event.type, timestamp: ctx.event.occurredAt.toISOString(), data: ctx.event.data });
}

/**
 * Attempts one delivery. 2xx: delivered. Anything else (another status, a redirect, which is not
 * followed, a network error or a timeout): `retry` while the first attempt is less than a day old,
 * after which the delivery fails and the endpoint is disabled and its owner told.
 */
export async function deliverOnce(deps: DeliveryDeps, message: WebhookDeliveryMessage): Promise<DeliveryOutcome> {
  const { db } = deps;
  const ctx = await loadDelivery(db, message.tenant_id, message.delivery_id);
  if (ctx === null) return { kind: "nothing", reason: "no such delivery (its endpoint was deleted)" };
  if (ctx.delivery.status !== "pending") return { kind: "nothing", reason: `already ${ctx.delivery.status}` };
  const now = deps.now();
  if (!ctx.endpoint.enabled) {
    await finishDelivery(db, ctx.delivery.id, "failed", "endpoint disabled", now);
    return { kind: "failed", reason: "endpoint disabled" };
  }
  const access = await mayReceive(db, ctx, now);
  if (!access.allow) {
    // Logged, never sent: the subscriber may not see this data now.
    await finishDelivery(db, ctx.delivery.id, "skipped", `no consent: ${access.reason}`, now);
    return { kind: "skipped", reason: access.reason };
  }

  const body = payloadOf(ctx);
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = await webhookHeaders(await signingSecrets(ctx, deps.masterKeys, now), ctx.event.id, timestamp, body);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await deps.fetch(
      new Request(ctx.endpoint.url, {
        method: "POST",
        headers: { ...headers, "user-agent": "dfda-webhooks/1" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      }),
    );
    status = response.status;
    // The receiver's answer is not needed; release the connection.
    await response.body?.cancel();
    if (status >= 200 && status < 300) {
      await recordDeliveryAttempt(db, ctx.delivery.id, {
        at: now,
        statusCode: status,
        error: null,
        status: "delivered",
      });
      return { kind: "delivered", status };
    }
    error = `HTTP ${status}`;
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}`.slice(0, 500) : "request failed";
  }

  const first = ctx.delivery.firstAttemptAt ?? now;
  const expired = now.getTime() - first.getTime() >= RETRY_WINDOW_SECONDS * 1000;
  await recordDeliveryAttempt(db, ctx.delivery.id, {
    at: now,
    statusCode: status,
    error,
    status: expired ? "failed" : "pending",
  });
  if (!expired) return { kind: "retry", reason: error };
  await disableFailingEndpoint(db, ctx.endpoint, now);
  return { kind: "failed", reason: `${error}; retried for a day, endpoint disabled` };
}

/** How many events the Cron relays per run, and deliveries it queues (bounded work per invocation). */
export const RELAY_BATCH = 500;

/**
 * The Cron's relay: fans new events out to deliveries, then hands every unqueued delivery (new ones and
 * replays) to the queue and marks them queued. A crash between sending and marking sends some twice;
 * the consumer then finds them no longer pending and does nothing (at-least-once, idempotent).
 */
export async function relay(
  db: Database,
  send: (messages: WebhookDeliveryMessage[]) => Promise<void>,
  now: Date,
): Promise<{ deliveries: number; queued: number }> {
  const deliveries = await relayWebhookEvents(db, now, RELAY_BATCH);
  const pending = await unqueuedDeliveries(db, RELAY_BATCH);
  // Queues' sendBatch takes at most 100 messages.
  for (let i = 0; i < pending.length; i += 100) {
    const chunk = pending.slice(i, i + 100);
    await send(chunk.map((d) => ({ v: 1, tenant_id: d.tenantId, delivery_id: d.id })));
    await markDeliveriesQueued(
      db,
      chunk.map((d) => d.id),
      now,
    );
  }
  return { deliveries, queued: pending.length };
}
