/**
 * What the connectors Worker's tests (./*.test.ts) share: a queue batch that records how each message
 * was settled, a run of the consumer against a vendor's local fake on the fake's clock, a new person
 * with a connection, and the `authorize`/`sync` messages the API queues (the code from the fake's
 * redirect sealed as the callback seals it). For tests only: the Worker's entry never imports it.
 */
import { seal } from "@dfda/auth";
import { type Connector, type ConnectorMessage, grantAad } from "@dfda/connectors";
import { consume, type QueueBatch } from "@dfda/consumer";
import { uuidv7 } from "@dfda/core";
import type { DbHandle } from "@dfda/db";
import { getConnection, upsertConnection } from "@dfda/db/repositories/connections";
import { createUser } from "@dfda/db/repositories/identity";
import type { ConnectorsEnv } from "../worker-configuration";
import { type ConnectorsConfig, connectorsConfig } from "./config";
import { connectorsConsumer } from "./index";

/** A vendor's local fake as the consumer sees it: its HTTP handler and its clock. */
export interface FakeVendor {
  fetch(request: Request): Promise<Response>;
  now: Date;
}

/** A hand-made batch (the consumer's structural QueueBatch), recording how each message was settled. */
export function batchOf(
  bodies: unknown[],
  queue = "dfda-connectors",
  attempts = 1,
): QueueBatch & { settled: string[] } {
  const settled: string[] = [];
  return {
    queue,
    settled,
    messages: bodies.map((body, i) => ({
      id: `m${i}`,
      attempts,
      body,
      ack: () => settled.push("ack"),
      retry: (o: { delaySeconds: number }) => settled.push(`retry ${o.delaySeconds}`),
    })),
  };
}

/** Consumes one batch against the vendor's fake, on the fake's clock; returns how each message was settled. */
export async function runBatch(
  env: ConnectorsEnv,
  config: ConnectorsConfig,
  vendor: FakeVendor,
  bodies: unknown[],
  queue?: string,
  attempts?: number,
): Promise<string[]> {
  const batch = batchOf(bodies, queue, attempts);
  await consume(batch, connectorsConsumer(env, config, { http: vendor.fetch, now: () => vendor.now }));
  return batch.settled;
}

/** A new data owner of the tenant with a (not yet authorized) connection to `connector`. */
export async function newPerson(
  db: DbHandle["db"],
  target: { tenantId: string; connector: string; emailPrefix: string; now: Date },
) {
  const userId = (
    await createUser(db, {
      tenantId: target.tenantId,
      email: `${target.emailPrefix}-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
  const connection = await upsertConnection(
    db,
    { tenantId: target.tenantId, userId, connector: target.connector },
    target.now,
  );
  return { userId, connection };
}

/**
 * The `authorize` message the API's callback queues: the code from the fake's redirect, sealed with the
 * current master key and bound to the connection (grantAad).
 */
export async function authorizeMessage(
  config: ConnectorsConfig,
  connector: Pick<Connector, "authorizeUrl">,
  vendor: FakeVendor,
  target: {
    connectorId: string;
    redirectUri: string;
    tenantId: string;
    userId: string;
    connectionId: string;
    /** PKCE (RFC 7636) where the vendor takes it: the challenge goes to the vendor, the verifier rides in the grant. */
    pkce?: { verifier: string; challenge: string };
  },
): Promise<ConnectorMessage> {
  const settings = config.connectors.get(target.connectorId);
  if (settings === undefined) throw new Error(`${target.connectorId} is not configured`);
  const url = connector.authorizeUrl(settings, {
    state: "s",
    redirectUri: target.redirectUri,
    ...(target.pkce !== undefined && { codeChallenge: target.pkce.challenge }),
  });
  const redirect = await vendor.fetch(new Request(url));
  const code = new URL(redirect.headers.get("Location") ?? "").searchParams.get("code") ?? "";
  if (code === "") throw new Error(`${target.connectorId}: the fake redirected without a code`);
  const keyId = config.masterKeys.currentKeyId;
  const sealedGrant = {
    code,
    redirect_uri: target.redirectUri,
    ...(target.pkce !== undefined && { code_verifier: target.pkce.verifier }),
  };
  const grant = await seal(JSON.stringify(sealedGrant), {
    key: config.masterKeys.keys[keyId] ?? "",
    keyId,
    aad: grantAad(target.connectionId),
  });
  return {
    v: 1,
    type: "authorize",
    tenant_id: target.tenantId,
    user_id: target.userId,
    connection_id: target.connectionId,
    grant,
  };
}

/** The `sync` message a person's "sync now" queues. */
export const syncMessage = (tenantId: string, userId: string, connectionId: string): ConnectorMessage => ({
  v: 1,
  type: "sync",
  tenant_id: tenantId,
  user_id: userId,
  connection_id: connectionId,
  reason: "requested",
});

/**
 * The `revoke` message the API queues when the person disconnects: the connection's sealed tokens as
 * stored (the grant to revoke at the vendor).
 */
export async function revokeMessage(
  db: DbHandle["db"],
  target: { tenantId: string; userId: string; connectionId: string; connector: string },
): Promise<ConnectorMessage> {
  const row = await getConnection(db, target.tenantId, target.userId, target.connectionId);
  if (row?.encryptedTokens == null || row.wrappedKey === null || row.keyVersion === null) {
    throw new Error("no tokens");
  }
  return {
    v: 1,
    type: "revoke",
    tenant_id: target.tenantId,
    user_id: target.userId,
    connection_id: target.connectionId,
    connector: target.connector,
    encrypted_tokens: row.encryptedTokens,
    wrapped_key: row.wrappedKey,
    key_version: row.keyVersion,
  };
}

/**
 * The test env's config with one more vendor configured: its client and where its fake answers (the
 * shared vitest config names no vendor but Oura, so each vendor's test adds its own here).
 */
export function configWithVendor(
  env: ConnectorsEnv,
  connector: string,
  client: { clientId: string; clientSecret: string },
  baseUrls: { auth: string; api: string },
  /** More of the Worker's settings (the webhook origin and secrets, where a test takes notifications). */
  extra: Record<string, string> = {},
): ConnectorsConfig {
  return connectorsConfig({
    ...env,
    CONNECTOR_CLIENT_IDS: JSON.stringify({ [connector]: client.clientId }),
    CONNECTOR_CLIENT_SECRETS: JSON.stringify({ [connector]: client.clientSecret }),
    CONNECTOR_BASE_URLS: JSON.stringify({ [connector]: baseUrls }),
    ...extra,
  });
}
