/**
 * What the connectors Worker does with each message of the connectors queue (./index.ts settles them):
 *
 * - `authorize`: open the sealed grant, exchange the code at the vendor, seal and store the tokens, then
 *   sync (the first backfill).
 * - `sync`: open the tokens (refreshed first when they expire within a minute), page through the
 *   vendor from the connection's cursor, keep every raw response encrypted in R2 (`vendorResponseKey`,
 *   sealed with the connection's data key), and send each page's observations through the validation
 *   pipeline (`prepareWrite`) and the person's writer, as a job of the connection's source; stored
 *   duplicates are skipped, so a re-sync (the overlap window) stores nothing twice.
 * - `revoke`: revoke the tokens of a deleted connection at the vendor.
 * - `push`: a vendor pushed data (Garmin): read the part the API kept encrypted in R2 for this
 *   connection, map it (pulling any ping's callback URL at the vendor) and write it like a sync's pages.
 *
 * Quotas (docs/connectors.md, "Quotas"): a run makes at most its connection's `rate_limit.requests`, and,
 * where the vendor limits the whole application (`app_rate_limit`), asks the application's `VendorQuota`
 * Durable Object for a permit before each request (./quota.ts); refused, the run stops with `more: true`
 * and the rest is scheduled for when the quota's window opens again (queued with that delay, or found by
 * the Cron when it is further away than a queue delay reaches), never sooner.
 *
 * Progress: each page a connector hands over carries the cursor that resumes after it (`resume`); it is
 * saved as soon as the page is written, so a failure after some pages (a 429, a 5xx, a crash) never
 * fetches them again and never spends quota on them twice.
 *
 * Vendor behaviour (issue 13): a 401 refreshes the token once and retries; a second 401, or a refresh
 * the vendor refuses, leaves the connection `needs_reauth` with words the person understands. A 429 is
 * not a failure: the sync is queued again after the vendor's `Retry-After` (or its quota window). A 5xx
 * or a timeout throws, so the queue retries it with backoff; after the last retry the dead-letter
 * consumer marks the connection `error`. A page we cannot read marks it `error` at once (retrying cannot
 * change it; the next scheduled sync tries again).
 *
 * Every sync and connection change is audited with the owner as subject (their access log shows it),
 * the connector as actor (`connector:<id>`), and counts only, never data.
 */
import { open } from "@dfda/auth";
import {
  AuthorizationGrant,
  type Connector,
  type ConnectorMessage,
  type ConnectorSettings,
  connectorOf,
  grantAad,
  type SyncCursor,
  VendorError,
  type VendorHttp,
  type VendorPage,
  VendorTokens,
  vendorQuotaName,
} from "@dfda/connectors";
import type { WithDb } from "@dfda/consumer";
import { prepareWrite } from "@dfda/consumer/prepare";
import { type IngestIssue, userWriterName, uuidv7, vendorResponseKey, vendorResponsePrefix } from "@dfda/core";
import type { Database } from "@dfda/db";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  type Connection,
  connectionDataKey,
  connectorSource,
  finishSync,
  getConnection,
  openTokens,
  recordPushed,
  SYNC_LEASE_MS,
  saveProgress,
  setConnectionStatus,
  storeTokens,
} from "@dfda/db/repositories/connections";
import { DataKeyError, openDataKey } from "@dfda/db/repositories/file-keys";
import { createJob } from "@dfda/db/repositories/jobs";
import { getDecrypted, putEncrypted, VaultError } from "@dfda/vault";
import type { ConnectorsEnv } from "../worker-configuration";
import type { ConnectorsConfig } from "./config";
import { QuotaGate } from "./quota";

/** The Worker's bindings this module uses. */
export type SyncEnv = Pick<ConnectorsEnv, "FILES" | "CONNECTORS_QUEUE" | "USER_WRITER" | "VENDOR_QUOTA">;

/** What a sync reaches outside the Worker: the vendor (`fetch`, or a fake in tests) and the clock. */
export interface SyncDeps {
  http: VendorHttp;
  now: () => Date;
}

/** Refresh a token that expires within this long, before using it. */
const EXPIRY_MARGIN_MS = 60_000;
/** Cloudflare Queues delays a message by at most 12 hours. */
const MAX_DELAY_SECONDS = 43_200;

/** Words a person understands for each way a sync ends badly (shown by `GET /v1/me/connections`). */
export const PLAIN_ERRORS = {
  needsReauth: (name: string) =>
    `${name} no longer accepts this connection. Connect it again to keep your data coming.`,
  unavailable: (name: string) => `${name} did not answer. We will try again at the next scheduled sync.`,
  malformed: (name: string) => `${name} sent data we could not read. We will try again at the next scheduled sync.`,
  unconfigured: (name: string) => `${name} is not available on this server any more.`,
  shredded: "This connection's keys were deleted. Connect it again.",
} as const;

/** The connector a connection names, with this deployment's settings; null when it is unavailable. */
function connectorFor(
  config: ConnectorsConfig,
  id: string,
): { connector: Connector; settings: ConnectorSettings } | null {
  const connector = connectorOf(id);
  const settings = config.connectors.get(id);
  return connector === undefined || settings === undefined ? null : { connector, settings };
}

async function audit(
  db: Database,
  c: Pick<Connection, "tenantId" | "userId" | "id" | "connector">,
  action: string,
  outcome: "success" | "failure",
  details: Record<string, unknown>,
) {
  await recordAudit(db, {
    tenantId: c.tenantId,
    action,
    outcome,
    actorUserId: null,
    actorClientId: `connector:${c.connector}`,
    subjectUserId: c.userId,
    resourceType: "connector_connection",
    resourceId: c.id,
    details: { connector: c.connector, ...details },
  });
}

/** Handles one parsed message; throws (a 5xx, the database away) to have it retried with backoff. */
export async function handleMessage(
  env: SyncEnv,
  config: ConnectorsConfig,
  withDb: WithDb,
  message: ConnectorMessage,
  deps: SyncDeps,
): Promise<void> {
  if (message.type === "revoke") return revoke(config, withDb, message, deps);
  await withDb(async (db) => {
    const connection = await getConnection(db, message.tenant_id, message.user_id, message.connection_id);
    if (connection === null) return; // deleted meanwhile: nothing to do
    const found = connectorFor(config, connection.connector);
    if (found === null) {
      await setConnectionStatus(
        db,
        connection,
        "error",
        PLAIN_ERRORS.unconfigured(connection.connector),
        null,
        deps.now(),
      );
      return;
    }
    if (message.type === "authorize") {
      const tokens = await authorize(db, config, connection, found, message.grant, deps);
      if (tokens === null) return;
      await sync(env, config, db, { ...connection, ...tokens.keys }, found, tokens.tokens, deps, "connected");
      return;
    }
    if (message.type === "push") {
      await receivePush(env, config, db, connection, found, message, deps);
      return;
    }
    if (connection.status === "needs_reauth" || connection.status === "paused") return;
    if (connection.encryptedTokens === null) return; // not authorized yet: its `authorize` message will sync
    let tokens: VendorTokens;
    try {
      const dataKey = await connectionDataKey(db, config.masterKeys, connection);
      tokens = VendorTokens.parse(await openTokens(dataKey, connection.id, connection.encryptedTokens));
      dataKey.fill(0);
    } catch (error) {
      if (!(error instanceof DataKeyError)) throw error;
      await setConnectionStatus(db, connection, "needs_reauth", PLAIN_ERRORS.shredded, null, deps.now());
      return;
    }
    await sync(env, config, db, connection, found, tokens, deps, message.reason);
  });
}

/** Exchanges the sealed grant's code for tokens and stores them; null when the person must start again. */
async function authorize(
  db: Database,
  config: ConnectorsConfig,
  connection: Connection,
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  sealedGrant: string,
  deps: SyncDeps,
): Promise<{ tokens: VendorTokens; keys: Pick<Connection, "wrappedKey" | "keyVersion"> } | null> {
  const grant = AuthorizationGrant.parse(
    JSON.parse(await open(sealedGrant, { keys: { ...config.masterKeys.keys }, aad: grantAad(connection.id) })),
  );
  let tokens: VendorTokens;
  try {
    tokens = await connector.exchangeCode(deps.http, settings, {
      code: grant.code,
      redirectUri: grant.redirect_uri,
      ...(grant.code_verifier === undefined ? {} : { codeVerifier: grant.code_verifier }),
      now: deps.now(),
    });
  } catch (error) {
    if (!(error instanceof VendorError) || error.kind === "unavailable") throw error;
    // A code is single use and short-lived: a refused or unreadable exchange cannot be retried.
    await setConnectionStatus(
      db,
      connection,
      "needs_reauth",
      PLAIN_ERRORS.needsReauth(connector.definition.name),
      null,
      deps.now(),
    );
    await audit(db, connection, "connector.connect", "failure", { reason: error.kind });
    return null;
  }
  const dataKey = await storeTokens(db, config.masterKeys, connection, tokens, deps.now());
  dataKey.fill(0);
  await audit(db, connection, "connector.connect", "success", { scope: tokens.scope });
  await subscribe(db, connection, { connector, settings }, tokens, deps);
  const stored = await getConnection(db, connection.tenantId, connection.userId, connection.id);
  return { tokens, keys: { wrappedKey: stored?.wrappedKey ?? null, keyVersion: stored?.keyVersion ?? null } };
}

/**
 * Subscribes the person to the vendor's notifications (Fitbit, Withings: per person) where the deployment
 * takes them (`CONNECTOR_WEBHOOK_ORIGIN`). A failed subscription is audited and costs nothing else: the
 * Cron keeps the connection synced, only later than a notification would.
 */
async function subscribe(
  db: Database,
  connection: Connection,
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  tokens: VendorTokens,
  deps: SyncDeps,
): Promise<void> {
  const subscribeAt = connector.webhook?.subscribe;
  if (subscribeAt === undefined || settings.webhook === undefined) return;
  try {
    await subscribeAt(deps.http, settings, tokens, deps.now());
    await audit(db, connection, "connector.subscribed", "success", {});
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    await audit(db, connection, "connector.subscribed", "failure", { reason: error.kind });
  }
}

/**
 * The vendor's id of the person, asked once for a connector whose token response names none (Oura), and
 * kept with the tokens (`external_user_id`, by which notifications find the connection). A vendor that
 * will not say leaves it unknown until the next sync asks again; the sync itself goes on.
 */
async function identified(
  db: Database,
  config: ConnectorsConfig,
  connection: Connection,
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  tokens: VendorTokens,
  deps: SyncDeps,
): Promise<VendorTokens> {
  if (tokens.vendor_user_id !== undefined || connector.identify === undefined) return tokens;
  try {
    const vendorUserId = await connector.identify(deps.http, settings, tokens.access_token, deps.now());
    const withId = { ...tokens, vendor_user_id: vendorUserId };
    const dataKey = await storeTokens(db, config.masterKeys, connection, withId, deps.now());
    dataKey.fill(0);
    return withId;
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "connector_identify_failed",
        connector: connection.connector,
        kind: error.kind,
      }),
    );
    return tokens;
  }
}

/** Refreshes the tokens and stores the new ones; null (and `needs_reauth`) when the vendor refuses. */
async function refreshed(
  db: Database,
  config: ConnectorsConfig,
  connection: Connection,
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  tokens: VendorTokens,
  deps: SyncDeps,
): Promise<VendorTokens | null> {
  try {
    const refreshedTokens = await connector.refresh(deps.http, settings, tokens, deps.now());
    // A refresh answer need not name the person again: the id found before is kept.
    const vendorUserId = refreshedTokens.vendor_user_id ?? tokens.vendor_user_id;
    const fresh = vendorUserId === undefined ? refreshedTokens : { ...refreshedTokens, vendor_user_id: vendorUserId };
    const dataKey = await storeTokens(db, config.masterKeys, connection, fresh, deps.now());
    dataKey.fill(0);
    return fresh;
  } catch (error) {
    if (!(error instanceof VendorError) || (error.kind !== "invalid_grant" && error.kind !== "unauthorized")) {
      throw error;
    }
    await needsReauth(db, connection, connector, deps, "refresh_refused");
    return null;
  }
}

async function needsReauth(db: Database, connection: Connection, connector: Connector, deps: SyncDeps, reason: string) {
  await setConnectionStatus(
    db,
    connection,
    "needs_reauth",
    PLAIN_ERRORS.needsReauth(connector.definition.name),
    null,
    deps.now(),
  );
  await audit(db, connection, "connector.sync", "failure", { reason, status: "needs_reauth" });
}

/** One sync of a connection: pages from its cursor, raw copies, validated writes, then the new cursor. */
async function sync(
  env: SyncEnv,
  config: ConnectorsConfig,
  db: Database,
  connection: Connection,
  found: { connector: Connector; settings: ConnectorSettings },
  initial: VendorTokens,
  deps: SyncDeps,
  reason: string,
): Promise<void> {
  const { connector, settings } = found;
  const name = connector.definition.name;
  let tokens: VendorTokens | null = initial;
  if (tokens.expires_at !== null && Date.parse(tokens.expires_at) - EXPIRY_MARGIN_MS <= deps.now().getTime()) {
    tokens = await refreshed(db, config, connection, found, tokens, deps);
    if (tokens === null) return;
  }
  tokens = await identified(db, config, connection, found, tokens, deps);
  const sourceId = await connectorSource(db, connection.tenantId, connection.connector, name);
  const dataKey = await connectionDataKey(db, config.masterKeys, connection);
  const counts: PageCounts = { stored: 0, duplicates: 0, rejected: 0, pages: 0 };
  /** The cursor and stored count saved so far by this run (after each page that moves the cursor). */
  const saved: { cursor: SyncCursor; stored: number } = { cursor: connection.syncCursor ?? {}, stored: 0 };
  const windows = connector.definition.app_rate_limit;
  const gate = new QuotaGate(
    windows === undefined
      ? null
      : env.VENDOR_QUOTA.get(env.VENDOR_QUOTA.idFromName(vendorQuotaName(connection.connector, settings.clientId))),
    windows ?? [],
    connector.definition.rate_limit.requests,
    deps.now,
  );
  const http = gate.http(deps.http);
  const run = (accessToken: string) =>
    connector.sync({
      http,
      permit: gate.permit,
      settings,
      accessToken,
      // A second run (after a refresh) starts after the pages the first one saved.
      cursor: saved.cursor,
      now: deps.now(),
      onPage: async (page) => {
        await storePage(env, config, db, { connection, sourceId, dataKey, deps }, page, counts, true);
        if (page.resume !== undefined) {
          // The page is written: a later run starts after it, whatever happens next in this one.
          await saveProgress(db, connection, { cursor: page.resume, stored: counts.stored - saved.stored }, deps.now());
          saved.cursor = page.resume;
          saved.stored = counts.stored;
        }
      },
    });
  try {
    let outcome: Awaited<ReturnType<typeof run>>;
    try {
      outcome = await run(tokens.access_token);
    } catch (error) {
      if (!(error instanceof VendorError && error.kind === "unauthorized")) throw error;
      // 401: refresh once, then try again; a second 401 means the person must connect again.
      tokens = await refreshed(db, config, connection, found, tokens, deps);
      if (tokens === null) return;
      try {
        outcome = await run(tokens.access_token);
      } catch (again) {
        if (!(again instanceof VendorError && again.kind === "unauthorized")) throw again;
        await needsReauth(db, connection, connector, deps, "unauthorized_after_refresh");
        return;
      }
    }
    const now = deps.now();
    // The rest waits for the connection's own window (its run's quota spent) and for the application's
    // (a permit refused): whichever opens last.
    const appWait = gate.retryAt === null ? 0 : secondsUntil(gate.retryAt, now);
    const ownWait =
      gate.retryAt === null || outcome.requests >= connector.definition.rate_limit.requests
        ? connector.definition.rate_limit.per_seconds
        : 0;
    const waitSeconds = Math.max(1, appWait, ownWait);
    await finishSync(
      db,
      connection,
      {
        cursor: outcome.cursor,
        stored: counts.stored - saved.stored,
        more: outcome.more,
        // With more to come, the queued message continues; the Cron only finds it again if that is lost.
        nextSyncAt: outcome.more ? continueAt(now, waitSeconds) : new Date(now.getTime() + config.syncIntervalMs),
      },
      now,
    );
    // A quota is spent: the rest waits for its next window.
    if (outcome.more && waitSeconds <= MAX_DELAY_SECONDS) await queueSync(env, connection, "scheduled", waitSeconds);
    await audit(db, connection, "connector.sync", "success", {
      reason,
      requests: outcome.requests,
      pages: counts.pages,
      stored: counts.stored,
      duplicates: counts.duplicates,
      rejected: counts.rejected,
      ...(outcome.more && { more: true, continue_after: waitSeconds }),
      ...(gate.retryAt !== null && { app_quota_spent: true }),
    });
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    const now = deps.now();
    // What the pages before the failure stored is kept and counted; the cursor was saved after each.
    await saveProgress(db, connection, { cursor: saved.cursor, stored: counts.stored - saved.stored }, now);
    if (error.kind === "rate_limited") {
      const wait = Math.max(1, error.retryAfterSeconds ?? connector.definition.rate_limit.per_seconds);
      // The delayed message continues the sync; the lease keeps the Cron from queueing a second one
      // beside it (it finds the connection again only if that message is lost). A wait longer than a
      // queue delay (Strava's day) is left to the Cron, which finds the connection when it is due.
      await setConnectionStatus(db, connection, "syncing", null, continueAt(now, wait), now);
      if (wait <= MAX_DELAY_SECONDS) {
        await queueSync(env, connection, reason === "scheduled" ? "scheduled" : "requested", wait);
      }
      await audit(db, connection, "connector.sync", "failure", { reason: "rate_limited", retry_after: wait });
      return;
    }
    if (error.kind === "malformed" || error.kind === "invalid_grant") {
      await setConnectionStatus(
        db,
        connection,
        "error",
        PLAIN_ERRORS.malformed(name),
        new Date(now.getTime() + config.syncIntervalMs),
        now,
      );
      await audit(db, connection, "connector.sync", "failure", { reason: error.kind, stored: counts.stored });
      return;
    }
    throw error; // unavailable: retried with backoff, then the dead-letter queue
  } finally {
    dataKey.fill(0);
    await settle(gate);
  }
}

/** Whole seconds from `now` until `at` (at least 1). */
const secondsUntil = (at: Date, now: Date) => Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

/**
 * When a connection that must wait `waitSeconds` is due again: past the queued message by the lease
 * (the Cron finds it only if that message is lost), or, beyond the longest queue delay, exactly then
 * (no message is queued; the Cron finds it).
 */
const continueAt = (now: Date, waitSeconds: number) =>
  new Date(now.getTime() + waitSeconds * 1000 + (waitSeconds <= MAX_DELAY_SECONDS ? SYNC_LEASE_MS : 0));

/** Gives back the run's unspent permits; a failure only costs them until their window ends (logged). */
async function settle(gate: QuotaGate) {
  try {
    await gate.settle();
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "connector_quota_release_failed",
        error: error instanceof Error ? error.name : "unknown",
      }),
    );
  }
}

/**
 * A vendor's push for this connection (Garmin): the part of the notification the API kept encrypted at
 * `object_key` (the raw copy, under the connection's data key) is mapped, any ping's callback URL pulled,
 * and each page written like a sync's, so a repeated push stores nothing twice. Pushes are taken in any
 * status: Garmin pushes only while the person's registration stands (it needs no token of ours). A 5xx
 * or timeout of a pull is retried with backoff; a 429 queues the push again after `Retry-After`; a body
 * or answer we cannot read marks the connection `error` (retrying cannot change it).
 */
async function receivePush(
  env: SyncEnv,
  config: ConnectorsConfig,
  db: Database,
  connection: Connection,
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  message: Extract<ConnectorMessage, { type: "push" }>,
  deps: SyncDeps,
): Promise<void> {
  const push = connector.webhook?.push;
  const key = message.object_key;
  // Only a vendor response of this tenant, person and connector (the AAD binds it to its key as well).
  const ours =
    key.startsWith(vendorResponsePrefix(connection.tenantId)) &&
    key.includes(`/${connection.userId}/${connection.connector}/`) &&
    message.connector === connection.connector;
  if (push === undefined || !ours) {
    await audit(db, connection, "connector.push", "failure", { reason: "not_this_connection" });
    return;
  }
  let dataKey: Uint8Array;
  try {
    dataKey = await connectionDataKey(db, config.masterKeys, connection);
  } catch (error) {
    if (!(error instanceof DataKeyError)) throw error;
    return; // the person's keys were erased: the kept part can no longer be read, and is theirs to lose
  }
  const counts: PageCounts = { stored: 0, duplicates: 0, rejected: 0, pages: 0 };
  const name = connector.definition.name;
  try {
    let body: string;
    try {
      body = await new Response(await getDecrypted(env.FILES, key, dataKey, key)).text();
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      await audit(db, connection, "connector.push", "failure", { reason: "unreadable" });
      return;
    }
    const sourceId = await connectorSource(db, connection.tenantId, connection.connector, name);
    const target = { connection, sourceId, dataKey, deps };
    let requests = 0;
    try {
      ({ requests } = await push.receive({
        http: deps.http,
        settings,
        body,
        now: deps.now(),
        onPage: (page, pulled) => storePage(env, config, db, target, page, counts, pulled),
      }));
    } catch (error) {
      if (!(error instanceof VendorError) || error.kind === "unavailable") throw error;
      const now = deps.now();
      await recordPushed(db, connection, counts.stored, now);
      if (error.kind === "rate_limited") {
        const wait = Math.min(
          MAX_DELAY_SECONDS,
          Math.max(1, error.retryAfterSeconds ?? connector.definition.rate_limit.per_seconds),
        );
        // Its pages stored so far are duplicates next time (skipped): the whole part is taken again.
        await env.CONNECTORS_QUEUE.send(message, { contentType: "json", delaySeconds: wait });
        await audit(db, connection, "connector.push", "failure", { reason: "rate_limited", retry_after: wait });
        return;
      }
      await setConnectionStatus(
        db,
        connection,
        "error",
        PLAIN_ERRORS.malformed(name),
        new Date(now.getTime() + config.syncIntervalMs),
        now,
      );
      await audit(db, connection, "connector.push", "failure", { reason: error.kind, stored: counts.stored });
      return;
    }
    await recordPushed(db, connection, counts.stored, deps.now());
    await audit(db, connection, "connector.push", "success", {
      requests,
      pages: counts.pages,
      stored: counts.stored,
      duplicates: counts.duplicates,
      rejected: counts.rejected,
    });
  } finally {
    dataKey.fill(0);
  }
}

/** What a run's pages stored, skipped as duplicates, and rejected. */
interface PageCounts {
  stored: number;
  duplicates: number;
  rejected: number;
  pages: number;
}

/**
 * One vendor page: its raw body kept encrypted in R2 first (`keepRaw`; a pushed body the API kept
 * already is not kept twice), then its observations through `prepareWrite` and the person's writer
 * as a job of the connector's source; `counts` adds what happened.
 */
async function storePage(
  env: SyncEnv,
  config: ConnectorsConfig,
  db: Database,
  target: { connection: Connection; sourceId: string; dataKey: Uint8Array; deps: SyncDeps },
  page: VendorPage,
  counts: PageCounts,
  keepRaw: boolean,
): Promise<void> {
  const { connection, sourceId, dataKey, deps } = target;
  counts.pages++;
  if (keepRaw) {
    // The raw response first: a better mapper can reprocess it (docs/retention.md sweeps it by age).
    const key = vendorResponseKey({
      tenantId: connection.tenantId,
      userId: connection.userId,
      connector: connection.connector,
      fetchedAt: deps.now(),
      responseId: uuidv7(),
    });
    await putEncrypted(env.FILES, key, new Blob([page.body]).stream(), dataKey, key);
  }
  const skipped: IngestIssue[] = page.skipped.map((message) => ({
    index: null,
    location: `${connection.connector} ${page.endpoint}`,
    code: "invalid_observation",
    severity: "warning",
    message: `Skipped ${message}.`,
  }));
  if (page.observations.length === 0 && skipped.length === 0) return;
  const { job } = await createJob(db, {
    tenantId: connection.tenantId,
    userId: connection.userId,
    clientId: null,
    actorUserId: connection.userId,
    sourceId,
    kind: "observations",
    idempotencyKey: null,
    requestHash: null,
    received: page.observations.length,
  });
  const prepared = await prepareWrite(
    db,
    config.pipeline,
    { tenant_id: connection.tenantId, user_id: connection.userId, default_source_id: sourceId, client_id: null },
    page.observations,
    (i) => `${connection.connector} ${page.endpoint} item ${i}`,
  );
  const writer = env.USER_WRITER.get(
    env.USER_WRITER.idFromName(userWriterName(connection.tenantId, connection.userId)),
  );
  const result = await writer.write({
    job_id: job.id,
    tenant_id: connection.tenantId,
    user_id: connection.userId,
    // The owner's own data, brought in on their behalf: no grant to check (the writer's rule).
    actor: { user_id: connection.userId, client_id: null },
    ...prepared,
    issues: [...skipped, ...prepared.issues],
  });
  counts.stored += result.stored;
  counts.duplicates += result.duplicates;
  counts.rejected += prepared.counts.rejected;
}

async function queueSync(
  env: SyncEnv,
  c: Pick<Connection, "tenantId" | "userId" | "id">,
  reason: "scheduled" | "requested",
  delaySeconds: number,
) {
  const message: ConnectorMessage = {
    v: 1,
    type: "sync",
    tenant_id: c.tenantId,
    user_id: c.userId,
    connection_id: c.id,
    reason,
  };
  await env.CONNECTORS_QUEUE.send(message, { contentType: "json", delaySeconds });
}

/** Revokes a deleted connection's tokens at the vendor; nothing to do when they are unreadable. */
async function revoke(
  config: ConnectorsConfig,
  withDb: WithDb,
  message: Extract<ConnectorMessage, { type: "revoke" }>,
  deps: SyncDeps,
): Promise<void> {
  const found = connectorFor(config, message.connector);
  if (found === null) return;
  const tokens = await withDb(async (db) => {
    try {
      const dataKey = await openDataKey(db, config.masterKeys, {
        tenantId: message.tenant_id,
        userId: message.user_id,
        boundTo: `connection:${message.connection_id}`,
        wrappedKey: message.wrapped_key,
        keyVersion: message.key_version,
      });
      const opened = VendorTokens.parse(await openTokens(dataKey, message.connection_id, message.encrypted_tokens));
      dataKey.fill(0);
      return opened;
    } catch (error) {
      // The person was erased meanwhile: the tokens are crypto-shredded, and no one can use them.
      if (error instanceof DataKeyError) return null;
      throw error;
    }
  });
  if (tokens === null) return;
  const current = await unsubscribe(found, tokens, deps);
  try {
    await found.connector.revoke(deps.http, found.settings, current);
  } catch (error) {
    // Only an unavailable vendor is worth retrying; a refusal means the grant is gone already.
    if (error instanceof VendorError && error.kind !== "unavailable") return;
    throw error;
  }
}

/**
 * Removes the person's subscription at the vendor before the grant is revoked (Fitbit's and Withings'
 * are per person, and would otherwise outlive the connection). Best effort: the tokens may be expired
 * (refreshed once; the refreshed ones are then the ones revoked), and a vendor that refuses changes
 * nothing here: the connection is gone, so a later notification for it matches nothing.
 */
async function unsubscribe(
  { connector, settings }: { connector: Connector; settings: ConnectorSettings },
  tokens: VendorTokens,
  deps: SyncDeps,
): Promise<VendorTokens> {
  const unsubscribeAt = connector.webhook?.unsubscribe;
  if (unsubscribeAt === undefined || settings.webhook === undefined) return tokens;
  let current = tokens;
  const expired =
    current.expires_at !== null && Date.parse(current.expires_at) - EXPIRY_MARGIN_MS <= deps.now().getTime();
  try {
    if (expired) current = await connector.refresh(deps.http, settings, current, deps.now());
    try {
      await unsubscribeAt(deps.http, settings, current, deps.now());
    } catch (error) {
      if (!(error instanceof VendorError && error.kind === "unauthorized") || expired) throw error;
      current = await connector.refresh(deps.http, settings, current, deps.now());
      await unsubscribeAt(deps.http, settings, current, deps.now());
    }
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "connector_unsubscribe_failed",
        connector: connector.definition.id,
        kind: error.kind,
      }),
    );
  }
  // A refresh keeps the person's id where the vendor does not repeat it (Withings' revoke needs it).
  return current.vendor_user_id === undefined && tokens.vendor_user_id !== undefined
    ? { ...current, vendor_user_id: tokens.vendor_user_id }
    : current;
}
