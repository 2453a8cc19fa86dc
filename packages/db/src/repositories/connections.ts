/**
 * Connector connections, their whole life in one module (issue 13, docs/connectors.md): the OAuth
 * `state` of a vendor authorization (created, consumed once), the connection (created at the callback,
 * claimed by the Cron scan, synced, failed, deleted), its sealed vendor tokens, and the source its
 * observations carry. Every function takes the tenant (and, where a person acts, the person)
 * explicitly: there is no unscoped query here but the Cron's scan of due connections.
 *
 * Tokens are sealed with the connection's data key (packages/vault: a data key wrapped by the person's
 * key, bound to `connection:<id>`); the same key seals the raw vendor responses the connectors Worker
 * keeps in R2. Erasing the person deletes their keys, so both become unreadable (crypto-shredding).
 */
import { base64UrlDecode, base64UrlEncode, uuidv7 } from "@dfda/core";
import { decryptStream, encryptStream, type MasterKeyring } from "@dfda/vault";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type ConnectionStatus, connectorConnections, connectorOauthStates, sources } from "../schema";
import { newDataKey, openDataKey } from "./file-keys";
import { recordConnectionNeedsReauth } from "./webhooks";

export type Connection = typeof connectorConnections.$inferSelect;

/** What `GET /v1/me/connections` shows of a connection: never its tokens or keys. */
export type ConnectionView = Omit<Connection, "encryptedTokens" | "wrappedKey" | "keyVersion" | "syncCursor">;

const viewColumns = {
  id: connectorConnections.id,
  tenantId: connectorConnections.tenantId,
  userId: connectorConnections.userId,
  connector: connectorConnections.connector,
  status: connectorConnections.status,
  externalUserId: connectorConnections.externalUserId,
  scopes: connectorConnections.scopes,
  lastSyncAt: connectorConnections.lastSyncAt,
  nextSyncAt: connectorConnections.nextSyncAt,
  error: connectorConnections.error,
  importedCount: connectorConnections.importedCount,
  createdAt: connectorConnections.createdAt,
  updatedAt: connectorConnections.updatedAt,
};

async function sha256Base64Url(text: string): Promise<string> {
  return base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

// ---- OAuth state (RFC 6749 §10.12) ---------------------------------------------------------------

/** How long a person has to approve at the vendor: 10 minutes. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/**
 * A new authorization `state` (32 random bytes, base64url) bound to the person, the tenant, the
 * connector and the redirect URI; only its SHA-256 is stored. Expired states of anyone are pruned.
 */
export async function createOAuthState(
  db: Executor,
  request: { tenantId: string; userId: string; connector: string; redirectUri: string; codeVerifier?: string },
  now: Date,
): Promise<string> {
  const state = base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
  await db.delete(connectorOauthStates).where(lte(connectorOauthStates.expiresAt, now));
  await db.insert(connectorOauthStates).values({
    stateHash: await sha256Base64Url(state),
    tenantId: request.tenantId,
    userId: request.userId,
    connector: request.connector,
    redirectUri: request.redirectUri,
    codeVerifier: request.codeVerifier ?? null,
    expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
  });
  return state;
}

/**
 * Consumes a `state` returned to the callback: deleted in the same statement that reads it (single
 * use, so a replayed callback finds nothing), and only while unexpired and for this connector.
 */
export async function consumeOAuthState(db: Executor, connector: string, state: string, now: Date) {
  const [row] = await db
    .delete(connectorOauthStates)
    .where(eq(connectorOauthStates.stateHash, await sha256Base64Url(state)))
    .returning();
  if (row === undefined || row.connector !== connector || row.expiresAt <= now) return null;
  return row;
}

// ---- the connection ------------------------------------------------------------------------------

/**
 * How long a queued sync holds its connection: `next_sync_at` moves this far ahead when a sync is
 * queued, so the Cron neither queues it twice nor forgets it if the message is lost.
 */
export const SYNC_LEASE_MS = 30 * 60_000;

/**
 * The person's connection to a connector, created at the callback or, when one exists (the person
 * connects again after `needs_reauth`), set back to `syncing` with its error cleared; its cursor and
 * counts stay, so a reconnection does not import everything again.
 */
export async function upsertConnection(
  db: Executor,
  target: { tenantId: string; userId: string; connector: string },
  now: Date,
): Promise<Connection> {
  const [row] = await db
    .insert(connectorConnections)
    .values({ id: uuidv7(), ...target, status: "syncing", nextSyncAt: new Date(now.getTime() + SYNC_LEASE_MS) })
    .onConflictDoUpdate({
      target: [connectorConnections.tenantId, connectorConnections.userId, connectorConnections.connector],
      set: { status: "syncing", error: null, nextSyncAt: new Date(now.getTime() + SYNC_LEASE_MS), updatedAt: now },
    })
    .returning();
  if (row === undefined) throw new Error("the connection could not be stored");
  return row;
}

/** A person's connection by id (their own only), or null. */
export async function getConnection(db: Executor, tenantId: string, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(connectorConnections)
    .where(
      and(
        eq(connectorConnections.tenantId, tenantId),
        eq(connectorConnections.userId, userId),
        eq(connectorConnections.id, id),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** A person's connections, oldest first, without tokens or keys. */
export function listConnections(db: Executor, tenantId: string, userId: string): Promise<ConnectionView[]> {
  return db
    .select(viewColumns)
    .from(connectorConnections)
    .where(and(eq(connectorConnections.tenantId, tenantId), eq(connectorConnections.userId, userId)))
    .orderBy(asc(connectorConnections.createdAt), asc(connectorConnections.id));
}

/**
 * Deletes a person's connection and returns it (with its sealed tokens, for the revocation at the
 * vendor), or null when it is not theirs.
 */
export async function deleteConnection(db: Executor, tenantId: string, userId: string, id: string) {
  const [row] = await db
    .delete(connectorConnections)
    .where(
      and(
        eq(connectorConnections.tenantId, tenantId),
        eq(connectorConnections.userId, userId),
        eq(connectorConnections.id, id),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * The connections of a connector whose vendor user id is `externalUserId` (a vendor's push notification
 * names its user, not ours), in any tenant: the webhook route asks each for a sync.
 */
export function connectionsOfVendorUser(db: Executor, connector: string, externalUserId: string) {
  return db
    .select({
      id: connectorConnections.id,
      tenantId: connectorConnections.tenantId,
      userId: connectorConnections.userId,
    })
    .from(connectorConnections)
    .where(and(eq(connectorConnections.connector, connector), eq(connectorConnections.externalUserId, externalUserId)));
}

/**
 * Asks for a sync now: `syncing`, unless the connection needs the person (`needs_reauth`) or a sync is
 * already queued. Returns whether the caller should queue one.
 */
export async function requestSync(db: Executor, tenantId: string, userId: string, id: string, now: Date) {
  const rows = await db
    .update(connectorConnections)
    .set({ status: "syncing", nextSyncAt: new Date(now.getTime() + SYNC_LEASE_MS), updatedAt: now })
    .where(
      and(
        eq(connectorConnections.tenantId, tenantId),
        eq(connectorConnections.userId, userId),
        eq(connectorConnections.id, id),
        inArray(connectorConnections.status, ["active", "error", "paused"]),
      ),
    )
    .returning({ id: connectorConnections.id });
  return rows.length > 0;
}

/**
 * The Cron's scan: connections due (`next_sync_at` passed) that are `active` or `error` (an error is
 * retried on schedule), at most `limit`, oldest due first, claimed in the same statement (`syncing`,
 * and `next_sync_at` pushed out by `leaseMs` so a lost message is found again later, not twice now).
 */
export async function claimDueConnections(db: Executor, now: Date, limit: number, leaseMs: number) {
  const result = await db.execute<{ id: string; tenant_id: string; user_id: string; connector: string }>(sql`
    update ${connectorConnections} set status = 'syncing', next_sync_at = ${new Date(now.getTime() + leaseMs)},
      updated_at = ${now}
    where id in (
      select id from ${connectorConnections}
      where next_sync_at <= ${now} and status in ('active', 'error', 'syncing')
      order by next_sync_at limit ${limit}
      for update skip locked)
    returning id, tenant_id, user_id, connector`);
  return result.rows;
}

/** Records a sync's progress: the cursor, what it stored, and when the next one is due. */
export async function finishSync(
  db: Executor,
  c: { tenantId: string; id: string },
  outcome: { cursor: Record<string, string>; stored: number; nextSyncAt: Date; more: boolean },
  now: Date,
) {
  await db
    .update(connectorConnections)
    .set({
      syncCursor: outcome.cursor,
      importedCount: sql`${connectorConnections.importedCount} + ${outcome.stored}`,
      lastSyncAt: now,
      nextSyncAt: outcome.nextSyncAt,
      status: outcome.more ? "syncing" : "active",
      error: null,
      updatedAt: now,
    })
    .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)));
}

/** Saves the cursor and counts of the pages a failed sync did import (so its retry starts there). */
export async function saveProgress(
  db: Executor,
  c: { tenantId: string; id: string },
  progress: { cursor: Record<string, string>; stored: number },
  now: Date,
) {
  await db
    .update(connectorConnections)
    .set({
      syncCursor: progress.cursor,
      importedCount: sql`${connectorConnections.importedCount} + ${progress.stored}`,
      updatedAt: now,
    })
    .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)));
}

/**
 * Counts what a vendor's push stored and when it came (`last_sync_at`), leaving the cursor, status and
 * next sync alone: a push is not a sync, and one may run beside it.
 */
export async function recordPushed(db: Executor, c: { tenantId: string; id: string }, stored: number, now: Date) {
  await db
    .update(connectorConnections)
    .set({
      importedCount: sql`${connectorConnections.importedCount} + ${stored}`,
      lastSyncAt: now,
      updatedAt: now,
    })
    .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)));
}

/** Sets a connection's status and its error in plain words (null clears it), and when to try next. */
export async function setConnectionStatus(
  db: Executor,
  c: { tenantId: string; id: string },
  status: ConnectionStatus,
  error: string | null,
  nextSyncAt: Date | null,
  now: Date,
) {
  if (status !== "needs_reauth") {
    await db
      .update(connectorConnections)
      .set({ status, error, nextSyncAt, updatedAt: now })
      .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)));
    return;
  }
  // Into `needs_reauth`: the webhook event and the owner's notice (docs/webhooks.md), in the same
  // transaction, once per change into that state.
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ status: connectorConnections.status })
      .from(connectorConnections)
      .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)))
      .for("update");
    const [row] = await tx
      .update(connectorConnections)
      .set({ status, error, nextSyncAt, updatedAt: now })
      .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)))
      .returning({ userId: connectorConnections.userId, connector: connectorConnections.connector });
    if (row === undefined || before?.status === "needs_reauth") return;
    await recordConnectionNeedsReauth(tx, { tenantId: c.tenantId, id: c.id, error, ...row }, now);
  });
}

// ---- sealed tokens -------------------------------------------------------------------------------

/** What a connection's data key is bound to (the vault binds a data key's wrapping to an id). */
export const connectionKeyScope = (id: string) => `connection:${id}`;

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Seals `tokens` (JSON) with the connection's data key and stores them; the first time, a data key is
 * made and wrapped by the person's current key. Returns the data key (for the raw responses of the
 * sync that follows); the caller zeroes it when done.
 */
export async function storeTokens(
  db: Executor,
  keyring: MasterKeyring,
  c: Pick<Connection, "tenantId" | "userId" | "id" | "wrappedKey" | "keyVersion">,
  tokens: unknown,
  now: Date,
): Promise<Uint8Array> {
  let dataKey: Uint8Array;
  let wrapped: { wrappedKey: string; keyVersion: number } | null = null;
  if (c.wrappedKey === null || c.keyVersion === null) {
    const made = await newDataKey(db, keyring, {
      tenantId: c.tenantId,
      userId: c.userId,
      boundTo: connectionKeyScope(c.id),
    });
    dataKey = made.dataKey;
    wrapped = { wrappedKey: made.wrappedKey, keyVersion: made.keyVersion };
  } else {
    dataKey = await connectionDataKey(db, keyring, c);
  }
  const plain = new Blob([JSON.stringify(tokens)]).stream();
  // The vendor's id of the person, where its token response names it (Withings' `userid`): push
  // notifications are matched to the connection by it.
  const vendorUserId =
    typeof tokens === "object" &&
    tokens !== null &&
    "vendor_user_id" in tokens &&
    typeof tokens.vendor_user_id === "string"
      ? tokens.vendor_user_id
      : undefined;
  const sealed = base64UrlEncode(await collect(plain.pipeThrough(encryptStream(dataKey, `tokens:${c.id}`))));
  await db
    .update(connectorConnections)
    .set({
      encryptedTokens: sealed,
      ...(wrapped ?? {}),
      ...(vendorUserId === undefined ? {} : { externalUserId: vendorUserId }),
      updatedAt: now,
    })
    .where(and(eq(connectorConnections.tenantId, c.tenantId), eq(connectorConnections.id, c.id)));
  return dataKey;
}

/** The connection's data key; DataKeyError when it has none or the person's key is gone. */
export function connectionDataKey(
  db: Executor,
  keyring: MasterKeyring,
  c: Pick<Connection, "tenantId" | "userId" | "id" | "wrappedKey" | "keyVersion">,
): Promise<Uint8Array> {
  return openDataKey(db, keyring, {
    tenantId: c.tenantId,
    userId: c.userId,
    boundTo: connectionKeyScope(c.id),
    wrappedKey: c.wrappedKey,
    keyVersion: c.keyVersion,
  });
}

/** Opens sealed tokens (JSON, parsed by the caller's schema) with the connection's data key. */
export async function openTokens(dataKey: Uint8Array, connectionId: string, sealed: string): Promise<unknown> {
  const plain = await collect(
    new Blob([base64UrlDecode(sealed)]).stream().pipeThrough(decryptStream(dataKey, `tokens:${connectionId}`)),
  );
  return JSON.parse(new TextDecoder().decode(plain));
}

// ---- the source ----------------------------------------------------------------------------------

/**
 * The source a connector's observations carry (kind `connector`, slug the connector's id), created on
 * first use. It is bound to the pseudo-client `connector:<id>`, so no app can name it as its own
 * source (`sourcesBySlug` leaves out sources bound to another client): provenance stays the vendor's.
 */
export async function connectorSource(db: Executor, tenantId: string, connector: string, name: string) {
  const clientId = `connector:${connector}`;
  await db
    .insert(sources)
    .values({ id: uuidv7(), tenantId, slug: connector, name, kind: "connector", clientId })
    .onConflictDoNothing();
  const [row] = await db
    .select({ id: sources.id, kind: sources.kind, clientId: sources.clientId })
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.slug, connector)))
    .limit(1);
  if (row === undefined || row.kind !== "connector" || row.clientId !== clientId) {
    throw new Error(`the source ${connector} is taken by another writer`);
  }
  return row.id;
}
