/**
 * GET /v1/me/access-log's server-side filters through the real API Worker: outcome, who (a person's id,
 * an app's client id, or the kind of actor), what (the action) and when (from inclusive, to exclusive),
 * each alone and together, paged under the same filters; bad filters are 400 problems naming the field;
 * the filters never reach another person's entries, and the person's own accesses stay out.
 */
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, expectProblem, json, testDb } from "../../test/helpers";
import {
  makeClient,
  makeTenant,
  makeUser,
  type TestClient,
  type TestTenant,
  type TestUser,
  userToken,
} from "../../test/identity";
import type { AccessLogEntryResponse } from "./v1_me_accessLog";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let handle: DbHandle;
let tenant: TestTenant;
let client: TestClient;
let me: TestUser;
let friend: TestUser;
let stranger: TestUser;
let token: string;

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
type Page = { data: AccessLogEntryResponse[]; next_cursor: string | null };

/** One entry about `me`, at a chosen instant (the chain trigger fills seq and hashes). */
async function entry(
  at: string,
  actorUserId: string | null,
  actorClientId: string | null,
  action: string,
  outcome: "success" | "denied" | "failure",
): Promise<void> {
  await handle.client.query(
    `insert into audit_log (tenant_id, occurred_at, actor_user_id, actor_client_id, subject_user_id, action, outcome)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [tenant.id, at, actorUserId, actorClientId, me.id, action, outcome],
  );
}

async function log(query: string, t = token): Promise<Page> {
  const response = await api(`/v1/me/access-log${query}`, { headers: auth(t) });
  expect(response.status).toBe(200);
  return json<Page>(response);
}

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  client = await makeClient(tenant, { type: "public", scopes: ["openid", "consents:read", "observations:read"] });
  [me, friend, stranger] = await Promise.all([makeUser(tenant), makeUser(tenant), makeUser(tenant)]);
  // Oldest first, so ids follow time: the friend reads (allowed) and is refused once, an app acting for
  // itself reads, the stranger is refused twice, and the person's own read (never in their log).
  await entry("2026-03-01T10:00:00Z", friend.id, "portal-x", "observations.read", "success");
  await entry("2026-03-02T10:00:00Z", friend.id, "portal-x", "observations.write", "denied");
  await entry("2026-03-03T10:00:00Z", null, "lab-app", "observations.read", "success");
  await entry("2026-03-04T10:00:00Z", stranger.id, "portal-x", "observations.read", "denied");
  await entry("2026-03-05T10:00:00Z", stranger.id, "other-app", "exports.create", "denied");
  await entry("2026-03-06T10:00:00Z", me.id, "portal-x", "observations.read", "success");
  await entry("2026-03-07T10:00:00Z", null, "lab-app", "observations.read", "failure");
  token = await userToken(client, me, "consents:read");
});
afterAll(async () => handle.close());

const actions = (page: Page) => page.data.map((e) => `${e.at.slice(0, 10)} ${e.action} ${e.outcome}`);

describe("GET /v1/me/access-log filters", () => {
  it("without filters: every entry by someone else, newest first", async () => {
    const page = await log("");
    expect(actions(page)).toEqual([
      "2026-03-07 observations.read failure",
      "2026-03-05 exports.create denied",
      "2026-03-04 observations.read denied",
      "2026-03-03 observations.read success",
      "2026-03-02 observations.write denied",
      "2026-03-01 observations.read success",
    ]);
  });

  it("by outcome", async () => {
    expect(actions(await log("?outcome=denied"))).toEqual([
      "2026-03-05 exports.create denied",
      "2026-03-04 observations.read denied",
      "2026-03-02 observations.write denied",
    ]);
    expect(actions(await log("?outcome=failure"))).toEqual(["2026-03-07 observations.read failure"]);
  });

  it("by person, by app and by kind of actor", async () => {
    const byFriend = await log(`?actor_user_id=${friend.id.toUpperCase()}`);
    expect(byFriend.data.map((e) => e.actor.user_id)).toEqual([friend.id, friend.id]);
    const byApp = await log("?actor_client_id=lab-app");
    expect(byApp.data).toHaveLength(2);
    expect(byApp.data.every((e) => e.actor.client_id === "lab-app" && e.actor.user_id === null)).toBe(true);
    expect((await log("?actor_kind=client")).data.map((e) => e.actor.client_id)).toEqual(["lab-app", "lab-app"]);
    const people = await log("?actor_kind=user");
    expect(people.data.map((e) => e.actor.user_id)).toEqual([stranger.id, stranger.id, friend.id, friend.id]);
    // The person's own access never shows, whatever the filter names.
    expect((await log(`?actor_user_id=${me.id}`)).data).toEqual([]);
  });

  it("by action and by time (from inclusive, to exclusive), combined", async () => {
    expect(actions(await log("?action=exports.create"))).toEqual(["2026-03-05 exports.create denied"]);
    expect(actions(await log("?from=2026-03-03T10:00:00Z&to=2026-03-05T10:00:00Z"))).toEqual([
      "2026-03-04 observations.read denied",
      "2026-03-03 observations.read success",
    ]);
    expect(
      actions(
        await log(`?outcome=denied&action=observations.read&actor_user_id=${stranger.id}&to=2026-03-10T00:00:00Z`),
      ),
    ).toEqual(["2026-03-04 observations.read denied"]);
  });

  it("pages under the same filters", async () => {
    const first = await log("?actor_kind=user&limit=3");
    expect(first.data).toHaveLength(3);
    expect(first.next_cursor).not.toBeNull();
    const second = await log(`?actor_kind=user&limit=3&cursor=${encodeURIComponent(first.next_cursor ?? "")}`);
    expect(actions(second)).toEqual(["2026-03-01 observations.read success"]);
    expect(second.next_cursor).toBeNull();
  });

  it("refuses bad filters with a problem naming the field", async () => {
    for (const [query, field] of [
      ["?outcome=maybe", "outcome"],
      ["?actor_user_id=not-a-uuid", "actor_user_id"],
      ["?actor_kind=robot", "actor_kind"],
      ["?action=DROP%20TABLE", "action"],
      ["?from=yesterday", "from"],
      ["?from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z", "to"],
      [`?actor_client_id=${"x".repeat(129)}`, "actor_client_id"],
    ] as const) {
      const problem = await expectProblem(
        await api(`/v1/me/access-log${query}`, { headers: auth(token) }),
        400,
        "validation_failed",
      );
      expect(JSON.stringify(problem.errors)).toContain(field);
    }
  });

  it("never shows another person's log: the friend filtering by the person sees only their own", async () => {
    const theirs = await log(`?actor_user_id=${stranger.id}`, await userToken(client, friend, "consents:read"));
    expect(theirs.data).toEqual([]);
  });

  it("needs a token with consents:read", async () => {
    await expectProblem(await api("/v1/me/access-log?outcome=denied"), 401, "unauthorized");
    const weak = await userToken(client, me, "observations:read");
    await expectProblem(await api("/v1/me/access-log?outcome=denied", { headers: auth(weak) }), 403, "forbidden");
  });
});
