/**
 * Webhook delivery end to end in Node (issue 18, docs/webhooks.md): the outbox relayed by the webhooks
 * Worker's relay, each delivery attempted by its `deliverOnce` against a real HTTP receiver (node:http)
 * on the real database, and every delivery verified with the `standardwebhooks` npm package, an
 * independent implementation of the Standard Webhooks spec. The clock is passed in, so a day of
 * retries takes no time: 500 then success, a day of failures disabling the endpoint and telling its
 * owner, replay under the same id, secret rotation with two signatures, and a revoked grant that stops
 * delivery.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { seal } from "@dfda/auth";
import { uuidv7 } from "@dfda/core";
import { connect, type DbHandle, outbox, type WebhookEventType, webhookDeliveries, webhookEndpoints } from "@dfda/db";
import { createConsent, revokeConsent } from "@dfda/db/repositories/consents";
import { createClient, createTenant, createUser } from "@dfda/db/repositories/identity";
import {
  createEndpoint,
  listDeliveries,
  listNotices,
  recordWebhookEvent,
  replayDelivery,
  rotateEndpointSecret,
} from "@dfda/db/repositories/webhooks";
import { parseMasterKeyring } from "@dfda/vault";
import { newWebhookSecret, type WebhookDeliveryMessage, webhookSecretAad } from "@dfda/webhooks";
import { eq, inArray } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type DeliveryDeps, deliverOnce, relay } from "../../workers/webhooks/src/deliver";

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let handle: DbHandle;
let server: Server;
let base: string;
const received: Received[] = [];
/** Statuses the receiver answers with, in order; 204 once they run out. */
const answers: number[] = [];

const keys = parseMasterKeyring(
  JSON.stringify({ k1: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url") }),
  "k1",
);
let tenantId: string;
let alice: string;
let appOwner: string;
let heartRate: string;
let grantId: string;
const APP = `app_${uuidv7().slice(0, 8)}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

async function endpoint(
  path: string,
  events: readonly WebhookEventType[],
  owner: { userId: string | null },
  filters: { variableIds?: string[] } = {},
): Promise<{ id: string; secret: string }> {
  const id = uuidv7();
  const secret = newWebhookSecret();
  await createEndpoint(
    handle.db,
    { tenantId, clientId: APP, userId: owner.userId },
    {
      id,
      url: `${base}${path}`,
      description: null,
      events: [...events],
      variableIds: filters.variableIds ?? [],
      connectionIds: [],
      sealedSecret: await seal(secret, { key: keys.keys.k1 ?? "", keyId: "k1", aad: webhookSecretAad(id) }),
    },
  );
  return { id, secret };
}

/** Relays the outbox and returns the queued messages (as the Cron sends them to the queue). */
async function relayNow(now = new Date()): Promise<WebhookDeliveryMessage[]> {
  const sent: WebhookDeliveryMessage[] = [];
  await relay(
    handle.db,
    async (messages) => {
      sent.push(...messages);
    },
    now,
  );
  return sent;
}

/** The relayed messages of one endpoint's deliveries (other tests' endpoints get theirs too). */
async function relayFor(endpointIds: string | string[], now = new Date()): Promise<WebhookDeliveryMessage[]> {
  const sent = await relayNow(now);
  const mine = await handle.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.endpointId, [endpointIds].flat()));
  const ids = new Set(mine.map((d) => d.id));
  return sent.filter((m) => ids.has(m.delivery_id));
}

function deps(now: () => Date = () => new Date()): DeliveryDeps {
  return { db: handle.db, masterKeys: keys, now, fetch: (r) => fetch(r) };
}

function verify(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(r.body, r.headers) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      received.push({ path: req.url ?? "", headers, body });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const slug = `wh-${uuidv7().slice(-12)}`;
  tenantId = (await createTenant(handle.db, { slug, name: slug, settings: {} })).id;
  alice = (
    await createUser(handle.db, {
      tenantId,
      email: `alice-${slug}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
      emailVerified: true,
    })
  ).id;
  appOwner = (
    await createUser(handle.db, {
      tenantId,
      email: `dev-${slug}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
      emailVerified: true,
    })
  ).id;
  await createClient(handle.db, {
    tenantId,
    clientId: APP,
    name: "Webhook app",
    clientType: "confidential",
    secretHash: "x",
    redirectUris: [],
    allowedScopes: ["webhooks:manage"],
    grantTypes: ["client_credentials"],
    ownerUserId: appOwner,
  });
  const { rows } = await handle.client.query<{ id: string }>(
    "select id from variables where slug = 'heart-rate' and valid_to is null order by tenant_id limit 1",
  );
  heartRate = rows[0]?.id ?? "";
  // Alice shares her vital signs with the app.
  grantId = (
    await createConsent(handle.db, {
      tenantId,
      ownerId: alice,
      granteeType: "client",
      granteeId: APP,
      actions: ["read"],
      categories: ["vital_signs"],
      variableIds: [],
      grantedBy: alice,
      via: "api",
    })
  ).id;
  // The grant's own consent.granted event (the real source) is relayed now, before any endpoint exists.
  await relayNow();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle.close();
});

const EVERY: WebhookEventType[] = [
  "job.completed",
  "data.rejected",
  "observations.created",
  "export.ready",
  "connection.needs_reauth",
  "consent.granted",
  "consent.revoked",
];

describe("webhook delivery", () => {
  it("delivers every event type, signed so that standardwebhooks verifies it, to the app and to Alice", async () => {
    const app = await endpoint("/app", EVERY, { userId: null });
    const own = await endpoint("/alice", EVERY, { userId: alice });
    // A filter for another variable: heart-rate events do not reach it.
    await endpoint("/filtered", ["observations.created"], { userId: null }, { variableIds: [uuidv7()] });
    const job = uuidv7();
    const events: Array<Parameters<typeof recordWebhookEvent>[1]> = [
      {
        tenantId,
        userId: alice,
        type: "job.completed",
        data: { job_id: job, stored: 3, rejected: 1 },
        variableIds: [heartRate],
      },
      { tenantId, userId: alice, type: "data.rejected", data: { job_id: job, rejected: 1 }, variableIds: [heartRate] },
      {
        tenantId,
        userId: alice,
        type: "observations.created",
        data: { job_id: job, stored: 3 },
        variableIds: [heartRate],
      },
      { tenantId, userId: alice, type: "export.ready", data: { export_id: uuidv7() } },
      { tenantId, userId: alice, type: "connection.needs_reauth", data: { connector: "oura" }, connectionId: uuidv7() },
      { tenantId, userId: alice, type: "consent.granted", data: { consent_id: grantId }, consentId: grantId },
      { tenantId, userId: alice, type: "consent.revoked", data: { consent_id: grantId }, consentId: grantId },
    ];
    for (const e of events) await recordWebhookEvent(handle.db, e);
    const messages = await relayNow();
    expect(messages).toHaveLength(14);
    received.length = 0;
    for (const m of messages) expect((await deliverOnce(deps(), m)).kind).toBe("delivered");

    for (const [path, secret] of [
      ["/app", app.secret],
      ["/alice", own.secret],
    ] as const) {
      const got = received.filter((r) => r.path === path);
      const payloads = got.map((r) => verify(secret, r));
      expect(payloads.map((p) => p.type).sort()).toEqual([...EVERY].sort());
      for (const r of got) {
        expect(r.headers["content-type"]).toBe("application/json");
        expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      }
      // A wrong secret does not verify.
      expect(() => verify(newWebhookSecret(), got[0] as Received)).toThrow();
    }
    expect(received.filter((r) => r.path === "/filtered")).toEqual([]);
    const job1 = received
      .map((r) => verify(r.path === "/app" ? app.secret : own.secret, r))
      .find((p) => p.type === "job.completed");
    expect(job1?.data).toEqual({ job_id: job, stored: 3, rejected: 1 });
  });

  it("retries a 500 and then delivers, under the same webhook-id", async () => {
    const ep = await endpoint("/retry", ["export.ready"], { userId: alice });
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e1" } });
    const [message] = await relayFor(ep.id);
    if (message === undefined) throw new Error("nothing relayed");
    received.length = 0;
    answers.push(500);
    expect(await deliverOnce(deps(), message)).toEqual({ kind: "retry", reason: "HTTP 500" });
    expect(await deliverOnce(deps(), message)).toEqual({ kind: "delivered", status: 204 });
    // Redelivered by the queue once more: nothing is sent again.
    expect((await deliverOnce(deps(), message)).kind).toBe("nothing");
    expect(received).toHaveLength(2);
    expect(received[0]?.headers["webhook-id"]).toBe(received[1]?.headers["webhook-id"]);
    verify(ep.secret, received[1] as Received);
    const [log] = await listDeliveries(handle.db, ep.id, 10);
    expect(log?.delivery.status).toBe("delivered");
    expect(log?.attempts.map((a) => a.statusCode)).toEqual([500, 204]);
  });

  it("retries for a day, then disables the endpoint and tells the app's owner", async () => {
    const ep = await endpoint("/down", ["export.ready"], { userId: null });
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e2" } });
    const t0 = new Date();
    const [message] = await relayFor(ep.id, t0);
    if (message === undefined) throw new Error("nothing relayed");
    const at = (hours: number) => () => new Date(t0.getTime() + hours * 3600_000);
    answers.push(500, 503, 500);
    expect((await deliverOnce(deps(at(0)), message)).kind).toBe("retry");
    expect((await deliverOnce(deps(at(12)), message)).kind).toBe("retry");
    const last = await deliverOnce(deps(at(24)), message);
    expect(last.kind).toBe("failed");

    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
    expect(row).toMatchObject({ enabled: false, disabledReason: "failing" });
    const notices = await listNotices(handle.db, { tenantId, userId: appOwner }, 10);
    expect(notices.map((n) => n.kind)).toContain("webhook_disabled");
    expect(notices[0]?.data).toMatchObject({ endpoint_id: ep.id, client_id: APP });
    // The owner's address is verified, so the notice is also in the mail outbox.
    const mail = await handle.db.select().from(outbox).where(eq(outbox.kind, "notice.webhook_disabled"));
    expect(mail.some((m) => m.payload.endpoint_id === ep.id)).toBe(true);
    const [log] = await listDeliveries(handle.db, ep.id, 10);
    expect(log?.delivery.status).toBe("failed");
    expect(log?.attempts).toHaveLength(3);

    // Later events do not reach a disabled endpoint.
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e3" } });
    const later = await relayNow();
    expect(later.length).toBeGreaterThan(0);
    const [again] = await listDeliveries(handle.db, ep.id, 10);
    expect(again?.delivery.id).toBe(log?.delivery.id);
  });

  it("replays a delivery with the same webhook-id", async () => {
    const ep = await endpoint("/replay", ["export.ready"], { userId: alice });
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e4" } });
    const [first] = await relayFor(ep.id);
    if (first === undefined) throw new Error("nothing relayed");
    received.length = 0;
    await deliverOnce(deps(), first);
    const replay = await replayDelivery(handle.db, ep.id, first.delivery_id, new Date());
    const [second] = await relayFor(ep.id);
    expect(second?.delivery_id).toBe(replay?.delivery.id);
    if (second === undefined) throw new Error("replay not queued");
    expect((await deliverOnce(deps(), second)).kind).toBe("delivered");
    expect(received).toHaveLength(2);
    expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
    expect(verify(ep.secret, received[1] as Received).data).toEqual({ export_id: "e4" });
  });

  it("signs with both secrets for a day after a rotation", async () => {
    const ep = await endpoint("/rotate", ["export.ready"], { userId: alice });
    const next = newWebhookSecret();
    const until = new Date(Date.now() + 24 * 3600_000);
    await rotateEndpointSecret(
      handle.db,
      { tenantId, clientId: APP, userId: alice },
      ep.id,
      await seal(next, { key: keys.keys.k1 ?? "", keyId: "k1", aad: webhookSecretAad(ep.id) }),
      until,
    );
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e5" } });
    await recordWebhookEvent(handle.db, { tenantId, userId: alice, type: "export.ready", data: { export_id: "e6" } });
    const [m1, m2] = await relayFor(ep.id);
    if (m1 === undefined || m2 === undefined) throw new Error("nothing relayed");
    received.length = 0;
    await deliverOnce(deps(), m1);
    const during = received[0] as Received;
    expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    verify(ep.secret, during);
    verify(next, during);
    // After the previous secret expired, only the new one signs.
    await deliverOnce(
      deps(() => new Date(until.getTime() + 1000)),
      m2,
    );
    expect(received[1]?.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
  });

  it("does not deliver to the app once Alice revokes its grant (logged as skipped)", async () => {
    const app = await endpoint("/consent", ["observations.created"], { userId: null });
    const own = await endpoint("/own", ["observations.created"], { userId: alice });
    await recordWebhookEvent(handle.db, {
      tenantId,
      userId: alice,
      type: "observations.created",
      data: { stored: 1 },
      variableIds: [heartRate],
    });
    const messages = await relayFor([app.id, own.id]);
    // Revoked after the event, before delivery: consent is checked at delivery.
    await revokeConsent(handle.db, { tenantId, ownerId: alice, id: grantId, actorUserId: alice });
    received.length = 0;
    for (const m of messages) await deliverOnce(deps(), m);
    expect(received.map((r) => r.path)).toEqual(["/own"]);
    const [skipped] = await listDeliveries(handle.db, app.id, 10);
    expect(skipped?.delivery).toMatchObject({ status: "skipped", lastError: "no consent: revoked" });
    expect(skipped?.attempts).toEqual([]);
    const [delivered] = await listDeliveries(handle.db, own.id, 10);
    expect(delivered?.delivery.status).toBe("delivered");
  });
});
