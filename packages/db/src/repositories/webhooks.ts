/**
 * Webhooks (issue 18, docs/webhooks.md): subscriptions, the event outbox, deliveries and their attempts,
 * and the owner notices the platform writes when something needs a person's attention. One module for
 * the whole lifecycle: the API creates and manages endpoints and replays deliveries, event sources
 * record events (in their own transaction where they have one), the webhooks Worker relays events into
 * deliveries, delivers them and disables failing endpoints.
 *
 * Every endpoint query is scoped by its owner (tenant, client and, for a person's subscription, the
 * user), so a handler cannot reach another app's or person's endpoints.
 */
import { uuidv7 } from "@dfda/core";
import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  ingestIssues,
  ingestJobs,
  type NoticeKind,
  oauthClients,
  outbox,
  ownerNotices,
  roles,
  users,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "../schema";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
export type OwnerNoticeRow = typeof ownerNotices.$inferSelect;

/** Who owns a subscription: an app acting for itself (`userId` null), or a person through an app. */
export interface EndpointOwner {
  tenantId: string;
  clientId: string;
  userId: string | null;
}

function ownedBy(owner: EndpointOwner) {
  return and(
    eq(webhookEndpoints.tenantId, owner.tenantId),
    eq(webhookEndpoints.clientId, owner.clientId),
    owner.userId === null ? isNull(webhookEndpoints.userId) : eq(webhookEndpoints.userId, owner.userId),
  );
}

export interface NewEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  variableIds: string[];
  connectionIds: string[];
  sealedSecret: string;
}

export async function createEndpoint(db: Executor, owner: EndpointOwner, input: NewEndpoint) {
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ ...input, tenantId: owner.tenantId, clientId: owner.clientId, userId: owner.userId })
    .returning();
  if (row === undefined) throw new Error("insert returned no row");
  return row;
}

/** The owner's endpoints, oldest first (ids are UUIDv7), after the cursor. */
export function listEndpoints(db: Executor, owner: EndpointOwner, limit: number, after?: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(ownedBy(owner), after === undefined ? undefined : sql`${webhookEndpoints.id} > ${after}`))
    .orderBy(asc(webhookEndpoints.id))
    .limit(limit);
}

export async function findEndpoint(db: Executor, owner: EndpointOwner, id: string) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(ownedBy(owner), eq(webhookEndpoints.id, id)));
  return row ?? null;
}

export interface EndpointPatch {
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  variableIds?: string[];
  connectionIds?: string[];
  enabled?: boolean;
}

/** Applies a patch; enabling again clears the reason the platform disabled it for. */
export async function updateEndpoint(db: Executor, owner: EndpointOwner, id: string, patch: EndpointPatch, now: Date) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      ...patch,
      ...(patch.enabled === undefined ? {} : { disabledReason: null }),
      updatedAt: now,
    })
    .where(and(ownedBy(owner), eq(webhookEndpoints.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteEndpoint(db: Executor, owner: EndpointOwner, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(ownedBy(owner), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** A new current secret; the current one becomes the previous one until `previousUntil`. */
export async function rotateEndpointSecret(
  db: Executor,
  owner: EndpointOwner,
  id: string,
  sealedSecret: string,
  previousUntil: Date,
) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      sealedPreviousSecret: sql`${webhookEndpoints.sealedSecret}`,
      previousSecretExpiresAt: previousUntil,
      sealedSecret,
      updatedAt: sql`now()`,
    })
    .where(and(ownedBy(owner), eq(webhookEndpoints.id, id)))
    .returning();
  return row ?? null;
}

export interface DeliveryWithAttempts {
  delivery: WebhookDeliveryRow;
  eventType: WebhookEventType;
  attempts: WebhookAttemptRow[];
}

/** An endpoint's deliveries, newest first, with their attempts; the caller checked the endpoint's owner. */
export async function listDeliveries(
  db: Executor,
  endpointId: string,
  limit: number,
  before?: string,
): Promise<DeliveryWithAttempts[]> {
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        before === undefined ? undefined : lt(webhookDeliveries.id, before),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        rows.map((r) => r.delivery.id),
      ),
    )
    .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
  return rows.map((r) => ({
    delivery: r.delivery,
    eventType: r.eventType,
    attempts: attempts.filter((a) => a.deliveryId === r.delivery.id),
  }));
}

/**
 * Replays a delivery of the endpoint: a new delivery of the same event (same `webhook-id`), queued by
 * the next relay. Null when the endpoint has no such delivery.
 */
export async function replayDelivery(
  db: Executor,
  endpointId: string,
  deliveryId: string,
  now: Date,
): Promise<DeliveryWithAttempts | null> {
  const [original] = await db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, deliveryId)));
  if (original === undefined) return null;
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      id: uuidv7(),
      tenantId: original.delivery.tenantId,
      endpointId,
      eventId: original.delivery.eventId,
      replayOf: original.delivery.replayOf ?? original.delivery.id,
      createdAt: now,
    })
    .returning();
  if (row === undefined) throw new Error("insert returned no row");
  return { delivery: row, eventType: original.eventType, attempts: [] };
}

// ---- the outbox -------------------------------------------------------------------------------------

export interface NewWebhookEvent {
  tenantId: string;
  /** Whose data the event is about. */
  userId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  variableIds?: readonly string[];
  connectionId?: string | null;
  consentId?: string | null;
  occurredAt?: Date;
}

/**
 * Records an event in the outbox. Called inside the transaction that makes the event true where there
 * is one (a job's commit, a grant), so an event exists exactly when what it describes does; otherwise
 * right after the write, so an event is never lost once its cause is committed but for a crash in
 * between (docs/webhooks.md, "Delivery guarantees").
 *
 * @example
 * await recordWebhookEvent(tx, { tenantId, userId, type: "export.ready", data: { export_id } });
 */
export async function recordWebhookEvent(db: Executor, event: NewWebhookEvent): Promise<string> {
  const id = uuidv7();
  await db.insert(webhookEvents).values({
    id,
    tenantId: event.tenantId,
    userId: event.userId,
    type: event.type,
    data: event.data,
    variableIds: [...(event.variableIds ?? [])],
    connectionId: event.connectionId ?? null,
    consentId: event.consentId ?? null,
    occurredAt: event.occurredAt ?? new Date(),
  });
  return id;
}

/**
 * Fans out up to `limit` unrelayed events: one pending delivery per matching enabled endpoint of the
 * event's tenant (subscribed to its type; its variable and connection filters, when set, met; a
 * person's endpoint only for events about that person), then marks the events relayed. Events are
 * locked (`SKIP LOCKED`) so two relays never fan out the same one; a delivery exists once per
 * endpoint and event (a unique index), so a repeated relay adds nothing. Consent is not checked here
 * but at each delivery, so a grant revoked meanwhile stops it.
 */
export async function relayWebhookEvents(db: Executor, now: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(webhookEvents)
      .where(isNull(webhookEvents.relayedAt))
      .orderBy(asc(webhookEvents.occurredAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    let deliveries = 0;
    for (const event of events) {
      const endpoints = await tx
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.tenantId, event.tenantId),
            eq(webhookEndpoints.enabled, true),
            sql`${event.type} = any(${webhookEndpoints.events})`,
            sql`(${webhookEndpoints.userId} is null or ${webhookEndpoints.userId} = ${event.userId})`,
            // A uuid[] literal as one parameter (ids are UUIDs, nothing to escape).
            sql`(cardinality(${webhookEndpoints.variableIds}) = 0 or ${webhookEndpoints.variableIds} && ${`{${event.variableIds.join(",")}}`}::uuid[])`,
            sql`(cardinality(${webhookEndpoints.connectionIds}) = 0 or ${event.connectionId}::uuid = any(${webhookEndpoints.connectionIds}))`,
          ),
        );
      if (endpoints.length > 0) {
        const inserted = await tx
          .insert(webhookDeliveries)
          .values(
            endpoints.map((e) => ({
              id: uuidv7(),
              tenantId: event.tenantId,
              endpointId: e.id,
              eventId: event.id,
              createdAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: webhookDeliveries.id });
        deliveries += inserted.length;
      }
      await tx.update(webhookEvents).set({ relayedAt: now }).where(eq(webhookEvents.id, event.id));
    }
    return deliveries;
  });
}

/** Pending deliveries not yet handed to the queue (new ones and replays), oldest first. */
export function unqueuedDeliveries(db: Executor, limit: number) {
  return db
    .select({ id: webhookDeliveries.id, tenantId: webhookDeliveries.tenantId })
    .from(webhookDeliveries)
    .where(and(isNull(webhookDeliveries.queuedAt), eq(webhookDeliveries.status, "pending")))
    .orderBy(asc(webhookDeliveries.createdAt))
    .limit(limit);
}

export async function markDeliveriesQueued(db: Executor, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(webhookDeliveries)
    .set({ queuedAt: now })
    .where(inArray(webhookDeliveries.id, [...ids]));
}

// ---- delivery ---------------------------------------------------------------------------------------

export interface DeliveryContext {
  delivery: WebhookDeliveryRow;
  endpoint: WebhookEndpointRow;
  event: WebhookEventRow;
}

export async function loadDelivery(
  db: Executor,
  tenantId: string,
  deliveryId: string,
): Promise<DeliveryContext | null> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
  return row ?? null;
}

/**
 * Records one attempt and where the delivery now stands (`pending`: to be retried). Only a pending
 * delivery changes, so a redelivered queue message cannot reopen a finished one.
 */
export async function recordDeliveryAttempt(
  db: Executor,
  deliveryId: string,
  attempt: { at: Date; statusCode: number | null; error: string | null; status: WebhookDeliveryStatus },
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(webhookDeliveries)
      .set({
        status: attempt.status,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        firstAttemptAt: sql`coalesce(${webhookDeliveries.firstAttemptAt}, ${attempt.at.toISOString()}::timestamptz)`,
        lastAttemptAt: attempt.at,
        finishedAt: attempt.status === "pending" ? null : attempt.at,
      })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id, tenantId: webhookDeliveries.tenantId });
    const [delivery] = updated;
    if (delivery === undefined) return;
    await tx.insert(webhookAttempts).values({
      id: uuidv7(),
      tenantId: delivery.tenantId,
      deliveryId,
      attemptedAt: attempt.at,
      statusCode: attempt.statusCode,
      error: attempt.error,
    });
  });
}

/** Ends a delivery without an attempt (skipped: no consent now; failed: its endpoint was disabled). */
export async function finishDelivery(
  db: Executor,
  deliveryId: string,
  status: "skipped" | "failed",
  reason: string,
  now: Date,
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status, lastError: reason, finishedAt: now })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")));
}

/**
 * Disables a failing endpoint (once: the first caller wins) and tells its owner: the person whose
 * subscription it is, else the app's owner, else the tenant's administrators. Returns whether this
 * call disabled it.
 */
export async function disableFailingEndpoint(
  db: Executor,
  endpoint: WebhookEndpointRow,
  now: Date,
  notify: (db: Executor, notice: NewNotice) => Promise<unknown> = createNotice,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: "failing", updatedAt: now })
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, true)))
      .returning({ id: webhookEndpoints.id });
    if (rows.length === 0) return false;
    // Its other pending deliveries would only fail the same way.
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "endpoint disabled", finishedAt: now })
      .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, "pending")));
    for (const userId of await endpointOwners(tx, endpoint)) {
      await notify(tx, {
        tenantId: endpoint.tenantId,
        userId,
        kind: "webhook_disabled",
        title: "A webhook endpoint was disabled",
        body:
          `Deliveries to ${endpoint.url} failed for a day, so the endpoint was disabled. ` +
          "Fix the receiver, then enable it again (PATCH /v1/webhooks/{id} with enabled: true) and replay what it missed.",
        data: { endpoint_id: endpoint.id, client_id: endpoint.clientId },
        now,
      });
    }
    return true;
  });
}

async function endpointOwners(db: Executor, endpoint: WebhookEndpointRow): Promise<string[]> {
  if (endpoint.userId !== null) return [endpoint.userId];
  const [client] = await db
    .select({ owner: oauthClients.ownerUserId })
    .from(oauthClients)
    .where(and(eq(oauthClients.tenantId, endpoint.tenantId), eq(oauthClients.clientId, endpoint.clientId)));
  if (client?.owner) return [client.owner];
  const admins = await db
    .select({ userId: roles.userId })
    .from(roles)
    .where(and(eq(roles.tenantId, endpoint.tenantId), eq(roles.role, "admin")));
  return admins.map((a) => a.userId);
}

// ---- owner notices ----------------------------------------------------------------------------------

export interface NewNotice {
  tenantId: string;
  userId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  now?: Date;
}

/**
 * Writes a notice to the person's portal (`GET /v1/me/notices`) and, when their e-mail address is
 * verified, the same text to the mail `outbox` the OAuth server's messages go through (a mail plugin
 * sends them; nothing is sent from here).
 */
export async function createNotice(db: Executor, notice: NewNotice): Promise<string> {
  const id = uuidv7();
  const now = notice.now ?? new Date();
  await db.insert(ownerNotices).values({
    id,
    tenantId: notice.tenantId,
    userId: notice.userId,
    kind: notice.kind,
    title: notice.title,
    body: notice.body,
    data: notice.data,
    createdAt: now,
  });
  const [user] = await db
    .select({ email: users.email, verified: users.emailVerifiedAt })
    .from(users)
    .where(and(eq(users.tenantId, notice.tenantId), eq(users.id, notice.userId), eq(users.status, "active")));
  if (user?.verified) {
    await db.insert(outbox).values({
      id: uuidv7(),
      tenantId: notice.tenantId,
      kind: `notice.${notice.kind}`,
      recipient: user.email,
      subject: notice.title,
      bodyText: notice.body,
      payload: { user_id: notice.userId, notice_id: id, ...notice.data },
      createdAt: now,
    });
  }
  return id;
}

/** A person's notices, newest first; `unreadOnly` leaves out those marked read. */
export function listNotices(
  db: Executor,
  owner: { tenantId: string; userId: string },
  limit: number,
  options: { before?: string; unreadOnly?: boolean } = {},
) {
  return db
    .select()
    .from(ownerNotices)
    .where(
      and(
        eq(ownerNotices.tenantId, owner.tenantId),
        eq(ownerNotices.userId, owner.userId),
        options.before === undefined ? undefined : lt(ownerNotices.id, options.before),
        options.unreadOnly === true ? isNull(ownerNotices.readAt) : undefined,
      ),
    )
    .orderBy(desc(ownerNotices.id))
    .limit(limit);
}

/** Marks a notice read (once; again changes nothing). Null when the person has no such notice. */
export async function markNoticeRead(db: Executor, owner: { tenantId: string; userId: string }, id: string, now: Date) {
  const where = and(
    eq(ownerNotices.tenantId, owner.tenantId),
    eq(ownerNotices.userId, owner.userId),
    eq(ownerNotices.id, id),
  );
  await db
    .update(ownerNotices)
    .set({ readAt: now })
    .where(and(where, isNull(ownerNotices.readAt)));
  const [row] = await db.select().from(ownerNotices).where(where);
  return row ?? null;
}

// ---- event sources ----------------------------------------------------------------------------------

/**
 * The events of a finished ingestion job, recorded by its commit (in the commit's transaction for a
 * file, right after the one statement for a batch): `job.completed` with its counts and a summary of its
 * issues; `observations.created` when it stored rows (with their variables, for filters and the consent
 * check); `data.rejected` when it refused some, which the person is also told in a notice.
 */
export async function recordJobEvents(
  db: Executor,
  job: { tenantId: string; jobId: string; variableIds: readonly string[] },
): Promise<void> {
  const [row] = await db
    .select()
    .from(ingestJobs)
    .where(and(eq(ingestJobs.tenantId, job.tenantId), eq(ingestJobs.id, job.jobId)));
  if (row === undefined) return;
  const issues = await db
    .select({ code: ingestIssues.code, severity: ingestIssues.severity, count: sql<number>`count(*)::int` })
    .from(ingestIssues)
    .where(and(eq(ingestIssues.tenantId, job.tenantId), eq(ingestIssues.jobId, job.jobId)))
    .groupBy(ingestIssues.code, ingestIssues.severity)
    .orderBy(desc(sql`count(*)`))
    .limit(20);
  const counts = {
    received: row.received,
    stored: row.stored,
    duplicates: row.duplicates,
    flagged: row.flagged,
    outliers: row.outliers,
    rejected: row.rejected,
  };
  const base = { job_id: row.id, file_id: row.fileId, kind: row.kind };
  const common = { tenantId: job.tenantId, userId: row.userId, variableIds: job.variableIds };
  await recordWebhookEvent(db, {
    ...common,
    type: "job.completed",
    data: { ...base, status: row.status, counts, issues: issues.map((i) => ({ ...i, count: Number(i.count) })) },
  });
  if (row.stored > 0) {
    await recordWebhookEvent(db, {
      ...common,
      type: "observations.created",
      data: { ...base, stored: row.stored, variable_ids: [...job.variableIds] },
    });
  }
  if (row.rejected > 0) {
    const refused = issues.filter((i) => i.severity === "error").map((i) => ({ code: i.code, count: Number(i.count) }));
    await recordWebhookEvent(db, {
      ...common,
      type: "data.rejected",
      data: { ...base, rejected: row.rejected, issues: refused },
    });
    await createNotice(db, {
      tenantId: job.tenantId,
      userId: row.userId,
      kind: "data_rejected",
      title: "Some of your data was not stored",
      body:
        `${row.rejected} of ${row.received} observation(s) were refused` +
        (refused[0] ? ` (most often: ${refused[0].code})` : "") +
        ". The job lists each one with the reason.",
      data: { ...base, rejected: row.rejected },
    });
  }
}

/**
 * A connection that needs its owner again (`needs_reauth`): the `connection.needs_reauth` event and a
 * notice to the person, once per change into that state (the caller tells whether it changed).
 */
export async function recordConnectionNeedsReauth(
  db: Executor,
  c: { tenantId: string; userId: string; id: string; connector: string; error: string | null },
  now: Date,
): Promise<void> {
  const data = { connection_id: c.id, connector: c.connector };
  await recordWebhookEvent(db, {
    tenantId: c.tenantId,
    userId: c.userId,
    type: "connection.needs_reauth",
    data,
    connectionId: c.id,
    occurredAt: now,
  });
  await createNotice(db, {
    tenantId: c.tenantId,
    userId: c.userId,
    kind: "connection_problem",
    title: `Your ${c.connector} connection needs you`,
    body: `${c.error ?? "The vendor no longer accepts the platform's access."} Connect ${c.connector} again to keep your data flowing.`,
    data,
    now,
  });
}
