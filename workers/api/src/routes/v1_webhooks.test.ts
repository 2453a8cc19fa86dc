/**
 * The webhook subscription routes and the owner notices (issue 18, docs/webhooks.md), in the Workers
 * runtime against the real database: an app's endpoints (client credentials) and a person's (their
 * token), the URL rules, secret rotation, the delivery log and replay, and who may see what (no token,
 * no scope, another app, the same app's user token, another tenant). Delivery itself is tested in
 * test/node/webhooks-delivery.test.ts against a real receiver.
 */
import type { DbHandle } from "@dfda/db";
import { createNotice, recordWebhookEvent, relayWebhookEvents } from "@dfda/db/repositories/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  clientToken,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { DeliveryResponse, NoticeResponse, WebhookResponse } from "../lib/webhooks";
import type { NoticeListResponse } from "./v1_me_notices_list";
import type { DeliveryListResponse } from "./v1_webhooks_deliveries_list";
import type { WebhookListResponse } from "./v1_webhooks_list";

const SCOPES = ["openid", "observations:read", "webhooks:manage"];

let handle: DbHandle;
let tenant: TestTenant;
let alice: TestUser;
let bob: TestUser;
let appToken: string;
let otherAppToken: string;
let noScopeToken: string;
let aliceToken: string;
let bobToken: string;
let foreignToken: string;

function call(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return api(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
}

async function subscribe(token: string, body: Record<string, unknown>): Promise<WebhookResponse & { secret: string }> {
  const res = await call("/v1/webhooks", token, { method: "POST", body });
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res);
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const foreignTenant = await makeTenant();
  [alice, bob] = await Promise.all([makeUser(tenant), makeUser(tenant)]);
  const [app, otherApp, plainApp, portal, foreignApp] = await Promise.all([
    makeClient(tenant, { scopes: SCOPES }),
    makeClient(tenant, { scopes: SCOPES }),
    makeClient(tenant, { scopes: ["openid", "observations:read"] }),
    makeClient(tenant, { type: "public", scopes: SCOPES }),
    makeClient(foreignTenant, { scopes: SCOPES }),
  ]);
  [appToken, otherAppToken, noScopeToken, foreignToken] = await Promise.all([
    clientToken(app, "webhooks:manage"),
    clientToken(otherApp, "webhooks:manage"),
    clientToken(plainApp, "observations:read"),
    clientToken(foreignApp, "webhooks:manage"),
  ]);
  aliceToken = await userToken(portal, alice, SCOPES.join(" "));
  bobToken = await userToken(portal, bob, SCOPES.join(" "));
});

afterAll(async () => {
  await handle.close();
});

describe("an app's subscriptions", () => {
  it("creates, reads, lists, changes, rotates and deletes an endpoint", async () => {
    const created = await subscribe(appToken, {
      url: "http://127.0.0.1:9999/hooks",
      events: ["job.completed", "data.rejected", "job.completed"],
      description: "importer",
      filters: { variable_ids: ["0193A0B4-6D1E-7C2A-9F3B-2A4C6E8F0A11"] },
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({
      url: "http://127.0.0.1:9999/hooks",
      events: ["job.completed", "data.rejected"],
      description: "importer",
      filters: { variable_ids: ["0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"], connection_ids: [] },
      enabled: true,
      disabled_reason: null,
      user_id: null,
      previous_secret_expires_at: null,
    });

    const got = await json<WebhookResponse & { secret?: string }>(await call(`/v1/webhooks/${created.id}`, appToken));
    expect(got.id).toBe(created.id);
    expect(got.secret).toBeUndefined();

    const list = await json<WebhookListResponse>(await call("/v1/webhooks", appToken));
    expect(list.data.map((w) => w.id)).toEqual([created.id]);

    const patched = await call(`/v1/webhooks/${created.id}`, appToken, {
      method: "PATCH",
      body: { events: ["export.ready"], enabled: false, description: null },
    });
    expect(patched.status).toBe(200);
    expect(await json<WebhookResponse>(patched)).toMatchObject({
      events: ["export.ready"],
      enabled: false,
      description: null,
      url: "http://127.0.0.1:9999/hooks",
    });

    const rotated = await call(`/v1/webhooks/${created.id}/rotate-secret`, appToken, { method: "POST" });
    expect(rotated.status).toBe(200);
    const after = await json<WebhookResponse & { secret: string }>(rotated);
    expect(after.secret).toMatch(/^whsec_/);
    expect(after.secret).not.toBe(created.secret);
    const until = Date.parse(after.previous_secret_expires_at ?? "");
    expect(until - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);

    expect((await call(`/v1/webhooks/${created.id}`, appToken, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await call(`/v1/webhooks/${created.id}`, appToken), 404, "not_found");
    await expectProblem(await call(`/v1/webhooks/${created.id}`, appToken, { method: "DELETE" }), 404, "not_found");
  });

  it("pages the list with a cursor", async () => {
    const [first, second] = [
      await subscribe(otherAppToken, { url: "http://localhost:9999/a", events: ["export.ready"] }),
      await subscribe(otherAppToken, { url: "http://localhost:9999/b", events: ["export.ready"] }),
    ];
    const page1 = await json<WebhookListResponse>(await call("/v1/webhooks?limit=1", otherAppToken));
    expect(page1.data.map((w) => w.id)).toEqual([first?.id]);
    const page2 = await json<WebhookListResponse>(
      await call(`/v1/webhooks?limit=1&cursor=${encodeURIComponent(page1.next_cursor ?? "")}`, otherAppToken),
    );
    expect(page2.data.map((w) => w.id)).toEqual([second?.id]);
    expect(page2.next_cursor).toBeNull();
  });

  it("refuses URLs the platform may not call, naming the field", async () => {
    for (const url of [
      "ftp://example.org/x",
      "http://example.org/x",
      "https://10.1.2.3/x",
      "https://user:pw@example.org/x",
      "nope",
    ]) {
      const problem = await expectProblem(
        await call("/v1/webhooks", appToken, { method: "POST", body: { url, events: ["export.ready"] } }),
        400,
        "validation_failed",
      );
      expect(problem.errors?.[0]).toMatchObject({ location: "body", path: "url", pointer: "/url" });
    }
    await expectProblem(
      await call("/v1/webhooks", appToken, { method: "POST", body: { url: "http://127.0.0.1:1/x", events: [] } }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await call("/v1/webhooks", appToken, {
        method: "POST",
        body: { url: "http://127.0.0.1:1/x", events: ["nothing.happened"] },
      }),
      400,
      "validation_failed",
    );
    // Nothing was stored by the refusals.
    const list = await json<WebhookListResponse>(await call("/v1/webhooks", appToken));
    expect(list.data.filter((w) => !w.url.startsWith("http://127.0.0.1:9999"))).toEqual([]);
  });
});

describe("who may see an endpoint", () => {
  it("keeps each owner's endpoints to that owner", async () => {
    const apps = await subscribe(appToken, { url: "http://127.0.0.1:9999/app", events: ["consent.granted"] });
    const alices = await subscribe(aliceToken, { url: "http://127.0.0.1:9999/alice", events: ["export.ready"] });
    expect(alices.user_id).toBe(alice.id);

    for (const [token, id] of [
      [otherAppToken, apps.id],
      [aliceToken, apps.id],
      [foreignToken, apps.id],
      [bobToken, alices.id],
      [appToken, alices.id],
    ] as const) {
      await expectProblem(await call(`/v1/webhooks/${id}`, token), 404, "not_found");
      await expectProblem(
        await call(`/v1/webhooks/${id}`, token, { method: "PATCH", body: { enabled: false } }),
        404,
        "not_found",
      );
      await expectProblem(await call(`/v1/webhooks/${id}/rotate-secret`, token, { method: "POST" }), 404, "not_found");
      await expectProblem(await call(`/v1/webhooks/${id}/deliveries`, token), 404, "not_found");
      await expectProblem(await call(`/v1/webhooks/${id}`, token, { method: "DELETE" }), 404, "not_found");
    }
    const bobs = await json<WebhookListResponse>(await call("/v1/webhooks", bobToken));
    expect(bobs.data).toEqual([]);
    // Still there, unchanged, for their owners.
    expect((await json<WebhookResponse>(await call(`/v1/webhooks/${apps.id}`, appToken))).enabled).toBe(true);
    expect((await json<WebhookResponse>(await call(`/v1/webhooks/${alices.id}`, aliceToken))).enabled).toBe(true);
  });

  it("needs a token with webhooks:manage", async () => {
    await expectProblem(await call("/v1/webhooks", null), 401, "unauthorized");
    await expectProblem(await call("/v1/webhooks", "not-a-token"), 401, "unauthorized");
    await expectProblem(await call("/v1/webhooks", noScopeToken), 403, "forbidden");
    await expectProblem(
      await call("/v1/webhooks", noScopeToken, {
        method: "POST",
        body: { url: "http://127.0.0.1:1/", events: ["export.ready"] },
      }),
      403,
      "forbidden",
    );
  });
});

describe("the delivery log and replay", () => {
  it("lists an endpoint's deliveries and replays one under the same event id", async () => {
    const hook = await subscribe(aliceToken, { url: "http://127.0.0.1:9999/log", events: ["export.ready"] });
    await recordWebhookEvent(handle.db, {
      tenantId: tenant.id,
      userId: alice.id,
      type: "export.ready",
      data: { export_id: "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34" },
    });
    // Bob's event reaches no endpoint of Alice's.
    await recordWebhookEvent(handle.db, { tenantId: tenant.id, userId: bob.id, type: "export.ready", data: {} });
    await relayWebhookEvents(handle.db, new Date(), 1000);

    const log = await json<DeliveryListResponse>(await call(`/v1/webhooks/${hook.id}/deliveries`, aliceToken));
    expect(log.data).toHaveLength(1);
    const [first] = log.data;
    expect(first).toMatchObject({ event_type: "export.ready", status: "pending", attempts: [], replay_of: null });

    const replay = await call(`/v1/webhooks/${hook.id}/deliveries/${first?.id}/replay`, aliceToken, { method: "POST" });
    expect(replay.status).toBe(202);
    const again = await json<DeliveryResponse>(replay);
    expect(again).toMatchObject({ event_id: first?.event_id, replay_of: first?.id, status: "pending" });

    const both = await json<DeliveryListResponse>(await call(`/v1/webhooks/${hook.id}/deliveries?limit=1`, aliceToken));
    expect(both.data.map((d) => d.id)).toEqual([again.id]);
    expect(both.next_cursor).not.toBeNull();

    // Bob cannot replay Alice's delivery, nor through his own endpoint.
    const bobs = await subscribe(bobToken, { url: "http://127.0.0.1:9999/bob", events: ["export.ready"] });
    await expectProblem(
      await call(`/v1/webhooks/${hook.id}/deliveries/${first?.id}/replay`, bobToken, { method: "POST" }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/v1/webhooks/${bobs.id}/deliveries/${first?.id}/replay`, bobToken, { method: "POST" }),
      404,
      "not_found",
    );
  });
});

describe("owner notices", () => {
  it("lists a person's notices, marks one read, and shows nobody else's", async () => {
    const id = await createNotice(handle.db, {
      tenantId: tenant.id,
      userId: alice.id,
      kind: "connection_problem",
      title: "Your Oura connection needs you",
      body: "Sign in to Oura again to keep your data flowing.",
      data: { connection_id: "0193a0c7-8b9c-7d0e-8f1a-2b3c4d5e6f78" },
    });
    const list = await json<NoticeListResponse>(await call("/v1/me/notices?unread=true", aliceToken));
    expect(list.data.map((n) => n.id)).toContain(id);

    const read = await call(`/v1/me/notices/${id}/read`, aliceToken, { method: "POST" });
    expect(read.status).toBe(200);
    const notice = await json<NoticeResponse>(read);
    expect(notice.read_at).not.toBeNull();
    const unread = await json<NoticeListResponse>(await call("/v1/me/notices?unread=true", aliceToken));
    expect(unread.data.map((n) => n.id)).not.toContain(id);
    const again = await json<NoticeResponse>(await call(`/v1/me/notices/${id}/read`, aliceToken, { method: "POST" }));
    expect(again.read_at).toBe(notice.read_at);

    expect((await json<NoticeListResponse>(await call("/v1/me/notices", bobToken))).data).toEqual([]);
    await expectProblem(await call(`/v1/me/notices/${id}/read`, bobToken, { method: "POST" }), 404, "not_found");
    await expectProblem(await call("/v1/me/notices", appToken), 403, "forbidden");
    await expectProblem(await call("/v1/me/notices", null), 401, "unauthorized");
  });
});
