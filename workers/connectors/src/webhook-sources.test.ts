/**
 * Webhook event sources through their real caller (issue 18, docs/webhooks.md): the connectors
 * Worker's consumer, syncing against the local Oura fake after the person revoked the platform at the
 * vendor (the fake answers the refresh with RFC 6749 §5.2 `invalid_grant`), moves the connection into
 * `needs_reauth` and, in that transaction, writes one `connection.needs_reauth` event into the
 * `webhook_events` outbox and a `connection_problem` notice to the person. Another sync while it still
 * needs the person writes neither again.
 */
import { env } from "cloudflare:workers";
import { oura } from "@dfda/connectors";
import { FakeOura } from "@dfda/connectors/fakes";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { getConnection } from "@dfda/db/repositories/connections";
import { createTenant } from "@dfda/db/repositories/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorsEnv } from "../worker-configuration";
import { connectorsConfig } from "./config";
import { authorizeMessage, newPerson, runBatch, syncMessage } from "./test-support";

const workerEnv = env as unknown as ConnectorsEnv;
const config = connectorsConfig(workerEnv);
const NOW = new Date("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:8787/v1/connectors/oura/callback";
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(workerEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `cwh-${uuidv7().slice(-8)}`, name: "Connection events" })).id;
});
afterAll(async () => {
  await handle?.close();
});

async function outboxOf(userId: string) {
  const { rows } = await handle.client.query<{
    tenant_id: string;
    user_id: string;
    type: string;
    data: Record<string, unknown>;
    connection_id: string | null;
    occurred_at: Date;
  }>(
    `select tenant_id, user_id, type, data, connection_id, occurred_at from webhook_events
      where tenant_id = $1 and user_id = $2 order by id`,
    [tenantId, userId],
  );
  return rows;
}

async function noticesOf(userId: string) {
  const { rows } = await handle.client.query<{
    kind: string;
    title: string;
    body: string;
    data: Record<string, unknown>;
  }>("select kind, title, body, data from owner_notices where tenant_id = $1 and user_id = $2 order by id", [
    tenantId,
    userId,
  ]);
  return rows;
}

describe("connection.needs_reauth from the connectors consumer", () => {
  it("a refresh answered invalid_grant writes the event and the connection_problem notice, once", async () => {
    const vendor = new FakeOura({
      clientId: "test-oura-client",
      clientSecret: "test-oura-secret",
      now: NOW,
      days: 1,
      heartRateEveryMinutes: 240,
      pageSize: 20,
    });
    const { userId, connection } = await newPerson(handle.db, {
      tenantId,
      connector: "oura",
      emailPrefix: "w",
      now: NOW,
    });
    const authorize = await authorizeMessage(config, oura, vendor, {
      connectorId: "oura",
      redirectUri: REDIRECT,
      tenantId,
      userId,
      connectionId: connection.id,
    });
    expect(await runBatch(workerEnv, config, vendor, [authorize])).toEqual(["ack"]);
    expect((await getConnection(handle.db, tenantId, userId, connection.id))?.status).toBe("active");
    // The backfill is an ingestion job with its own events; the connection is fine, so none about it.
    const backfill = await outboxOf(userId);
    expect(backfill.map((e) => e.type)).toContain("job.completed");
    expect(backfill.filter((e) => e.type === "connection.needs_reauth")).toEqual([]);

    // The person revoked the platform at Oura: the access token is refused and so is the refresh.
    vendor.revokeEverything();
    const sync = syncMessage(tenantId, userId, connection.id);
    expect(await runBatch(workerEnv, config, vendor, [sync])).toEqual(["ack"]);
    const after = await getConnection(handle.db, tenantId, userId, connection.id);
    expect(after?.status).toBe("needs_reauth");
    expect(vendor.log.filter((l) => l === "POST /oauth/token")).toHaveLength(2); // the code, then the refused refresh

    const data = { connection_id: connection.id, connector: "oura" };
    // The only new event is the one about the connection (the refused sync imported nothing).
    const all = await outboxOf(userId);
    expect(all).toHaveLength(backfill.length + 1);
    const events = all.filter((e) => e.type === "connection.needs_reauth");
    expect(events).toEqual([
      {
        tenant_id: tenantId,
        user_id: userId,
        type: "connection.needs_reauth",
        data,
        connection_id: connection.id,
        // On the consumer's clock (the fake's), as the connection's own status change.
        occurred_at: NOW,
      },
    ]);
    expect(await noticesOf(userId)).toEqual([
      {
        kind: "connection_problem",
        title: "Your oura connection needs you",
        body: `${after?.error} Connect oura again to keep your data flowing.`,
        data,
      },
    ]);

    // While it still needs the person, another sync neither calls the vendor nor writes again.
    expect(await runBatch(workerEnv, config, vendor, [sync])).toEqual(["ack"]);
    expect(await outboxOf(userId)).toHaveLength(backfill.length + 1);
    expect(await noticesOf(userId)).toHaveLength(1);
  });
});
